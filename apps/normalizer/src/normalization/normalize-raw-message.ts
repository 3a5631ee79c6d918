import { EVENT_HEADERS, RawClaimRecordSchema, claimEventHeaders, decodeEvent } from '@claims/contracts';
import type { ConsumedMessage, TransformOutcome } from '@claims/kafka';
import { SourceRecordError, normalizeRawRecord, type NormalizeOptions } from '@claims/source-layouts';

/** One raw message to its canonical event, or to the reason it goes to the dead-letter topic. */
export function normalizeRawMessage(consumed: ConsumedMessage, options: NormalizeOptions): TransformOutcome {
  const decoded = decodeEvent(RawClaimRecordSchema, consumed.message.value);
  if (!decoded.ok) return { deadLetter: { code: decoded.code, reason: decoded.reason } };
  try {
    const event = normalizeRawRecord(decoded.event, options);
    const traceParent = consumed.message.headers?.[EVENT_HEADERS.traceParent]?.toString();
    return {
      emit: { key: event.claimId, value: JSON.stringify(event), headers: claimEventHeaders(event, traceParent) },
    };
  } catch (error) {
    if (error instanceof SourceRecordError) return { deadLetter: { code: error.code, reason: error.message } };
    throw error;
  }
}
