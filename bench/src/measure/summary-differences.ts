import type { ExpectedCarrierKpis } from '@claims/claims-generator';
import type { ClaimsReceivedSummary } from '@claims/kpi';

/** What the API's /v1/kpis/summary answers (the benchmark checks some of its fields). */
export type KpiSummaryFigures = ClaimsReceivedSummary;

/** A served figure beside the one the generator counted: [name, served, expected]. */
export type ComparedFigure = readonly [name: string, served: number, expected: number];

/** "name: served X, expected Y" for every figure that differs; empty means equal. */
export function figureDifferences(figures: readonly ComparedFigure[]): string[] {
  return figures
    .filter(([, served, expected]) => served !== expected)
    .map(([name, served, expected]) => `${name}: served ${served}, expected ${expected}`);
}

/** Every field where the served summary differs from the generator's figures; empty means equal. */
export function summaryDifferences(summary: KpiSummaryFigures, expected: ExpectedCarrierKpis): string[] {
  const codes = new Set([
    ...Object.keys(summary.linesByProcessingIndicator),
    ...Object.keys(expected.linesByProcessingIndicator),
  ]);
  return figureDifferences([
    ['claimsReceived', summary.claimsReceived, expected.claims],
    ['linesReceived', summary.linesReceived, expected.lines],
    ['linesAllowed', summary.linesAllowed, expected.linesAllowed],
    ['linesNotAllowed', summary.linesNotAllowed, expected.lines - expected.linesAllowed],
    ['medicarePaymentAmountCents', summary.medicarePaymentAmountCents, expected.paymentAmountCents],
    ['allowedAmountCents', summary.allowedAmountCents, expected.allowedAmountCents],
    ...[...codes].map(
      (code): ComparedFigure => [
        `linesByProcessingIndicator[${code}]`,
        summary.linesByProcessingIndicator[code] ?? 0,
        expected.linesByProcessingIndicator[code] ?? 0,
      ],
    ),
  ]);
}
