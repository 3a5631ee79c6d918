import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

const isCalendarDate = (value: string): boolean => {
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
};

const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');

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
  const parsed = ClaimLifecycleQuerySchema.safeParse(query);
  if (!parsed.success) {
    const fields = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || '(query)'],
    );
    throw new BadRequestException({ code: 'REQUEST_INVALID', fields: [...new Set(fields)] });
  }
  return { from: parsed.data.from ?? null, to: parsed.data.to ?? null, payer: parsed.data.payer ?? null };
}
