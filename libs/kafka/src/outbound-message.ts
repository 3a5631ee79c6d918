import { DEAD_LETTER_HEADERS, type DeadLetter, type PipelineStage } from '@claims/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** A message a stage wants written, before it becomes a KafkaJS message. */
export interface OutboundMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
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
 * The dead-letter envelope: the original bytes (base64, so nothing is lost to
 * an encoding), its headers, where it came from, and why it stopped.
 */
export function deadLetterFor(
  consumed: ConsumedMessage,
  stage: PipelineStage,
  failure: RecordFailure,
  failedAt: Date,
): OutboundMessage {
  const key = consumed.message.key?.toString() ?? null;
  const deadLetter: DeadLetter = {
    schemaVersion: 1,
    stage,
    errorCode: failure.code,
    reason: failure.reason,
    failedAt: failedAt.toISOString(),
    origin: { topic: consumed.topic, partition: consumed.partition, offset: consumed.message.offset, key },
    originalValueBase64: (consumed.message.value ?? Buffer.alloc(0)).toString('base64'),
    originalHeaders: headersToStrings(consumed.message.headers),
  };
  return {
    key: key ?? `${consumed.topic}/${consumed.partition}/${consumed.message.offset}`,
    value: JSON.stringify(deadLetter),
    headers: {
      [DEAD_LETTER_HEADERS.stage]: stage,
      [DEAD_LETTER_HEADERS.errorCode]: failure.code,
      [DEAD_LETTER_HEADERS.originalTopic]: consumed.topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(consumed.partition),
      [DEAD_LETTER_HEADERS.originalOffset]: consumed.message.offset,
    },
  };
}
