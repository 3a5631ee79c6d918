import { CLAIM_TOPICS, ProviderAdjustmentEventSchema, type ProviderAdjustmentEvent } from '@claims/contracts';
import { PipelineKafka } from '@claims/kafka';
import { LOGGER, METRICS_REGISTRY, createStageMetrics } from '@claims/observability';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { MetricsConfig } from '../metrics.config';
import { METRICS_CONFIG } from '../metrics.tokens';
import { DecodedTopicConsumer } from '../topic-fold/decoded-topic.consumer';
import { ProviderAdjustmentRepository } from './provider-adjustment.repository';

/** claims.provider-adjustments.v1 → provider_adjustment in Postgres, exactly once in effect. */
@Injectable()
export class ProviderAdjustmentConsumer extends DecodedTopicConsumer<ProviderAdjustmentEvent> {
  constructor(
    @Inject(METRICS_CONFIG) config: MetricsConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    pipeline: PipelineKafka,
    adjustments: ProviderAdjustmentRepository,
  ) {
    super(
      { pipeline, logger, metrics: createStageMetrics(registry) },
      {
        topic: CLAIM_TOPICS.providerAdjustments,
        groupId: `${config.kafka.groupId}.provider-adjustments`,
        schema: ProviderAdjustmentEventSchema,
        foldedOutcome: 'provider_adjustment_folded',
        fold: (batch) => adjustments.foldPartitionBatch(batch),
      },
    );
  }
}
