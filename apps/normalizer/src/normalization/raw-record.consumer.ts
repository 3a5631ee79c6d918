import { CLAIM_TOPICS } from '@claims/contracts';
import { PipelineKafka, startTransformStage, type RunningConsumer } from '@claims/kafka';
import { LOGGER, createStageMetrics, METRICS_REGISTRY } from '@claims/observability';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { NORMALIZER_CONFIG } from '../normalizer.tokens';
import type { NormalizerConfig } from '../normalizer.config';
import { normalizeRawMessage } from './normalize-raw-message';

/** claims.raw.v1 → claims.normalized.v1 | claims.dlq.v1. */
@Injectable()
export class RawRecordConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: RunningConsumer | null = null;

  constructor(
    @Inject(NORMALIZER_CONFIG) private readonly config: NormalizerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly pipeline: PipelineKafka,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.pipeline.start([CLAIM_TOPICS.raw, CLAIM_TOPICS.normalized, CLAIM_TOPICS.deadLetter]);
    const options = {
      patientTokenKey: this.config.patientTokenKey,
      serviceDateRange: this.config.serviceDateRange,
    };
    this.running = await startTransformStage({
      stage: 'normalizer',
      kafka: this.pipeline.kafka,
      producer: this.pipeline.producer,
      groupId: this.config.kafka.groupId,
      inputTopic: this.pipeline.topic(CLAIM_TOPICS.raw),
      outputTopic: this.pipeline.topic(CLAIM_TOPICS.normalized),
      deadLetterTopic: this.pipeline.topic(CLAIM_TOPICS.deadLetter),
      logger: this.logger,
      metrics: createStageMetrics(this.registry),
      transform: async (messages) => messages.map((message) => normalizeRawMessage(message, options)),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
    await this.pipeline.stop();
  }
}
