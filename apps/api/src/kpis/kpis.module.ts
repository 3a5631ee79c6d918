import { Module } from '@nestjs/common';
import { DenialCostRepository } from './denial-cost.repository';
import { DenialCostService } from './denial-cost.service';
import { KpiQueryService } from './kpi-query.service';
import { KpiRepository } from './kpi.repository';
import { KpisController } from './kpis.controller';
import { PendedQueueRepository } from './pended-queue.repository';
import { PendedQueueService } from './pended-queue.service';

@Module({
  controllers: [KpisController],
  providers: [
    KpiRepository,
    KpiQueryService,
    PendedQueueRepository,
    PendedQueueService,
    DenialCostRepository,
    DenialCostService,
  ],
})
export class KpisModule {}
