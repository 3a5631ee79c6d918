import { PROVIDER_ADJUSTMENT_GROUPINGS, type ProviderAdjustmentGrouping } from '@claims/kpi';
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

const ProviderAdjustmentsQuerySchema = z
  .object({
    from: CalendarDate.optional(),
    to: CalendarDate.optional(),
    groupBy: z.enum(PROVIDER_ADJUSTMENT_GROUPINGS).optional(),
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from after to', path: ['from'] });

/** Filters of the provider-adjustment KPI; null is no bound. */
export interface ProviderAdjustmentsQuery {
  /** The adjustment's date (payment date, else production date, else PLB02), inclusive. */
  from: string | null;
  to: string | null;
  /** reason unless asked otherwise. */
  groupBy: ProviderAdjustmentGrouping;
}

export function parseProviderAdjustmentsQuery(query: unknown): ProviderAdjustmentsQuery {
  const parsed = ProviderAdjustmentsQuerySchema.safeParse(query);
  if (!parsed.success) {
    const fields = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || '(query)'],
    );
    throw new BadRequestException({ code: 'REQUEST_INVALID', fields: [...new Set(fields)] });
  }
  return {
    from: parsed.data.from ?? null,
    to: parsed.data.to ?? null,
    groupBy: parsed.data.groupBy ?? 'reason',
  };
}
