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

/** Denials keyed `<group>-<carc>` (CO-50), as the 835 states them. */
export interface DenialFigures {
  adjustments: number;
  amountCents: number;
}

export interface PayerFigures {
  remittedClaims: number;
  paidAmountCents: number;
  /** Sum over remitted claims of the days from submission (BHT04) to payment (BPR16): mean = total / claims. */
  paymentLagDaysTotal: number;
}

/**
 * The figures an EDI scenario (an 837P and its 999, 277CA and 835) must
 * produce, counted from the values the generator chose, never by reading the
 * files back.
 */
export interface ExpectedEdiScenario {
  claimsSubmitted: number;
  billedAmountCents: number;
  transactionSetsSubmitted: number;
  functionalGroupsSubmitted: number;
  /** 999: groups rejected whole (AK9*R) and transaction sets rejected (IK5*R), with the claims they held. */
  functionalGroupsRejected: number;
  transactionSetsRejectedBy999: number;
  claimsRejectedBy999: number;
  /** 277CA: claims acknowledged (A1/A2) and rejected, the latter by `<category>:<status code>`. */
  claimsAcknowledgedBy277ca: number;
  claimsRejectedBy277ca: number;
  claimsRejectedBy277caByStatus: Record<string, number>;
  /** 835: one CLP per claim that passed both acknowledgements. */
  remittedClaims: number;
  /** As the reader names them: paid (CLP04 = CLP03), partially_paid, denied (CLP02 4). */
  remittedClaimsByStatus: Record<'paid' | 'partially_paid' | 'denied', number>;
  /** Claims with money paid (CLP04 > 0), and the money. */
  paidClaims: number;
  paidAmountCents: number;
  deniedClaims: number;
  deniedChargeCents: number;
  /** Every denying adjustment, of whole claims and of lines: every CAS but CO-45 and PR-1/PR-2. */
  denials: Record<string, DenialFigures>;
  contractualAdjustmentCents: number;
  deductibleCents: number;
  coinsuranceCents: number;
  /** CLP05: what the patient owes, summed. */
  patientResponsibilityCents: number;
  byPayer: Record<string, PayerFigures>;
}

export function emptyEdiScenarioFigures(): ExpectedEdiScenario {
  return {
    claimsSubmitted: 0,
    billedAmountCents: 0,
    transactionSetsSubmitted: 0,
    functionalGroupsSubmitted: 0,
    functionalGroupsRejected: 0,
    transactionSetsRejectedBy999: 0,
    claimsRejectedBy999: 0,
    claimsAcknowledgedBy277ca: 0,
    claimsRejectedBy277ca: 0,
    claimsRejectedBy277caByStatus: {},
    remittedClaims: 0,
    remittedClaimsByStatus: { paid: 0, partially_paid: 0, denied: 0 },
    paidClaims: 0,
    paidAmountCents: 0,
    deniedClaims: 0,
    deniedChargeCents: 0,
    denials: {},
    contractualAdjustmentCents: 0,
    deductibleCents: 0,
    coinsuranceCents: 0,
    patientResponsibilityCents: 0,
    byPayer: {},
  };
}
