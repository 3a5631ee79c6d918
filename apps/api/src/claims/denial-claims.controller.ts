import { Controller, Get, Query } from '@nestjs/common';
import { RequirePermission } from '../auth/bearer-token.guard';
import { ClaimsService, type DenialClaimsResponse } from './claims.service';
import { parseDenialClaimsQuery } from './denial-claims.query';

/**
 * The claims behind a denial figure. Beside the work queue (the claims
 * behind the open pended count), under the same permission as the figures:
 * claim ids and their adjudication, no member identifiers.
 */
@Controller('v1/kpis')
@RequirePermission('kpis:read')
export class DenialClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  /**
   * The claims counted in one cell of `GET /v1/kpis/denials`: `source`
   * (required) and any of `payer`, `claimType`, `month` (YYYY-MM) and
   * `providerGroup`; `denied=true` for the claims with a denied unit only.
   * Each claim carries its adjudicated and denied units (lines or the claim)
   * and cents, so a cell's claims add up to the cell. By claim id, `limit`
   * a page (default 50, at most 500); pass `nextCursor` back as `cursor`.
   */
  @Get('denials/claims')
  denialClaims(@Query() query: Record<string, unknown>): Promise<DenialClaimsResponse> {
    return this.claims.denialClaims(parseDenialClaimsQuery(query));
  }
}
