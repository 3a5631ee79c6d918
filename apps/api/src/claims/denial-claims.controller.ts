import { CsvTable } from '../exports/csv-table.interceptor';
import { Controller, Get, Query } from '@nestjs/common';
import { DENIAL_SOURCES } from '@claims/kpi';
import { ApiQuery } from '@nestjs/swagger';
import { RequirePermission } from '../auth/bearer-token.guard';
import { RECORD_LISTING } from '../kpis/small-cells';
import { NoSmallCells } from '../privacy/small-cells.decorator';
import { ClaimsService, type DenialClaimsResponse } from './claims.service';
import { ApiClaimFilterQueries, CURSOR_QUERY, enumQuery, wholeNumberQuery } from '../kpis/kpi-query-parameters.schemas';
import { parseDenialClaimsQuery } from './denial-claims.query';

/**
 * The claims behind a denial figure. Beside the work queue (the claims
 * behind the open pended count), under the same permission as the figures:
 * claim ids and their adjudication, no member identifiers.
 */
@Controller('v1/kpis')
@RequirePermission('kpis:read')
@NoSmallCells(RECORD_LISTING)
export class DenialClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  /**
   * The claims counted in one cell of `GET /v1/kpis/denials`, filtered or
   * not: `source` (required) and any of `month` (YYYY-MM of the
   * service-through date) and the claim filters that route takes;
   * `denied=true` for the claims with a denied unit only. Each claim carries
   * its adjudicated and denied units (lines or the claim) and cents, so a
   * cell's claims add up to the cell. By claim id, `limit` a page (default
   * 50, at most 500); pass `nextCursor` back as `cursor`.
   */
  @Get('denials/claims')
  @CsvTable('items', 'denial-claims')
  @ApiQuery(enumQuery('source', DENIAL_SOURCES, { required: true, description: 'The denial rule of the cell' }))
  @ApiQuery({ name: 'month', required: false, schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } })
  @ApiClaimFilterQueries()
  @ApiQuery(enumQuery('denied', ['true', 'false'], { description: 'true: only the claims with a denied unit' }))
  @ApiQuery(wholeNumberQuery('limit', 500, 'Claims per page, default 50'))
  @ApiQuery(CURSOR_QUERY)
  denialClaims(@Query() query: Record<string, unknown>): Promise<DenialClaimsResponse> {
    return this.claims.denialClaims(parseDenialClaimsQuery(query));
  }
}
