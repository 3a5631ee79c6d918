import type { ClaimFilter } from '@claims/kpi';
import { z } from 'zod';
import { wholeNumber } from '../http/query-fields';
import { CLAIM_FILTERS, claimFilterOf } from '../kpis/filter-fields';
import { afterClaimIdOf, encodeCellCursor } from './cell-cursor';

/**
 * A cursor carries the cell (the claim filters, each up to 128 characters of
 * any script, up to six bytes each in JSON) and the claim id the page ended
 * on, as long as the pipeline stored it, then a third more in base64url. Past
 * this the request line would outgrow what Node's HTTP parser reads (16 KiB
 * of headers) anyway.
 */
const MAX_CURSOR_LENGTH = 16_384;

/**
 * The query fields every claim drill-down takes, whatever figure it opens:
 * the cell (a month and the claim filters, the vocabulary of the figures'
 * own routes) and the page. A drill-down adds what only its figure has
 * (the denial rule, denied-only) beside these.
 */
export const CLAIM_CELL_QUERY_FIELDS = {
  /** The `month` dimension of the denial, payment and volume figures: the service-through date's month. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')
    .optional(),
  ...CLAIM_FILTERS,
  limit: wholeNumber(1, 500).optional(),
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
};

/** The parsed values of CLAIM_CELL_QUERY_FIELDS. */
export type ClaimCellQueryFields = ClaimFilter & { month?: string; limit?: number; cursor?: string };

/** The cell a drill-down opens (a month or any, null; the claim filters given) and its page. */
export interface ClaimCellQuery {
  month: string | null;
  filter: ClaimFilter;
  limit: number;
  afterClaimId: string | null;
}

/**
 * What a cursor pins: `pinned` (a drill-down's own part of the cell, before
 * the shared part), the month and every claim filter in the one field order.
 */
const cellOf = (pinned: readonly unknown[], cell: Pick<ClaimCellQuery, 'month' | 'filter'>): unknown[] => [
  ...pinned,
  cell.month,
  JSON.stringify(cell.filter),
];

/**
 * The cell and page of a drill-down's parsed query, the page 50 claims
 * unless asked; a cursor of another cell (another `pinned`, month or
 * filter) and a service-date range that ends before it starts are 400s.
 */
export function claimCellQueryOf(
  { month, limit, cursor, ...filters }: ClaimCellQueryFields,
  pinned: readonly unknown[] = [],
): ClaimCellQuery {
  const cell = { month: month ?? null, filter: claimFilterOf(filters) };
  return { ...cell, limit: limit ?? 50, afterClaimId: afterClaimIdOf(cursor, cellOf(pinned, cell)) };
}

/** The cursor after `lastClaimId` in the cell of `query` (with the same `pinned` it was parsed with). */
export function encodeClaimCellCursor(
  query: Pick<ClaimCellQuery, 'month' | 'filter'>,
  lastClaimId: string,
  pinned: readonly unknown[] = [],
): string {
  return encodeCellCursor(cellOf(pinned, query), lastClaimId);
}
