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
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
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
  const key = consumed.message.key?.toString() ?? null;
  const originalHeaders = headersToStrings(consumed.message.headers);
  const deadLetter: DeadLetter = {
    schemaVersion: 1,
    stage,
    errorCode: failure.code,
    reason: failure.reason,
    failedAt: failedAt.toISOString(),
    origin: { topic: consumed.topic, partition: consumed.partition, offset: consumed.message.offset, key },
    lineage: lineage ?? lineageFromHeaders(originalHeaders),
    ...boundedOriginal(consumed.message.value ?? Buffer.alloc(0)),
    originalHeaders,
  };
  return deadLetterMessage(deadLetter, key ?? `${consumed.topic}/${consumed.partition}/${consumed.message.offset}`, {
    [DEAD_LETTER_HEADERS.originalTopic]: consumed.topic,
    [DEAD_LETTER_HEADERS.originalPartition]: String(consumed.partition),
    [DEAD_LETTER_HEADERS.originalOffset]: consumed.message.offset,
  });
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
