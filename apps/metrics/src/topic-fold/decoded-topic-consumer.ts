import { CLAIM_TOPICS, decodeEvent, type ClaimTopic } from '@claims/contracts';
import {
  PipelineKafka,
  deadLetterFor,
  stageConsumerEvents,
  startBatchConsumer,
  withConsumedBatchSpan,
  type ConsumedBatch,
  type OutboundMessage,
  type RunningConsumer,
} from '@claims/kafka';
import type { StageMetrics } from '@claims/observability';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { OffsetTrackedBatch, OffsetTrackedFoldOutcome } from './offset-tracked-fold';

/** A topic the metrics service folds into Postgres beside the claims: its group, its events and its fold. */
export interface DecodedTopicFold<Event> {
  topic: ClaimTopic;
  /** The consumer group: the service's own, suffixed, so each topic keeps its own offsets. */
  groupId: string;
  schema: ZodType<Event>;
  /** The records-total outcome a folded event counts under, e.g. `member_reference_folded`. */
  foldedOutcome: string;
  fold: (batch: OffsetTrackedBatch<Event>) => Promise<OffsetTrackedFoldOutcome>;
}

/**
 * Consumes a topic of events that fold on their own (member references,
 * provider-level adjustments): each batch is decoded, what does not decode
 * is dead-lettered first (a crash in between may repeat a dead letter, never
 * lose one), and the rest folds with its offset in one transaction.
 */
export async function startDecodedTopicConsumer<Event>(
  deps: { pipeline: PipelineKafka; logger: Logger; metrics: StageMetrics },
  topicFold: DecodedTopicFold<Event>,
): Promise<RunningConsumer> {
  const { pipeline, logger, metrics } = deps;
  await pipeline.start([topicFold.topic, CLAIM_TOPICS.deadLetter]);
  const foldBatch = async (batch: ConsumedBatch): Promise<void> => {
    const deadLetters: OutboundMessage[] = [];
    const failedAt = new Date();
    const messages = batch.messages.map((message) => {
      const decoded = decodeEvent(topicFold.schema, message.value);
      if (decoded.ok) return { offset: message.offset, event: decoded.event };
      const failure = { code: decoded.code, reason: decoded.reason };
      deadLetters.push(
        deadLetterFor({ topic: batch.topic, partition: batch.partition, message }, 'metrics', failure, failedAt),
      );
      metrics.deadLettersTotal.inc({ stage: 'metrics', error_code: decoded.code });
      return { offset: message.offset, event: null };
    });
    await pipeline.producer.send(new Map([[pipeline.topic(CLAIM_TOPICS.deadLetter), deadLetters]]));
    const outcome = await topicFold.fold({
      groupId: topicFold.groupId,
      topic: batch.topic,
      partition: batch.partition,
      messages,
    });
    metrics.recordsTotal.inc({ stage: 'metrics', outcome: topicFold.foldedOutcome }, outcome.folded);
    metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'duplicate' }, outcome.duplicates + outcome.alreadyCommitted);
    metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'dead_lettered' }, deadLetters.length);
  };
  return startBatchConsumer({
    kafka: pipeline.kafka,
    groupId: topicFold.groupId,
    topic: pipeline.topic(topicFold.topic),
    logger,
    fetchMaxBytesPerPartition: pipeline.fetchMaxBytesPerPartition,
    ...stageConsumerEvents('metrics', metrics),
    handleBatch: (batch) => withConsumedBatchSpan('metrics', batch, () => foldBatch(batch)),
  });
}
