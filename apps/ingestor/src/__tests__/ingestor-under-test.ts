import 'reflect-metadata';
import { CLAIM_TOPICS, namespacedTopic, type IngestReport } from '@claims/contracts';
import { testInfrastructure, uniqueSuffix, waitFor } from '@claims/harness';
import { createLogger } from '@claims/observability';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { InboxWatcher } from '../inbox/inbox-watcher.service';
import { IngestJobsService } from '../ingest-jobs/ingest-jobs.service';
import { FileIngestionService } from '../ingestion/file-ingestion.service';
import { loadIngestorConfig, type IngestorConfig } from '../ingestor.config';
import { IngestorModule } from '../ingestor.module';

/** One message of a topic as the spec reads it: its value parsed, and its key and headers as text. */
export interface SeenMessage {
  key: string | null;
  value: Record<string, unknown>;
  headers: Record<string, string>;
}

/** What the ingestor under test published, per topic, read back from the real broker. */
export interface PublishedTopics {
  raw: SeenMessage[];
  deadLetters: SeenMessage[];
  reports: IngestReport[];
}

/**
 * The ingestor's use case (FileIngestionService) and its job and inbox doors
 * as the service wires them, on the real broker in a topic namespace of its
 * own, with an ingest root (and an inbox under it) in a fresh temporary
 * folder; a consumer reads back everything it publishes.
 */
export interface IngestorUnderTest {
  root: string;
  config: IngestorConfig;
  logger: Logger;
  ingestion: FileIngestionService;
  jobs: IngestJobsService;
  published: PublishedTopics;
  /** The raw events, dead letters and reports of one file id. */
  ofFile: (fileId: string) => PublishedTopics;
  /** Waits until the report of `fileId` has been read back, with every message published before it. */
  reportOf: (fileId: string) => Promise<IngestReport>;
  /** An inbox watcher on `<root>/inbox`, started; stop it with its onModuleDestroy. */
  startInbox: (pollMilliseconds?: number) => Promise<InboxWatcher>;
  close: () => Promise<void>;
}

function headersOf(
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return out;
}

function fileIdOf(value: Record<string, unknown>): string | undefined {
  const lineage = value['lineage'] as { fileId?: string } | undefined;
  return lineage?.fileId ?? (typeof value['fileId'] === 'string' ? value['fileId'] : undefined);
}

/** The source rows a raw event stands for. */
export function rowsOf(message: SeenMessage): number {
  return (message.value['lineage'] as { recordCount?: number } | undefined)?.recordCount ?? 1;
}

export async function startIngestorUnderTest(env: Record<string, string> = {}): Promise<IngestorUnderTest> {
  const { brokers } = testInfrastructure();
  const namespace = `it-${uniqueSuffix()}`;
  const root = await mkdtemp(join(tmpdir(), 'ingestor-it-'));
  const config = loadIngestorConfig({
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_NAMESPACE: namespace,
    KAFKA_TOPIC_PARTITIONS: '1',
    INGEST_ROOT: root,
    INGEST_INBOX: join(root, 'inbox'),
    ...env,
  });
  const logger = createLogger({ service: 'ingestor-spec', level: 'silent' });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    IngestorModule.forRoot(config, logger, 'cli'),
    { logger: false },
  );
  await app.init();
  const ingestion = app.get(FileIngestionService);
  const jobs = new IngestJobsService(config, logger, ingestion);

  const published: PublishedTopics = { raw: [], deadLetters: [], reports: [] };
  const topics = {
    raw: namespacedTopic(CLAIM_TOPICS.raw, namespace),
    deadLetters: namespacedTopic(CLAIM_TOPICS.deadLetter, namespace),
    reports: namespacedTopic(CLAIM_TOPICS.ingestReports, namespace),
  };
  const reader = new Kafka({
    clientId: 'ingestor-spec-reader',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer: Consumer = reader.consumer({ groupId: `${namespace}.spec-reader` });
  await consumer.connect();
  await consumer.subscribe({ topics: Object.values(topics), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const value = JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>;
      const seen: SeenMessage = { key: message.key?.toString() ?? null, value, headers: headersOf(message.headers) };
      if (topic === topics.raw) published.raw.push(seen);
      else if (topic === topics.deadLetters) published.deadLetters.push(seen);
      else published.reports.push(value as unknown as IngestReport);
    },
  });

  const watchers: InboxWatcher[] = [];
  const ofFile = (fileId: string): PublishedTopics => ({
    raw: published.raw.filter((message) => fileIdOf(message.value) === fileId),
    deadLetters: published.deadLetters.filter((message) => fileIdOf(message.value) === fileId),
    reports: published.reports.filter((report) => report.fileId === fileId),
  });
  return {
    root,
    config,
    logger,
    ingestion,
    jobs,
    published,
    ofFile,
    reportOf: async (fileId) => {
      const reports = await waitFor(
        `the ingest report of ${fileId}`,
        async () => ofFile(fileId).reports,
        (found) => found.length > 0,
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      const report = reports[reports.length - 1] as IngestReport;
      // The report is published last: once it is read, everything before it has been read too (one partition).
      await waitFor(
        `every message of ${fileId}`,
        async () => ofFile(fileId),
        (found) =>
          found.raw.reduce((rows, message) => rows + rowsOf(message), 0) >= report.recordsPublished &&
          found.deadLetters.length >= report.recordsDeadLettered,
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      return report;
    },
    startInbox: async (pollMilliseconds = 100) => {
      const inboxConfig: IngestorConfig = {
        ...config,
        inbox: { directory: join(root, 'inbox'), pollMilliseconds },
      };
      const watcher = new InboxWatcher(inboxConfig, logger, jobs);
      await watcher.onApplicationBootstrap();
      watchers.push(watcher);
      return watcher;
    },
    close: async () => {
      for (const watcher of watchers) watcher.onModuleDestroy();
      await jobs.beforeApplicationShutdown();
      await consumer.disconnect();
      await app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
