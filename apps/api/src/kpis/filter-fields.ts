import { PEND_QUEUE_FILTER_MAX_LENGTH, claimFilterEntries, type ClaimFilter, type ClaimFilterField } from '@claims/kpi';
import { z } from 'zod';
import { CalendarDate, invalidRequest, queryText } from '../http/query-fields';

/** One exact value; an empty or repeated parameter is refused rather than read as "any". */
const FilterValue = queryText(1, PEND_QUEUE_FILTER_MAX_LENGTH);

/**
 * The claim fields every filtered KPI route takes, one exact value each: the
 * pended-queue routes add pend reason and queue, the denial, payment, volume,
 * top, lifecycle and outlier routes a service-date range.
 */
export const CLAIM_FIELD_FILTERS = {
  payer: FilterValue.optional(),
  providerGroup: FilterValue.optional(),
  renderingProvider: FilterValue.optional(),
  state: FilterValue.optional(),
  claimType: FilterValue.optional(),
};

/** The claim filters (see @claims/kpi CLAIM_FILTER_FIELDS): the claim fields and a service-date range. */
export const CLAIM_FILTERS = {
  ...CLAIM_FIELD_FILTERS,
  serviceFrom: CalendarDate.optional(),
  serviceTo: CalendarDate.optional(),
} satisfies Record<ClaimFilterField, z.ZodType>;

/**
 * The claim filters but the payer: for the claim lifecycle, which takes the
 * payer as the 837 names it (2010BB NM1*PR) in a field of its own.
 */
export const CLAIM_FILTERS_BUT_PAYER = z.object(CLAIM_FILTERS).omit({ payer: true }).shape;

/** The pended queue's own filters, beside the claim fields. */
export const PEND_FIELD_FILTERS = {
  reason: FilterValue.optional(),
  queue: FilterValue.optional(),
};

/** The filters given, and only those, in the one field order; a range that ends before it starts is a 400. */
export function claimFilterOf(parsed: ClaimFilter): ClaimFilter {
  const filter: ClaimFilter = Object.fromEntries(claimFilterEntries(parsed));
  if (filter.serviceFrom !== undefined && filter.serviceTo !== undefined && filter.serviceTo < filter.serviceFrom) {
    throw invalidRequest(['serviceTo']);
  }
  return filter;
}
