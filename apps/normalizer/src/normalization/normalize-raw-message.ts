import {
  EVENT_HEADERS,
  RawClaimRecordSchema,
  claimEventHeaders,
  decodeEvent,
  memberReferenceKey,
  type Lineage,
  type RawClaimRecord,
} from '@claims/contracts';
import { eventJsonBytes, type ConsumedMessage, type OutboundMessage, type RecordFailure } from '@claims/kafka';
import {
  NOT_TEXT_REASONS,
  SourceRecordError,
  holdsNulCharacter,
  normalizeSourceRecord,
  type SourceNormalizeOptions,
} from '@claims/source-layouts';
import { X12Error, isX12Layout, normalizeX12RecordEvents } from '@claims/x12';

export type NormalizeOutcome =
  /** A canonical event for claims.normalized.v1 (`claim`) or reference.members.v1 (`member_reference`). */
  | { emit: OutboundMessage<Buffer>; kind: 'claim' | 'member_reference' }
  /**
   * Several canonical events of one raw record, for claims.normalized.v1: an
   * X12 transaction set holds many claims (CLMs of an 837, CLPs of an 835).
   * They share the raw record's lineage, so per-file accounting still counts
   * the record once. `providerAdjustments` are an 835's PLB pairs, for
   * claims.provider-adjustments.v1: published in the same producer request
   * as the claims, so the record's events go all or none.
   */
  | { emitAll: OutboundMessage<Buffer>[]; providerAdjustments?: OutboundMessage<Buffer>[]; kind: 'claim' }
  /**
   * Why the record goes to the dead-letter topic: one letter for the raw
   * event, whole, however many source rows it stood for. Its `lineage` (the
   * raw event's own, when it decoded) names every row, so per-file
   * accounting counts each, and a replay re-sends the claim with all its rows.
   */
  | { deadLetter: RecordFailure; lineage?: Lineage };

/** One raw message to its canonical event, or to the reason it goes to the dead-letter topic. */
export function normalizeRawMessage(consumed: ConsumedMessage, options: SourceNormalizeOptions): NormalizeOutcome {
  const decoded = decodeEvent(RawClaimRecordSchema, consumed.message.value);
  if (!decoded.ok) return { deadLetter: { code: decoded.code, reason: decoded.reason } };
  const raw = decoded.event;
  if (rawEventHoldsNulCharacter(raw)) {
    return {
      deadLetter: { code: 'RECORD_ENCODING_INVALID', reason: `the raw event ${NOT_TEXT_REASONS.nul_character}` },
      lineage: raw.lineage,
    };
  }
  if (isX12Layout(raw.layout)) return normalizeX12Message(raw, consumed, options);
  try {
    const normalized = normalizeSourceRecord(raw, options);
    // Every claim event normalizeSourceRecord returns has passed ClaimEventSchema (a refusal is a SourceRecordError).
    const traceParent = consumed.message.headers?.[EVENT_HEADERS.traceParent]?.toString();
    const event = normalized.event;
    const key = normalized.kind === 'claim' ? normalized.event.claimId : memberReferenceKey(normalized.event.member);
    return {
      kind: normalized.kind,
      emit: { key, value: eventJsonBytes(event), headers: claimEventHeaders(event, traceParent) },
    };
  } catch (error) {
    if (!(error instanceof SourceRecordError)) throw error;
    return { deadLetter: { code: error.code, reason: error.message }, lineage: raw.lineage };
  }
}

/**
 * Whether a raw event's text holds U+0000, which every Postgres text and jsonb
 * value downstream refuses: a record carrying it would stall the stage that
 * stores it. The ingestor never publishes one; a feed writing claims.raw.v1
 * itself might.
 */
function rawEventHoldsNulCharacter(raw: RawClaimRecord): boolean {
  // Field by field, with no array per record: this runs on every raw event.
  return (
    holdsNulCharacter(raw.record) ||
    (typeof raw.header === 'string' && holdsNulCharacter(raw.header)) ||
    (typeof raw.claimId === 'string' && holdsNulCharacter(raw.claimId)) ||
    holdsNulCharacter(raw.lineage.source)
  );
}

/** An X12 transaction set to its canonical events, each keyed by its own claim id, and an 835's PLB pairs by PLB01. */
function normalizeX12Message(
  raw: RawClaimRecord,
  consumed: ConsumedMessage,
  options: SourceNormalizeOptions,
): NormalizeOutcome {
  try {
    // Every claim event here has passed ClaimEventSchema (a refusal is an X12Error or a SourceRecordError).
    const { claims, providerAdjustments } = normalizeX12RecordEvents(raw, options);
    const traceParent = consumed.message.headers?.[EVENT_HEADERS.traceParent]?.toString();
    return {
      kind: 'claim',
      emitAll: claims.map((event) => ({
        key: event.claimId,
        value: eventJsonBytes(event),
        headers: claimEventHeaders(event, traceParent),
      })),
      providerAdjustments: providerAdjustments.map((event) => ({
        key: event.adjustment.providerId,
        value: eventJsonBytes(event),
        headers: claimEventHeaders(event, traceParent),
      })),
    };
  } catch (error) {
    if (!(error instanceof X12Error) && !(error instanceof SourceRecordError)) throw error;
    return { deadLetter: { code: error.code, reason: error.message }, lineage: raw.lineage };
  }
}
