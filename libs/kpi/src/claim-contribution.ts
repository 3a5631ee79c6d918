import type { ClaimLine, EnrichedClaimEvent } from '@claims/contracts';

/**
 * What one claim adds to the KPI counters: `kpi|dimension` → integer value.
 * Counters are integers (counts and cents) so that adding and subtracting
 * contributions is exact, and commutative across partitions.
 */
export type KpiContribution = Record<string, number>;

export const KPI = {
  claimsReceived: 'claims_received',
  linesReceived: 'lines_received',
  linesByProcessingCategory: 'lines_by_processing_category',
  linesByProcessingIndicator: 'lines_by_processing_indicator',
  paymentAmountCents: 'line_payment_amount_cents',
  allowedAmountCents: 'line_allowed_amount_cents',
  paymentAmountCentsByProcessingCategory: 'line_payment_amount_cents_by_processing_category',
  allowedAmountCentsByProcessingCategory: 'line_allowed_amount_cents_by_processing_category',
} as const;

/** Lines without a processing indicator are counted under this dimension. */
export const BLANK_INDICATOR = '(blank)';

export function counterKey(kpi: string, dimension = ''): string {
  return `${kpi}|${dimension}`;
}

export function parseCounterKey(key: string): { kpi: string; dimension: string } {
  const separator = key.indexOf('|');
  return { kpi: key.slice(0, separator), dimension: key.slice(separator + 1) };
}

function add(target: KpiContribution, key: string, value: number): void {
  if (value === 0) return;
  const sum = (target[key] ?? 0) + value;
  if (sum === 0) delete target[key];
  else target[key] = sum;
}

/** The line fields the KPIs read: all of them are kept in claim line state, so a stored claim's contribution can be rebuilt. */
export type KpiLine = Pick<
  ClaimLine,
  'processingCategory' | 'processingIndicatorCode' | 'paymentAmountCents' | 'allowedAmountCents'
>;

export function claimContribution(event: EnrichedClaimEvent): KpiContribution {
  return contributionOfClaimLines(event.claim.lines);
}

// The keys without a dimension, built once rather than for every line of every event.
const CLAIMS_RECEIVED_KEY = counterKey(KPI.claimsReceived);
const LINES_RECEIVED_KEY = counterKey(KPI.linesReceived);
const PAYMENT_AMOUNT_KEY = counterKey(KPI.paymentAmountCents);
const ALLOWED_AMOUNT_KEY = counterKey(KPI.allowedAmountCents);

/** What one claim with these lines adds to the counters. */
export function contributionOfClaimLines(lines: readonly KpiLine[]): KpiContribution {
  const contribution: KpiContribution = {};
  add(contribution, CLAIMS_RECEIVED_KEY, 1);
  for (const line of lines) {
    add(contribution, LINES_RECEIVED_KEY, 1);
    add(contribution, counterKey(KPI.linesByProcessingCategory, line.processingCategory), 1);
    add(contribution, counterKey(KPI.linesByProcessingIndicator, line.processingIndicatorCode ?? BLANK_INDICATOR), 1);
    add(contribution, PAYMENT_AMOUNT_KEY, line.paymentAmountCents);
    add(contribution, ALLOWED_AMOUNT_KEY, line.allowedAmountCents);
    add(
      contribution,
      counterKey(KPI.paymentAmountCentsByProcessingCategory, line.processingCategory),
      line.paymentAmountCents,
    );
    add(
      contribution,
      counterKey(KPI.allowedAmountCentsByProcessingCategory, line.processingCategory),
      line.allowedAmountCents,
    );
  }
  return contribution;
}

/** `left + sign × right`, dropping zero entries. */
export function combineContributions(left: KpiContribution, right: KpiContribution, sign: 1 | -1 = 1): KpiContribution {
  const result: KpiContribution = { ...left };
  for (const [key, value] of Object.entries(right)) add(result, key, sign * value);
  return result;
}
