import { Controller, Get } from '@nestjs/common';
import { RequireRole } from '../auth/bearer-token.guard';
import { KpiQueryService, type KpiSummaryResponse, type KpiVerification } from './kpi-query.service';

@Controller('v1/kpis')
@RequireRole('analyst')
export class KpisController {
  constructor(private readonly kpis: KpiQueryService) {}

  /** The streamed KPI figures, as of the event-time watermark. */
  @Get('summary')
  summary(): Promise<KpiSummaryResponse> {
    return this.kpis.summary();
  }

  /** The streamed figures against the batch SQL over claim state: `consistent` must be true. */
  @Get('verification')
  verification(): Promise<KpiVerification> {
    return this.kpis.verify();
  }
}
