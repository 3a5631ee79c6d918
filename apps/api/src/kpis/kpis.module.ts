import { Module } from '@nestjs/common';
import { KpiQueryService } from './kpi-query.service';
import { KpiRepository } from './kpi.repository';
import { KpisController } from './kpis.controller';

@Module({
  controllers: [KpisController],
  providers: [KpiRepository, KpiQueryService],
})
export class KpisModule {}
