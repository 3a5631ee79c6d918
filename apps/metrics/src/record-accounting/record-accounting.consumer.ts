import { CLAIM_TOPICS, DeadLetterSchema, IngestReportSchema, decodeEvent } from '@claims/contracts';
import {
  PipelineKafka,
  stageConsumerEvents,
  startBatchConsumer,
  type ConsumedBatch,
  type RunningConsumer,
} from '@claims/kafka';
import { LOGGER, METRICS_REGISTRY, createStageMetrics, type StageMetrics } from '@claims/observability';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { MetricsConfig } from '../metrics.config';
import { METRICS_CONFIG } from '../metrics.tokens';
import { RecordAccountingRepository, type ReceivedDeadLetter } from './record-accounting.repository';

/**
 * claims.dlq.v1 and claims.ingest-reports.v1 → the per-file accounting
 * tables: what each file held, and which of its records ended as dead
 * letters. Together with the fold's own rows, every record of every file is
 * accounted for, or the verification names the gap.
 */
@Injectable()
export class RecordAccountingConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly running: RunningConsumer[] = [];
  private readonly metrics: StageMetrics;

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly pipeline: PipelineKafka,
    private readonly accounting: RecordAccountingRepository,
  ) {
    this.metrics = createStageMetrics(registry);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.pipeline.start([CLAIM_TOPICS.deadLetter, CLAIM_TOPICS.ingestReports]);
    const common = {
      kafka: this.pipeline.kafka,
      logger: this.logger,
      fetchMaxBytesPerPartition: this.pipeline.fetchMaxBytesPerPartition,
      ...stageConsumerEvents('metrics', this.metrics),
    };
    this.running.push(
      await startBatchConsumer({
        ...common,
        groupId: `${this.config.kafka.groupId}.dead-letters`,
        topic: this.pipeline.topic(CLAIM_TOPICS.deadLetter),
        handleBatch: (batch) => this.recordDeadLetters(batch),
      }),
      await startBatchConsumer({
        ...common,
        groupId: `${this.config.kafka.groupId}.ingest-reports`,
        topic: this.pipeline.topic(CLAIM_TOPICS.ingestReports),
        handleBatch: (batch) => this.recordIngestReports(batch),
      }),
    );
  }

  /** Finishes and commits the batch in flight and leaves the group, before the shared producer and the pool close. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.running.map((consumer) => consumer.stop()));
  }

  private async recordDeadLetters(batch: ConsumedBatch): Promise<void> {
    const received: ReceivedDeadLetter[] = [];
    for (const message of batch.messages) {
      const decoded = decodeEvent(DeadLetterSchema, message.value);
      if (decoded.ok) {
        received.push({ deadLetter: decoded.event, partition: batch.partition, offset: message.offset });
      } else {
        // A dead letter that is not one cannot be dead-lettered again; it stays on the topic, counted here.
        this.metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'dead_letter_unreadable' });
        this.logger.error(
          { partition: batch.partition, offset: message.offset, errorCode: decoded.code },
          `unreadable message on the dead-letter topic: ${decoded.reason}`,
        );
      }
    }
    const refused = await this.accounting.recordDeadLetters(received);
    for (const { received: letter, sqlState } of refused) {
      // Like an unreadable one, it stays on the topic, counted here; its record stays unaccounted.
      this.metrics.recordsTotal.inc({ stage: 'metrics', outcome: 'dead_letter_unreadable' });
      this.logger.error(
        { partition: letter.partition, offset: letter.offset, errorCode: letter.deadLetter.errorCode, sqlState },
        'dead letter not recorded: Postgres refused its data',
      );
    }
  }

  private async recordIngestReports(batch: ConsumedBatch): Promise<void> {
    const reports = batch.messages.flatMap((message) => {
      const decoded = decodeEvent(IngestReportSchema, message.value);
      if (decoded.ok) return [decoded.event];
      this.logger.error(
        { partition: batch.partition, offset: message.offset, errorCode: decoded.code },
        `unreadable ingest report: ${decoded.reason}`,
      );
      return [];
    });
    const refused = await this.accounting.upsertIngestReports(reports);
    for (const { report, sqlState } of refused) {
      this.logger.error(
        { partition: batch.partition, fileId: report.fileId, sqlState },
        'ingest report not recorded: Postgres refused its data',
      );
    }
  }
}
