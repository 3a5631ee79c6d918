import type { ClaimEvent, PendDecision } from '@claims/contracts';

/**
 * Whether the event answers something about a claim already sent rather
 * than being the claim: a 999, 277CA or 277 acknowledgement, or an 835
 * remittance (a reversal included). The pend rules judge claims; an answer
 * judged as one pended under the answer's own fields (a billing NPI the
 * directory lacks) and lost its event type (acknowledged, rejected,
 * adjudicated) to `pended`.
 */
export function isAnswerAboutClaim(event: ClaimEvent): boolean {
  return event.claim.acknowledgement != null || event.claim.adjudication?.claimStatusCode != null;
}

/**
 * A payer's remittance of a claim (an X12 835 CLP): a fact about a claim
 * already submitted, not a claim to trust, so the pend rules do not judge it.
 * A reversal (CLP02 = 22) takes an adjudication back and clears nothing.
 */
export function isRemittanceAdjudication(event: ClaimEvent): boolean {
  const adjudication = event.claim.adjudication;
  return adjudication?.claimStatusCode != null && adjudication.reversal !== true;
}

/**
 * The verdict a remittance carries: a claim that waited in the pended queue
 * is cleared by its adjudication on the remittance's event date (never before
 * it pended), its reasons kept for the KPIs by reason; any other is clean.
 */
export function decisionOnAdjudication(
  event: ClaimEvent,
  waiting: PendDecision | undefined,
  ruleSetVersion: string,
): PendDecision {
  if (waiting === undefined || waiting.status !== 'pended') {
    return {
      ruleSetVersion,
      status: 'clean',
      reasons: [],
      queue: null,
      pendedOn: null,
      clearedOn: null,
      clearedBy: null,
    };
  }
  const pendedOn = waiting.pendedOn ?? event.occurredAt;
  return {
    ...waiting,
    status: 'cleared',
    clearedOn: event.occurredAt > pendedOn ? event.occurredAt : pendedOn,
    clearedBy: 'adjudication',
  };
}
