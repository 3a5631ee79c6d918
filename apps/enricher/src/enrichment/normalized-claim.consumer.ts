import { CLAIM_TOPICS } from '@claims/contracts';
import { isRecordDataError, refusedDataFailure } from '@claims/database';
import {
  PipelineKafka,
  startTransformStage,
  type ConsumedMessage,
  type RunningConsumer,
  type TransformOutcome,
} from '@claims/kafka';
import { LOGGER, METRICS_REGISTRY, createStageMetrics } from '@claims/observability';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EnricherConfig } from '../enricher.config';
import { ENRICHER_CONFIG } from '../enricher.tokens';
import { PendIndexRepository } from '../pend-index/pend-index.repository';
import { EnrichmentState } from '../reference/enrichment-state';
import { ReferenceStreamConsumer } from '../reference/reference-stream.consumer';
import { judgeNormalizedBatch } from './enrich-normalized-batch';

/** claims.normalized.v1 → claims.enriched.v1 | claims.dlq.v1, judged by the pend rules. */
@Injectable()
export class NormalizedClaimConsumer
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private running: RunningConsumer | null = null;

  constructor(
    @Inject(ENRICHER_CONFIG) private readonly config: EnricherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly pipeline: PipelineKafka,
    private readonly reference: ReferenceStreamConsumer,
    private readonly state: EnrichmentState,
    private readonly pendIndex: PendIndexRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reference.start();
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
      // Batches (a fetch's partitions gathered) take the lock in turn; side by side they would wait unheard by the group coordinator.
      partitionsConsumedConcurrently: 1,
      fetchMaxBytesPerPartition: this.pipeline.fetchMaxBytesPerPartition,
      fetchGatherMs: this.config.fetchGatherMs,
      // Judged and filed under the lock a reference fix takes too, so no claim is filed behind a fix's back.
      transform: (messages) => this.state.lock.run(() => this.judge(messages)),
      // A claim whose data the pend index refuses (a value no column can store, from a feed that wrote
      // claims.normalized.v1 past the normalizer's checks) is dead-lettered; the rest of its batch is judged.
      refusedRecords: {
        isRefusedData: isRecordDataError,
        failure: (error) => {
          const { code, reason } = refusedDataFailure('ENRICH_REFUSED', "the claim's data in the pend index", error);
          return { code, reason };
        },
      },
    });
  }

  /** Judges a batch and files its verdicts in the pend index. */
  private async judge(messages: ConsumedMessage[]): Promise<TransformOutcome[]> {
    const judged = await judgeNormalizedBatch(messages, this.state, {
      holdFingerprints: (offered) => this.pendIndex.holdFingerprints(offered),
      waitingDecisions: (claimIds) => this.pendIndex.waitingDecisions(claimIds),
    });
    await this.pendIndex.recordVerdicts(judged.pended, judged.notWaiting);
    return judged.outcomes;
  }

  /**
   * Before the HTTP server closes: the claim batch in flight is written and
   * committed, then the reference consumers finish theirs (a fix's cleared
   * claims are sent before the queue forgets them) and every group is left.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.running?.stop();
    await this.reference.beforeApplicationShutdown();
  }

  /** Once no batch can send any more: the producer both consumers share flushes and disconnects. */
  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
  }
}
