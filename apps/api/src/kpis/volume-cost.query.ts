import { OUTLIER_MEASURES, PMPM_GROUPINGS, type OutlierMeasure, type PmpmGrouping } from '@claims/kpi';
import { z } from 'zod';
import { parseQuery, wholeNumber } from '../http/query-fields';

/** A coverage year as the beneficiary summaries state it. */
const Year = z
  .string()
  .regex(/^\d{4}$/, 'expected YYYY')
  .transform(Number)
  .pipe(z.number().int().min(1900).max(2999));

const Threshold = z
  .string()
  .regex(/^\d{1,2}(\.\d{1,3})?$/, 'expected a decimal number')
  .transform(Number)
  .pipe(z.number().min(0).max(10));

const PmpmQuerySchema = z.object({ year: Year.optional(), groupBy: z.enum(PMPM_GROUPINGS).optional() }).strict();
const ChronicConditionsQuerySchema = z.object({ year: Year.optional() }).strict();
const OutlierProvidersQuerySchema = z
  .object({
    by: z.enum(OUTLIER_MEASURES).optional(),
    minClaims: wholeNumber(1, 1_000_000).optional(),
    threshold: Threshold.optional(),
    limit: wholeNumber(1, 500).optional(),
  })
  .strict();

export interface PmpmQuery {
  /** The coverage year; null: the latest year a beneficiary summary states. */
  year: number | null;
  groupBy: PmpmGrouping;
}

export function parsePmpmQuery(query: unknown): PmpmQuery {
  const { year, groupBy } = parseQuery(PmpmQuerySchema, query);
  return { year: year ?? null, groupBy: groupBy ?? 'claim_type' };
}

export interface ChronicConditionsQuery {
  year: number | null;
}

export function parseChronicConditionsQuery(query: unknown): ChronicConditionsQuery {
  return { year: parseQuery(ChronicConditionsQuerySchema, query).year ?? null };
}

/** The defaults: a provider needs 10 claims to be scored; |z| of 2 or more is an outlier; 20 rows. */
export const OUTLIER_DEFAULTS = { by: 'cost', minClaims: 10, threshold: 2, limit: 20 } as const;

export interface OutlierProvidersQuery {
  by: OutlierMeasure;
  minClaims: number;
  threshold: number;
  limit: number;
}

export function parseOutlierProvidersQuery(query: unknown): OutlierProvidersQuery {
  const parsed = parseQuery(OutlierProvidersQuerySchema, query);
  return {
    by: parsed.by ?? OUTLIER_DEFAULTS.by,
    minClaims: parsed.minClaims ?? OUTLIER_DEFAULTS.minClaims,
    threshold: parsed.threshold ?? OUTLIER_DEFAULTS.threshold,
    limit: parsed.limit ?? OUTLIER_DEFAULTS.limit,
  };
}
