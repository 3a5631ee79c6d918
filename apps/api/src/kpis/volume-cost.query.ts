import {
  OUTLIER_MEASURES,
  PMPM_GROUPINGS,
  type ClaimFilter,
  type OutlierMeasure,
  type PmpmGrouping,
} from '@claims/kpi';
import { z } from 'zod';
import { parseQuery, wholeNumber } from '../http/query-fields';
import { CLAIM_FIELD_FILTERS, CLAIM_FILTERS, claimFilterOf } from './filter-fields';

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

/**
 * The member KPIs take the claim fields but no service-date range: the year
 * is their range, the one their member months are counted over.
 */
const PmpmQuerySchema = z
  .object({ year: Year.optional(), groupBy: z.enum(PMPM_GROUPINGS).optional(), ...CLAIM_FIELD_FILTERS })
  .strict();
const ChronicConditionsQuerySchema = z.object({ year: Year.optional(), ...CLAIM_FIELD_FILTERS }).strict();
const OutlierProvidersQuerySchema = z
  .object({
    by: z.enum(OUTLIER_MEASURES).optional(),
    minClaims: wholeNumber(1, 1_000_000).optional(),
    threshold: Threshold.optional(),
    limit: wholeNumber(1, 500).optional(),
    ...CLAIM_FILTERS,
  })
  .strict();

export interface PmpmQuery {
  /** The coverage year; null: the latest year a beneficiary summary states. */
  year: number | null;
  groupBy: PmpmGrouping;
  /** Narrows the claims counted; the member months stay the year's. */
  filter: ClaimFilter;
}

export function parsePmpmQuery(query: unknown): PmpmQuery {
  const { year, groupBy, ...filter } = parseQuery(PmpmQuerySchema, query);
  return { year: year ?? null, groupBy: groupBy ?? 'claim_type', filter: claimFilterOf(filter) };
}

export interface ChronicConditionsQuery {
  year: number | null;
  /** Narrows the claims whose paid cents count; the members stay the year's. */
  filter: ClaimFilter;
}

export function parseChronicConditionsQuery(query: unknown): ChronicConditionsQuery {
  const { year, ...filter } = parseQuery(ChronicConditionsQuerySchema, query);
  return { year: year ?? null, filter: claimFilterOf(filter) };
}

/** The defaults: a provider needs 10 claims to be scored; |z| of 2 or more is an outlier; 20 rows. */
export const OUTLIER_DEFAULTS = { by: 'cost', minClaims: 10, threshold: 2, limit: 20 } as const;

export interface OutlierProvidersQuery {
  by: OutlierMeasure;
  minClaims: number;
  threshold: number;
  limit: number;
  /** The claims whose lines are scored; a provider's peers are scored over the same claims. */
  filter: ClaimFilter;
}

export function parseOutlierProvidersQuery(query: unknown): OutlierProvidersQuery {
  const { by, minClaims, threshold, limit, ...filter } = parseQuery(OutlierProvidersQuerySchema, query);
  return {
    by: by ?? OUTLIER_DEFAULTS.by,
    minClaims: minClaims ?? OUTLIER_DEFAULTS.minClaims,
    threshold: threshold ?? OUTLIER_DEFAULTS.threshold,
    limit: limit ?? OUTLIER_DEFAULTS.limit,
    filter: claimFilterOf(filter),
  };
}
