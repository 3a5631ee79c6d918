import type { Lineage, PipelineStage } from '@claims/contracts';
import {
  MAX_MESSAGE_BYTES,
  deadLetterFor,
  outboundMessageBytesOver,
  stageConsumerEvents,
  startBatchConsumer,
  withConsumedBatchesSpan,
  type ClaimProducer,
  type ConsumedMessage,
  type OutboundMessage,
  type ProducedMessage,
  type RecordFailure,
  type RunningConsumer,
} from '@claims/kafka';
import type { StageMetrics } from '@claims/observability';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { normalizeRawMessage } from './normalize-raw-message';
import type { SourceNormalizeOptions } from '@claims/source-layouts';

const STAGE: PipelineStage = 'normalizer';

export interface NormalizeStageOptions {
  kafka: Kafka;
  producer: ClaimProducer;
  groupId: string;
  inputTopic: string;
  claimTopic: string;
  memberReferenceTopic: string;
  /** An 835's provider-level adjustments (PLB), which name no claim. */
  providerAdjustmentTopic: string;
  deadLetterTopic: string;
  logger: Logger;
  metrics: StageMetrics;
  /** The most bytes a fetch takes from one partition (KAFKA_FETCH_MAX_BYTES_PER_PARTITION). */
  fetchMaxBytesPerPartition?: number;
  /** How long a fetch may wait for records to gather (KAFKA_FETCH_GATHER_MS). */
  fetchGatherMs?: number;
  /**
   * What normalizing a record needs (keys, code lists, the mapping files, which
   * also say how a multi-row record's rows are quoted). A message that throws
   * is transient trouble: its batch is redelivered.
   */
  normalizing: SourceNormalizeOptions;
}

/**
 * claims.raw.v1 → claims.normalized.v1 | reference.members.v1 |
 * claims.provider-adjustments.v1 | claims.dlq.v1. The shared transform stage
 * writes one output topic; this one routes claims, member references and an
 * 835's provider adjustments apart. A raw event refused is one dead letter,
 * whole, however many rows it stood for: its lineage names each row for the
 * file's accounting, and a replay re-sends the claim with all of them. As in
 * the shared stage, a batch's outputs and dead letters go in one producer
 * request before the offsets are committed.
 */
export function startNormalizeStage(options: NormalizeStageOptions): Promise<RunningConsumer> {
  const { metrics, logger } = options;
  return startBatchConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    topic: options.inputTopic,
    logger,
    fetchMaxBytesPerPartition: options.fetchMaxBytesPerPartition,
    fetchGatherMs: options.fetchGatherMs,
    ...stageConsumerEvents(STAGE, metrics),
    // A fetch's partitions in one producer request and one commit.
    handleGatheredBatches: (batches, yieldToEventLoop) =>
      withConsumedBatchesSpan(STAGE, batches, async () => {
        const stopTimer = metrics.batchDurationSeconds.startTimer({ stage: STAGE });
        const claims: OutboundMessage<Buffer>[] = [];
        const members: OutboundMessage<Buffer>[] = [];
        const providerAdjustments: OutboundMessage<Buffer>[] = [];
        const deadLetters: ProducedMessage[] = [];
        const failedAt = new Date();
        const deadLetter = (source: ConsumedMessage, failure: RecordFailure, lineage: Lineage | undefined): void => {
          deadLetters.push(deadLetterFor(source, STAGE, failure, failedAt, lineage));
          metrics.deadLettersTotal.inc({ stage: STAGE, error_code: failure.code });
          logger.warn(
            {
              errorCode: failure.code,
              partition: source.partition,
              offset: source.message.offset,
              rows: lineage?.recordCount ?? 1,
            },
            `record dead-lettered: ${failure.reason}`,
          );
        };
        for (const { topic, partition, messages } of batches) {
          for (const message of messages) {
            // An X12 record is a transaction set of many claims, and a batch holds megabytes of them.
            await yieldToEventLoop();
            const source: ConsumedMessage = { topic, partition, message };
            const outcome = normalizeRawMessage(source, options.normalizing);
            if ('deadLetter' in outcome) {
              deadLetter(source, outcome.deadLetter, outcome.lineage);
              continue;
            }
            const emits = 'emitAll' in outcome ? outcome.emitAll : [outcome.emit];
            const adjustments = ('emitAll' in outcome ? outcome.providerAdjustments : undefined) ?? [];
            // The first output over the limit, if any; walked in place, with no combined copy per record.
            let bytes: number | null = null;
            for (const emitted of emits) bytes ??= outboundMessageBytesOver(emitted, MAX_MESSAGE_BYTES);
            for (const emitted of adjustments) bytes ??= outboundMessageBytesOver(emitted, MAX_MESSAGE_BYTES);
            if (bytes !== null) {
              // An output the broker would refuse must not stop the stage; a record's events go all or none.
              const reason = `the output event would be ${bytes} bytes, over the ${MAX_MESSAGE_BYTES}-byte message limit`;
              deadLetter(source, { code: 'RECORD_TOO_LARGE', reason }, undefined);
              continue;
            }
            (outcome.kind === 'claim' ? claims : members).push(...emits);
            providerAdjustments.push(...adjustments);
          }
        }
        await options.producer.send(
          new Map([
            [options.claimTopic, claims],
            [options.memberReferenceTopic, members],
            [options.providerAdjustmentTopic, providerAdjustments],
            [options.deadLetterTopic, deadLetters],
          ]),
        );
        metrics.recordsTotal.inc(
          { stage: STAGE, outcome: 'emitted' },
          claims.length + members.length + providerAdjustments.length,
        );
        metrics.recordsTotal.inc({ stage: STAGE, outcome: 'dead_lettered' }, deadLetters.length);
        stopTimer();
      }),
  });
}
