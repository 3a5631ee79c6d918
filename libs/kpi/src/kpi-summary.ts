import { KPI } from './claim-contribution';

export interface KpiCounterRow {
  kpi: string;
  dimension: string;
  value: string | number | bigint;
}

/**
 * The first KPI family: what was received, and how its lines were processed.
 * Each figure counts the current version of every claim folded (a corrected
 * claim replaces its earlier version).
 */
export interface ClaimsReceivedSummary {
  /** Distinct claims folded, all sources. */
  claimsReceived: number;
  /** Lines of those claims. */
  linesReceived: number;
  /** Lines allowed (carrier LINE_PRCSG_IND_CD 'A'; a source's own allowed or paid status). */
  linesAllowed: number;
  /**
   * Every line that is not allowed, whatever the reason: denied, cost-avoided
   * (MSP/COB), reprocessed and unknown together. Not a denial count; read the
   * four figures below for that.
   */
  linesNotAllowed: number;
  /** Lines denied: not allowed by the processing indicator (carrier B, C, D, I, L, M, N, O, P, Z). */
  linesDenied: number;
  /** Lines cost-avoided because another payer is primary (Medicare Secondary Payer / coordination of benefits). */
  linesCostAvoidedMspCob: number;
  /** Lines reprocessed: adjustments of an earlier line (carrier 'R'). */
  linesReprocessed: number;
  /** Lines whose processing indicator is blank or not in the code list. */
  linesProcessingUnknown: number;
  linesByProcessingCategory: Record<string, number>;
  linesByProcessingIndicator: Record<string, number>;
  /** Dollars as exact decimal strings ("1234.50"); cents in the *Cents fields. */
  medicarePaymentAmount: string;
  medicarePaymentAmountCents: number;
  allowedAmount: string;
  allowedAmountCents: number;
}

export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

/**
 * Builds the summary from counter rows already summed over partitions.
 * "Not allowed" is every line whose indicator is not 'A', so allowed plus not
 * allowed is always the lines received; it splits into denied, cost-avoided
 * (MSP/COB), reprocessed and unknown lines, which is what a reader must see
 * before calling any of it a denial.
 */
export function summarizeKpiCounters(rows: readonly KpiCounterRow[]): ClaimsReceivedSummary {
  const value = (kpi: string, dimension = ''): number =>
    Number(rows.find((row) => row.kpi === kpi && row.dimension === dimension)?.value ?? 0);
  const byDimension = (kpi: string): Record<string, number> => {
    const result: Record<string, number> = {};
    for (const row of rows) if (row.kpi === kpi && Number(row.value) !== 0) result[row.dimension] = Number(row.value);
    return Object.fromEntries(Object.entries(result).sort(([left], [right]) => left.localeCompare(right)));
  };
  const linesReceived = value(KPI.linesReceived);
  const linesAllowed = value(KPI.linesByProcessingCategory, 'allowed');
  const payment = value(KPI.paymentAmountCents);
  const allowed = value(KPI.allowedAmountCents);
  return {
    claimsReceived: value(KPI.claimsReceived),
    linesReceived,
    linesAllowed,
    linesNotAllowed: linesReceived - linesAllowed,
    linesDenied: value(KPI.linesByProcessingCategory, 'not_allowed'),
    linesCostAvoidedMspCob: value(KPI.linesByProcessingCategory, 'msp_cob'),
    linesReprocessed: value(KPI.linesByProcessingCategory, 'reprocessed'),
    linesProcessingUnknown: value(KPI.linesByProcessingCategory, 'unknown'),
    linesByProcessingCategory: byDimension(KPI.linesByProcessingCategory),
    linesByProcessingIndicator: byDimension(KPI.linesByProcessingIndicator),
    medicarePaymentAmount: centsToDecimal(payment),
    medicarePaymentAmountCents: payment,
    allowedAmount: centsToDecimal(allowed),
    allowedAmountCents: allowed,
  };
}
