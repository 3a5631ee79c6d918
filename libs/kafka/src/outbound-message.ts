import { createHash } from 'node:crypto';
import {
  DEAD_LETTER_HEADERS,
  EVENT_HEADERS,
  LEGACY_LINEAGE_HEADERS,
  LineageSchema,
  decodeEvent,
  lineageHeaderValue,
  validateEvent,
  type DeadLetter,
  type Lineage,
  type PipelineStage,
} from '@claims/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** A message a stage wants written, before it becomes a KafkaJS message. */
export interface OutboundMessage<Value extends string | Buffer = string> {
  key: string;
  /** The event's JSON: text, or bytes where a stage holds many outputs at once (off V8's heap until sent). */
  value: Value;
  headers: Record<string, string>;
}

/** A message as the producer takes it: its value text or bytes. */
export type ProducedMessage = OutboundMessage<string | Buffer>;

/**
 * An event's JSON as bytes, for a stage that holds a batch's outputs until
 * its produce request: in a Buffer they stay off V8's heap, where each
 * scavenge during the batch copied them as strings, then promoted them.
 */
export function eventJsonBytes(event: unknown): Buffer {
  return Buffer.from(JSON.stringify(event));
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = firstHeaderValue(value);
    if (first !== null) result[name] = first.toString();
  }
  return result;
}

/**
 * A header's first value, or null when it has none. KafkaJS decodes a header
 * written with length -1 as null (though its types say otherwise), and a
 * repeated header as an array.
 */
function firstHeaderValue(value: IHeaders[string] | null): Buffer | string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' || Buffer.isBuffer(first) ? first : null;
}

/** The text of bytes, and whether it gives back exactly those bytes (not so for bytes that are not UTF-8). */
function textOf(bytes: Buffer | string): { text: string; exact: boolean } {
  if (typeof bytes === 'string') return { text: bytes, exact: true };
  const text = bytes.toString('utf8');
  return { text, exact: Buffer.from(text).equals(bytes) };
}

/** The bytes a text takes inside a JSON string: a control character is six (\u0001), a quote two. */
function jsonTextBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/** The longest prefix of a text (whole characters) that takes at most `maxBytes` inside a JSON string. */
function prefixWithinJsonBytes(text: string, maxBytes: number): string {
  if (text.length * 6 <= maxBytes || jsonTextBytes(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    bytes += jsonTextBytes(character);
    if (bytes > maxBytes) break;
    end += character.length;
  }
  return text.slice(0, end);
}

/** A permanent failure of one record: it goes to the dead-letter topic with this code. */
export interface RecordFailure {
  code: string;
  reason: string;
}

/**
 * How many original bytes a dead letter keeps. Base64 grows them by a third,
 * so a dead letter stays near 700 KiB at most: under the broker's 1 MiB
 * `message.max.bytes` with room for headers, whatever the original's size.
 */
export const DEAD_LETTER_MAX_ORIGINAL_BYTES = 512 * 1024;

/**
 * The most a dead letter's other fields take (bytes of JSON text), so the
 * letter fits the broker beside its 683 KiB of base64 whatever the original
 * held: a record from any producer (a key or headers of hundreds of KiB, a
 * control character taking six bytes escaped) must still be dead-lettered, as
 * a letter the broker refused would fail its batch for ever. Pipeline keys,
 * headers and reasons are far below these, and are carried whole.
 */
const DEAD_LETTER_MAX_KEY_BYTES = 4 * 1024;
const DEAD_LETTER_MAX_HEADERS_BYTES = 64 * 1024;
const DEAD_LETTER_MAX_REASON_BYTES = 8 * 1024;
const DEAD_LETTER_MAX_LINEAGE_BYTES = 128 * 1024;
/** The quotes, colon and comma of one `"name":"value",` entry. */
const JSON_ENTRY_BYTES = 6;

/**
 * The original's headers as text, within DEAD_LETTER_MAX_HEADERS_BYTES (in
 * order, the one that crosses it cut short, the rest left out), and whether
 * they are the original's exactly: a header that is null, repeated, not UTF-8
 * or cut is not, and a replay must not send the record without it.
 */
function carriedHeaders(headers: IHeaders | undefined): { headers: Record<string, string>; exact: boolean } {
  const carried: Record<string, string> = {};
  let exact = true;
  let left = DEAD_LETTER_MAX_HEADERS_BYTES;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = firstHeaderValue(value);
    if (first === null || (Array.isArray(value) && value.length !== 1)) exact = false;
    if (first === null) continue;
    const { text, exact: exactText } = textOf(first);
    exact &&= exactText;
    const nameBytes = jsonTextBytes(name) + JSON_ENTRY_BYTES;
    if (nameBytes > left) {
      exact = false;
      continue;
    }
    const carriedText = prefixWithinJsonBytes(text, left - nameBytes);
    exact &&= carriedText === text;
    carried[name] = carriedText;
    left -= nameBytes + jsonTextBytes(carriedText);
  }
  return { headers: carried, exact };
}

/** The original's bytes as a dead letter carries them: whole, or a bounded prefix plus size and hash. */
export function boundedOriginal(
  value: Buffer,
  maxBytes = DEAD_LETTER_MAX_ORIGINAL_BYTES,
): Pick<DeadLetter, 'originalValueBase64' | 'originalBytes' | 'originalSha256' | 'originalTruncated'> {
  const truncated = value.length > maxBytes;
  return {
    originalValueBase64: (truncated ? value.subarray(0, maxBytes) : value).toString('base64'),
    originalBytes: value.length,
    originalSha256: createHash('sha256').update(value).digest('hex'),
    originalTruncated: truncated,
  };
}

/**
 * The source record a consumed claim event stands for, read from its
 * `x-lineage` header, or from the one-field-apiece headers events carried
 * before it. Null when neither holds a valid lineage.
 */
export function lineageFromHeaders(headers: Record<string, string>): Lineage | null {
  const header = headers[EVENT_HEADERS.lineage];
  const decoded =
    header === undefined ? validateEvent(LineageSchema, legacyLineage(headers)) : decodeEvent(LineageSchema, header);
  return decoded.ok ? decoded.event : null;
}

function legacyLineage(headers: Record<string, string>): unknown {
  const recordCount = headers[LEGACY_LINEAGE_HEADERS.recordCount];
  return {
    source: headers[LEGACY_LINEAGE_HEADERS.source],
    fileId: headers[LEGACY_LINEAGE_HEADERS.fileId],
    recordNumber: Number(headers[LEGACY_LINEAGE_HEADERS.recordNumber]),
    // Adjacent rows of one claim travel as one event: the dead letter stands for all of them.
    ...(recordCount ? { recordCount: Number(recordCount) } : {}),
    recordSha256: headers[LEGACY_LINEAGE_HEADERS.recordSha256],
  };
}

function deadLetterMessage(deadLetter: DeadLetter, key: string, headers: Record<string, string>): OutboundMessage {
  return {
    key,
    value: JSON.stringify(deadLetter),
    headers: {
      [DEAD_LETTER_HEADERS.stage]: deadLetter.stage,
      [DEAD_LETTER_HEADERS.errorCode]: deadLetter.errorCode,
      ...headers,
    },
  };
}

/**
 * The dead-letter envelope of a consumed message: the original bytes (base64,
 * so nothing is lost to an encoding, bounded so the letter always fits the
 * broker), its headers, where it came from, and why it stopped.
 */
export function deadLetterFor(
  consumed: ConsumedMessage,
  stage: PipelineStage,
  failure: RecordFailure,
  failedAt: Date,
  /** The source record, when the stage read it from the payload; else it comes from the lineage headers. */
  lineage?: Lineage,
): OutboundMessage {
  const { key: keyBytes, value, headers } = consumed.message;
  const key = keyBytes === null || keyBytes === undefined ? null : textOf(keyBytes);
  const carriedKey = key === null ? null : prefixWithinJsonBytes(key.text, DEAD_LETTER_MAX_KEY_BYTES);
  const original = carriedHeaders(headers);
  const bounded = boundedOriginal(value ?? Buffer.alloc(0));
  // Lineage read from all the headers, before any was cut: the source record's identity.
  const sourceRecord = lineage ?? lineageFromHeaders(headersToStrings(headers));
  const deadLetter: DeadLetter = {
    schemaVersion: 1,
    stage,
    errorCode: failure.code,
    reason: prefixWithinJsonBytes(failure.reason, DEAD_LETTER_MAX_REASON_BYTES),
    failedAt: failedAt.toISOString(),
    origin: { topic: consumed.topic, partition: consumed.partition, offset: consumed.message.offset, key: carriedKey },
    lineage:
      sourceRecord !== null && Buffer.byteLength(JSON.stringify(sourceRecord)) <= DEAD_LETTER_MAX_LINEAGE_BYTES
        ? sourceRecord
        : null,
    ...bounded,
    // Not the original exactly: a prefix of its value, a key or header changed to fit or to be text, or a
    // tombstone (a replay would send an empty value in its place).
    originalTruncated:
      bounded.originalTruncated ||
      value === null ||
      value === undefined ||
      !original.exact ||
      (key !== null && (!key.exact || carriedKey !== key.text)),
    originalHeaders: original.headers,
  };
  return deadLetterMessage(
    deadLetter,
    carriedKey ?? `${consumed.topic}/${consumed.partition}/${consumed.message.offset}`,
    {
      [DEAD_LETTER_HEADERS.originalTopic]: consumed.topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(consumed.partition),
      [DEAD_LETTER_HEADERS.originalOffset]: consumed.message.offset,
    },
  );
}

/**
 * The dead letter of a source record the ingestor could not publish (too
 * large, not UTF-8): no consumed message stands behind it, so the lineage is
 * its identity and the key is the record's hash.
 */
export function sourceRecordDeadLetter(input: {
  record: Buffer;
  /** The record's full size and hash when `record` is already only a prefix of it. */
  fullBytes?: number;
  fullSha256?: string;
  lineage: Lineage;
  failure: RecordFailure;
  failedAt: Date;
}): OutboundMessage {
  const original = boundedOriginal(input.record);
  const deadLetter: DeadLetter = {
    schemaVersion: 1,
    stage: 'ingestor',
    errorCode: input.failure.code,
    reason: input.failure.reason,
    failedAt: input.failedAt.toISOString(),
    origin: null,
    lineage: input.lineage,
    ...original,
    originalBytes: input.fullBytes ?? original.originalBytes,
    originalSha256: input.fullSha256 ?? original.originalSha256,
    originalTruncated: original.originalTruncated || (input.fullBytes ?? 0) > input.record.length,
    originalHeaders: {},
  };
  return deadLetterMessage(deadLetter, input.lineage.recordSha256, {
    [EVENT_HEADERS.lineage]: lineageHeaderValue(input.lineage),
  });
}
