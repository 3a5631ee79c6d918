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

/** Institutional claims state their payment per claim (CLM_PMT_AMT), not per line. */
export interface ExpectedInstitutionalKpis {
  claims: number;
  claimPaymentAmountCents: number;
}

/** DE-SynPUF prescription drug events: one claim of one drug line each, every one paid. */
export interface ExpectedDrugEventKpis {
  claims: number;
  /** TOT_RX_CST_AMT: what the pharmacy billed for the drug. */
  totalDrugCostCents: number;
  /** PTNT_PAY_AMT: what the member paid at the counter. */
  patientPayAmountCents: number;
}

/** The beneficiary summary is member reference data: no claims. */
export interface ExpectedMemberKpis {
  members: number;
  /** Members with a BENE_DEATH_DT. */
  deceasedMembers: number;
}

export type BillingClaimStatus = 'paid' | 'denied' | 'pending' | 'rejected';

/** A billing-system export: one service line per row, the claim's status on each of its rows. */
export interface ExpectedBillingKpis {
  claims: number;
  lines: number;
  /** Keyed by the status in lower case, whatever case the row wrote it in. */
  claimsByStatus: Record<BillingClaimStatus, number>;
  /** Lines of paid claims: a paid line was allowed, a denied one was not. */
  linesAllowed: number;
  chargeAmountCents: number;
  /** Blank while pending: counted as zero. */
  paidAmountCents: number;
}

/** A pended-queue export: one row per claim that waits (blank clear date) or has cleared. */
export interface ExpectedPendedQueueKpis {
  claims: number;
  claimsWaiting: number;
  claimsCleared: number;
  claimsByPendReason: Record<string, number>;
  billedAmountCents: number;
}

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

/** Counts one carrier line (DE-SynPUF or RIF: the same processing indicator codes) into `expected`. */
export function countCarrierLine(
  expected: ExpectedCarrierKpis,
  processingIndicator: string,
  paymentCents: number,
  allowedCents: number,
): void {
  expected.lines += 1;
  // A blank indicator is a data-quality finding, counted as '(blank)' as the pipeline does.
  const dimension = processingIndicator === '' ? '(blank)' : processingIndicator;
  expected.linesByProcessingIndicator[dimension] = (expected.linesByProcessingIndicator[dimension] ?? 0) + 1;
  if (processingIndicator === 'A') expected.linesAllowed += 1;
  expected.paymentAmountCents += paymentCents;
  expected.allowedAmountCents += allowedCents;
}
