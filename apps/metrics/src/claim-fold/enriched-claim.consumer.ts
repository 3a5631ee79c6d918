import {
  CLAIM_TOPICS,
  ENRICHED_CLAIM_EVENT_ENVELOPE,
  decodeTrustedEvent,
  validateEvent,
  type Lineage,
} from '@claims/contracts';
import { isRecordDataError, refusedDataFailure } from '@claims/database';
import {
  PipelineKafka,
  deadLetterFor,
  partitionEndOffset,
  runIsolatingRefusedRecords,
  runSettingAsideInvalid,
  stageConsumerEvents,
  startBatchConsumer,
  withConsumedBatchSpan,
  type ConsumedBatch,
  type OutboundMessage,
  type RecordFailure,
  type RunningConsumer,
} from '@claims/kafka';
import { LOGGER, METRICS_REGISTRY, createStageMetrics, type StageMetrics } from '@claims/observability';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { existsSync, unlinkSync } from 'node:fs';
import type { Logger } from 'pino';
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { MetricsConfig } from '../metrics.config';
import { METRICS_CONFIG } from '../metrics.tokens';
import { ClaimFoldRepository, SourceTopicResetError, type FoldMessage } from './claim-fold.repository';
import { FoldGate } from './fold-gate';

/**
 * A fold of at least this many records runs alone (FoldGate). A backlog
 * delivers batches of 3,300-3,900 on the bench (16 MiB fetches); a steady
 * 1,000 records/s a few hundred per partition. At 1,000 the bench's
 * freshness runs were no better than fully serial ones; at 1,500 they could
 * not be told from the concurrent fold's.
 */
const FOLD_ALONE_FROM_RECORDS = 1_500;

interface ConsumedFoldMessage extends FoldMessage {
  message: KafkaMessage;
}

/** claims.enriched.v1 → claim state and KPI counters in Postgres, exactly once in effect. */
@Injectable()
export class EnrichedClaimConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private running: RunningConsumer | null = null;
  private readonly metrics: StageMetrics;
  private readonly sourceReset: Gauge<'topic' | 'partition'>;
  private readonly foldTransactionSeconds: Histogram;
  private readonly foldGateWaitSeconds: Histogram<'alone'>;
  private readonly foldGate = new FoldGate(FOLD_ALONE_FROM_RECORDS);

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly pipeline: PipelineKafka,
    private readonly fold: ClaimFoldRepository,
  ) {
    this.metrics = createStageMetrics(registry);
    this.sourceReset = new Gauge({
      name: 'claims_fold_source_reset',
      help: '1 when the fold of a partition stopped because its topic was reset or recreated under it (records would be lost).',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    });
    // The Postgres share of a batch's time, apart from decoding and the
    // dead-letter sends the batch histogram also holds: what a slow database shows in.
    this.foldTransactionSeconds = new Histogram({
      name: 'claims_fold_transaction_duration_seconds',
      help: 'Time of one fold transaction in Postgres (claim state, KPI counters, offsets), committed or rolled back.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    // What the fold gate adds to a batch's time: a large fold waits for the folds in flight, and the others for it.
    this.foldGateWaitSeconds = new Histogram({
      name: 'claims_fold_gate_wait_seconds',
      help: 'Time a fold transaction waited to start behind the other partitions\' folds (FoldGate); alone="true" for a batch large enough to fold alone.',
      labelNames: ['alone'],
      buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.pipeline.start([CLAIM_TOPICS.enriched, CLAIM_TOPICS.deadLetter]);
    this.running = await startBatchConsumer({
      kafka: this.pipeline.kafka,
      groupId: this.config.kafka.groupId,
      topic: this.pipeline.topic(CLAIM_TOPICS.enriched),
      logger: this.logger,
      sessionTimeoutMs: this.config.kafka.sessionTimeoutMs,
      fetchMaxBytesPerPartition: this.pipeline.fetchMaxBytesPerPartition,
      ...stageConsumerEvents('metrics', this.metrics),
      handleBatch: (batch) => withConsumedBatchSpan('metrics', batch, () => this.foldBatch(batch)),
    });
  }

  /**
   * Before the HTTP server closes: the batch in flight commits its fold
   * (Postgres, with its offset) and its Kafka offset, then the group is left.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }

  /**
   * After every consumer of the service has stopped (they all stop in
   * beforeApplicationShutdown): the producer they share for dead letters
   * flushes and disconnects. The pool closes with DatabaseModule.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
  }

  private async foldBatch(batch: ConsumedBatch): Promise<void> {
    const stopTimer = this.metrics.batchDurationSeconds.startTimer({ stage: 'metrics' });
    const deadLetterTopic = this.pipeline.topic(CLAIM_TOPICS.deadLetter);
    const deadLetters: OutboundMessage[] = [];
    const failedAt = new Date();
    const messages: ConsumedFoldMessage[] = batch.messages.map((message) => {
      // The enricher's events are trusted: their envelope is checked here, the rest only if the fold breaks on one.
      const decoded = decodeTrustedEvent(ENRICHED_CLAIM_EVENT_ENVELOPE, message.value);
      if (decoded.ok) return { offset: message.offset, event: decoded.event, message };
      deadLetters.push(
        deadLetterFor(
          { topic: batch.topic, partition: batch.partition, message },
          'metrics',
          { code: decoded.code, reason: decoded.reason },
          failedAt,
        ),
      );
      this.metrics.deadLettersTotal.inc({ stage: 'metrics', error_code: decoded.code });
      return { offset: message.offset, event: null, message };
    });
    // Dead letters are written before the fold commits: a crash in between
    // redelivers the batch and may repeat a dead letter, but never loses one.
    await this.pipeline.producer.send(new Map([[deadLetterTopic, deadLetters]]));
    const foldPart = async (part: readonly ConsumedFoldMessage[]) => {
      try {
        const endWait = this.foldGateWaitSeconds.startTimer();
        const outcome = await this.foldGate.run(part.length, (alone) => {
          endWait({ alone: String(alone) });
          const endTransaction = this.foldTransactionSeconds.startTimer();
          return this.fold
            .foldPartitionBatch({
              groupId: this.config.kafka.groupId,
              topic: batch.topic,
              partition: batch.partition,
              highWatermark: batch.highWatermark,
              currentEndOffset: () => partitionEndOffset(this.pipeline.kafka, batch.topic, batch.partition),
              messages: part,
            })
            .finally(endTransaction);
        });
        this.sourceReset.set({ topic: batch.topic, partition: String(batch.partition) }, 0);
        return outcome;
      } catch (error) {
        if (error instanceof SourceTopicResetError) {
          this.sourceReset.set({ topic: batch.topic, partition: String(batch.partition) }, 1);
          this.logger.error({ topic: batch.topic, partition: batch.partition }, error.message);
        }
        throw error;
      }
    };
    const sendDeadLetter = async (message: ConsumedFoldMessage, failure: RecordFailure, lineage?: Lineage) => {
      await this.pipeline.producer.send(
        new Map([
          [
            deadLetterTopic,
            [
              deadLetterFor(
                { topic: batch.topic, partition: batch.partition, message: message.message },
                'metrics',
                failure,
                new Date(),
                lineage,
              ),
            ],
          ],
        ]),
      );
      this.metrics.deadLettersTotal.inc({ stage: 'metrics', error_code: failure.code });
    };
    const offsetOnly = (message: ConsumedFoldMessage): ConsumedFoldMessage => ({
      offset: message.offset,
      event: null,
      message: message.message,
    });
    let setAside = 0;
    const outcomes = await runSettingAsideInvalid(messages, {
      run: (part) =>
        runIsolatingRefusedRecords(part, {
          run: foldPart,
          isRefusedData: isRecordDataError,
          offsetOnly,
          refuse: async (message, error) => {
            const { code, reason, sqlState } = refusedDataFailure('FOLD_REFUSED', "the claim's data", error);
            await sendDeadLetter(message, { code, reason }, message.event?.lineage);
            this.logger.warn(
              { errorCode: code, sqlState, partition: batch.partition, offset: message.offset },
              'record dead-lettered: Postgres refused its data',
            );
            return { ...message, refusedCode: code };
          },
        }),
      invalidReason: (message) => {
        if (message.event === null || message.refusedCode !== undefined) return null;
        const validated = validateEvent(ENRICHED_CLAIM_EVENT_ENVELOPE.schema, message.event);
        return validated.ok ? null : { code: validated.code, reason: validated.reason };
      },
      // The lineage of an invalid event is not trusted either: the dead letter takes it from the headers.
      setAside: async (message, failure) => {
        await sendDeadLetter(message, failure);
        setAside += 1;
        this.logger.warn(
          { errorCode: failure.code, partition: batch.partition, offset: message.offset },
          `record dead-lettered: ${failure.reason}`,
        );
        return offsetOnly(message);
      },
    });
    for (const outcome of outcomes) {
      this.metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'folded' }, outcome.folded);
      this.metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'superseded' }, outcome.superseded);
      this.metrics.recordsTotal.inc(
        { stage: 'metrics', outcome: 'duplicate' },
        outcome.duplicates + outcome.alreadyCommitted,
      );
    }
    this.metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'dead_lettered' }, deadLetters.length + setAside);
    stopTimer();
    this.crashIfAsked();
  }

  /**
   * The crash tests' window between the Postgres commit and the Kafka offset
   * commit: the batch's effects are durable, its offset is not, so the next
   * owner gets the batch again and must recognise every record of it.
   */
  private crashIfAsked(): void {
    const trigger = this.config.faults.killAfterFoldCommitFile;
    if (trigger === null || !existsSync(trigger)) return;
    unlinkSync(trigger);
    this.logger.warn('fault injection: SIGKILL after the fold commit, before the offset commit');
    process.kill(process.pid, 'SIGKILL');
  }
}
