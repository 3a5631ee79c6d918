import type { ClaimFilter } from '@claims/kpi';
import { z } from 'zod';
import { parseQuery, wholeNumber } from '../http/query-fields';
import { CLAIM_FILTERS, claimFilterOf } from '../kpis/filter-fields';
import { afterClaimIdOf, encodeCellCursor } from './cell-cursor';

const PaymentClaimsQuerySchema = z
  .object({
    /** The `month` dimension of the payment and volume figures: the service-through date's month. */
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')
      .optional(),
    ...CLAIM_FILTERS,
    limit: wholeNumber(1, 500).optional(),
    cursor: z.string().max(2048).optional(),
  })
  .strict();

/** The cell a payment or volume drill-down opens: a month or any (null), and the claim filters. */
export interface PaymentClaimsQuery {
  month: string | null;
  filter: ClaimFilter;
  limit: number;
  afterClaimId: string | null;
}

/** What a cursor pins: the month and every claim filter, in the one field order. */
const cellOf = (query: Pick<PaymentClaimsQuery, 'month' | 'filter'>): unknown[] => [
  query.month,
  JSON.stringify(query.filter),
];

export function encodePaymentClaimsCursor(query: PaymentClaimsQuery, lastClaimId: string): string {
  return encodeCellCursor(cellOf(query), lastClaimId);
}

export function parsePaymentClaimsQuery(query: unknown): PaymentClaimsQuery {
  const { month, limit, cursor, ...filters } = parseQuery(PaymentClaimsQuerySchema, query);
  const cell = { month: month ?? null, filter: claimFilterOf(filters) };
  return { ...cell, limit: limit ?? 50, afterClaimId: afterClaimIdOf(cursor, cellOf(cell)) };
}
