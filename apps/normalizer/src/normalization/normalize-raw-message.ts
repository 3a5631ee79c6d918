import {
  EVENT_HEADERS,
  RawClaimRecordSchema,
  claimEventHeaders,
  decodeEvent,
  memberReferenceKey,
  lineageRowNumbers,
  rawEventId,
  sha256Hex,
  type Lineage,
  type RawClaimRecord,
} from '@claims/contracts';
import { eventJsonBytes, type ConsumedMessage, type OutboundMessage, type RecordFailure } from '@claims/kafka';
import {
  NOT_TEXT_REASONS,
  SourceRecordError,
  holdsNulCharacter,
  normalizeSourceRecord,
  splitRecordRows,
  type SourceLayoutRegistry,
  type SourceNormalizeOptions,
} from '@claims/source-layouts';
import { X12Error, isX12Layout, normalizeX12RecordEvents } from '@claims/x12';

/** One source row of a multi-row raw event, as its own replayable raw event: what a per-row dead letter carries. */
export interface RowOriginal {
  lineage: Lineage;
  value: string;
  headers: Record<string, string>;
}

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
   * Why the record goes to the dead-letter topic. `rows` is set when the raw
   * event stood for several source rows: each row gets a dead letter of its
   * own, so per-file accounting counts every row.
   */
  | { deadLetter: RecordFailure; rows?: RowOriginal[] };

/**
 * The rows of a multi-row raw event, each as the raw event the ingestor
 * would have published for it alone (same layout, key, header, lineage).
 * A row's quoted field may hold a line break, so rows are split as the
 * layout quotes (`layouts`); the ingestor groups only rows that parsed, so
 * that split finds them all, and any other count falls back to every LF,
 * as each row must have its dead letter for the file to be accounted.
 */
export function rowOriginalsOf(raw: RawClaimRecord, layouts?: SourceLayoutRegistry): RowOriginal[] | undefined {
  const count = raw.lineage.recordCount ?? 1;
  if (count <= 1) return undefined;
  const quoted = splitRecordRows(raw.record, layouts?.mapped(raw.layout)?.quote ?? null);
  const rows = quoted.length === count ? quoted : raw.record.split('\n');
  const rowNumbers = lineageRowNumbers(raw.lineage);
  // Rows past the lineage's count (a split that found more) keep counting on from its last row.
  const lastRow = rowNumbers[count - 1] ?? raw.lineage.recordNumber;
  return rows.map((row, index) => {
    const recordSha256 = sha256Hex(row);
    const recordNumber = rowNumbers[index] ?? lastRow + index - count + 1;
    const lineage: Lineage = { ...raw.lineage, recordNumber, recordSha256 };
    delete lineage.recordCount;
    delete lineage.recordNumbers;
    const event: RawClaimRecord = {
      ...raw,
      // One row lists no rows apart: a v3 claim's row is a v2 event (it carries the header).
      schemaVersion: raw.schemaVersion === 3 ? 2 : raw.schemaVersion,
      eventId: rawEventId(raw.layout, raw.claimId ?? '', recordSha256),
      lineage,
      record: row,
    };
    return { lineage, value: JSON.stringify(event), headers: claimEventHeaders(event, undefined) };
  });
}

/** One raw message to its canonical event, or to the reason it goes to the dead-letter topic. */
export function normalizeRawMessage(consumed: ConsumedMessage, options: SourceNormalizeOptions): NormalizeOutcome {
  const decoded = decodeEvent(RawClaimRecordSchema, consumed.message.value);
  if (!decoded.ok) return { deadLetter: { code: decoded.code, reason: decoded.reason } };
  const raw = decoded.event;
  if (rawEventHoldsNulCharacter(raw)) {
    return deadLetterOf(
      raw,
      { code: 'RECORD_ENCODING_INVALID', reason: `the raw event ${NOT_TEXT_REASONS.nul_character}` },
      options.layouts,
    );
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
    return deadLetterOf(raw, { code: error.code, reason: error.message }, options.layouts);
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

/** A raw record's dead letter: one per source row when it stood for several. */
function deadLetterOf(
  raw: RawClaimRecord,
  deadLetter: RecordFailure,
  layouts?: SourceLayoutRegistry,
): NormalizeOutcome {
  const rows = rowOriginalsOf(raw, layouts);
  return rows === undefined ? { deadLetter } : { deadLetter, rows };
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
    return { deadLetter: { code: error.code, reason: error.message } };
  }
}
