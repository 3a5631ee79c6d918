import { z } from 'zod';
import { CalendarDate, parseQuery } from '../http/query-fields';

const ClaimLifecycleQuerySchema = z
  .object({
    from: CalendarDate.optional(),
    to: CalendarDate.optional(),
    /** The payer as the 837 names it (2010BB NM1*PR). */
    payer: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from after to', path: ['from'] });

/** Filters of the claim lifecycle KPIs; null is no bound. */
export interface ClaimLifecycleQuery {
  /** First submission date (837 BHT04), inclusive. */
  from: string | null;
  to: string | null;
  payer: string | null;
}

export function parseClaimLifecycleQuery(query: unknown): ClaimLifecycleQuery {
  const data = parseQuery(ClaimLifecycleQuerySchema, query);
  return { from: data.from ?? null, to: data.to ?? null, payer: data.payer ?? null };
}
