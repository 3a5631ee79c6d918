import { ADJUSTMENT_DIMENSIONS, DENIAL_DIMENSIONS, DENIAL_SOURCES, ROOT_CAUSE_GROUPS, TOP_KINDS } from '@claims/kpi';
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
import { parseQuery, wholeNumber } from '../http/query-fields';
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

const DenialsQuerySchema = z
  .object({ groupBy: z.enum(DENIAL_DIMENSIONS).optional(), source: z.enum(DENIAL_SOURCES), ...CLAIM_FILTERS })
  .strict();
/** Root causes come from CARCs, which only the 835 sources carry. */
export const ROOT_CAUSE_SOURCES = ['remittance', 'remittance_lines'] as const;
const DenialRootCausesQuerySchema = z
  .object({
    groupBy: z.enum(ROOT_CAUSE_GROUPS).optional(),
    source: z.enum(ROOT_CAUSE_SOURCES).optional(),
    ...CLAIM_FILTERS,
  })
  .strict();
const PaymentsQuerySchema = z.object({ groupBy: z.enum(PAYMENT_DIMENSIONS).optional(), ...CLAIM_FILTERS }).strict();
const VolumeQuerySchema = z.object({ groupBy: z.enum(VOLUME_DIMENSIONS).optional(), ...CLAIM_FILTERS }).strict();
const AdjustmentsQuerySchema = z
  .object({ groupBy: z.enum(ADJUSTMENT_DIMENSIONS).optional(), ...CLAIM_FILTERS })
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
}

/** `source` is required: the source rules count different units (lines, claims) and are never added together. */
export function parseDenialsQuery(query: unknown): DenialsQuery {
  const { groupBy, source, ...filter } = parseQuery(DenialsQuerySchema, query);
  return { source, groupBy: groupBy ?? 'payer', filter: claimFilterOf(filter) };
}

export interface DenialRootCausesQuery {
  source: (typeof ROOT_CAUSE_SOURCES)[number];
  groupBy: RootCauseGroup;
  filter: ClaimFilter;
}

/** Defaults: claims (`remittance`) by operational `category`. */
export function parseDenialRootCausesQuery(query: unknown): DenialRootCausesQuery {
  const { groupBy, source, ...filter } = parseQuery(DenialRootCausesQuerySchema, query);
  return { source: source ?? 'remittance', groupBy: groupBy ?? 'category', filter: claimFilterOf(filter) };
}

export interface PaymentsQuery {
  groupBy: (typeof PAYMENT_DIMENSIONS)[number];
  filter: ClaimFilter;
}

export function parsePaymentsQuery(query: unknown): PaymentsQuery {
  const { groupBy, ...filter } = parseQuery(PaymentsQuerySchema, query);
  return { groupBy: groupBy ?? 'payer', filter: claimFilterOf(filter) };
}

export interface VolumeQuery {
  groupBy: (typeof VOLUME_DIMENSIONS)[number] & ClaimDimension;
  filter: ClaimFilter;
}

export function parseVolumeQuery(query: unknown): VolumeQuery {
  const { groupBy, ...filter } = parseQuery(VolumeQuerySchema, query);
  return { groupBy: groupBy ?? 'claim_type', filter: claimFilterOf(filter) };
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
}

/** Default: by group code. */
export function parseAdjustmentsQuery(query: unknown): AdjustmentsQuery {
  const { groupBy, ...filter } = parseQuery(AdjustmentsQuerySchema, query);
  return { groupBy: groupBy ?? 'group_code', filter: claimFilterOf(filter) };
}
