import { CLAIM_TOPICS, MemberReferenceEventSchema } from '@claims/contracts';
import { PipelineKafka, type RunningConsumer } from '@claims/kafka';
import { LOGGER, METRICS_REGISTRY, createStageMetrics } from '@claims/observability';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { MetricsConfig } from '../metrics.config';
import { METRICS_CONFIG } from '../metrics.tokens';
import { startDecodedTopicConsumer } from '../topic-fold/decoded-topic-consumer';
import { MemberReferenceRepository } from './member-reference.repository';

/** reference.members.v1 → reference_member in Postgres, exactly once in effect, every row accounted for its file. */
@Injectable()
export class MemberReferenceConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: RunningConsumer | null = null;

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly pipeline: PipelineKafka,
    private readonly members: MemberReferenceRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.running = await startDecodedTopicConsumer(
      { pipeline: this.pipeline, logger: this.logger, metrics: createStageMetrics(this.registry) },
      {
        topic: CLAIM_TOPICS.referenceMembers,
        groupId: `${this.config.kafka.groupId}.member-references`,
        schema: MemberReferenceEventSchema,
        foldedOutcome: 'member_reference_folded',
        fold: (batch) => this.members.foldPartitionBatch(batch),
      },
    );
  }

  /** Finishes and commits the batch in flight and leaves the group, before the shared producer and the pool close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }
}
