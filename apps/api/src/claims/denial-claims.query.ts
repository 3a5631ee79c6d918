import { DENIAL_SOURCES, type DenialSource } from '@claims/kpi';
import { z } from 'zod';
import { parseQuery } from '../http/query-fields';
import {
  CLAIM_CELL_QUERY_FIELDS,
  claimCellQueryOf,
  encodeClaimCellCursor,
  type ClaimCellQuery,
} from './claim-cell.query';

const DenialClaimsQuerySchema = z
  .object({
    source: z.enum(DENIAL_SOURCES),
    denied: z.enum(['true', 'false']).optional(),
    ...CLAIM_CELL_QUERY_FIELDS,
  })
  .strict();

/**
 * The cell a denial drill-down opens: one source rule, a month or any
 * (null), and the claim filters `GET /v1/kpis/denials` takes.
 */
export interface DenialClaimsQuery extends ClaimCellQuery {
  source: DenialSource;
  /** Only the claims with a denied unit (the numerator); otherwise every adjudicated one (the denominator). */
  deniedOnly: boolean;
}

/** What a cursor pins beside the month and the filters, so paging on under another rule or numerator is refused. */
const pinnedOf = (query: Pick<DenialClaimsQuery, 'source' | 'deniedOnly'>): unknown[] => [
  query.source,
  query.deniedOnly,
];

export function encodeDenialClaimsCursor(query: DenialClaimsQuery, lastClaimId: string): string {
  return encodeClaimCellCursor(query, lastClaimId, pinnedOf(query));
}

/** `source` is required: the source rules count different units (lines, claims) and are never added together. */
export function parseDenialClaimsQuery(query: unknown): DenialClaimsQuery {
  const { source, denied, ...fields } = parseQuery(DenialClaimsQuerySchema, query);
  const pinned = { source, deniedOnly: denied === 'true' };
  return { ...pinned, ...claimCellQueryOf(fields, pinnedOf(pinned)) };
}
