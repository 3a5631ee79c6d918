import { CsvTable } from '../exports/csv-table.interceptor';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { RequirePermission } from '../auth/bearer-token.guard';
import { ApiClaimFilterQueries, CURSOR_QUERY, wholeNumberQuery } from '../kpis/kpi-query-parameters.schemas';
import { RECORD_LISTING } from '../kpis/small-cells';
import { NoSmallCells } from '../privacy/small-cells.decorator';
import { parsePaymentClaimsQuery } from './payment-claims.query';
import { PaymentClaimsService, type PaymentClaimsResponse } from './payment-claims.service';

/**
 * The claims behind a payment or volume figure, beside the denial
 * drill-down and the work queue, under the same permission as the figures:
 * claim ids and their amounts, no member identifiers.
 */
@Controller('v1/kpis')
@RequirePermission('kpis:read')
@NoSmallCells(RECORD_LISTING)
export class PaymentClaimsController {
  constructor(private readonly paymentClaims: PaymentClaimsService) {}

  /**
   * The claims counted in one cell of `GET /v1/kpis/payments` or `/volume`:
   * any of `month` (YYYY-MM of the service-through date) and the claim
   * filters. Each claim carries its lines and its billed, allowed, paid and
   * patient-responsibility cents, so a cell's claims add up to the cell. By
   * claim id, `limit` a page (default 50, at most 500); pass `nextCursor`
   * back as `cursor`.
   */
  @Get('payments/claims')
  @CsvTable('items', 'payment-claims')
  @ApiQuery({ name: 'month', required: false, schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } })
  @ApiClaimFilterQueries()
  @ApiQuery(wholeNumberQuery('limit', 500, 'Claims per page, default 50'))
  @ApiQuery(CURSOR_QUERY)
  list(@Query() query: Record<string, unknown>): Promise<PaymentClaimsResponse> {
    return this.paymentClaims.paymentClaims(parsePaymentClaimsQuery(query));
  }
}
