import { UNKNOWN_ROOT_CAUSE, type CarcRootCauses } from './carc-root-cause';
import { NO_DENIAL_CARC, type DenialDimension, type DenialRootCauseDimension } from './denial-cost-contribution';
import type { DimensionCounterCellRow } from './denial-cost-sql';
import type { DenialSource } from './denial-cost-facts';
import { roundedRatio } from './rounded-ratio';

/**
 * A ratio rounded to 4 decimals (half away from zero, exactly as the documented
 * SQL's round(…::numeric, 4)); null when the denominator is zero.
 */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : roundedRatio(numerator, denominator, 4);
}

const count = (row: DimensionCounterCellRow, measure: keyof Omit<DimensionCounterCellRow, 'dimension_value'>): number =>
  Number(row[measure]);

/** What one unit of each source rule is, and which amount its dollar rate is over. */
export const DENIAL_SOURCE_RULES: Record<
  DenialSource,
  { unit: 'line' | 'claim'; counts: string; amountBasis: string }
> = {
  carrier_lines: {
    unit: 'line',
    counts:
      'DE-SynPUF/RIF carrier lines: adjudicated = LINE_PRCSG_IND_CD allowed (A) or not allowed (B, C, D, I, L, M, N, ' +
      'O, P, Z); denied = not allowed. MSP/COB cost-avoided, reprocessed (R) and unknown lines are in neither.',
    amountBasis:
      "the line's submitted charge (RIF LINE_SBMTD_CHRG_AMT); DE-SynPUF carrier lines have none, so their allowed " +
      'charge (LINE_ALOWD_CHRG_AMT)',
  },
  billing_export: {
    unit: 'claim',
    counts:
      'billing-export claims: adjudicated = claim_status paid, partially paid or denied; denied = denied. ' +
      'Pending and rejected claims are in neither.',
    amountBasis: "the claim's billed amount (the sum of its rows' Claim_amnt)",
  },
  remittance: {
    unit: 'claim',
    counts:
      '835 claim payments (CLP): adjudicated = CLP02 1, 2, 3, 19, 20, 21 or 4; denied = CLP02 4, or CLP04 zero ' +
      'with a denial CARC (contractual CO-45, PR-1/2/3 and other adjustments never deny). Reversals (22), ' +
      'predeterminations (25) and not-our-claim (23) are in neither.',
    amountBasis: "the claim's billed charge (CLP03)",
  },
  remittance_lines: {
    unit: 'line',
    counts:
      'SVC lines of the adjudicated 835 claim payments: denied = SVC03 zero with a denial CARC on the line ' +
      '(contractual CO-45, PR-1/2/3 and other adjustments never deny).',
    amountBasis: "the line's charge (SVC02)",
  },
};

export interface DenialRateRow {
  value: string;
  /** Units (lines or claims, as `unit` says) the payer decided: the denominator. */
  adjudicated: number;
  denied: number;
  /** denied / adjudicated, to 4 decimals (HFMA initial denial rate by volume). */
  denialRateByCount: number | null;
  adjudicatedAmountCents: number;
  deniedAmountCents: number;
  /** deniedAmountCents / adjudicatedAmountCents, to 4 decimals (HFMA initial denial rate by dollars). */
  denialRateByAmount: number | null;
}

export interface DenialRates {
  source: DenialSource;
  groupBy: DenialDimension;
  /** What `adjudicated` and `denied` count: carrier lines, or claims. */
  unit: 'line' | 'claim';
  counts: string;
  amountBasis: string;
  /** All values together. */
  total: Omit<DenialRateRow, 'value'>;
  rows: DenialRateRow[];
}

function denialRow(adjudicated: number, denied: number, adjudicatedCents: number, deniedCents: number) {
  return {
    adjudicated,
    denied,
    denialRateByCount: ratio(denied, adjudicated),
    adjudicatedAmountCents: adjudicatedCents,
    deniedAmountCents: deniedCents,
    denialRateByAmount: ratio(deniedCents, adjudicatedCents),
  };
}

/** Initial denial rates by count and by dollars from the cells of `denials:<source>` by one dimension. */
export function denialRates(
  source: DenialSource,
  groupBy: DenialDimension,
  cells: readonly DimensionCounterCellRow[],
): DenialRates {
  const rows = cells.map((cell) => ({
    value: cell.dimension_value,
    ...denialRow(
      count(cell, 'adjudicated_count'),
      count(cell, 'denied_count'),
      count(cell, 'adjudicated_amount_cents'),
      count(cell, 'denied_amount_cents'),
    ),
  }));
  const sum = (pick: (row: DenialRateRow) => number): number => rows.reduce((total, row) => total + pick(row), 0);
  return {
    source,
    groupBy,
    ...DENIAL_SOURCE_RULES[source],
    total: denialRow(
      sum((row) => row.adjudicated),
      sum((row) => row.denied),
      sum((row) => row.adjudicatedAmountCents),
      sum((row) => row.deniedAmountCents),
    ),
    rows,
  };
}

export interface PaymentRow {
  value: string;
  /** Claims (latest version of each) with this value. */
  claims: number;
  /** Billed: the claim's stated total charge, else the sum of its lines' charges. */
  billedAmountCents: number;
  /** Allowed: the claim's allowed total (the sum of its lines' allowed amounts). */
  allowedAmountCents: number;
  /** Paid by the payer: the claim's payment total. */
  paidAmountCents: number;
  /** Owed by the member: the lines' deductible plus coinsurance, and an 835's claim-level PR-1 and PR-2. */
  patientResponsibilityAmountCents: number;
}

export function paymentRows(cells: readonly DimensionCounterCellRow[]): PaymentRow[] {
  return cells.map((cell) => ({
    value: cell.dimension_value,
    claims: count(cell, 'claims'),
    billedAmountCents: count(cell, 'billed_amount_cents'),
    allowedAmountCents: count(cell, 'allowed_amount_cents'),
    paidAmountCents: count(cell, 'paid_amount_cents'),
    patientResponsibilityAmountCents: count(cell, 'patient_responsibility_amount_cents'),
  }));
}

export interface VolumeRow {
  value: string;
  /** Claims (latest version of each) with this value. */
  claims: number;
  /** Lines of those claims. */
  lines: number;
  /** Paid by the payer on those claims. */
  paidAmountCents: number;
}

export function volumeRows(cells: readonly DimensionCounterCellRow[]): VolumeRow[] {
  return cells.map((cell) => ({
    value: cell.dimension_value,
    claims: count(cell, 'claims'),
    lines: count(cell, 'lines'),
    paidAmountCents: count(cell, 'paid_amount_cents'),
  }));
}

/**
 * The 835 CAS adjustments (family `adjustments`) by group code (CO, PR, OA,
 * PI, CR) or by group code and CARC (`CO-45`): every adjustment of an
 * adjudicated claim payment, denial or not (docs/kpis/denials-and-payment.md).
 */
export const ADJUSTMENT_DIMENSIONS = ['group_code', 'carc'] as const;
export type AdjustmentDimension = (typeof ADJUSTMENT_DIMENSIONS)[number];

export interface AdjustmentRow {
  /** The group code, or group code and CARC (`CO-45`). */
  value: string;
  /** CAS adjustments (reason code and amount triplets) with this value. */
  adjustments: number;
  /** Their amounts: positive reduces the payment, negative adds to it. */
  adjustmentAmountCents: number;
}

export function adjustmentRows(cells: readonly DimensionCounterCellRow[]): AdjustmentRow[] {
  return cells.map((cell) => ({
    value: cell.dimension_value,
    adjustments: count(cell, 'adjustments'),
    adjustmentAmountCents: count(cell, 'adjustment_amount_cents'),
  }));
}

export const TOP_KINDS = ['hcpcs', 'diagnosis', 'ndc'] as const;
export type TopKind = (typeof TOP_KINDS)[number];

/**
 * Where each top list is kept and what its count is: lines for a HCPCS code,
 * claims for a first diagnosis, fills (pharmacy claims) for an NDC.
 */
export const TOP_KIND_CELLS: Record<
  TopKind,
  { family: string; dimension: string; countMeasure: 'lines' | 'claims'; counts: string }
> = {
  hcpcs: { family: 'lines', dimension: 'hcpcs', countMeasure: 'lines', counts: 'lines with this HCPCS code' },
  diagnosis: {
    family: 'claims',
    dimension: 'diagnosis',
    countMeasure: 'claims',
    counts: 'claims whose first diagnosis is this code',
  },
  ndc: {
    family: 'drug_fills',
    dimension: 'ndc',
    countMeasure: 'claims',
    counts: 'Part D fills (prescription drug events) of this NDC',
  },
};

export interface TopRow {
  value: string;
  /** What `count` counts is the response's `counts`. */
  count: number;
  /** Paid by the payer: the lines' payment for HCPCS, the claims' payment total otherwise. */
  paidAmountCents: number;
  /**
   * Billed: the lines' charges for HCPCS, the claims' billed totals for a
   * diagnosis, the fills' total drug cost (TOT_RX_CST_AMT) for an NDC.
   */
  billedAmountCents: number;
  /** Fills' days supply; NDC only. */
  daysSupply?: number;
}

export function topRows(kind: TopKind, cells: readonly DimensionCounterCellRow[]): TopRow[] {
  const { countMeasure } = TOP_KIND_CELLS[kind];
  return cells.map((cell) => ({
    value: cell.dimension_value,
    count: count(cell, countMeasure),
    paidAmountCents: count(cell, 'paid_amount_cents'),
    billedAmountCents: count(cell, 'billed_amount_cents'),
    ...(kind === 'ndc' ? { daysSupply: count(cell, 'days_supply') } : {}),
  }));
}

export const ROOT_CAUSE_GROUPS = ['scenario', 'category', 'carc'] as const;
export type RootCauseGroup = (typeof ROOT_CAUSE_GROUPS)[number];
export const ROOT_CAUSE_GROUP_DIMENSIONS: Record<RootCauseGroup, DenialRootCauseDimension> = {
  scenario: 'root_cause_scenario',
  category: 'root_cause_category',
  carc: 'carc',
};

export interface DenialRootCauseRow {
  value: string;
  /** Denied units (claims or lines) carrying a denial CARC of this value; a unit with two causes counts under both. */
  denied: number;
  /** The denial CAS triplets of this value on those units. */
  adjustments: number;
  /** Their amounts: the cents the payer withheld for this cause. */
  deniedAmountCents: number;
}

export interface DenialRootCauses {
  source: 'remittance' | 'remittance_lines';
  groupBy: RootCauseGroup;
  unit: 'line' | 'claim';
  counts: string;
  rows: DenialRootCauseRow[];
  /**
   * CARCs found on denied units that rules/carc-root-causes.csv does not
   * list: counted under `other`, named here so the file can be extended.
   */
  unknownCarcs: Array<{ carc: string; denied: number; deniedAmountCents: number }>;
}

/**
 * Denials by root cause from the cells of `denials:<source>` by one
 * root-cause dimension; `carcCells` (the same family by CARC) gives the
 * unknown CARCs whatever the grouping.
 */
export function denialRootCauses(
  source: 'remittance' | 'remittance_lines',
  groupBy: RootCauseGroup,
  cells: readonly DimensionCounterCellRow[],
  carcCells: readonly DimensionCounterCellRow[],
  rootCauses: CarcRootCauses,
): DenialRootCauses {
  const rowOf = (cell: DimensionCounterCellRow): DenialRootCauseRow => ({
    value: cell.dimension_value,
    denied: count(cell, 'denied_count'),
    adjustments: count(cell, 'adjustments'),
    deniedAmountCents: count(cell, 'adjustment_amount_cents'),
  });
  return {
    source,
    groupBy,
    unit: DENIAL_SOURCE_RULES[source].unit,
    counts:
      `denied ${DENIAL_SOURCE_RULES[source].unit}s by the ${groupBy} of their denial CARCs (CAS); a unit denied for ` +
      `two causes counts under both; ${NO_DENIAL_CARC} = denied with no denial CARC; ${UNKNOWN_ROOT_CAUSE} = a CARC ` +
      'rules/carc-root-causes.csv does not list (see unknownCarcs)',
    rows: cells.map(rowOf),
    unknownCarcs: carcCells
      .filter((cell) => cell.dimension_value !== NO_DENIAL_CARC && !rootCauses.has(cell.dimension_value))
      .map(rowOf)
      .map((row) => ({ carc: row.value, denied: row.denied, deniedAmountCents: row.deniedAmountCents })),
  };
}
