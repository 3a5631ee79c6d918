import type { PipelineStage } from '@claims/contracts';
import type { StageMetrics } from '@claims/observability';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { startBatchConsumer, type RunningConsumer, type YieldToEventLoop } from './batch-consumer';
import type { ClaimProducer } from './claim-producer';
import { withConsumedBatchesSpan } from './traced-batch';
import { stageConsumerEvents } from './stage-consumer-events';
import { MAX_MESSAGE_BYTES, outboundMessageBytesOver } from './claim-producer';
import { deadLetterFor, type ConsumedMessage, type ProducedMessage, type RecordFailure } from './outbound-message';
import { transformIsolatingRefusedRecords, type RefusedRecords } from './isolate-refused-records';

/**
 * What one input message becomes: one output, several in order (a claim that
 * pends and clears at once is two events of its timeline), or a dead letter.
 */
export type TransformOutcome =
  | { emit: ProducedMessage }
  | { emitAll: readonly ProducedMessage[] }
  | { deadLetter: RecordFailure };

export interface TransformStageOptions {
  stage: PipelineStage;
  kafka: Kafka;
  producer: ClaimProducer;
  groupId: string;
  inputTopic: string;
  outputTopic: string;
  deadLetterTopic: string;
  logger: Logger;
  metrics: StageMetrics;
  /**
   * Maps a batch to one outcome per message, in order. Throwing means
   * transient trouble: the whole batch is redelivered. A transform with a
   * long synchronous loop awaits `yieldToEventLoop` between its records.
   */
  transform: (messages: ConsumedMessage[], yieldToEventLoop: YieldToEventLoop) => Promise<TransformOutcome[]>;
  /**
   * For a transform that writes to a store: an error by which the store
   * refuses a record's data (a value no column can hold) is not transient, as
   * retrying the batch would fail the same way for ever and hold back its
   * partition. The batch is halved until the record at fault is found; that
   * record is dead-lettered with `failure(error)` and the rest transformed.
   */
  refusedRecords?: RefusedRecords;
  /**
   * Groups of partition batches handled at once (default 3). A stage whose
   * transform runs one batch at a time anyway says 1: a batch queued behind
   * another sends no heartbeat, and a long queue costs the group membership.
   */
  partitionsConsumedConcurrently?: number;
  fetchMaxBytesPerPartition?: number;
  /** How long a fetch may wait for records to gather (KAFKA_FETCH_GATHER_MS); see startBatchConsumer. */
  fetchGatherMs?: number;
}

/**
 * A topic-to-topic stage: consume the batches a fetch brought (several
 * partitions' together while they are small), transform them, write outputs
 * and dead letters in one producer request, then commit. Outputs are
 * keyed by claim id and carry deterministic event ids, so a redelivered batch
 * writes duplicates that the metrics stage recognises and ignores.
 */
export function startTransformStage(options: TransformStageOptions): Promise<RunningConsumer> {
  const { stage, metrics } = options;
  return startBatchConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    topic: options.inputTopic,
    logger: options.logger,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    fetchMaxBytesPerPartition: options.fetchMaxBytesPerPartition,
    fetchGatherMs: options.fetchGatherMs,
    ...stageConsumerEvents(stage, metrics),
    // A fetch's partitions in one transform, one producer request and one commit.
    handleGatheredBatches: (batches, yieldToEventLoop) =>
      withConsumedBatchesSpan(stage, batches, async () => {
        const stopTimer = metrics.batchDurationSeconds.startTimer({ stage });
        const consumed = batches.flatMap((batch) =>
          batch.messages.map((message) => ({ topic: batch.topic, partition: batch.partition, message })),
        );
        const outcomes =
          options.refusedRecords === undefined
            ? await options.transform(consumed, yieldToEventLoop)
            : await transformIsolatingRefusedRecords(
                consumed,
                (part) => options.transform(part, yieldToEventLoop),
                options.refusedRecords,
                (failure): TransformOutcome => ({ deadLetter: failure }),
              );
        const emitted: ProducedMessage[] = [];
        const deadLetters: ProducedMessage[] = [];
        const failedAt = new Date();
        outcomes.forEach((outcome, index) => {
          const source = consumed[index];
          if (!source) return;
          const outputs = 'deadLetter' in outcome ? [] : 'emit' in outcome ? [outcome.emit] : outcome.emitAll;
          const failure =
            'deadLetter' in outcome
              ? outcome.deadLetter
              : outputs.reduce<RecordFailure | null>((found, output) => found ?? oversizedOutputFailure(output), null);
          if (failure === null) {
            emitted.push(...outputs);
            return;
          }
          deadLetters.push(deadLetterFor(source, stage, failure, failedAt));
          metrics.deadLettersTotal.inc({ stage, error_code: failure.code });
          options.logger.warn(
            { errorCode: failure.code, partition: source.partition, offset: source.message.offset },
            `record dead-lettered: ${failure.reason}`,
          );
        });
        await options.producer.send(
          new Map([
            [options.outputTopic, emitted],
            [options.deadLetterTopic, deadLetters],
          ]),
        );
        metrics.recordsTotal.inc({ stage, outcome: 'emitted' }, emitted.length);
        metrics.recordsTotal.inc({ stage, outcome: 'dead_lettered' }, deadLetters.length);
        stopTimer();
      }),
  });
}

/**
 * An output the broker would refuse (over its message limit) must not stop
 * the stage: the input record is dead-lettered instead, with a bounded copy.
 */
function oversizedOutputFailure(message: ProducedMessage): RecordFailure | null {
  const bytes = outboundMessageBytesOver(message, MAX_MESSAGE_BYTES);
  if (bytes === null) return null;
  return {
    code: 'RECORD_TOO_LARGE',
    reason: `the output event would be ${bytes} bytes, over the ${MAX_MESSAGE_BYTES}-byte message limit`,
  };
}
