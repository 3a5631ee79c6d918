import { CLAIM_TOPICS, decodeEvent, type ClaimTopic } from '@claims/contracts';
import { isRecordDataError, refusedDataFailure } from '@claims/database';
import {
  PipelineKafka,
  deadLetterFor,
  runIsolatingRefusedRecords,
  stageConsumerEvents,
  startBatchConsumer,
  withConsumedBatchSpan,
  type ConsumedBatch,
  type OutboundMessage,
  type RecordFailure,
  type RunningConsumer,
} from '@claims/kafka';
import type { KafkaMessage } from 'kafkajs';
import type { StageMetrics } from '@claims/observability';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { OffsetTrackedBatch, OffsetTrackedFoldOutcome } from './offset-tracked-fold';

/** A consumed message as the fold takes it: null when it is dead-lettered already, and the message for a dead letter. */
interface DecodedMessage<Event> {
  offset: string;
  event: Event | null;
  message: KafkaMessage;
}

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
 * lose one), and the rest folds with its offset in one transaction; an event
 * whose data Postgres refuses is found and dead-lettered FOLD_REFUSED.
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
    const deadLetterOf = (message: KafkaMessage, failure: RecordFailure, at: Date): OutboundMessage => {
      metrics.deadLettersTotal.inc({ stage: 'metrics', error_code: failure.code });
      return deadLetterFor({ topic: batch.topic, partition: batch.partition, message }, 'metrics', failure, at);
    };
    const messages: DecodedMessage<Event>[] = batch.messages.map((message) => {
      const decoded = decodeEvent(topicFold.schema, message.value);
      if (decoded.ok) return { offset: message.offset, event: decoded.event, message };
      deadLetters.push(deadLetterOf(message, { code: decoded.code, reason: decoded.reason }, failedAt));
      return { offset: message.offset, event: null, message };
    });
    const deadLetterTopic = pipeline.topic(CLAIM_TOPICS.deadLetter);
    await pipeline.producer.send(new Map([[deadLetterTopic, deadLetters]]));
    let refused = 0;
    const offsetOnly = ({ offset, message }: DecodedMessage<Event>): DecodedMessage<Event> => ({
      offset,
      event: null,
      message,
    });
    // An event whose data Postgres refuses is dead-lettered, not retried: retrying would hold back its partition.
    const outcomes = await runIsolatingRefusedRecords(messages, {
      run: (part) =>
        topicFold.fold({ groupId: topicFold.groupId, topic: batch.topic, partition: batch.partition, messages: part }),
      isRefusedData: isRecordDataError,
      refuse: async (refusedMessage, error) => {
        const { sqlState, ...failure } = refusedDataFailure('FOLD_REFUSED', "the event's data", error);
        await pipeline.producer.send(
          new Map([[deadLetterTopic, [deadLetterOf(refusedMessage.message, failure, new Date())]]]),
        );
        logger.warn(
          { errorCode: failure.code, sqlState, partition: batch.partition, offset: refusedMessage.offset },
          'record dead-lettered: Postgres refused its data',
        );
        refused += 1;
        return offsetOnly(refusedMessage);
      },
      offsetOnly,
    });
    for (const outcome of outcomes) {
      metrics.recordsTotal.inc({ stage: 'metrics', outcome: topicFold.foldedOutcome }, outcome.folded);
      metrics.recordsTotal.inc(
        { stage: 'metrics', outcome: 'duplicate' },
        outcome.duplicates + outcome.alreadyCommitted,
      );
    }
    metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'dead_lettered' }, deadLetters.length + refused);
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
