import type { EnrichedClaimEvent } from '@claims/contracts';

/** What a dimension value reads when the claim does not say (no group key, no state, no NPI). */
export const UNKNOWN_DIMENSION_VALUE = '(unknown)';
/** The queue of a pended claim whose decision names none. */
export const UNASSIGNED_QUEUE = '(unassigned)';
/** The reason value of a pended claim whose decision lists no reason, so it still counts by reason. */
export const NO_PEND_REASON = '(none)';

/**
 * One claim's stay in the pend queue, a pure function of the claim's latest
 * enriched event: what claim_pend stores and what the pend histograms fold.
 * Dates are event dates (YYYY-MM-DD); `clearedOn` is null while it waits.
 */
export interface PendEpisode {
  pendedOn: string;
  clearedOn: string | null;
  /** Distinct reason codes, in code-unit order; empty when the decision lists none. */
  reasons: string[];
  queue: string;
  claimType: string;
  payer: string;
  providerGroup: string;
  renderingNpi: string;
  state: string;
  amountCents: number;
  /**
   * The adjudicators' comments of a pended-queue export (PHI: stored for
   * claim detail, never logged, never in an aggregate), as the latest event
   * carries them: the export's whole comment field, so a later row replaces
   * it. Null when the source says nothing. No histogram cell depends on it.
   */
  comments: string | null;
}

export type PendEpisodeSource = Pick<EnrichedClaimEvent, 'occurredAt' | 'claim' | 'enrichment' | 'pendDecision'>;

/**
 * The value, or undefined when the source left it null or blank: a blank
 * group key, state or NPI is no value, and counts under `(unknown)` as a
 * missing one does, in every family.
 */
export const nonBlank = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value.trim() === '' ? undefined : value;

const codeUnitOrder = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);

/**
 * The episode of the claim's latest event; null when the claim never pended
 * (no decision, or the rules found it clean).
 *
 * - pendedOn: the decision's date, else the claim's received date, else its
 *   event date (DE-SynPUF states no received date, so its claims pend on their
 *   event date).
 * - clearedOn: only for a cleared decision: its date, else the source's clear
 *   date, else the clearing event's date; never before pendedOn (a clear dated
 *   earlier than the pend is taken as a same-day clear, so days-to-clear is
 *   never negative).
 */
export function pendEpisodeOf(event: PendEpisodeSource): PendEpisode | null {
  const decision = event.pendDecision;
  if (!decision || decision.status === 'clean') return null;
  const { claim, enrichment } = event;
  const pendedOn = nonBlank(decision.pendedOn) ?? nonBlank(claim.receivedDate) ?? event.occurredAt;
  const clearedOn =
    decision.status === 'cleared'
      ? maxDate(pendedOn, nonBlank(decision.clearedOn) ?? nonBlank(claim.clearDate) ?? event.occurredAt)
      : null;
  const firstLineNpi = claim.lines.find((line) => nonBlank(line.renderingNpi))?.renderingNpi;
  return {
    pendedOn,
    clearedOn,
    reasons: [...new Set(decision.reasons.map((reason) => reason.code))].sort(codeUnitOrder),
    queue:
      nonBlank(decision.queue) ??
      nonBlank(decision.reasons[0]?.queue) ??
      nonBlank(claim.pend?.queue) ??
      UNASSIGNED_QUEUE,
    claimType: claim.claimType,
    payer: claim.payer,
    providerGroup:
      nonBlank(enrichment.providerGroup?.groupKey) ?? nonBlank(claim.providerGroup) ?? UNKNOWN_DIMENSION_VALUE,
    renderingNpi:
      nonBlank(claim.renderingProvider?.npi) ??
      nonBlank(firstLineNpi) ??
      nonBlank(enrichment.renderingProviders[0]?.npi) ??
      UNKNOWN_DIMENSION_VALUE,
    state:
      nonBlank(enrichment.serviceLocation?.state) ?? nonBlank(enrichment.member?.stateName) ?? UNKNOWN_DIMENSION_VALUE,
    amountCents: claim.billedAmountCents ?? claim.totals.allowedAmountCents,
    comments: nonBlank(claim.pend?.comments) ?? null,
  };
}

function maxDate(left: string, right: string): string {
  return right < left ? left : right;
}

/** Whether two episodes fold to the same histogram rows and the same claim_pend row (comments included). */
export function samePendEpisode(left: PendEpisode | null, right: PendEpisode | null): boolean {
  if (left === null || right === null) return left === right;
  return (
    left.pendedOn === right.pendedOn &&
    left.clearedOn === right.clearedOn &&
    left.reasons.length === right.reasons.length &&
    left.reasons.every((reason, index) => reason === right.reasons[index]) &&
    left.queue === right.queue &&
    left.claimType === right.claimType &&
    left.payer === right.payer &&
    left.providerGroup === right.providerGroup &&
    left.renderingNpi === right.renderingNpi &&
    left.state === right.state &&
    left.amountCents === right.amountCents &&
    left.comments === right.comments
  );
}
