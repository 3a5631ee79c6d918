import type { ExpectedCarrierKpis } from '@claims/claims-generator';
import type { ClaimsReceivedSummary } from '@claims/kpi';

/** What the API's /v1/kpis/summary answers (the benchmark checks some of its fields). */
export type KpiSummaryFigures = ClaimsReceivedSummary;

/** Every field where the served summary differs from the generator's figures; empty means equal. */
export function summaryDifferences(summary: KpiSummaryFigures, expected: ExpectedCarrierKpis): string[] {
  const differences: string[] = [];
  const compare = (name: string, served: number, wanted: number): void => {
    if (served !== wanted) differences.push(`${name}: served ${served}, expected ${wanted}`);
  };
  compare('claimsReceived', summary.claimsReceived, expected.claims);
  compare('linesReceived', summary.linesReceived, expected.lines);
  compare('linesAllowed', summary.linesAllowed, expected.linesAllowed);
  compare('linesNotAllowed', summary.linesNotAllowed, expected.lines - expected.linesAllowed);
  compare('medicarePaymentAmountCents', summary.medicarePaymentAmountCents, expected.paymentAmountCents);
  compare('allowedAmountCents', summary.allowedAmountCents, expected.allowedAmountCents);
  const codes = new Set([
    ...Object.keys(summary.linesByProcessingIndicator),
    ...Object.keys(expected.linesByProcessingIndicator),
  ]);
  for (const code of codes) {
    compare(
      `linesByProcessingIndicator[${code}]`,
      summary.linesByProcessingIndicator[code] ?? 0,
      expected.linesByProcessingIndicator[code] ?? 0,
    );
  }
  return differences;
}
