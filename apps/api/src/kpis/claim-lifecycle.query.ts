import type { ClaimFilter } from '@claims/kpi';
import { z } from 'zod';
import { CalendarDate, parseQuery, queryText } from '../http/query-fields';
import { CLAIM_FILTERS_BUT_PAYER, claimFilterOf } from './filter-fields';

const ClaimLifecycleQuerySchema = z
  .object({
    from: CalendarDate.optional(),
    to: CalendarDate.optional(),
    /** The payer as the 837 names it (2010BB NM1*PR). */
    payer: queryText(1, 200).optional(),
    ...CLAIM_FILTERS_BUT_PAYER,
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from after to', path: ['from'] });

/** Filters of the claim lifecycle KPIs; null is no bound. */
export interface ClaimLifecycleQuery {
  /** First submission date (837 BHT04), inclusive. */
  from: string | null;
  to: string | null;
  payer: string | null;
  /** The claim filters given (provider group, rendering provider, state, claim type, service dates); never a payer. */
  filter: Omit<ClaimFilter, 'payer'>;
}

export function parseClaimLifecycleQuery(query: unknown): ClaimLifecycleQuery {
  const { from, to, payer, ...filter } = parseQuery(ClaimLifecycleQuerySchema, query);
  return { from: from ?? null, to: to ?? null, payer: payer ?? null, filter: claimFilterOf(filter) };
}
