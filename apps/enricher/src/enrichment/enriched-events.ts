import {
  claimEventHeaders,
  derivedEventId,
  deriveEventId,
  lineageSchemaVersion,
  type ClaimEvent,
  type EnrichedClaimEvent,
  type Enrichment,
  type PendDecision,
} from '@claims/contracts';
import { eventJsonBytes, type OutboundMessage } from '@claims/kafka';

/**
 * The enriched events a verdict stands for, in timeline order. A claim that
 * pends and is cleared by a fix the directory already holds is two events,
 * pended then cleared, exactly as if the fix had come after it: the event ids
 * depend on the claim and the clear date only, so either arrival order gives
 * the same events and the fold counts them once.
 */
export function enrichedEventsOf(
  event: ClaimEvent,
  enrichment: Enrichment,
  decision: PendDecision,
  /** The directory as of the clear date, for the cleared event: the fix that let the claim through shows on it. */
  enrichmentWhenCleared: Enrichment = enrichment,
): EnrichedClaimEvent[] {
  const judged: EnrichedClaimEvent = {
    ...event,
    schemaVersion: lineageSchemaVersion(event.lineage, 2),
    eventId: derivedEventId('claims.enriched', event.eventId),
    normalizedEventId: event.eventId,
    enrichment,
    pendDecision: decision,
  };
  if (decision.status === 'clean') return [judged];
  // A pended-queue export row stands for its whole episode (received, and cleared on its clear date); a
  // remittance that clears a waiting claim is its adjudication, the episode's end carried on it.
  if (decision.clearedBy === 'source_clear_date' || decision.clearedBy === 'adjudication') return [judged];
  if (decision.status === 'pended') return [{ ...judged, eventType: 'pended' }];
  const stillWaiting: PendDecision = { ...decision, status: 'pended', clearedOn: null, clearedBy: null };
  return [
    { ...judged, eventType: 'pended', pendDecision: stillWaiting },
    clearedEventOf(event, enrichmentWhenCleared, decision),
  ];
}

/** The event that takes a claim out of the pended queue, stamped with the event date of what cleared it. */
export function clearedEventOf(event: ClaimEvent, enrichment: Enrichment, decision: PendDecision): EnrichedClaimEvent {
  const clearedOn = decision.clearedOn ?? event.occurredAt;
  return {
    ...event,
    schemaVersion: lineageSchemaVersion(event.lineage, 2),
    eventId: deriveEventId('claims.cleared', event.eventId, clearedOn),
    eventType: 'cleared',
    occurredAt: clearedOn,
    normalizedEventId: event.eventId,
    enrichment,
    pendDecision: decision,
  };
}

/** The event as the message the enricher writes, its JSON held as bytes until the batch is produced (eventJsonBytes). */
export function outboundOf(event: EnrichedClaimEvent, traceParent: string | undefined): OutboundMessage<Buffer> {
  return {
    key: event.claimId,
    value: eventJsonBytes(event),
    headers: claimEventHeaders(event, traceParent),
  };
}
