import { CLAIM_TOPICS, type ClaimTopic } from '@claims/contracts';
import {
  PipelineKafka,
  readTopicOffsets,
  startBatchConsumer,
  type ConsumedBatch,
  type ProducedMessage,
  type RunningConsumer,
} from '@claims/kafka';
import { LOGGER } from '@claims/observability';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EnricherConfig } from '../enricher.config';
import { ENRICHER_CONFIG } from '../enricher.tokens';
import { PendIndexRepository } from '../pend-index/pend-index.repository';
import { EnrichmentState } from './enrichment-state';
import { publishProviderDirectoryFiles } from './provider-directory-files';
import { ReferenceBatchJudge, type JudgedReferenceBatch } from './reference-batch-judge';

export const REFERENCE_TOPICS: readonly ClaimTopic[] = [
  CLAIM_TOPICS.referenceProviders,
  CLAIM_TOPICS.referenceProviderGroups,
  CLAIM_TOPICS.referenceLocations,
  CLAIM_TOPICS.referenceMembers,
];

/** How long to wait for the directory before saying so in the log (the wait itself goes on). */
const CATCH_UP_WARNING_MS = 60_000;

/** Claims judged again per turn of the lock once the directory has loaded. */
const RELOAD_JUDGING_CHUNK = 1_000;

/**
 * Keeps the in-process directory current from the reference topics, read
 * whole from the beginning by every enricher instance (each its own group),
 * and clears the pended claims a change lets through. Claims are judged only
 * once the directory has caught up with the topics as they stood at start;
 * so are the claims already waiting, which the load only notes. An entry's
 * versions are keyed by date and spread over partitions: judged while the
 * directory was half loaded (a provider's listing read, its deactivation on
 * another partition not yet), a claim waiting on the deactivated provider
 * was cleared at every restart, and a clear is never taken back.
 */
@Injectable()
export class ReferenceStreamConsumer implements BeforeApplicationShutdown {
  private consumers: RunningConsumer[] = [];
  private started: Promise<void> | null = null;
  /** Per topic and partition: the end offset at start that the directory must reach. */
  private readonly catchUpTargets = new Map<string, Map<number, bigint>>();
  private resolveCaughtUp: (() => void) | null = null;
  /** While the directory loads: the waiting claims whose entries changed, judged again once it has loaded. */
  private claimsToJudgeOnceLoaded: Set<string> | null = new Set();
  private readonly judge: ReferenceBatchJudge;

  constructor(
    @Inject(ENRICHER_CONFIG) private readonly config: EnricherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly pipeline: PipelineKafka,
    private readonly state: EnrichmentState,
    private readonly pendIndex: PendIndexRepository,
  ) {
    this.judge = new ReferenceBatchJudge(state, pendIndex, logger);
  }

  /** Starts following the reference topics; resolves once the directory holds what they held at start. */
  start(): Promise<void> {
    this.started ??= this.startOnce();
    return this.started;
  }

  private async startOnce(): Promise<void> {
    await this.pipeline.start([...REFERENCE_TOPICS, CLAIM_TOPICS.enriched, CLAIM_TOPICS.deadLetter]);
    await publishProviderDirectoryFiles(
      this.config.providerDirectoryFiles,
      this.pipeline,
      this.state.codes,
      this.logger,
    );
    await this.recordCatchUpTargets();
    const caughtUp = new Promise<void>((resolve) => (this.resolveCaughtUp = resolve));
    this.checkCaughtUp();
    // A group of its own per instance: every instance needs the whole directory, not a share of it.
    const groupId = `${this.config.kafka.groupId}.reference.${randomUUID()}`;
    for (const topic of REFERENCE_TOPICS) {
      this.consumers.push(
        await startBatchConsumer({
          kafka: this.pipeline.kafka,
          groupId: `${groupId}.${topic}`,
          topic: this.pipeline.topic(topic),
          logger: this.logger,
          partitionsConsumedConcurrently: 1,
          fetchMaxBytesPerPartition: this.pipeline.fetchMaxBytesPerPartition,
          handleBatch: (batch) => this.applyBatch(batch),
        }),
      );
    }
    const warning = setTimeout(
      () => this.logger.warn('the reference directory is still loading; claims wait until it has caught up'),
      CATCH_UP_WARNING_MS,
    );
    await caughtUp;
    clearTimeout(warning);
    const noted = [...(this.claimsToJudgeOnceLoaded ?? [])].sort();
    this.claimsToJudgeOnceLoaded = null;
    this.logger.info(
      { directory: this.state.tables.size(), waitingClaimsToJudge: noted.length },
      'reference directory caught up',
    );
    for (let start = 0; start < noted.length; start += RELOAD_JUDGING_CHUNK) {
      const chunk = noted.slice(start, start + RELOAD_JUDGING_CHUNK);
      await this.state.lock.run(async () =>
        this.send({ ...this.judge.judgeWaiting(await this.pendIndex.findWaiting(chunk)), deadLetters: [] }),
      );
    }
  }

  /** Finishes and commits the batches in flight and leaves the groups, before the shared producer closes. */
  async beforeApplicationShutdown(): Promise<void> {
    const consumers = this.consumers;
    this.consumers = [];
    await Promise.all(consumers.map((consumer) => consumer.stop()));
  }

  private async recordCatchUpTargets(): Promise<void> {
    for (const name of REFERENCE_TOPICS) {
      const topic = this.pipeline.topic(name);
      const targets = new Map<number, bigint>();
      for (const offset of await readTopicOffsets(this.pipeline.kafka, topic)) {
        if (BigInt(offset.high) > BigInt(offset.low)) targets.set(offset.partition, BigInt(offset.high));
      }
      this.catchUpTargets.set(topic, targets);
    }
  }

  private markHandled(topic: string, partition: number, lastOffset: string): void {
    const targets = this.catchUpTargets.get(topic);
    const target = targets?.get(partition);
    if (targets && target !== undefined && BigInt(lastOffset) + 1n >= target) targets.delete(partition);
    this.checkCaughtUp();
  }

  private checkCaughtUp(): void {
    if (this.resolveCaughtUp === null) return;
    for (const targets of this.catchUpTargets.values()) if (targets.size > 0) return;
    this.resolveCaughtUp();
    this.resolveCaughtUp = null;
  }

  /**
   * Applies a batch of reference versions and, in the same turn of the lock,
   * judges again the claims waiting on what changed (while the directory
   * loads, only notes them). A fix replayed changes nothing: its version is
   * known already, or the claims it cleared have left the queue; the retry
   * of a batch that failed judges what its first attempt changed. A crash
   * after the cleared events were written and before the queue was updated
   * writes them again on redelivery, with the same ids.
   */
  private applyBatch(batch: ConsumedBatch): Promise<void> {
    return this.state.lock.run(async () => {
      const isMembers = batch.topic === this.pipeline.topic(CLAIM_TOPICS.referenceMembers);
      await this.send(await this.judge.judgeBatch(batch, isMembers, this.claimsToJudgeOnceLoaded));
      const last = batch.messages[batch.messages.length - 1];
      if (last) this.markHandled(batch.topic, batch.partition, last.offset);
    });
  }

  /** Writes the clears and dead letters, then the queue: a crash between the two writes the clears again. */
  private async send(judged: JudgedReferenceBatch): Promise<void> {
    await this.pipeline.producer.send(
      new Map<string, ProducedMessage[]>([
        [this.pipeline.topic(CLAIM_TOPICS.enriched), judged.cleared],
        [this.pipeline.topic(CLAIM_TOPICS.deadLetter), judged.deadLetters],
      ]),
    );
    await judged.record();
  }
}
