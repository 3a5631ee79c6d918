import {
  DESYNPUF_CARRIER_LAYOUT,
  type ADJUDICATION_STATUSES,
  type ClaimLine,
  type EnrichedClaimEvent,
} from '@claims/contracts';

import { isDenialCategory, shippedCarcRootCauses, type CarcRootCauses } from './carc-root-cause';
import { UNKNOWN_DIMENSION_VALUE, nonBlank } from './pend-episode';

export type AdjudicationStatus = (typeof ADJUDICATION_STATUSES)[number];

/**
 * The source rule a claim's denials are counted under; each is a separate
 * denominator, never added together:
 * - `carrier_lines`: DE-SynPUF and RIF carrier claims, one unit per line, by
 *   the line processing indicator (LINE_PRCSG_IND_CD, CMS CCW codebook);
 * - `billing_export`: billing-system exports, one unit per claim, by the
 *   export's claim status (claim.adjudication.status);
 * - `remittance`: X12 835 claim payments, one unit per claim: denied when
 *   CLP02 is 4, or nothing was paid and a denial CARC explains it;
 * - `remittance_lines`: the SVC lines of those claim payments, one unit per
 *   line: denied when the line was paid nothing and a denial CARC on the line
 *   explains it.
 */
export const DENIAL_SOURCES = ['carrier_lines', 'billing_export', 'remittance', 'remittance_lines'] as const;
export type DenialSource = (typeof DENIAL_SOURCES)[number];

/** The carrier layouts whose lines carry LINE_PRCSG_IND_CD. */
export const CARRIER_LINE_LAYOUTS: readonly string[] = [DESYNPUF_CARRIER_LAYOUT, 'rif.carrier'];
/** A layout naming the 835 transaction set (`x12.835`, `x12-835-…`): its claims are remittance advice. */
export const REMITTANCE_LAYOUT_PATTERN = '(^|[._-])835([._-]|$)';
/** Layouts of billing-system exports (`billing.claim-export`, …). */
export const BILLING_EXPORT_LAYOUT_PREFIX = 'billing.';

const remittanceLayout = new RegExp(REMITTANCE_LAYOUT_PATTERN);

export function denialSourceOfLayout(layout: string | null): DenialSource | null {
  if (layout === null) return null;
  if (CARRIER_LINE_LAYOUTS.includes(layout)) return 'carrier_lines';
  if (remittanceLayout.test(layout)) return 'remittance';
  if (layout.startsWith(BILLING_EXPORT_LAYOUT_PREFIX)) return 'billing_export';
  return null;
}

/**
 * Claim statuses that mean the payer decided the claim (HFMA: a denial rate's
 * denominator is the claims adjudicated). Pending claims are not decided yet;
 * rejected ones never entered adjudication (a front-end edit).
 */
export const ADJUDICATED_STATUSES: readonly AdjudicationStatus[] = ['paid', 'partially_paid', 'denied'];

/**
 * One CAS adjustment of an 835, as the contracts may carry it on the
 * adjudication, with the root cause of its CARC. The root cause is stored
 * with the claim, so a later version subtracts exactly what this one added
 * even if rules/carc-root-causes.csv changed in between.
 */
export interface KpiAdjustment {
  /** The SVC line's position in its claim; null for a claim-level CAS. */
  lineNumber: number | null;
  groupCode: string;
  carc: string;
  amountCents: number;
  /** CAQH CORE business scenario of the CARC, or `other`. */
  scenario: string;
  /** Operational category of the CARC, or `other`. */
  category: string;
}

/** A CAS whose CARC can make a zero payment a denial (not contractual, deductible, coinsurance, copay, ...). */
export function isDenialAdjustment(adjustment: Pick<KpiAdjustment, 'category'>): boolean {
  return isDenialCategory(adjustment.category);
}

/** The line fields the denial and cost KPIs read; every one is kept in claim_line_state. */
export type KpiCostLine = Pick<
  ClaimLine,
  | 'hcpcsCode'
  | 'processingCategory'
  | 'paymentAmountCents'
  | 'allowedAmountCents'
  | 'deductibleAmountCents'
  | 'coinsuranceAmountCents'
> & { chargeAmountCents: number | null };

/**
 * What the denial-and-payment and volume-and-cost KPIs read of a claim. It is
 * taken from the event once and written to claim state column by column, so
 * the contribution of a stored claim is rebuilt from the very same facts.
 */
export interface KpiClaimFacts {
  layout: string | null;
  claimType: string;
  payer: string;
  serviceThroughDate: string;
  providerGroup: string;
  state: string;
  /** The claim's billed total as the source states it; null when it states none (the lines' charges stand in). */
  billedAmountCents: number | null;
  paymentAmountCents: number;
  allowedAmountCents: number;
  adjudicationStatus: AdjudicationStatus | null;
  firstDiagnosisCode: string | null;
  drugNdcCode: string | null;
  drugDaysSupply: number | null;
  adjustments: KpiAdjustment[];
  lines: KpiCostLine[];
}

/**
 * Reads the optional `adjustments` a remittance adjudication may carry, or
 * the ones stored with a claim; anything malformed is left out. A stored
 * adjustment keeps the root cause it was folded with; one without (an event,
 * or a claim stored before root causes) is classified by `rootCauses`.
 */
export function adjustmentsOf(
  adjudication: unknown,
  rootCauses: CarcRootCauses = shippedCarcRootCauses(),
): KpiAdjustment[] {
  const adjustments = (adjudication as { adjustments?: unknown } | null | undefined)?.adjustments;
  if (!Array.isArray(adjustments)) return [];
  return adjustments.flatMap((entry: unknown) => {
    const { lineNumber, groupCode, carc, amountCents, scenario, category } = (entry ?? {}) as Record<string, unknown>;
    if (typeof groupCode !== 'string' || typeof carc !== 'string' || !Number.isSafeInteger(amountCents)) return [];
    const rootCause =
      typeof scenario === 'string' && typeof category === 'string' ? { scenario, category } : rootCauses.classify(carc);
    return [
      {
        lineNumber: Number.isSafeInteger(lineNumber) ? (lineNumber as number) : null,
        groupCode,
        carc,
        amountCents: amountCents as number,
        scenario: rootCause.scenario,
        category: rootCause.category,
      },
    ];
  });
}

export function claimFactsOf(
  event: EnrichedClaimEvent,
  rootCauses: CarcRootCauses = shippedCarcRootCauses(),
): KpiClaimFacts {
  const { claim, enrichment } = event;
  return {
    layout: event.layout,
    claimType: claim.claimType,
    payer: claim.payer,
    serviceThroughDate: claim.serviceThroughDate,
    providerGroup:
      nonBlank(enrichment.providerGroup?.groupKey) ??
      nonBlank(claim.lines.find((line) => nonBlank(line.taxId) !== undefined)?.taxId) ??
      UNKNOWN_DIMENSION_VALUE,
    state:
      nonBlank(enrichment.serviceLocation?.state) ?? nonBlank(enrichment.member?.stateName) ?? UNKNOWN_DIMENSION_VALUE,
    billedAmountCents: claim.billedAmountCents ?? null,
    paymentAmountCents: claim.totals.paymentAmountCents,
    allowedAmountCents: claim.totals.allowedAmountCents,
    adjudicationStatus: claim.adjudication?.status ?? null,
    firstDiagnosisCode: claim.diagnoses[0]?.code ?? null,
    drugNdcCode: claim.drug?.ndcCode ?? null,
    drugDaysSupply: claim.drug?.daysSupply ?? null,
    adjustments: adjustmentsOf(claim.adjudication, rootCauses),
    lines: claim.lines.map((line) => ({
      hcpcsCode: line.hcpcsCode,
      processingCategory: line.processingCategory,
      paymentAmountCents: line.paymentAmountCents,
      allowedAmountCents: line.allowedAmountCents,
      deductibleAmountCents: line.deductibleAmountCents,
      coinsuranceAmountCents: line.coinsuranceAmountCents,
      chargeAmountCents: line.chargeAmountCents ?? null,
    })),
  };
}
