import {
  CLAIM_EVENT_ENVELOPE,
  EVENT_HEADERS,
  decodeTrustedEvent,
  validateEvent,
  type ClaimEvent,
  type DecodeResult,
  type PendDecision,
} from '@claims/contracts';
import {
  decisionOnAdjudication,
  duplicateFingerprints,
  enrichClaim,
  enrichClaimAsOf,
  isAnswerAboutClaim,
  isRemittanceAdjudication,
  judgePend,
} from '@claims/enrichment';
import { runSettingAsideInvalid, type ConsumedMessage, type TransformOutcome } from '@claims/kafka';
import type { FingerprintClaim, FingerprintHolder, PendedClaimRecord } from '../pend-index/pend-index.repository';
import type { EnrichmentState } from '../reference/enrichment-state';
import { enrichedEventsOf, outboundOf } from './enriched-events';

export interface JudgedBatch {
  outcomes: TransformOutcome[];
  /** Claims to file in the pended queue, with what they wait on. */
  pended: PendedClaimRecord[];
  /** Claims of the batch that do not wait (clean, or cleared at once): out of the queue if they were in it. */
  notWaiting: string[];
}

/** What judging a batch needs from the enricher's Postgres state: one round trip each, per batch. */
export interface PendState {
  holdFingerprints: (offered: readonly FingerprintClaim[]) => Promise<ReadonlyMap<string, FingerprintHolder>>;
  /** The stored verdicts of the claims that wait, among these. */
  waitingDecisions: (claimIds: readonly string[]) => Promise<ReadonlyMap<string, PendDecision>>;
}

/**
 * Enriches and judges a batch against the in-process directory: no database
 * round trip per record; one per batch for the duplicate rule's fingerprints
 * (and one for the verdicts of the claims a remittance in the batch adjudicates).
 * The normalizer validated each event in full before producing it, so only
 * the envelope is checked here; a message that fails it goes to the
 * dead-letter topic, and a batch that breaks on an event invalid deeper down
 * is validated in full and judged again without the invalid ones.
 */
export function judgeNormalizedBatch(
  messages: readonly ConsumedMessage[],
  state: EnrichmentState,
  pendState: PendState,
): Promise<JudgedBatch> {
  const decoded = messages.map((consumed) => decodeTrustedEvent(CLAIM_EVENT_ENVELOPE, consumed.message.value));
  return runSettingAsideInvalid(decoded, {
    run: (batch) => judgeDecodedBatch(messages, batch, state, pendState),
    invalidReason: (result) => {
      if (!result.ok) return null;
      const validated = validateEvent(CLAIM_EVENT_ENVELOPE.schema, result.event);
      return validated.ok ? null : { code: validated.code, reason: validated.reason };
    },
    setAside: (_, failure): DecodeResult<ClaimEvent> => ({ ok: false, code: 'SCHEMA_INVALID', reason: failure.reason }),
  });
}

async function judgeDecodedBatch(
  messages: readonly ConsumedMessage[],
  decoded: ReadonlyArray<DecodeResult<ClaimEvent>>,
  state: EnrichmentState,
  pendState: PendState,
): Promise<JudgedBatch> {
  // Enriched before the fingerprints are held: an event that breaks the pure steps breaks them before any write.
  const enriched = decoded.map((result) =>
    result.ok ? { ...result, enrichment: enrichClaim(result.event, state.tables, state.codes) } : result,
  );
  const offered: FingerprintClaim[] = [];
  const adjudicated: string[] = [];
  for (const result of enriched) {
    if (!result.ok) continue;
    if (isRemittanceAdjudication(result.event)) {
      adjudicated.push(result.event.claimId);
      continue;
    }
    // An acknowledgement or a reversal answers a claim: holding its fingerprints would make the claim's twin,
    // seen later, a duplicate of an answer.
    if (isAnswerAboutClaim(result.event)) continue;
    for (const fingerprint of duplicateFingerprints(result.event)) {
      offered.push({ fingerprint, claimId: result.event.claimId, occurredAt: result.event.occurredAt });
    }
  }
  const holders = await pendState.holdFingerprints(offered);
  const waiting = adjudicated.length > 0 ? await pendState.waitingDecisions(adjudicated) : new Map();
  // The queue as the batch leaves it, claim by claim (null: not waiting). One claim's events share a
  // partition, so they come in the order they were sent, and the last one stands: filed apart, a claim
  // pended then corrected in one batch went back in the queue, and its remittance missed its pend.
  const queued = new Map<string, PendedClaimRecord | null>();
  const outcomes = enriched.map((result, index): TransformOutcome => {
    if (!result.ok) return { deadLetter: { code: result.code, reason: result.reason } };
    const { event, enrichment } = result;
    // An adjudication clears a waiting claim or is clean: it never pends, so it waits on nothing.
    const { decision, dependencies } = isRemittanceAdjudication(event)
      ? {
          decision: decisionOnAdjudication(
            event,
            queued.has(event.claimId) ? queued.get(event.claimId)?.decision : waiting.get(event.claimId),
            state.ruleSet.version,
          ),
          dependencies: [],
        }
      : judgePend(event, enrichment, state.tables, state.ruleSet, {
          duplicateOf: (fingerprint) => holders.get(fingerprint),
        });
    if (decision.clearedBy === 'adjudication' || !isAnswerAboutClaim(event)) {
      queued.set(
        event.claimId,
        decision.status === 'pended'
          ? {
              claimId: event.claimId,
              normalizedEvent: messages[index]?.message.value ?? JSON.stringify(event),
              decision,
              dependencies,
            }
          : null,
      );
    }
    const traceParent = messages[index]?.message.headers?.[EVENT_HEADERS.traceParent]?.toString();
    const enrichmentWhenCleared =
      decision.clearedBy === 'reference' && decision.clearedOn !== null
        ? enrichClaimAsOf(event, state.tables, state.codes, decision.clearedOn)
        : enrichment;
    return {
      emitAll: enrichedEventsOf(event, enrichment, decision, enrichmentWhenCleared).map((enriched) =>
        outboundOf(enriched, traceParent),
      ),
    };
  });
  const pended: PendedClaimRecord[] = [];
  const notWaiting: string[] = [];
  for (const [claimId, record] of queued) {
    if (record === null) notWaiting.push(claimId);
    else pended.push(record);
  }
  return { outcomes, pended, notWaiting };
}
