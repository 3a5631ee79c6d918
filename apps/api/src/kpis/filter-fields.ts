import { PEND_QUEUE_FILTER_MAX_LENGTH } from '@claims/kpi';
import { z } from 'zod';

/** One exact value; an empty or repeated parameter is refused rather than read as "any". */
const FilterValue = z.string().min(1).max(PEND_QUEUE_FILTER_MAX_LENGTH);

/**
 * The claim fields every filtered KPI route takes, one exact value each: the
 * pended-queue routes add pend reason and queue, the denial, payment, volume
 * and top routes a service-date range.
 */
export const CLAIM_FIELD_FILTERS = {
  payer: FilterValue.optional(),
  providerGroup: FilterValue.optional(),
  renderingProvider: FilterValue.optional(),
  state: FilterValue.optional(),
  claimType: FilterValue.optional(),
};

/** The pended queue's own filters, beside the claim fields. */
export const PEND_FIELD_FILTERS = {
  reason: FilterValue.optional(),
  queue: FilterValue.optional(),
};
