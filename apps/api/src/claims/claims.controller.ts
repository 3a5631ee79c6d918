import { withClaimReadSpan } from '@claims/observability';
import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { RequirePermission } from '../auth/bearer-token.guard';
import { refuseQueryParameters } from '../http/query-fields';
import { parseClaimId } from './claim-id';
import { ClaimsService, type ClaimDetail, type ClaimLineage } from './claims.service';

/** The stable code of a claim the fold never handled (or an id that names none). */
export const CLAIM_NOT_FOUND = 'CLAIM_NOT_FOUND';

/**
 * One claim from the work queue: its detail, with member identifiers (PHI),
 * and where it came from. Managers and admins only (claims:read): analysts
 * work from the aggregates and the queue's claim ids.
 */
@Controller('v1/claims')
@RequirePermission('claims:read')
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  /**
   * The claim's current state and lines, its pend episode (reasons, queue,
   * pended and cleared dates, a pended-queue export's adjudicator comments:
   * PHI), the member identifiers stored with it, and
   * its timeline: every folded event (type, event date, layout, source file
   * and record), oldest first.
   */
  @Get(':claimId')
  @ApiBadRequestResponse({ description: 'REQUEST_INVALID: not a claim id (`fields`: claimId)' })
  @ApiNotFoundResponse({ description: 'CLAIM_NOT_FOUND: the fold never handled this claim' })
  async detail(@Param('claimId') claimId: string, @Query() query: Record<string, unknown>): Promise<ClaimDetail> {
    refuseQueryParameters(query);
    // Linked to the traces of the files the claim's events came from: the read is part of the records' path.
    const detail = await withClaimReadSpan(
      'api read claim',
      claimId,
      () => this.claims.detail(parseClaimId(claimId)),
      (found) => found?.timeline.map((event) => event.sourceFile.fileId) ?? [],
    );
    if (detail === null) throw new NotFoundException({ code: CLAIM_NOT_FOUND, message: 'no such claim' });
    return detail;
  }

  /**
   * Every source record the claim came from (file id, source name, record
   * number, SHA-256, layout, and where it ended), the events each produced,
   * and the dead letters of those records at any stage.
   */
  @Get(':claimId/lineage')
  @ApiBadRequestResponse({ description: 'REQUEST_INVALID: not a claim id (`fields`: claimId)' })
  @ApiNotFoundResponse({ description: 'CLAIM_NOT_FOUND: the fold never handled this claim' })
  async lineage(@Param('claimId') claimId: string, @Query() query: Record<string, unknown>): Promise<ClaimLineage> {
    refuseQueryParameters(query);
    const lineage = await this.claims.lineage(parseClaimId(claimId));
    if (lineage === null) throw new NotFoundException({ code: CLAIM_NOT_FOUND, message: 'no such claim' });
    return lineage;
  }
}
