import { CLAIM_TOPICS } from '@claims/contracts';
import { PipelineKafka, type RunningConsumer } from '@claims/kafka';
import { LOGGER, createStageMetrics, METRICS_REGISTRY } from '@claims/observability';
import { loadCodeLists, loadSourceLayouts, shippedFolder } from '@claims/source-layouts';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { NORMALIZER_CONFIG } from '../normalizer.tokens';
import type { NormalizerConfig } from '../normalizer.config';
import { startNormalizeStage } from './normalize-stage';

/** claims.raw.v1 → claims.normalized.v1 | reference.members.v1 | claims.provider-adjustments.v1 | claims.dlq.v1. */
@Injectable()
export class RawRecordConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private running: RunningConsumer | null = null;

  constructor(
    @Inject(NORMALIZER_CONFIG) private readonly config: NormalizerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly pipeline: PipelineKafka,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A mapping file that does not validate, or a missing code list, stops the boot with the file and key named.
    const layouts = loadSourceLayouts(this.config.layoutsDir);
    const codeLists = loadCodeLists(shippedFolder('data', 'codes', 'tuva'));
    this.logger.info({ layouts: layouts.knownLayoutNames() }, 'source layouts loaded');
    await this.pipeline.start([
      CLAIM_TOPICS.raw,
      CLAIM_TOPICS.normalized,
      CLAIM_TOPICS.referenceMembers,
      CLAIM_TOPICS.providerAdjustments,
      CLAIM_TOPICS.deadLetter,
    ]);
    this.running = await startNormalizeStage({
      kafka: this.pipeline.kafka,
      producer: this.pipeline.producer,
      groupId: this.config.kafka.groupId,
      inputTopic: this.pipeline.topic(CLAIM_TOPICS.raw),
      claimTopic: this.pipeline.topic(CLAIM_TOPICS.normalized),
      memberReferenceTopic: this.pipeline.topic(CLAIM_TOPICS.referenceMembers),
      providerAdjustmentTopic: this.pipeline.topic(CLAIM_TOPICS.providerAdjustments),
      deadLetterTopic: this.pipeline.topic(CLAIM_TOPICS.deadLetter),
      logger: this.logger,
      fetchMaxBytesPerPartition: this.pipeline.fetchMaxBytesPerPartition,
      fetchGatherMs: this.config.fetchGatherMs,
      metrics: createStageMetrics(this.registry),
      normalizing: {
        patientTokenKey: this.config.patientTokenKey,
        serviceDateRange: this.config.serviceDateRange,
        layouts,
        codeLists,
      },
    });
  }

  /** Before the HTTP server closes: the batch in flight is written and committed, then the group is left. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }

  /** Once no batch can send any more: the producer flushes and disconnects. */
  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
  }
}
