import { PROVIDER_ADJUSTMENT_GROUPINGS, type ProviderAdjustmentGrouping } from '@claims/kpi';
import { z } from 'zod';
import { CalendarDate, parseQuery } from '../http/query-fields';

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
  const data = parseQuery(ProviderAdjustmentsQuerySchema, query);
  return {
    from: data.from ?? null,
    to: data.to ?? null,
    groupBy: data.groupBy ?? 'reason',
  };
}
