import { filterEntries, filterPredicatesSql } from './claim-filter';
import { NO_PEND_REASON } from './pend-episode';

/**
 * The filters every pended-queue route takes, by query parameter name: each
 * one exact value, several combined with AND. The order is the order their
 * predicates and parameters are written in.
 */
export const PEND_QUEUE_FILTER_FIELDS = [
  'payer',
  'providerGroup',
  'renderingProvider',
  'state',
  'claimType',
  'reason',
  'queue',
] as const;
export type PendQueueFilterField = (typeof PEND_QUEUE_FILTER_FIELDS)[number];

/** The filters asked for; a field left out does not filter. */
export type PendQueueFilter = Partial<Record<PendQueueFilterField, string>>;

/** The longest filter value a request may give: longer than any code, group key or payer name. */
export const PEND_QUEUE_FILTER_MAX_LENGTH = 128;

/** How the work queue is ordered: oldest first (pend date, claim id) or largest amount first (then claim id). */
export const PEND_WORK_QUEUE_SORTS = ['age', 'amount'] as const;
export type PendWorkQueueSort = (typeof PEND_WORK_QUEUE_SORTS)[number];

/**
 * The predicate each field adds over a claim_pend row, given the placeholder
 * of its value: the allow-list of the columns a filter may touch. A reason
 * matches as the histogram counts it, once per code the claim lists, and
 * `(none)` for a claim listing none.
 */
const FILTER_PREDICATES: Readonly<Record<PendQueueFilterField, (placeholder: string) => string>> = {
  payer: (placeholder) => `payer = ${placeholder}`,
  providerGroup: (placeholder) => `provider_group = ${placeholder}`,
  renderingProvider: (placeholder) => `rendering_npi = ${placeholder}`,
  state: (placeholder) => `state = ${placeholder}`,
  claimType: (placeholder) => `claim_type = ${placeholder}`,
  reason: (placeholder) =>
    `(reasons @> ARRAY[${placeholder}::text] OR (cardinality(reasons) = 0 AND ${placeholder}::text = '${NO_PEND_REASON}'))`,
  queue: (placeholder) => `queue = ${placeholder}`,
};

/** A piece of SQL and the values of the placeholders it introduces, in order. */
export interface PendQueueFilterSql {
  /** `''` without a filter, else ` AND <predicate>` per field, to follow a WHERE over claim_pend. */
  sql: string;
  parameters: string[];
}

/** The fields given, in the one field order, each with its value. */
export function pendQueueFilterEntries(filter: PendQueueFilter): Array<[PendQueueFilterField, string]> {
  return filterEntries(PEND_QUEUE_FILTER_FIELDS, filter);
}

export function hasPendQueueFilter(filter: PendQueueFilter): boolean {
  return pendQueueFilterEntries(filter).length > 0;
}

/**
 * The AND of the given filters over claim_pend's unqualified columns, values
 * as placeholders from `$firstParameter` on. Only the field names of the
 * allow-list reach the text; a value never does.
 */
export function pendQueueFilterSql(filter: PendQueueFilter, firstParameter: number): PendQueueFilterSql {
  return filterPredicatesSql(PEND_QUEUE_FILTER_FIELDS, FILTER_PREDICATES, filter, firstParameter);
}
