import { Module } from '@nestjs/common';
import { KpisModule } from '../kpis/kpis.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { KpiReportService } from './kpi-report.service';
import { ReportsController } from './reports.controller';

/** Documents made of the KPI figures, read through the KPI module's own services. */
@Module({
  imports: [KpisModule, PrivacyModule],
  controllers: [ReportsController],
  providers: [KpiReportService],
})
export class ReportsModule {}
