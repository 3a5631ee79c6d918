import { CLAIM_TOPICS, type IngestReport } from '@claims/contracts';
import { DEAD_LETTER_MAX_ORIGINAL_BYTES, PipelineKafka, type OutboundMessage } from '@claims/kafka';
import { LOGGER } from '@claims/observability';
import {
  AdjacentRowGrouper,
  CLAIM_GROUP_MAX_ROWS,
  SourceLayoutRegistry,
  SourceRecordError,
  boundedLinesOf,
  loadSourceLayouts,
  type DetectedLayout,
  type GroupLimits,
  type MappedLayout,
  type SourceLine,
} from '@claims/source-layouts';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { IngestorConfig } from '../ingestor.config';
import { INGESTOR_CONFIG } from '../ingestor.tokens';
import { confineToIngestRoot } from './ingest-root';
import { IngestionError } from './ingestion.errors';
import { rowGroupMessages, sourceRecordMessage, type SourceRecordMessage } from './source-record-message';

const READ_CHUNK_BYTES = 256 * 1024;
/**
 * Pending messages are sent once they reach this size even before a full
 * batch: a batch of near-limit records would otherwise hold hundreds of MB in
 * a heap capped at 128 MB.
 */
const PENDING_FLUSH_BYTES = 4 * 1024 * 1024;
/** Room a raw event needs beyond its rows and header: ids, lineage, JSON framing and headers. */
const RAW_EVENT_OVERHEAD_BYTES = 4 * 1024;

export interface IngestFileOptions {
  /** Optional pacing for replays and load tests: records per second. */
  ratePerSecond?: number;
  /**
   * Stops the ingestion (the file is closed at once) when aborted. An
   * IngestionError as the abort reason is what the caller gets back; any
   * other reason becomes INGEST_ABORTED.
   */
  signal?: AbortSignal;
}

/** A new W3C traceparent per record: the trace that follows it through every stage. */
function newTraceParent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

function openSourceFile(path: string, signal: AbortSignal | undefined): Readable {
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  return signal ? addAbortSignal(signal, stream) : stream;
}

async function fileSha256(path: string, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of openSourceFile(path, signal)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function abortError(signal: AbortSignal): IngestionError {
  return signal.reason instanceof IngestionError
    ? signal.reason
    : new IngestionError('INGEST_ABORTED', 'the ingestion was aborted before the end of the file');
}

/** Settles with `work`, or rejects as soon as `signal` aborts (the work then winds down on its own). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // The work rejects too once it notices the abort; nobody awaits it then.
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The messages of a file not sent yet, per topic, their size, and the source rows they stand for. */
class PendingMessages {
  raw: OutboundMessage[] = [];
  deadLetters: OutboundMessage[] = [];
  rawRows = 0;
  bytes = 0;

  get count(): number {
    return this.raw.length + this.deadLetters.length;
  }

  add(outcome: SourceRecordMessage): void {
    if (outcome.kind === 'raw') {
      this.raw.push(outcome.message);
      this.rawRows += outcome.rows;
    } else this.deadLetters.push(outcome.message);
    this.bytes += outcome.message.value.length;
  }
}

/** How a mapped layout's rows are read into raw events: column positions, keys and the claim grouper. */
interface MappedFileReader {
  layout: MappedLayout;
  header: string;
  binding: ReturnType<MappedLayout['bindHeader']>;
  grouper: AdjacentRowGrouper | null;
  limits: GroupLimits;
}

/**
 * Streams a source file, one raw event per record, keyed by claim id. The
 * file id is the SHA-256 of its bytes and event ids depend only on record
 * bytes, so ingesting the same file twice publishes the same events again and
 * downstream recognises every one of them. A record no broker would take, or
 * that is not text, becomes a dead letter and the file goes on; the report,
 * published last, accounts for every record.
 */
@Injectable()
export class FileIngestionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private layouts = SourceLayoutRegistry.builtInOnly();

  constructor(
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly pipeline: PipelineKafka,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A mapping file that does not validate stops the boot, naming the file and key.
    this.layouts = loadSourceLayouts(this.config.layoutsDir);
    this.logger.info({ layouts: this.layouts.knownLayoutNames() }, 'source layouts loaded');
    await this.pipeline.start([CLAIM_TOPICS.raw, CLAIM_TOPICS.deadLetter, CLAIM_TOPICS.ingestReports]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
  }

  /**
   * Ingests a file under the ingest root, given relative to it or absolute:
   * every door comes through here, so none can skip the confinement.
   */
  async ingestFile(requestedPath: string, options: IngestFileOptions = {}): Promise<IngestReport> {
    const { signal } = options;
    const work = this.ingestConfinedFile(requestedPath, options).catch((error: unknown) => {
      throw signal?.aborted ? abortError(signal) : error;
    });
    try {
      return await (signal ? untilAborted(work, signal) : work);
    } catch (error) {
      if (error instanceof IngestionError && (error.code === 'INGEST_TIMEOUT' || error.code === 'INGEST_ABORTED')) {
        this.logger.warn({ source: basename(requestedPath), code: error.code }, 'ingestion stopped');
      }
      throw error;
    }
  }

  private async ingestConfinedFile(requestedPath: string, options: IngestFileOptions): Promise<IngestReport> {
    const { signal, ratePerSecond } = options;
    const started = process.hrtime.bigint();
    const path = await confineToIngestRoot(this.config.ingestRoot, requestedPath);
    const source = basename(path);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new IngestionError('FILE_NOT_FOUND', `no such file: ${source}`);
    const fileId = await fileSha256(path, signal);
    const topics = {
      raw: this.pipeline.topic(CLAIM_TOPICS.raw),
      deadLetter: this.pipeline.topic(CLAIM_TOPICS.deadLetter),
      ingestReports: this.pipeline.topic(CLAIM_TOPICS.ingestReports),
    };
    let layout: DetectedLayout | null = null;
    let mapped: MappedFileReader | null = null;
    let recordsRead = 0;
    let recordsPublished = 0;
    let recordsDeadLettered = 0;
    let blankLinesSkipped = 0;
    let pending = new PendingMessages();
    // Counts grow only once the broker has acknowledged, so the report never claims an unsent record.
    const flush = async (): Promise<void> => {
      if (pending.count === 0) return;
      const sending = pending;
      pending = new PendingMessages();
      await this.pipeline.producer.send(
        new Map([
          [topics.raw, sending.raw],
          [topics.deadLetter, sending.deadLetters],
        ]),
      );
      recordsPublished += sending.rawRows;
      recordsDeadLettered += sending.deadLetters.length;
    };
    const stage = (outcome: SourceRecordMessage): void => {
      if (outcome.kind === 'dead_letter') {
        this.logger.warn(
          { source, fileId, recordNumber: outcome.recordNumber, errorCode: outcome.errorCode },
          'source record dead-lettered',
        );
      }
      pending.add(outcome);
    };

    const lines = boundedLinesOf(openSourceFile(path, signal), {
      maxLineBytes: this.config.maxRecordBytes,
      prefixBytes: DEAD_LETTER_MAX_ORIGINAL_BYTES,
    });
    for await (const line of lines) {
      // The aborted stream is closed already; the lines of its last chunk are not sent.
      if (signal?.aborted) throw abortError(signal);
      if (line.kind === 'line' && line.text.trim() === '') {
        blankLinesSkipped += 1;
        continue;
      }
      if (layout === null) {
        layout = this.headerLayout(line, source);
        if (layout.mapped !== null && line.kind === 'line') mapped = this.mappedFileReader(layout.mapped, line.text);
        continue;
      }
      recordsRead += 1;
      const context = {
        layout: layout.name,
        source,
        fileId,
        recordNumber: recordsRead,
        maxRecordBytes: this.config.maxRecordBytes,
        traceParent: newTraceParent(),
        now: new Date(),
      };
      // The carrier path stays one message per row, with no per-row allocation beyond the message.
      if (mapped === null) stage(sourceRecordMessage(line, context));
      else for (const outcome of this.mappedRecordMessages(mapped, line, context)) stage(outcome);
      if (pending.count >= this.config.produceBatchSize || pending.bytes >= PENDING_FLUSH_BYTES) await flush();
      if (ratePerSecond) await this.pace(started, recordsRead, ratePerSecond, flush, signal);
    }
    if (mapped?.grouper) {
      const context = { layout: mapped.layout.name, source, fileId, maxRecordBytes: this.config.maxRecordBytes };
      for (const outcome of this.groupMessages(mapped, mapped.grouper.flush(), { ...context, now: new Date() })) {
        stage(outcome);
      }
    }
    await flush();
    if (layout === null) throw new IngestionError('FILE_EMPTY', `${source} has no header row`);

    const report: IngestReport = {
      schemaVersion: 1,
      source,
      fileId,
      layout: layout.name,
      recordsRead,
      recordsPublished,
      recordsDeadLettered,
      blankLinesSkipped,
      durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      completedAt: new Date().toISOString(),
    };
    // Last, after every record and dead letter of the file is acknowledged:
    // per-file accounting may trust that nothing of this file is still on its way.
    await this.pipeline.producer.send(
      new Map([[topics.ingestReports, [{ key: fileId, value: JSON.stringify(report), headers: {} }]]]),
    );
    this.logger.info({ report }, 'file ingested');
    return report;
  }

  /**
   * Reading state for a layout defined by a mapping file: its rows are keyed
   * by the file's own header, and a layout whose claims span adjacent rows
   * groups them, bounded so that a claim's raw event fits the record limit.
   */
  private mappedFileReader(layout: MappedLayout, header: string): MappedFileReader {
    const limits: GroupLimits = {
      maxRows: CLAIM_GROUP_MAX_ROWS,
      maxBytes: Math.max(0, this.config.maxRecordBytes - Buffer.byteLength(header) - RAW_EVENT_OVERHEAD_BYTES),
    };
    return {
      layout,
      header,
      binding: layout.bindHeader(header),
      grouper: layout.groupsRows ? new AdjacentRowGrouper(limits) : null,
      limits,
    };
  }

  /** What one row of a mapped layout's file becomes now: nothing yet (its claim goes on), or messages. */
  private mappedRecordMessages(
    reader: MappedFileReader,
    line: SourceLine,
    context: Parameters<typeof sourceRecordMessage>[1],
  ): SourceRecordMessage[] {
    const layoutContext = { ...context, header: reader.header, memberKey: reader.layout.kind === 'member_reference' };
    if (line.kind !== 'line') {
      // A row that is not text ends the claim before it; the row is dead-lettered alone.
      const held = reader.grouper ? this.groupMessages(reader, reader.grouper.flush(), context) : [];
      return [...held, sourceRecordMessage(line, layoutContext)];
    }
    let fields: string[] | null = null;
    try {
      fields = reader.layout.splitRecord(line.text);
    } catch (error) {
      // An unsplittable row still goes on alone; the normalizer dead-letters it with the reason.
      if (!(error instanceof SourceRecordError)) throw error;
    }
    const recordKey = fields === null ? null : reader.layout.recordKey(reader.binding, fields);
    if (reader.grouper === null) return [sourceRecordMessage(line, { ...layoutContext, claimId: recordKey })];
    const groupKey = fields === null ? null : reader.layout.groupKey(reader.binding, fields);
    const row = { text: line.text, recordNumber: context.recordNumber, byteLength: line.bytes.length, recordKey };
    return this.groupMessages(reader, reader.grouper.add(row, groupKey), context);
  }

  private groupMessages(
    reader: MappedFileReader,
    groups: ReturnType<AdjacentRowGrouper['flush']>,
    context: { layout: string; source: string; fileId: string; maxRecordBytes: number; now: Date },
  ): SourceRecordMessage[] {
    const groupContext = { ...context, header: reader.header, memberKey: reader.layout.kind === 'member_reference' };
    // Each claim starts its own trace, as each row of a one-row layout does.
    return groups.flatMap((group) =>
      rowGroupMessages(group, { ...groupContext, traceParent: newTraceParent() }, reader.limits),
    );
  }

  /** The layout a file's header row names. @throws IngestionError LAYOUT_UNKNOWN, listing the known layouts */
  private headerLayout(line: SourceLine, source: string): DetectedLayout {
    const known = `(known: ${this.layouts.knownLayoutNames().join(', ')})`;
    if (line.kind === 'too_large') {
      throw new IngestionError('LAYOUT_UNKNOWN', `the header row of ${source} is over the record size limit ${known}`);
    }
    if (line.kind === 'not_utf8') {
      throw new IngestionError('LAYOUT_UNKNOWN', `the header row of ${source} is not UTF-8 text ${known}`);
    }
    try {
      return this.layouts.detect(line.text);
    } catch (error) {
      if (error instanceof SourceRecordError) throw new IngestionError('LAYOUT_UNKNOWN', error.message);
      throw error;
    }
  }

  /** Holds the offered load at `ratePerSecond`, flushing before it waits so paced records leave promptly. */
  private async pace(
    started: bigint,
    records: number,
    ratePerSecond: number,
    flush: () => Promise<void>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const dueSeconds = records / ratePerSecond;
    const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (dueSeconds > elapsedSeconds) {
      await flush();
      await sleep((dueSeconds - elapsedSeconds) * 1000, undefined, signal ? { signal } : {});
    }
  }
}
