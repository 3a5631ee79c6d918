import { KPI } from './claim-contribution';

export interface KpiCounterRow {
  kpi: string;
  dimension: string;
  value: string | number | bigint;
}

/** The first KPI family: what was received, and how its lines were processed. */
export interface ClaimsReceivedSummary {
  claimsReceived: number;
  linesReceived: number;
  linesAllowed: number;
  linesNotAllowed: number;
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
 * allowed is always the lines received; the category breakdown tells the
 * MSP/COB and reprocessed lines apart for the denial KPIs that follow.
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
    linesByProcessingCategory: byDimension(KPI.linesByProcessingCategory),
    linesByProcessingIndicator: byDimension(KPI.linesByProcessingIndicator),
    medicarePaymentAmount: centsToDecimal(payment),
    medicarePaymentAmountCents: payment,
    allowedAmount: centsToDecimal(allowed),
    allowedAmountCents: allowed,
  };
}
