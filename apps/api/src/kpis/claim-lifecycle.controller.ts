import { CsvTable } from '../exports/csv-table.interceptor';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { RequireRole } from '../auth/bearer-token.guard';
import { SmallCells } from '../privacy/small-cells.decorator';
import { CLAIM_LIFECYCLE_CELLS } from './small-cells';
import { CLAIM_FILTER_FIELDS } from '@claims/kpi';
import { ApiClaimFilterQueries, dateQuery, textQuery } from './kpi-query-parameters.schemas';
import { parseClaimLifecycleQuery } from './claim-lifecycle.query';
import { ClaimLifecycleService, type ClaimLifecycleResponse } from './claim-lifecycle.service';

@Controller('v1/kpis')
@RequireRole('analyst')
export class ClaimLifecycleController {
  constructor(private readonly claimLifecycle: ClaimLifecycleService) {}

  /**
   * X12 claim lifecycle: first-pass clean claim rate, 999 and 277CA rejection
   * rates, payer lag p50/p90 by payer and unmatched 835/277CA answers; `from`
   * and `to` bound the first submission date, `payer` the 837's payer, and the
   * claim filters keep the claims they name (the 999 rate answers transaction
   * sets, not claims: only `from` and `to` narrow it).
   */
  @Get('claim-lifecycle')
  @CsvTable('payerLag', 'payer-lag')
  @SmallCells(CLAIM_LIFECYCLE_CELLS)
  @ApiQuery(dateQuery('from', 'First submission date (837 BHT04), inclusive'))
  @ApiQuery(dateQuery('to', 'First submission date, inclusive; not before `from`'))
  @ApiQuery(textQuery('payer', 'The payer as the 837 names it (2010BB NM1*PR), exact', 200))
  @ApiClaimFilterQueries(CLAIM_FILTER_FIELDS.filter((field) => field !== 'payer'))
  summary(@Query() query: Record<string, unknown>): Promise<ClaimLifecycleResponse> {
    return this.claimLifecycle.summary(parseClaimLifecycleQuery(query));
  }
}
