import { Module } from '@nestjs/common';
import { ClaimLifecycleController } from './claim-lifecycle.controller';
import { ClaimLifecycleRepository } from './claim-lifecycle.repository';
import { ClaimLifecycleService } from './claim-lifecycle.service';
import { DenialCostRepository } from './denial-cost.repository';
import { DenialCostService } from './denial-cost.service';
import { KpiQueryService } from './kpi-query.service';
import { KpiRepository } from './kpi.repository';
import { KpisController } from './kpis.controller';
import { PendedQueueRepository } from './pended-queue.repository';
import { PendedQueueService } from './pended-queue.service';
import { ProviderAdjustmentsController } from './provider-adjustments.controller';
import { ProviderAdjustmentsRepository } from './provider-adjustments.repository';
import { ProviderAdjustmentsService } from './provider-adjustments.service';

@Module({
  controllers: [KpisController, ClaimLifecycleController, ProviderAdjustmentsController],
  providers: [
    KpiRepository,
    KpiQueryService,
    PendedQueueRepository,
    PendedQueueService,
    DenialCostRepository,
    DenialCostService,
    ClaimLifecycleRepository,
    ClaimLifecycleService,
    ProviderAdjustmentsRepository,
    ProviderAdjustmentsService,
  ],
})
export class KpisModule {}
