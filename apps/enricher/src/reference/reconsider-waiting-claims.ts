import { ClaimEventSchema, decodeEvent } from '@claims/contracts';
import { enrichClaimAsOf, pendDependencies, reevaluateAfterReferenceChange } from '@claims/enrichment';
import type { OutboundMessage } from '@claims/kafka';
import type { Logger } from 'pino';
import type { PendedClaimRecord, WaitingClaim } from '../pend-index/pend-index.repository';
import { clearedEventOf, outboundOf } from '../enrichment/enriched-events';
import type { EnrichmentState } from './enrichment-state';

export interface ReconsideredClaims {
  /** Cleared events, stamped with the event date of the fix that let each claim through. */
  cleared: OutboundMessage<Buffer>[];
  clearedClaimIds: string[];
  /** Claims that still wait, with their verdict as it stands now (their reasons may have changed). */
  stillPended: PendedClaimRecord[];
}

/** Judges again the claims waiting on reference entries that changed. */
export function reconsiderWaitingClaims(
  waiting: readonly WaitingClaim[],
  state: EnrichmentState,
  logger: Logger,
): ReconsideredClaims {
  const result: ReconsideredClaims = { cleared: [], clearedClaimIds: [], stillPended: [] };
  for (const claim of waiting) {
    const decoded = decodeEvent(ClaimEventSchema, claim.normalizedEvent);
    if (!decoded.ok) {
      // The enricher stored it after decoding it: only a schema change without a migration gets here.
      logger.error({ errorCode: decoded.code }, 'a pended claim no longer decodes; it stays in the queue');
      continue;
    }
    const event = decoded.event;
    const decision = reevaluateAfterReferenceChange(event, claim.decision, state.tables, state.ruleSet);
    if (decision.status === 'cleared') {
      // The directory as of the clear date: the fix that let the claim through shows on its cleared event.
      const enrichment = enrichClaimAsOf(event, state.tables, state.codes, decision.clearedOn ?? event.occurredAt);
      result.cleared.push(outboundOf(clearedEventOf(event, enrichment, decision), undefined));
      result.clearedClaimIds.push(event.claimId);
    } else {
      result.stillPended.push({
        claimId: event.claimId,
        normalizedEvent: claim.normalizedEvent,
        decision,
        dependencies: pendDependencies(event, decision, state.tables, state.ruleSet),
      });
    }
  }
  return result;
}
