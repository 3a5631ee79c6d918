import { CLAIM_TOPICS, EnrichedClaimEventSchema, decodeEvent } from '@claims/contracts';
import {
  PipelineKafka,
  deadLetterFor,
  withConsumedBatchSpan,
  startBatchConsumer,
  type OutboundMessage,
  type RunningConsumer,
} from '@claims/kafka';
import { LOGGER, METRICS_REGISTRY, createStageMetrics, type StageMetrics } from '@claims/observability';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { MetricsConfig } from '../metrics.config';
import { METRICS_CONFIG } from '../metrics.tokens';
import { ClaimFoldRepository } from './claim-fold.repository';

/** claims.enriched.v1 → claim state and KPI counters in Postgres, exactly once in effect. */
@Injectable()
export class EnrichedClaimConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: RunningConsumer | null = null;
  private readonly metrics: StageMetrics;

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly pipeline: PipelineKafka,
    private readonly fold: ClaimFoldRepository,
  ) {
    this.metrics = createStageMetrics(registry);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.pipeline.start([CLAIM_TOPICS.enriched, CLAIM_TOPICS.deadLetter]);
    const groupId = this.config.kafka.groupId;
    const deadLetterTopic = this.pipeline.topic(CLAIM_TOPICS.deadLetter);
    this.running = await startBatchConsumer({
      kafka: this.pipeline.kafka,
      groupId,
      topic: this.pipeline.topic(CLAIM_TOPICS.enriched),
      logger: this.logger,
      onFatal: () => process.exit(1),
      handleBatch: (batch) =>
        withConsumedBatchSpan('metrics', batch, async () => {
          const stopTimer = this.metrics.batchDurationSeconds.startTimer({ stage: 'metrics' });
          const deadLetters: OutboundMessage[] = [];
          const failedAt = new Date();
          const messages = batch.messages.map((message) => {
            const decoded = decodeEvent(EnrichedClaimEventSchema, message.value);
            if (decoded.ok) return { offset: message.offset, event: decoded.event };
            deadLetters.push(
              deadLetterFor(
                { topic: batch.topic, partition: batch.partition, message },
                'metrics',
                {
                  code: decoded.code,
                  reason: decoded.reason,
                },
                failedAt,
              ),
            );
            this.metrics.deadLettersTotal.inc({ stage: 'metrics', error_code: decoded.code });
            return { offset: message.offset, event: null };
          });
          // Dead letters are written before the fold commits: a crash in between
          // redelivers the batch and may repeat a dead letter, but never loses one.
          await this.pipeline.producer.send(new Map([[deadLetterTopic, deadLetters]]));
          const outcome = await this.fold.foldPartitionBatch({
            groupId,
            topic: batch.topic,
            partition: batch.partition,
            messages,
          });
          this.metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'folded' }, outcome.folded);
          this.metrics.recordsTotal.inc(
            { stage: 'metrics', outcome: 'duplicate' },
            outcome.duplicates + outcome.alreadyCommitted,
          );
          this.metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'dead_lettered' }, deadLetters.length);
          stopTimer();
        }),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
    await this.pipeline.stop();
  }
}
