import type { ClaimsReceivedSummary } from '@claims/kpi';
/**
 * The KPI figures a generated file must produce, counted by the generator
 * while it writes each record, from the values it chose, never by parsing the
 * file back. The pipeline's KPI summary is held to these.
 */
export interface ExpectedCarrierKpis {
  claims: number;
  lines: number;
  /** Lines whose LINE_PRCSG_IND_CD is 'A', the only allowed code. */
  linesAllowed: number;
  linesByProcessingIndicator: Record<string, number>;
  paymentAmountCents: number;
  allowedAmountCents: number;
}

/** Inpatient and outpatient files have no mapping yet: only what a future mapping must reproduce. */
export interface ExpectedInstitutionalKpis {
  claims: number;
  claimPaymentAmountCents: number;
}

export type ExpectedKpis = ExpectedCarrierKpis | ExpectedInstitutionalKpis;

export function emptyCarrierKpis(): ExpectedCarrierKpis {
  return {
    claims: 0,
    lines: 0,
    linesAllowed: 0,
    linesByProcessingIndicator: {},
    paymentAmountCents: 0,
    allowedAmountCents: 0,
  };
}

export function isCarrierKpis(kpis: ExpectedKpis): kpis is ExpectedCarrierKpis {
  return 'lines' in kpis;
}

/** Sums the figures of several files, e.g. a folded history plus the new claims. */
export function addCarrierKpis(left: ExpectedCarrierKpis, right: ExpectedCarrierKpis): ExpectedCarrierKpis {
  const byIndicator: Record<string, number> = { ...left.linesByProcessingIndicator };
  for (const [code, count] of Object.entries(right.linesByProcessingIndicator)) {
    byIndicator[code] = (byIndicator[code] ?? 0) + count;
  }
  return {
    claims: left.claims + right.claims,
    lines: left.lines + right.lines,
    linesAllowed: left.linesAllowed + right.linesAllowed,
    linesByProcessingIndicator: byIndicator,
    paymentAmountCents: left.paymentAmountCents + right.paymentAmountCents,
    allowedAmountCents: left.allowedAmountCents + right.allowedAmountCents,
  };
}

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
