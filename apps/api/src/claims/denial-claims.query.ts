import { DENIAL_SOURCES, type DenialSource } from '@claims/kpi';
import { z } from 'zod';
import { parseQuery } from '../http/query-fields';
import { afterClaimIdOf, encodeCellCursor } from './cell-cursor';

const DimensionValue = z.string().min(1).max(200);

const DenialClaimsQuerySchema = z
  .object({
    source: z.enum(DENIAL_SOURCES),
    payer: DimensionValue.optional(),
    claimType: DimensionValue.optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')
      .optional(),
    providerGroup: DimensionValue.optional(),
    denied: z.enum(['true', 'false']).optional(),
    limit: z
      .string()
      .regex(/^\d{1,6}$/, 'expected a whole number')
      .transform(Number)
      .pipe(z.number().int().min(1).max(500))
      .optional(),
    cursor: z.string().max(2048).optional(),
  })
  .strict();

/** The cell a drill-down opens: one source rule, each denial dimension a value or any (null). */
export interface DenialClaimsQuery {
  source: DenialSource;
  filters: { payer: string | null; claimType: string | null; month: string | null; providerGroup: string | null };
  /** Only the claims with a denied unit (the numerator); otherwise every adjudicated one (the denominator). */
  deniedOnly: boolean;
  limit: number;
  afterClaimId: string | null;
}

/** What a cursor pins: the cell it pages through, so paging on under other filters is refused, not mixed. */
const cellOf = (query: Pick<DenialClaimsQuery, 'source' | 'filters' | 'deniedOnly'>): unknown[] => [
  query.source,
  query.filters.payer,
  query.filters.claimType,
  query.filters.month,
  query.filters.providerGroup,
  query.deniedOnly,
];

export function encodeDenialClaimsCursor(query: DenialClaimsQuery, lastClaimId: string): string {
  return encodeCellCursor(cellOf(query), lastClaimId);
}

/** `source` is required: the source rules count different units (lines, claims) and are never added together. */
export function parseDenialClaimsQuery(query: unknown): DenialClaimsQuery {
  const data = parseQuery(DenialClaimsQuerySchema, query);
  const { source, payer, claimType, month, providerGroup, denied, limit, cursor } = data;
  const cell = {
    source,
    filters: {
      payer: payer ?? null,
      claimType: claimType ?? null,
      month: month ?? null,
      providerGroup: providerGroup ?? null,
    },
    deniedOnly: denied === 'true',
  };
  return { ...cell, limit: limit ?? 50, afterClaimId: afterClaimIdOf(cursor, cellOf(cell)) };
}
