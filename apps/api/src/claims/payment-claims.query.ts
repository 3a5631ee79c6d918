import { z } from 'zod';
import { parseQuery } from '../http/query-fields';
import {
  CLAIM_CELL_QUERY_FIELDS,
  claimCellQueryOf,
  encodeClaimCellCursor,
  type ClaimCellQuery,
} from './claim-cell.query';

const PaymentClaimsQuerySchema = z.object(CLAIM_CELL_QUERY_FIELDS).strict();

/** The cell a payment or volume drill-down opens: a month or any (null), and the claim filters. */
export type PaymentClaimsQuery = ClaimCellQuery;

export function encodePaymentClaimsCursor(query: PaymentClaimsQuery, lastClaimId: string): string {
  return encodeClaimCellCursor(query, lastClaimId);
}

export function parsePaymentClaimsQuery(query: unknown): PaymentClaimsQuery {
  return claimCellQueryOf(parseQuery(PaymentClaimsQuerySchema, query));
}
