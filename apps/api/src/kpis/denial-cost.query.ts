import {
  ADJUSTMENT_DIMENSIONS,
  DENIAL_DIMENSIONS,
  DENIAL_SOURCES,
  ROOT_CAUSE_GROUPS,
  TOP_KINDS,
  UNDATED_DIMENSIONS,
} from '@claims/kpi';
import type {
  AdjustmentDimension,
  ClaimDimension,
  ClaimFilter,
  DenialDimension,
  DenialSource,
  RootCauseGroup,
  TopKind,
} from '@claims/kpi';
import { z } from 'zod';
import { CalendarDate, invalidRequest, parseQuery, wholeNumber } from '../http/query-fields';
import { CLAIM_FILTERS, claimFilterOf } from './filter-fields';

/** The dimensions the payment figures are broken down by. */
export const PAYMENT_DIMENSIONS = ['payer', 'claim_type', 'month', 'provider_group'] as const;
/** The dimensions the volume figures are broken down by. */
export const VOLUME_DIMENSIONS = ['claim_type', 'month', 'state', 'provider_group'] as const;
/**
 * `paid`: paid by the payer; `count`: lines, claims or fills (see the
 * response's `counts`); `cost`: billed (for an NDC, the fills' total drug
 * cost, since DE-SynPUF Part D events carry no plan-paid amount).
 */
export const TOP_ORDERS = ['paid', 'count', 'cost'] as const;

/**
 * `asOf`: the counters as they stood at the end of that event day (the
 * day-keyed counters, docs/kpis/as-of.md). A claim filter is computed from
 * the claims' current state, so the two are not taken together. The top
 * lists take no `asOf`: their codes are not kept by day (UNDATED_DIMENSIONS).
 */
const AS_OF = { asOf: CalendarDate.optional() };

/**
 * The `asOf` given, or null. Beside a claim filter it is a 400 naming both;
 * grouped by a dimension the day-keyed counters leave out (the provider
 * group), a 400 naming `asOf` and `groupBy`.
 */
function asOfOf(asOf: string | undefined, filter: ClaimFilter, groupBy: string): string | null {
  if (asOf === undefined) return null;
  const filtered = Object.keys(filter);
  if (filtered.length > 0) throw invalidRequest(['asOf', ...filtered]);
  if (UNDATED_DIMENSIONS.has(groupBy)) throw invalidRequest(['asOf', 'groupBy']);
  return asOf;
}

const DenialsQuerySchema = z
  .object({ groupBy: z.enum(DENIAL_DIMENSIONS).optional(), source: z.enum(DENIAL_SOURCES), ...CLAIM_FILTERS, ...AS_OF })
  .strict();
/** Root causes come from CARCs, which only the 835 sources carry. */
export const ROOT_CAUSE_SOURCES = ['remittance', 'remittance_lines'] as const;
const DenialRootCausesQuerySchema = z
  .object({
    groupBy: z.enum(ROOT_CAUSE_GROUPS).optional(),
    source: z.enum(ROOT_CAUSE_SOURCES).optional(),
    ...CLAIM_FILTERS,
    ...AS_OF,
  })
  .strict();
const PaymentsQuerySchema = z
  .object({ groupBy: z.enum(PAYMENT_DIMENSIONS).optional(), ...CLAIM_FILTERS, ...AS_OF })
  .strict();
const VolumeQuerySchema = z
  .object({ groupBy: z.enum(VOLUME_DIMENSIONS).optional(), ...CLAIM_FILTERS, ...AS_OF })
  .strict();
const AdjustmentsQuerySchema = z
  .object({ groupBy: z.enum(ADJUSTMENT_DIMENSIONS).optional(), ...CLAIM_FILTERS, ...AS_OF })
  .strict();
const TopQuerySchema = z
  .object({
    kind: z.enum(TOP_KINDS),
    by: z.enum(TOP_ORDERS).optional(),
    limit: wholeNumber(1, 500).optional(),
    ...CLAIM_FILTERS,
  })
  .strict();

export interface DenialsQuery {
  source: DenialSource;
  groupBy: DenialDimension;
  filter: ClaimFilter;
  /** The end of this event day, or null: now. */
  asOf: string | null;
}

/** `source` is required: the source rules count different units (lines, claims) and are never added together. */
export function parseDenialsQuery(query: unknown): DenialsQuery {
  const { groupBy, source, asOf, ...fields } = parseQuery(DenialsQuerySchema, query);
  const filter = claimFilterOf(fields);
  const dimension = groupBy ?? 'payer';
  return { source, groupBy: dimension, filter, asOf: asOfOf(asOf, filter, dimension) };
}

export interface DenialRootCausesQuery {
  source: (typeof ROOT_CAUSE_SOURCES)[number];
  groupBy: RootCauseGroup;
  filter: ClaimFilter;
  /** The end of this event day, or null: now. */
  asOf: string | null;
}

/** Defaults: claims (`remittance`) by operational `category`. */
export function parseDenialRootCausesQuery(query: unknown): DenialRootCausesQuery {
  const { groupBy, source, asOf, ...fields } = parseQuery(DenialRootCausesQuerySchema, query);
  const filter = claimFilterOf(fields);
  const group = groupBy ?? 'category';
  return { source: source ?? 'remittance', groupBy: group, filter, asOf: asOfOf(asOf, filter, group) };
}

export interface PaymentsQuery {
  groupBy: (typeof PAYMENT_DIMENSIONS)[number];
  filter: ClaimFilter;
  /** The end of this event day, or null: now. */
  asOf: string | null;
}

export function parsePaymentsQuery(query: unknown): PaymentsQuery {
  const { groupBy, asOf, ...fields } = parseQuery(PaymentsQuerySchema, query);
  const filter = claimFilterOf(fields);
  const dimension = groupBy ?? 'payer';
  return { groupBy: dimension, filter, asOf: asOfOf(asOf, filter, dimension) };
}

export interface VolumeQuery {
  groupBy: (typeof VOLUME_DIMENSIONS)[number] & ClaimDimension;
  filter: ClaimFilter;
  /** The end of this event day, or null: now. */
  asOf: string | null;
}

export function parseVolumeQuery(query: unknown): VolumeQuery {
  const { groupBy, asOf, ...fields } = parseQuery(VolumeQuerySchema, query);
  const filter = claimFilterOf(fields);
  const dimension = groupBy ?? 'claim_type';
  return { groupBy: dimension, filter, asOf: asOfOf(asOf, filter, dimension) };
}

export interface TopQuery {
  kind: TopKind;
  by: (typeof TOP_ORDERS)[number];
  limit: number;
  filter: ClaimFilter;
}

export function parseTopQuery(query: unknown): TopQuery {
  const { kind, by, limit, ...filter } = parseQuery(TopQuerySchema, query);
  return { kind, by: by ?? 'paid', limit: limit ?? 10, filter: claimFilterOf(filter) };
}

export interface AdjustmentsQuery {
  groupBy: AdjustmentDimension;
  filter: ClaimFilter;
  /** The end of this event day, or null: now. */
  asOf: string | null;
}

/** Default: by group code. */
export function parseAdjustmentsQuery(query: unknown): AdjustmentsQuery {
  const { groupBy, asOf, ...fields } = parseQuery(AdjustmentsQuerySchema, query);
  const filter = claimFilterOf(fields);
  const dimension = groupBy ?? 'group_code';
  return { groupBy: dimension, filter, asOf: asOfOf(asOf, filter, dimension) };
}
