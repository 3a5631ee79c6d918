/**
 * 835 provider-level adjustments (PLB, 005010X221A1): what a payer took back
 * from or added to a payment apart from its claims. The figures are exact SQL
 * over provider_adjustment at query time (docs/kpis/denials-and-payment.md,
 * "Provider-level adjustments"); amounts keep the guide's sign, positive
 * reducing the payment.
 */

export const PROVIDER_ADJUSTMENT_GROUPINGS = ['reason', 'payer', 'payee', 'month'] as const;
export type ProviderAdjustmentGrouping = (typeof PROVIDER_ADJUSTMENT_GROUPINGS)[number];

/**
 * Short labels of the PLB03-1 adjustment reason codes (the X12 code list
 * "Provider Adjustment Reason Code"), in our own words. A code not listed is
 * shown as it came.
 */
export const PROVIDER_ADJUSTMENT_REASON_LABELS: Readonly<Record<string, string>> = {
  '50': 'late charge',
  '51': 'interest penalty charge',
  '72': 'authorized return of an overpayment',
  '90': 'early payment allowance',
  AH: 'origination fee',
  AM: "applied to the borrower's account",
  AP: 'acceleration of benefits',
  B2: 'rebate',
  B3: 'recovery allowance',
  BD: 'bad debt adjustment',
  BN: 'bonus',
  C5: 'temporary allowance',
  CR: 'capitation interest',
  CS: 'adjustment (see the reference)',
  CT: 'capitation payment',
  CV: 'capital pass-through',
  CW: 'nurse anesthetist pass-through',
  DM: 'direct medical education pass-through',
  E3: 'withholding',
  FB: 'forward balance',
  FC: 'fund allocation',
  GO: 'graduate medical education pass-through',
  HM: 'hemophilia clotting factor supplement',
  IP: 'incentive premium payment',
  IR: 'IRS withholding',
  IS: 'interim settlement',
  J1: 'nonreimbursable',
  L3: 'penalty',
  L6: 'interest paid',
  LE: 'levy',
  LS: 'lump sum',
  OA: 'organ acquisition pass-through',
  OB: 'offset for affiliated providers',
  PI: 'periodic interim payment',
  PL: 'final payment',
  RA: 'retroactive adjustment',
  RE: 'return on equity',
  SL: 'student loan repayment',
  TL: 'third-party liability',
  WO: 'overpayment recovery',
  WU: 'unspecified recovery',
};

/** A reason code's label; an unknown code is its own label. */
export function providerAdjustmentReasonLabel(reasonCode: string): string {
  return PROVIDER_ADJUSTMENT_REASON_LABELS[reasonCode] ?? reasonCode;
}

/** The key each grouping folds by; fixed expressions, never caller text. */
const GROUP_KEY: Record<ProviderAdjustmentGrouping, string> = {
  reason: 'reason_code',
  // The payer's id (REF*2U) names it; a remittance without one is named by N1*PR.
  payer: `coalesce(payer_id, payer_name, 'UNKNOWN')`,
  // The payee as 1000B names it (NPI, else tax id), else PLB01.
  payee: 'coalesce(payee_npi, payee_tax_id, provider_id)',
  month: `to_char(occurred_on, 'YYYY-MM')`,
};

const GROUP_NAME: Record<ProviderAdjustmentGrouping, string> = {
  reason: 'NULL::text',
  payer: 'max(payer_name)',
  payee: 'NULL::text',
  month: 'NULL::text',
};

/**
 * Provider adjustments grouped one way, between two event dates ($1 from,
 * $2 to, inclusive; null is no bound). `withheld_cents` sums the positive
 * amounts (recoupments, withholdings), `added_cents` the negative ones
 * (interest, pass-throughs) as positive figures; `amount_cents` is their net,
 * signed as in the guide. The same query, ungrouped, is the batch truth the
 * route's totals are checked against.
 */
export function providerAdjustmentSql(groupBy: ProviderAdjustmentGrouping): string {
  return `
SELECT ${GROUP_KEY[groupBy]} AS key,
       ${GROUP_NAME[groupBy]} AS name,
       count(*)::bigint AS adjustments,
       coalesce(sum(amount_cents), 0)::bigint AS amount_cents,
       coalesce(sum(amount_cents) FILTER (WHERE amount_cents > 0), 0)::bigint AS withheld_cents,
       coalesce(-sum(amount_cents) FILTER (WHERE amount_cents < 0), 0)::bigint AS added_cents
  FROM provider_adjustment
 WHERE ($1::date IS NULL OR occurred_on >= $1::date) AND ($2::date IS NULL OR occurred_on <= $2::date)
 GROUP BY 1
 ORDER BY 1`;
}

/** The totals over the same range: provider_adjustment summed whole. */
export const PROVIDER_ADJUSTMENT_TOTALS_SQL = `
SELECT count(*)::bigint AS adjustments,
       coalesce(sum(amount_cents), 0)::bigint AS amount_cents,
       coalesce(sum(amount_cents) FILTER (WHERE amount_cents > 0), 0)::bigint AS withheld_cents,
       coalesce(-sum(amount_cents) FILTER (WHERE amount_cents < 0), 0)::bigint AS added_cents
  FROM provider_adjustment
 WHERE ($1::date IS NULL OR occurred_on >= $1::date) AND ($2::date IS NULL OR occurred_on <= $2::date)`;

/** A row as Postgres returns it (bigint as text). */
export interface ProviderAdjustmentSqlRow {
  key: string;
  name: string | null;
  adjustments: string | number;
  amount_cents: string | number;
  withheld_cents: string | number;
  added_cents: string | number;
}

export type ProviderAdjustmentTotalsSqlRow = Omit<ProviderAdjustmentSqlRow, 'key' | 'name'>;

export interface ProviderAdjustmentFigures {
  adjustments: number;
  /** Net, as the guide signs it: positive reduced the payments. */
  amountCents: number;
  /** Σ of the positive amounts: money the payer kept back. */
  withheldCents: number;
  /** Σ of the negative amounts, as a positive figure: money the payer added. */
  addedCents: number;
}

export interface ProviderAdjustmentGroup extends ProviderAdjustmentFigures {
  key: string;
  /** The reason's label, the payer's name; null where the key says it all. */
  label: string | null;
}

export interface ProviderAdjustmentSummary {
  totals: ProviderAdjustmentFigures;
  rows: ProviderAdjustmentGroup[];
}

function figuresOf(row: ProviderAdjustmentTotalsSqlRow | undefined): ProviderAdjustmentFigures {
  return {
    adjustments: Number(row?.adjustments ?? 0),
    amountCents: Number(row?.amount_cents ?? 0),
    withheldCents: Number(row?.withheld_cents ?? 0),
    addedCents: Number(row?.added_cents ?? 0),
  };
}

/** The route's figures from the two queries' rows: numbers, and a label on each reason. */
export function providerAdjustmentSummary(
  groupBy: ProviderAdjustmentGrouping,
  totals: ProviderAdjustmentTotalsSqlRow | undefined,
  rows: readonly ProviderAdjustmentSqlRow[],
): ProviderAdjustmentSummary {
  return {
    totals: figuresOf(totals),
    rows: rows.map((row) => ({
      key: row.key,
      label: groupBy === 'reason' ? providerAdjustmentReasonLabel(row.key) : row.name,
      ...figuresOf(row),
    })),
  };
}
