import {
  CLAIM_TYPES,
  PROVIDER_ROLES,
  type ClaimEvent,
  type ClaimType,
  type EnrichedProvider,
  type Enrichment,
  type LookupMiss,
  type PendDependency,
} from '@claims/contracts';
import { isValidNpiCheckDigit } from '@claims/source-layouts';
import { z } from 'zod';
import { claimNpiOf } from '../enrich';
import { memberDependencyKey, type ReferenceTables } from '../tables';
import { daysBetween, duplicateFingerprints, type PendContext } from './duplicate-fingerprints';

/** Everything a predicate may read: the claim, its enrichment, the tables and the caller's context. */
export interface PendRuleInput {
  readonly event: ClaimEvent;
  readonly enrichment: Enrichment;
  readonly tables: ReferenceTables;
  readonly context: PendContext;
}

/**
 * A compiled predicate: null when the rule does not fire; otherwise the
 * reference entries a fix to which could clear it (empty when only
 * adjudication can).
 */
export type PendTest = (input: PendRuleInput) => PendDependency[] | null;

export interface PendPredicate {
  /** Whether the predicate reads reference data: only those are re-evaluated when the directory changes. */
  readonly referenceBased: boolean;
  /** Checks a rule's params and builds its test: once, when the rule file is loaded. */
  build(params: unknown): { test: PendTest } | { issues: readonly z.core.$ZodIssue[] };
}

function definePredicate<Schema extends z.ZodType>(
  referenceBased: boolean,
  params: Schema,
  compile: (params: z.output<Schema>) => PendTest,
): PendPredicate {
  return {
    referenceBased,
    build(raw) {
      const parsed = params.safeParse(raw ?? {});
      return parsed.success ? { test: compile(parsed.data) } : { issues: parsed.error.issues };
    },
  };
}

type ProviderRole = EnrichedProvider['role'];

/** The roles whose absence from the directory stops payment; operating and facility NPIs are informative. */
const PAYABLE_ROLES: readonly ProviderRole[] = ['rendering', 'billing', 'attending'];

const RolesParams = z.strictObject({
  /** The provider roles the rule looks at. */
  roles: z
    .array(z.enum(PROVIDER_ROLES))
    .min(1)
    .default([...PAYABLE_ROLES]),
});

/** The distinct keys of the misses that match, as dependencies; null when none match. */
function dependenciesOfMisses(
  misses: readonly LookupMiss[] | undefined,
  kind: PendDependency['kind'],
  matches: (miss: LookupMiss) => boolean,
): PendDependency[] | null {
  let dependencies: PendDependency[] | null = null;
  for (const miss of misses ?? []) {
    if (miss.lookup !== kind || miss.key === null || !matches(miss)) continue;
    dependencies ??= [];
    if (!dependencies.some((dependency) => dependency.key === miss.key)) dependencies.push({ kind, key: miss.key });
  }
  return dependencies;
}

/** The member-year a member rule waits on: a new record for that year re-evaluates the claim. */
function memberDependency(event: ClaimEvent): PendDependency[] {
  const year = Number(event.claim.serviceFromDate.slice(0, 4));
  return [{ kind: 'member', key: memberDependencyKey(event.claim.patientToken, year) }];
}

/** Whether `visit` holds for an NPI the claim names (read as enrichment reads it), by role. */
function someClaimNpi(event: ClaimEvent, visit: (role: ProviderRole, npi: string) => boolean): boolean {
  const claim = event.claim;
  const visitWritten = (role: ProviderRole, written: string | null | undefined): boolean => {
    const npi = claimNpiOf(written);
    return npi !== null && visit(role, npi);
  };
  let previous: string | null = null;
  for (const line of claim.lines) {
    // Lines mostly repeat the NPI of the line before: each run is visited once.
    if (!line.renderingNpi || line.renderingNpi === previous) continue;
    previous = line.renderingNpi;
    if (visitWritten('rendering', line.renderingNpi)) return true;
  }
  return (
    visitWritten('rendering', claim.renderingProvider?.npi) ||
    visitWritten('billing', claim.billingNpi) ||
    visitWritten('attending', claim.attendingNpi) ||
    visitWritten('operating', claim.operatingNpi) ||
    visitWritten('facility', claim.facilityNpi)
  );
}

const ThresholdParams = z.strictObject({
  /** Review thresholds in whole or fractional dollars, by claim type; `default` for the types not listed. */
  thresholdDollars: z
    .strictObject({
      default: z.number().positive(),
      ...(Object.fromEntries(CLAIM_TYPES.map((type) => [type, z.number().positive().optional()])) as Record<
        ClaimType,
        z.ZodOptional<z.ZodNumber>
      >),
    })
    .transform((dollars) => {
      const byClaimType = new Map<ClaimType, number>();
      for (const type of CLAIM_TYPES) {
        const amount = dollars[type];
        if (typeof amount === 'number') byClaimType.set(type, Math.round(amount * 100));
      }
      return { defaultCents: Math.round(dollars.default * 100), byClaimType };
    }),
});

/**
 * What the claim asks to be paid: its billed total, else the sum of its line
 * charges, else what was allowed (DE-SynPUF carrier claims carry no charges).
 */
export function claimAmountCents(event: ClaimEvent): number {
  const claim = event.claim;
  if (claim.billedAmountCents != null) return claim.billedAmountCents;
  let charged = 0;
  let anyCharge = false;
  for (const line of claim.lines) {
    if (line.chargeAmountCents != null) {
      charged += line.chargeAmountCents;
      anyCharge = true;
    }
  }
  return anyCharge ? charged : claim.totals.allowedAmountCents;
}

/**
 * The predicates a rule file may name (`when:`), by name. Each is pure: the
 * same claim, enrichment, tables and context give the same answer.
 */
export const PEND_PREDICATES: Readonly<Record<string, PendPredicate>> = {
  /** A provider in a payable role is not in the directory as of the service date (or only from later on). */
  provider_not_found: definePredicate(true, RolesParams, ({ roles }) => {
    const wanted = new Set<ProviderRole>(roles);
    return ({ enrichment }) =>
      dependenciesOfMisses(
        enrichment.lookupMisses,
        'provider',
        (miss) => miss.role !== null && wanted.has(miss.role) && miss.reason !== 'incomplete',
      );
  }),

  /** A provider is in the directory but lacks a last name (a person), a name (an organization) or a complete practice address. */
  provider_incomplete: definePredicate(true, RolesParams, ({ roles }) => {
    const wanted = new Set<ProviderRole>(roles);
    return ({ enrichment }) =>
      dependenciesOfMisses(
        enrichment.lookupMisses,
        'provider',
        (miss) => miss.role !== null && wanted.has(miss.role) && miss.reason === 'incomplete',
      );
  }),

  /** The service location's effective date (or its first version) is after the service date. */
  service_before_location_effective: definePredicate(true, z.strictObject({}), () => {
    return ({ enrichment }) =>
      dependenciesOfMisses(enrichment.lookupMisses, 'service_location', (miss) => miss.reason === 'not_yet_effective');
  }),

  /** The member is known for the service year and the claim's benefit did not cover the service month. */
  member_not_covered: definePredicate(true, z.strictObject({}), () => {
    return ({ event, enrichment }) =>
      enrichment.member?.found === true && enrichment.member.coveredInServiceMonth === false
        ? memberDependency(event)
        : null;
  }),

  /** No member record for the service year. */
  member_not_found: definePredicate(true, z.strictObject({}), () => {
    return ({ event, enrichment }) => (enrichment.member?.found === false ? memberDependency(event) : null);
  }),

  /** An NPI on the claim fails the Luhn check digit (with the 80840 prefix): a typo no directory fix can mend. */
  npi_check_digit_failed: definePredicate(
    false,
    z.strictObject({
      roles: z
        .array(z.enum(PROVIDER_ROLES))
        .min(1)
        .default([...PROVIDER_ROLES]),
    }),
    ({ roles }) => {
      const wanted = new Set<ProviderRole>(roles);
      return ({ event }) =>
        someClaimNpi(event, (role, npi) => wanted.has(role) && !isValidNpiCheckDigit(npi)) ? [] : null;
    },
  ),

  /** A fingerprint of the claim is held by another claim whose event date is within the window. */
  suspected_duplicate: definePredicate(
    false,
    z.strictObject({ windowDays: z.number().int().min(0).max(3660).default(30) }),
    ({ windowDays }) => {
      return ({ event, context }) => {
        for (const fingerprint of duplicateFingerprints(event)) {
          const holder = context.duplicateOf(fingerprint);
          if (
            holder !== undefined &&
            holder.claimId !== event.claimId &&
            daysBetween(holder.occurredAt, event.occurredAt) <= windowDays
          ) {
            return [];
          }
        }
        return null;
      };
    },
  ),

  /** The claim's amount is above the review threshold for its type. */
  billed_amount_above_threshold: definePredicate(false, ThresholdParams, ({ thresholdDollars }) => {
    const { defaultCents, byClaimType } = thresholdDollars;
    return ({ event }) =>
      claimAmountCents(event) > (byClaimType.get(event.claim.claimType) ?? defaultCents) ? [] : null;
  }),
};

export const PEND_PREDICATE_NAMES = Object.keys(PEND_PREDICATES);
