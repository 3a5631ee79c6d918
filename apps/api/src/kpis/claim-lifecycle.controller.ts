import { Controller, Get, Query } from '@nestjs/common';
import { RequireRole } from '../auth/bearer-token.guard';
import { parseClaimLifecycleQuery } from './claim-lifecycle.query';
import { ClaimLifecycleService, type ClaimLifecycleResponse } from './claim-lifecycle.service';

@Controller('v1/kpis')
@RequireRole('analyst')
export class ClaimLifecycleController {
  constructor(private readonly claimLifecycle: ClaimLifecycleService) {}

  /**
   * X12 claim lifecycle: first-pass clean claim rate, 999 and 277CA rejection
   * rates, payer lag p50/p90 by payer and unmatched 835/277CA answers; `from`
   * and `to` bound the first submission date, `payer` the 837's payer.
   */
  @Get('claim-lifecycle')
  summary(@Query() query: Record<string, unknown>): Promise<ClaimLifecycleResponse> {
    return this.claimLifecycle.summary(parseClaimLifecycleQuery(query));
  }
}
