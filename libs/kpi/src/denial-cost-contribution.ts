import { PATIENT_COST_SHARING_CARCS, type EnrichedClaimEvent } from '@claims/contracts';
import { claimContribution, type KpiContribution } from './claim-contribution';
import {
  ADJUDICATED_STATUSES,
  claimFactsOf,
  denialSourceOfLayout,
  isDenialAdjustment,
  type DenialSource,
  type KpiAdjustment,
  type KpiClaimFacts,
} from './denial-cost-facts';
import { InternedKeys } from './interned-keys';

/**
 * The denial-and-payment and volume-and-cost families are kept in
 * `kpi_dimension_counter`: one row per (family, dimension, dimension value,
 * Kafka partition) holding every measure of that cell, so a claim writes one
 * row per dimension value rather than one per measure. In memory a cell is a
 * vector of integer measures in this order, added and subtracted exactly.
 */
export const DIMENSION_COUNTER_MEASURES = [
  'claims',
  'lines',
  'adjudicated_count',
  'denied_count',
  'adjudicated_amount_cents',
  'denied_amount_cents',
  'billed_amount_cents',
  'allowed_amount_cents',
  'paid_amount_cents',
  'patient_responsibility_amount_cents',
  'days_supply',
  'adjustments',
  'adjustment_amount_cents',
] as const;
export type DimensionCounterMeasure = (typeof DIMENSION_COUNTER_MEASURES)[number];

/**
 * What a row of each family counts (see docs/kpis/denials-and-payment.md and
 * volume-and-cost.md):
 * - `denials:<source>`: units adjudicated and denied under that source rule,
 *   and their amounts; a unit is a line for `carrier_lines` and
 *   `remittance_lines`, a claim otherwise. For the 835 sources, the denied
 *   units also by root cause (DENIAL_ROOT_CAUSE_DIMENSIONS);
 * - `claims`: claims (latest version), their lines, billed, allowed, paid and
 *   patient-responsibility cents, by payer, claim type, month, provider group,
 *   state and first diagnosis;
 * - `lines`: lines by HCPCS code, with the lines' own charge, allowed, paid
 *   and patient-responsibility cents;
 * - `drug_fills`: Part D fills (pharmacy claims) by NDC, their paid and billed
 *   cents and days supply;
 * - `adjustments`: 835 CAS adjustments by group code and by group code + CARC.
 */
export const DIMENSION_COUNTER_FAMILY = {
  claims: 'claims',
  lines: 'lines',
  drugFills: 'drug_fills',
  adjustments: 'adjustments',
} as const;
export const denialFamily = (source: DenialSource): string => `denials:${source}`;

export const DENIAL_DIMENSIONS = ['payer', 'claim_type', 'month', 'provider_group'] as const;
export type DenialDimension = (typeof DENIAL_DIMENSIONS)[number];
/**
 * The denied 835 units by the root cause of their denial CARCs: CAQH CORE
 * scenario, operational category, CARC. A cell counts the denied units that
 * carry a denial CAS of that value (`denied_count`; a unit denied for two
 * causes counts under both), those CAS triplets (`adjustments`) and their
 * amounts (`adjustment_amount_cents`). A denied unit without any denial CAS
 * counts under `(none)`.
 */
export const DENIAL_ROOT_CAUSE_DIMENSIONS = ['root_cause_scenario', 'root_cause_category', 'carc'] as const;
export type DenialRootCauseDimension = (typeof DENIAL_ROOT_CAUSE_DIMENSIONS)[number];
/** The root-cause value of a denied unit that carries no denial CAS (a CLP02 4 without CAS, say). */
export const NO_DENIAL_CARC = '(none)';
export const CLAIM_DIMENSIONS = ['payer', 'claim_type', 'month', 'provider_group', 'state'] as const;
export type ClaimDimension = (typeof CLAIM_DIMENSIONS)[number];

const SEPARATOR = '\u001f';
const MEASURE_COUNT = DIMENSION_COUNTER_MEASURES.length;
const MEASURE_INDEX = Object.fromEntries(
  DIMENSION_COUNTER_MEASURES.map((measure, index) => [measure, index]),
) as Record<DimensionCounterMeasure, number>;

/** A cell's measures, in DIMENSION_COUNTER_MEASURES order. */
export type MeasureVector = readonly number[];
/**
 * A claim's cells as `family \u001f dimension \u001f value` and measures; a
 * key may come more than once (two lines of one HCPCS code), the entries add
 * up. A list rather than a map, and vectors shared between the dimensions of
 * one claim: the contribution is built for every event on the hot path.
 */
export type DimensionCellEntries = Array<readonly [string, MeasureVector]>;

/**
 * Everything one claim version adds to the KPI counters: the first family's
 * `kpi|dimension` counters, and the denial and cost families' cells. The
 * fold computes it once per event and keeps it for the claim's next version.
 */
export interface ClaimKpiContribution {
  counters: KpiContribution;
  cells: DimensionCellEntries;
}

/** The net change of a batch: counters, and cells summed by key. */
export interface ClaimKpiDelta {
  counters: KpiContribution;
  cells: Map<string, number[]>;
}

/**
 * At about 150 bytes a key, 15 MB at most. The carrier bench's 200,000
 * claims make 3,131 distinct keys; a real feed's codes and provider groups
 * make more (tens of thousands of diagnosis codes, NDCs and groups), and
 * past this many the table starts over rather than grow in the fold's heap.
 */
const CELL_KEY_CAPACITY = 100_000;
const cellKeys = new InternedKeys(
  (family, dimension, dimensionValue) => `${family}${SEPARATOR}${dimension}${SEPARATOR}${dimensionValue}`,
  CELL_KEY_CAPACITY,
);

export function dimensionCellKey(family: string, dimension: string, dimensionValue: string): string {
  return cellKeys.of(family, dimension, dimensionValue);
}

const ZERO_VECTOR: readonly number[] = DIMENSION_COUNTER_MEASURES.map(() => 0);

/** A vector with these measures set and every other at zero. */
function vectorOf(measures: Partial<Record<DimensionCounterMeasure, number>>): number[] {
  const vector = ZERO_VECTOR.slice();
  // Over the few measures given, not all thirteen: this runs for every cell of every event.
  for (const measure in measures) {
    const value = measures[measure as DimensionCounterMeasure];
    if (value !== undefined) vector[MEASURE_INDEX[measure as DimensionCounterMeasure]] = value;
  }
  return vector;
}

/** The claim's billed total: as the source states it, else the sum of its lines' charges (a line without one adds 0). */
export function billedAmountCentsOf(facts: Pick<KpiClaimFacts, 'billedAmountCents' | 'lines'>): number {
  return facts.billedAmountCents ?? facts.lines.reduce((sum, line) => sum + (line.chargeAmountCents ?? 0), 0);
}

/**
 * The CARCs of patient responsibility the KPIs count (PATIENT_COST_SHARING_CARCS, group PR): a claim-level
 * CAS (an inpatient claim paid without SVC lines, its Part A deductible) has no line to carry them.
 */
export const PATIENT_RESPONSIBILITY_CARCS: readonly string[] = Object.values(PATIENT_COST_SHARING_CARCS);

/**
 * What the member owes: the lines' deductible plus coinsurance, and an 835's claim-level PR-1 and PR-2
 * (CAS at claim level, lineNumber null: 005010X221A1 puts an adjustment at the claim or a line, never both).
 */
export function patientResponsibilityCentsOf(facts: Pick<KpiClaimFacts, 'lines' | 'adjustments'>): number {
  const lines = facts.lines.reduce((sum, line) => sum + line.deductibleAmountCents + line.coinsuranceAmountCents, 0);
  return facts.adjustments.reduce(
    (sum, adjustment) =>
      adjustment.lineNumber === null &&
      adjustment.groupCode === 'PR' &&
      PATIENT_RESPONSIBILITY_CARCS.includes(adjustment.carc)
        ? sum + adjustment.amountCents
        : sum,
    lines,
  );
}

export interface DenialUnits {
  adjudicated_count: number;
  denied_count: number;
  adjudicated_amount_cents: number;
  denied_amount_cents: number;
}

/** Units adjudicated and denied under the claim's source rule; null when no rule applies to it. */
export function denialUnitsOf(facts: KpiClaimFacts): { source: DenialSource; measures: DenialUnits } | null {
  const source = denialSourceOfLayout(facts.layout);
  if (source === 'carrier_lines') {
    // LINE_PRCSG_IND_CD 'A' is allowed, the not-allowed codes are denied; MSP/COB, reprocessed
    // and unknown lines are neither, so they stay out of the denominator.
    const measures = { adjudicated_count: 0, denied_count: 0, adjudicated_amount_cents: 0, denied_amount_cents: 0 };
    for (const line of facts.lines) {
      if (line.processingCategory !== 'allowed' && line.processingCategory !== 'not_allowed') continue;
      // HFMA's dollar rate is over charges: the line's submitted charge (RIF LINE_SBMTD_CHRG_AMT); DE-SynPUF
      // carrier lines carry none, so their allowed charge (LINE_ALOWD_CHRG_AMT) stands in.
      const amount = line.chargeAmountCents ?? line.allowedAmountCents;
      measures.adjudicated_count += 1;
      measures.adjudicated_amount_cents += amount;
      if (line.processingCategory === 'not_allowed') {
        measures.denied_count += 1;
        measures.denied_amount_cents += amount;
      }
    }
    return measures.adjudicated_count === 0 ? null : { source, measures };
  }
  if (source === null || source === 'remittance_lines' || facts.adjudicationStatus === null) return null;
  if (!ADJUDICATED_STATUSES.includes(facts.adjudicationStatus)) return null;
  const billed = billedAmountCentsOf(facts);
  const denied = source === 'remittance' ? remittanceClaimDenied(facts) : facts.adjudicationStatus === 'denied';
  return {
    source,
    measures: {
      adjudicated_count: 1,
      adjudicated_amount_cents: billed,
      denied_count: denied ? 1 : 0,
      denied_amount_cents: denied ? billed : 0,
    },
  };
}

/**
 * An 835 claim payment is denied when the payer paid nothing: CLP02 4, or
 * CLP04 zero with a denial CARC on the claim or any of its lines. A zero
 * payment explained only by adjustments (CO-45, PR-1/2/3, OA-23, ...) is not
 * a denial (X12 005010X221A1 CLP02 and CAS; CAQH CORE 360).
 */
function remittanceClaimDenied(facts: KpiClaimFacts): boolean {
  if (facts.adjudicationStatus === 'denied') return true;
  return facts.paymentAmountCents === 0 && facts.adjustments.some(isDenialAdjustment);
}

/** An 835 unit the payer decided: a claim (lineNumber null) or one of its SVC lines. */
export interface RemittanceDenialUnit {
  source: 'remittance' | 'remittance_lines';
  lineNumber: number | null;
  denied: boolean;
  amountCents: number;
  /** The unit's denial CAS: all of the claim's for a claim, the line's own for a line. */
  denialAdjustments: KpiAdjustment[];
}

/**
 * The 835 units of an adjudicated claim payment: the claim, then each SVC
 * line (numbered by position, as the X12 mapper numbers them). A line is
 * denied when SVC03 is zero and a denial CARC stands on the line; its amount
 * is its charge (SVC02). A reversal (CLP02 22, no status) or a pended or
 * not-our-claim payment has none: the reversal undoes the adjudication it
 * reverses, and the correction that follows it adds its own.
 */
export function remittanceDenialUnitsOf(facts: KpiClaimFacts): RemittanceDenialUnit[] {
  if (denialSourceOfLayout(facts.layout) !== 'remittance') return [];
  if (facts.adjudicationStatus === null || !ADJUDICATED_STATUSES.includes(facts.adjudicationStatus)) return [];
  const denialAdjustments = facts.adjustments.filter(isDenialAdjustment);
  const units: RemittanceDenialUnit[] = [
    {
      source: 'remittance',
      lineNumber: null,
      denied: remittanceClaimDenied(facts),
      amountCents: billedAmountCentsOf(facts),
      denialAdjustments,
    },
  ];
  facts.lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const lineDenials = denialAdjustments.filter((adjustment) => adjustment.lineNumber === lineNumber);
    units.push({
      source: 'remittance_lines',
      lineNumber,
      denied: line.paymentAmountCents === 0 && lineDenials.length > 0,
      amountCents: line.chargeAmountCents ?? 0,
      denialAdjustments: lineDenials,
    });
  });
  return units;
}

/** The root-cause value of an adjustment in each root-cause dimension. */
const rootCauseValue: Record<DenialRootCauseDimension, (adjustment: KpiAdjustment) => string> = {
  root_cause_scenario: (adjustment) => adjustment.scenario,
  root_cause_category: (adjustment) => adjustment.category,
  carc: (adjustment) => adjustment.carc,
};

/** The cells of one denied 835 unit by root cause: one per distinct value of each dimension. */
function rootCauseCells(family: string, unit: RemittanceDenialUnit, cells: DimensionCellEntries): void {
  for (const dimension of DENIAL_ROOT_CAUSE_DIMENSIONS) {
    if (unit.denialAdjustments.length === 0) {
      cells.push([dimensionCellKey(family, dimension, NO_DENIAL_CARC), vectorOf({ denied_count: 1 })]);
      continue;
    }
    const byValue = new Map<string, { adjustments: number; cents: number }>();
    for (const adjustment of unit.denialAdjustments) {
      const value = rootCauseValue[dimension](adjustment);
      const sum = byValue.get(value) ?? { adjustments: 0, cents: 0 };
      sum.adjustments += 1;
      sum.cents += adjustment.amountCents;
      byValue.set(value, sum);
    }
    for (const [value, sum] of byValue) {
      cells.push([
        dimensionCellKey(family, dimension, value),
        vectorOf({ denied_count: 1, adjustments: sum.adjustments, adjustment_amount_cents: sum.cents }),
      ]);
    }
  }
}

/**
 * The cells one claim adds to the denial-and-payment and volume-and-cost
 * counters. A claim stored before these families existed (no layout) adds
 * none, as the batch SQL leaves it out.
 */
export function denialCostCells(facts: KpiClaimFacts): DimensionCellEntries {
  const cells: DimensionCellEntries = [];
  if (facts.layout === null) return cells;
  const dimensionValues: Record<ClaimDimension, string> = {
    payer: facts.payer,
    claim_type: facts.claimType,
    // Event time: the month of the claim's service through date.
    month: facts.serviceThroughDate.slice(0, 7),
    provider_group: facts.providerGroup,
    state: facts.state,
  };
  const billed = billedAmountCentsOf(facts);
  const claimVector = vectorOf({
    claims: 1,
    lines: facts.lines.length,
    billed_amount_cents: billed,
    allowed_amount_cents: facts.allowedAmountCents,
    paid_amount_cents: facts.paymentAmountCents,
    patient_responsibility_amount_cents: patientResponsibilityCentsOf(facts),
  });
  for (const dimension of CLAIM_DIMENSIONS) {
    cells.push([dimensionCellKey(DIMENSION_COUNTER_FAMILY.claims, dimension, dimensionValues[dimension]), claimVector]);
  }
  if (facts.firstDiagnosisCode !== null) {
    cells.push([dimensionCellKey(DIMENSION_COUNTER_FAMILY.claims, 'diagnosis', facts.firstDiagnosisCode), claimVector]);
  }

  const denial = denialUnitsOf(facts);
  if (denial) {
    const denialVector = vectorOf(denial.measures);
    const family = denialFamily(denial.source);
    for (const dimension of DENIAL_DIMENSIONS) {
      cells.push([dimensionCellKey(family, dimension, dimensionValues[dimension]), denialVector]);
    }
  }

  const remittanceUnits = remittanceDenialUnitsOf(facts);
  const lineUnits = remittanceUnits.filter((unit) => unit.source === 'remittance_lines');
  if (lineUnits.length > 0) {
    const lineVector = vectorOf({
      adjudicated_count: lineUnits.length,
      denied_count: lineUnits.filter((unit) => unit.denied).length,
      adjudicated_amount_cents: lineUnits.reduce((sum, unit) => sum + unit.amountCents, 0),
      denied_amount_cents: lineUnits.reduce((sum, unit) => sum + (unit.denied ? unit.amountCents : 0), 0),
    });
    const family = denialFamily('remittance_lines');
    for (const dimension of DENIAL_DIMENSIONS) {
      cells.push([dimensionCellKey(family, dimension, dimensionValues[dimension]), lineVector]);
    }
  }
  for (const unit of remittanceUnits) {
    if (unit.denied) rootCauseCells(denialFamily(unit.source), unit, cells);
  }

  for (const line of facts.lines) {
    if (line.hcpcsCode === null) continue;
    cells.push([
      dimensionCellKey(DIMENSION_COUNTER_FAMILY.lines, 'hcpcs', line.hcpcsCode),
      vectorOf({
        lines: 1,
        billed_amount_cents: line.chargeAmountCents ?? 0,
        allowed_amount_cents: line.allowedAmountCents,
        paid_amount_cents: line.paymentAmountCents,
        patient_responsibility_amount_cents: line.deductibleAmountCents + line.coinsuranceAmountCents,
      }),
    ]);
  }

  if (facts.claimType === 'pharmacy' && facts.drugNdcCode !== null) {
    cells.push([
      dimensionCellKey(DIMENSION_COUNTER_FAMILY.drugFills, 'ndc', facts.drugNdcCode),
      vectorOf({
        claims: 1,
        billed_amount_cents: billed,
        paid_amount_cents: facts.paymentAmountCents,
        days_supply: facts.drugDaysSupply ?? 0,
      }),
    ]);
  }

  // A reversal (an 835 claim payment without a status) adjusts nothing of its own: its CAS negate the
  // payment it reverses, whose cells its arrival already subtracted.
  const reversal = denialSourceOfLayout(facts.layout) === 'remittance' && facts.adjudicationStatus === null;
  for (const adjustment of reversal ? [] : facts.adjustments) {
    const vector = vectorOf({ adjustments: 1, adjustment_amount_cents: adjustment.amountCents });
    cells.push([dimensionCellKey(DIMENSION_COUNTER_FAMILY.adjustments, 'group_code', adjustment.groupCode), vector]);
    cells.push([
      dimensionCellKey(DIMENSION_COUNTER_FAMILY.adjustments, 'carc', `${adjustment.groupCode}-${adjustment.carc}`),
      vector,
    ]);
  }
  return cells;
}

/** Everything one enriched event adds to the KPI counters, computed once. */
export function claimKpiContribution(event: EnrichedClaimEvent): ClaimKpiContribution {
  return { counters: claimContribution(event), cells: denialCostCells(claimFactsOf(event)) };
}

/**
 * The dimensions the day-keyed counters leave out: the top lists' codes
 * (HCPCS, first diagnosis, NDC) and the provider group. Each holds thousands
 * of values, so dated by day nearly every claim and line opens a row of its
 * own: on the carrier bench they doubled the fold's cost (measured in
 * docs/kpis/as-of.md). Every other dimension (payer, claim type, month,
 * state, root causes, adjustment codes) is kept by day.
 */
export const UNDATED_DIMENSIONS: ReadonlySet<string> = new Set(['hcpcs', 'diagnosis', 'ndc', 'provider_group']);

/** UNDATED_DIMENSIONS as the text that opens a cell key's dimension part. */
const UNDATED_DIMENSION_PREFIXES = [...UNDATED_DIMENSIONS].map((dimension) => `${dimension}${SEPARATOR}`);

/**
 * Whether a cell key (`family \u001f dimension \u001f value`) is kept by day
 * too. Compared in place, without cutting the dimension out: it runs for
 * every cell of every event, twice.
 */
function isDatedCellKey(key: string): boolean {
  const dimensionStart = key.indexOf(SEPARATOR) + 1;
  for (const prefix of UNDATED_DIMENSION_PREFIXES) if (key.startsWith(prefix, dimensionStart)) return false;
  return true;
}

/** `target += sign × source` for the day-keyed counters: the first family and every dated cell. */
export function accumulateDatedContribution(
  target: ClaimKpiDelta,
  source: ClaimKpiContribution,
  sign: 1 | -1 = 1,
): void {
  accumulateContribution(target, source, sign, isDatedCellKey);
}

/**
 * `target += sign × source`, in place: the delta grows with the batch, so it
 * is never copied. `keepCell`, when given, picks the cells added (no list is
 * built for it: this runs twice per event on the hot path).
 */
export function accumulateContribution(
  target: ClaimKpiDelta,
  source: ClaimKpiContribution,
  sign: 1 | -1 = 1,
  keepCell?: (key: string) => boolean,
): void {
  // for-in, not Object.entries: no pair arrays for the few keys of each of the batch's events.
  for (const key in source.counters) {
    const sum = (target.counters[key] ?? 0) + sign * (source.counters[key] ?? 0);
    if (sum === 0) delete target.counters[key];
    else target.counters[key] = sum;
  }
  for (const [key, vector] of source.cells) {
    if (keepCell && !keepCell(key)) continue;
    let cell = target.cells.get(key);
    if (!cell) {
      cell = ZERO_VECTOR.slice();
      target.cells.set(key, cell);
    }
    for (let index = 0; index < MEASURE_COUNT; index += 1) {
      cell[index] = (cell[index] ?? 0) + sign * (vector[index] ?? 0);
    }
  }
}

export interface ClaimKpiFoldResult {
  /** The latest version of every claim touched by the batch, to upsert as claim state. */
  claims: Map<string, { event: EnrichedClaimEvent; contribution: ClaimKpiContribution }>;
  /** The net change to every counter and cell. */
  delta: ClaimKpiDelta;
}

/**
 * One kpi_dimension_counter cell of a delta: every measure, in
 * DIMENSION_COUNTER_MEASURES order; with the event day it takes effect on
 * when it is bound for the day-keyed twin.
 */
export interface DimensionCounterDelta {
  family: string;
  dimension: string;
  dimensionValue: string;
  day?: string;
  measures: number[];
}

/**
 * The cells that move anything, summed by key and sorted by it so concurrent
 * folds lock rows in one order; each dated `day` when one is given.
 */
export function dimensionCounterDeltas(
  cells: Iterable<readonly [string, MeasureVector]>,
  day?: string,
): DimensionCounterDelta[] {
  const summed = new Map<string, number[]>();
  for (const [key, vector] of cells) {
    const cell = summed.get(key);
    if (cell)
      for (let index = 0; index < MEASURE_COUNT; index += 1) cell[index] = (cell[index] ?? 0) + (vector[index] ?? 0);
    else summed.set(key, vector.slice());
  }
  return [...summed.entries()]
    .filter(([, measures]) => measures.some((value) => value !== 0))
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([key, measures]) => {
      // Family and dimension are fixed words; the value is the rest, whatever it holds.
      const first = key.indexOf(SEPARATOR);
      const second = key.indexOf(SEPARATOR, first + 1);
      return {
        family: key.slice(0, first),
        dimension: key.slice(first + 1, second),
        dimensionValue: key.slice(second + 1),
        ...(day === undefined ? {} : { day }),
        measures,
      };
    });
}
