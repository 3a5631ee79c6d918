import { CLAIM_TOPICS, ProviderAdjustmentEventSchema, decodeEvent } from '@claims/contracts';
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
import { LOGGER, METRICS_REGISTRY, createStageMetrics, type StageMetrics } from '@claims/observability';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { MetricsConfig } from '../metrics.config';
import { METRICS_CONFIG } from '../metrics.tokens';
import { ProviderAdjustmentRepository } from './provider-adjustment.repository';

/** claims.provider-adjustments.v1 → provider_adjustment in Postgres, exactly once in effect. */
@Injectable()
export class ProviderAdjustmentConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: RunningConsumer | null = null;
  private readonly metrics: StageMetrics;

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly pipeline: PipelineKafka,
    private readonly adjustments: ProviderAdjustmentRepository,
  ) {
    this.metrics = createStageMetrics(registry);
  }

  private get groupId(): string {
    return `${this.config.kafka.groupId}.provider-adjustments`;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.pipeline.start([CLAIM_TOPICS.providerAdjustments, CLAIM_TOPICS.deadLetter]);
    this.running = await startBatchConsumer({
      kafka: this.pipeline.kafka,
      groupId: this.groupId,
      topic: this.pipeline.topic(CLAIM_TOPICS.providerAdjustments),
      logger: this.logger,
      ...stageConsumerEvents('metrics', this.metrics),
      handleBatch: (batch) => withConsumedBatchSpan('metrics', batch, () => this.foldBatch(batch)),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }

  private async foldBatch(batch: ConsumedBatch): Promise<void> {
    const deadLetters: OutboundMessage[] = [];
    const failedAt = new Date();
    const messages = batch.messages.map((message) => {
      const decoded = decodeEvent(ProviderAdjustmentEventSchema, message.value);
      if (decoded.ok) return { offset: message.offset, event: decoded.event };
      const failure = { code: decoded.code, reason: decoded.reason };
      deadLetters.push(
        deadLetterFor({ topic: batch.topic, partition: batch.partition, message }, 'metrics', failure, failedAt),
      );
      this.metrics.deadLettersTotal.inc({ stage: 'metrics', error_code: decoded.code });
      return { offset: message.offset, event: null };
    });
    // Dead letters are written before the fold commits: a crash in between may repeat one, never lose one.
    await this.pipeline.producer.send(new Map([[this.pipeline.topic(CLAIM_TOPICS.deadLetter), deadLetters]]));
    const outcome = await this.adjustments.foldPartitionBatch({
      groupId: this.groupId,
      topic: batch.topic,
      partition: batch.partition,
      messages,
    });
    this.metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'provider_adjustment_folded' }, outcome.folded);
    this.metrics.recordsTotal.inc(
      { stage: 'metrics', outcome: 'duplicate' },
      outcome.duplicates + outcome.alreadyCommitted,
    );
    this.metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'dead_lettered' }, deadLetters.length);
  }
}
