import { CLAIM_TOPICS, MemberReferenceEventSchema, type MemberReferenceEvent } from '@claims/contracts';
import { PipelineKafka } from '@claims/kafka';
import { LOGGER, METRICS_REGISTRY, createStageMetrics } from '@claims/observability';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { MetricsConfig } from '../metrics.config';
import { METRICS_CONFIG } from '../metrics.tokens';
import { DecodedTopicConsumer } from '../topic-fold/decoded-topic.consumer';
import { MemberReferenceRepository } from './member-reference.repository';

/** reference.members.v1 → reference_member in Postgres, exactly once in effect, every row accounted for its file. */
@Injectable()
export class MemberReferenceConsumer extends DecodedTopicConsumer<MemberReferenceEvent> {
  constructor(
    @Inject(METRICS_CONFIG) config: MetricsConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    pipeline: PipelineKafka,
    members: MemberReferenceRepository,
  ) {
    super(
      { pipeline, logger, metrics: createStageMetrics(registry) },
      {
        topic: CLAIM_TOPICS.referenceMembers,
        groupId: `${config.kafka.groupId}.member-references`,
        schema: MemberReferenceEventSchema,
        foldedOutcome: 'member_reference_folded',
        fold: (batch) => members.foldPartitionBatch(batch),
      },
    );
  }
}
