import { ClaimEventSchema, type ClaimEvent } from './claim-events';
import { validateEvent } from './decode-event';

/** Why normalized claim events may not be published, for the dead-letter topic: the fields only, never values. */
export interface NormalizedClaimEventsFailure {
  code: 'NORMALIZED_EVENT_INVALID';
  reason: string;
}

/**
 * The full check of claim events before claims.normalized.v1, whose
 * consumers trust it (they check the envelope only); null when every event
 * passes. normalizeSourceRecord and normalizeX12RecordEvents run it on what
 * they return, which the normalizer publishes and the ingestor's dry run
 * counts, so the two agree on which records end as dead letters.
 */
export function invalidClaimEventFailure(events: readonly ClaimEvent[]): NormalizedClaimEventsFailure | null {
  for (const event of events) {
    const validated = validateEvent(ClaimEventSchema, event);
    if (!validated.ok)
      return { code: 'NORMALIZED_EVENT_INVALID', reason: `the normalized claim event has ${validated.reason}` };
  }
  return null;
}
