import { CLAIM_TOPICS } from '@claims/contracts';
import { PipelineKafka, startTransformStage, type RunningConsumer } from '@claims/kafka';
import { LOGGER, METRICS_REGISTRY, createStageMetrics } from '@claims/observability';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EnricherConfig } from '../enricher.config';
import { ENRICHER_CONFIG } from '../enricher.tokens';
import { ProviderDirectoryLoader } from '../provider-directory/provider-directory.loader';
import { ProviderDirectoryRepository } from '../provider-directory/provider-directory.repository';
import { enrichNormalizedBatch } from './enrich-normalized-batch';

/** claims.normalized.v1 → claims.enriched.v1 | claims.dlq.v1. */
@Injectable()
export class NormalizedClaimConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: RunningConsumer | null = null;

  constructor(
    @Inject(ENRICHER_CONFIG) private readonly config: EnricherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly pipeline: PipelineKafka,
    private readonly loader: ProviderDirectoryLoader,
    private readonly providers: ProviderDirectoryRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.loader.loadConfiguredFiles();
    await this.pipeline.start([CLAIM_TOPICS.normalized, CLAIM_TOPICS.enriched, CLAIM_TOPICS.deadLetter]);
    this.running = await startTransformStage({
      stage: 'enricher',
      kafka: this.pipeline.kafka,
      producer: this.pipeline.producer,
      groupId: this.config.kafka.groupId,
      inputTopic: this.pipeline.topic(CLAIM_TOPICS.normalized),
      outputTopic: this.pipeline.topic(CLAIM_TOPICS.enriched),
      deadLetterTopic: this.pipeline.topic(CLAIM_TOPICS.deadLetter),
      logger: this.logger,
      metrics: createStageMetrics(this.registry),
      transform: (messages) => enrichNormalizedBatch(messages, (npis) => this.providers.findByNpis(npis)),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
    await this.pipeline.stop();
  }
}
