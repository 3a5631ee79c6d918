import { CLAIM_TOPICS, claimEventHeaders, type IngestReport } from '@claims/contracts';
import { PipelineKafka, type OutboundMessage } from '@claims/kafka';
import { LOGGER } from '@claims/observability';
import { SourceRecordError, detectLayout, linesOf, rawRecordEvent } from '@claims/source-layouts';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { IngestorConfig } from '../ingestor.config';
import { INGESTOR_CONFIG } from '../ingestor.tokens';
import { IngestionError } from './ingestion.errors';

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A new W3C traceparent per record: the trace that follows it through every stage. */
function newTraceParent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/**
 * Streams a source file, one raw event per record, keyed by claim id. The
 * file id is the SHA-256 of its bytes and event ids depend only on record
 * bytes, so ingesting the same file twice publishes the same events again and
 * downstream recognises every one of them.
 */
@Injectable()
export class FileIngestionService implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly pipeline: PipelineKafka,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.pipeline.start([CLAIM_TOPICS.raw]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
  }

  async ingestFile(path: string, options: { ratePerSecond?: number } = {}): Promise<IngestReport> {
    const started = process.hrtime.bigint();
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new IngestionError('FILE_NOT_FOUND', `no such file: ${basename(path)}`);
    const fileId = await fileSha256(path);
    const source = basename(path);
    const topic = this.pipeline.topic(CLAIM_TOPICS.raw);
    let layout: ReturnType<typeof detectLayout> | null = null;
    let recordsRead = 0;
    let recordsPublished = 0;
    let blankLinesSkipped = 0;
    let pending: OutboundMessage[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      await this.pipeline.producer.send(new Map([[topic, pending]]));
      recordsPublished += pending.length;
      pending = [];
    };

    for await (const line of linesOf(createReadStream(path, { highWaterMark: 256 * 1024 }))) {
      if (line.trim() === '') {
        blankLinesSkipped += 1;
        continue;
      }
      if (layout === null) {
        try {
          layout = detectLayout(line);
        } catch (error) {
          if (error instanceof SourceRecordError) throw new IngestionError('LAYOUT_UNKNOWN', error.message);
          throw error;
        }
        continue;
      }
      recordsRead += 1;
      const event = rawRecordEvent({
        layout,
        record: line,
        recordNumber: recordsRead,
        source,
        fileId,
        publishedAt: new Date().toISOString(),
      });
      pending.push({
        // A record without a readable claim id still goes on (the normalizer
        // dead-letters it with the reason); its bytes' hash keeps it keyed.
        key: event.claimId ?? event.lineage.recordSha256,
        value: JSON.stringify(event),
        headers: claimEventHeaders(event, newTraceParent()),
      });
      if (pending.length >= this.config.produceBatchSize) await flush();
      if (options.ratePerSecond) await this.pace(started, recordsRead, options.ratePerSecond, flush);
    }
    await flush();
    if (layout === null) throw new IngestionError('FILE_EMPTY', `${source} has no header row`);

    const report: IngestReport = {
      source,
      fileId,
      layout,
      recordsRead,
      recordsPublished,
      blankLinesSkipped,
      durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
    this.logger.info({ report }, 'file ingested');
    return report;
  }

  /** Holds the offered load at `ratePerSecond`, flushing before it waits so paced records leave promptly. */
  private async pace(
    started: bigint,
    records: number,
    ratePerSecond: number,
    flush: () => Promise<void>,
  ): Promise<void> {
    const dueSeconds = records / ratePerSecond;
    const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (dueSeconds > elapsedSeconds) {
      await flush();
      await sleep((dueSeconds - elapsedSeconds) * 1000);
    }
  }
}
