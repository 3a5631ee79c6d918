import {
  CLAIM_TOPICS,
  DEAD_LETTER_HEADERS,
  DESYNPUF_CARRIER_LAYOUT,
  RawClaimRecordSchema,
  decodeEvent,
  type IngestReport,
} from '@claims/contracts';
import { DEAD_LETTER_MAX_ORIGINAL_BYTES, PipelineKafka, type OutboundMessage } from '@claims/kafka';
import {
  LOGGER,
  METRICS_REGISTRY,
  activeTraceParent,
  createStageMetrics,
  withFileTrace,
  type StageMetrics,
} from '@claims/observability';
import {
  ClaimRowGrouper,
  CLAIM_GROUP_MAX_ROWS,
  CodeLists,
  NOT_TEXT_REASONS,
  QuotedRecordJoiner,
  SourceLayoutRegistry,
  SourceRecordError,
  boundedLinesOf,
  eventDateOfRecord,
  isBlankRow,
  isDesynpufCarrierHeader,
  loadSourceLayouts,
  normalizeSourceRecord,
  parseCsvRecord,
  utf16EncodingOf,
  type DetectedLayout,
  type GroupLimits,
  type MappedLayout,
  type SourceLine,
} from '@claims/source-layouts';
import {
  X12_FILE_LAYOUT,
  X12Error,
  isX12Layout,
  isX12Start,
  normalizeX12RecordEvents,
  x12EnvelopeVerdictsOf,
  x12TokensOf,
  x12TransactionSetsOf,
} from '@claims/x12';
import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { IngestorConfig } from '../ingestor.config';
import { INGESTOR_CONFIG } from '../ingestor.tokens';
import type { DryRunReport, IngestProgress, SourceFileCheck } from './ingestion.types';
import { confineToIngestRoot } from './ingest-root';
import { IngestionError } from './ingestion.errors';
import { pacedWaitMilliseconds } from './paced-wait';
import {
  asFileOpenRefusal,
  notRegularFileReason,
  openSourceBytes,
  readableSourceCompression,
  utf16WithoutByteOrderMark,
  type SourceCompression,
} from './source-file';
import { rowGroupMessages, sourceRecordMessage, type SourceRecordMessage } from './source-record-message';
import { x12RecordMessage } from './x12-record-message';

/**
 * Pending messages are sent once they reach this size even before a full
 * batch: a batch of near-limit records would otherwise hold hundreds of MB in
 * a heap capped at 128 MB.
 */
const PENDING_FLUSH_BYTES = 4 * 1024 * 1024;
/** Room a raw event needs beyond its rows and header: ids, lineage, JSON framing and headers. */
const RAW_EVENT_OVERHEAD_BYTES = 4 * 1024;
const DAY_MILLISECONDS = 86_400_000;
/**
 * A paced record waits up to this long after it was read for the records due
 * after it, and they leave in one produce request (a Kafka producer's
 * `linger.ms`); a record with no other due within it leaves before the wait.
 */
const PACED_LINGER_MS = 20;
/**
 * The most lines a record whose quoted field spans lines is joined from (a
 * free-text note's paragraphs); a quote still open after them was a stray
 * one, and its line goes on alone.
 */
const QUOTED_RECORD_MAX_LINES = 100;
/**
 * The most bytes (gunzipped) a door reads of a file looking for its header
 * row: a header at the record limit in UTF-16 (twice its UTF-8 size) after
 * megabytes of blank lines fits, while a file with no line break (a
 * preallocated file of NULs, a gzip member of one endless line) is refused
 * at once rather than read through before the door answers, outside any
 * job's time limit.
 */
const HEADER_SEARCH_BYTES = 32 * 1024 * 1024;

export interface IngestFileOptions {
  /** Optional pacing for replays and load tests: records per second. */
  ratePerSecond?: number;
  /**
   * Optional pacing on the records' own event dates: a record dated a day
   * after the file's first is sent 86,400 / speedup seconds after it.
   */
  speedup?: number;
  /** The layout the caller says the file has; its header must fit it (LAYOUT_MISMATCH otherwise). */
  layout?: string;
  /**
   * Stops the ingestion (the file is closed at once) when aborted. An
   * IngestionError as the abort reason is what the caller gets back; any
   * other reason becomes INGEST_ABORTED.
   */
  signal?: AbortSignal;
  /** Told how far the ingestion is: bytes as the file is read, records as the broker acknowledges them. */
  onProgress?: (progress: IngestProgress) => void;
  /** The folder the file must lie under: the ingest root, unless a door keeps its own (the inbox). */
  root?: string;
}

/**
 * A record's W3C traceparent: the file's span (`withFileTrace`), so every
 * stage's work on the record lands in the file's trace; a trace of its own
 * outside one (a dry run publishes nothing).
 */
function newTraceParent(): string {
  return activeTraceParent() ?? `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
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

/**
 * The chunks of `chunks` until more than `maxBytes` have gone by: the
 * chunk that crosses the bound is still given, so a line ending in it is
 * read, and asking for one more throws `refusal()` (which closes the file).
 */
async function* firstBytesUpTo(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
  refusal: () => Error,
): AsyncGenerator<Uint8Array, void, undefined> {
  let given = 0;
  for await (const chunk of chunks) {
    if (given > maxBytes) throw refusal();
    given += chunk.length;
    yield chunk;
  }
}

/**
 * Refuses a file whose bytes, as a reading pass saw them, are not those its
 * id was made of: it was cut short, appended to or rewritten while being
 * ingested, so a report under that id would not describe what was read.
 * @throws IngestionError FILE_CHANGED
 */
function assertUnchanged(file: Pick<OpenedFile, 'source' | 'fileId'>, read: Hash): void {
  if (read.digest('hex') === file.fileId) return;
  throw new IngestionError(
    'FILE_CHANGED',
    `${file.source} changed while it was being read (cut short, appended to or rewritten): ingest it again once it is whole`,
  );
}

/** The messages of a file not sent yet, per topic, their size, and the source rows they stand for. */
class PendingMessages {
  raw: OutboundMessage[] = [];
  deadLetters: OutboundMessage[] = [];
  rawRows = 0;
  bytes = 0;
  /** `performance.now()` when the first of them was added. */
  firstAddedAt: number | null = null;

  get count(): number {
    return this.raw.length + this.deadLetters.length;
  }

  add(outcome: SourceRecordMessage): void {
    if (outcome.kind === 'raw') {
      this.raw.push(outcome.message);
      this.rawRows += outcome.rows;
    } else this.deadLetters.push(outcome.message);
    this.bytes += outcome.message.value.length;
    this.firstAddedAt ??= performance.now();
  }
}

/** How a mapped layout's rows are read into raw events: column positions, keys and the claim grouper. */
interface MappedFileReader {
  layout: MappedLayout;
  header: string;
  binding: ReturnType<MappedLayout['bindHeader']>;
  grouper: ClaimRowGrouper | null;
  limits: GroupLimits;
}

/**
 * Joins the lines of a record whose quoted field holds line breaks, for a
 * layout that quotes: a joined record must split into the header's columns,
 * or its first line was a stray quote and goes on alone. Null for a layout
 * without quoting (RIF extracts), whose every line is a record.
 */
function quotedRecordJoiner(reader: MappedFileReader, maxRecordBytes: number): QuotedRecordJoiner | null {
  const { layout, binding } = reader;
  if (layout.quote === null) return null;
  const fitsHeader = (record: string): boolean => {
    try {
      return layout.fitsColumns(binding, layout.splitRecord(record).length);
    } catch (error) {
      if (error instanceof SourceRecordError) return false;
      throw error;
    }
  };
  return new QuotedRecordJoiner(layout.quote, fitsHeader, { maxRecordBytes, maxLines: QUOTED_RECORD_MAX_LINES });
}

/** Where the messages of a file go: the broker, or a dry run's tally. */
interface RecordSink {
  accept(outcome: SourceRecordMessage): void;
  /** Whether enough is pending to be sent now (checked after every record, so it stays synchronous). */
  readonly due: boolean;
  /** `performance.now()` when the oldest message not yet sent was accepted; null when none waits. */
  readonly pendingSince: number | null;
  /** Sends what is pending; a dry run sends nothing. */
  flush(): Promise<void>;
}

/** A confined source file, ready to be read. */
interface OpenedFile {
  path: string;
  source: string;
  fileId: string;
  bytesTotal: number;
  compression: SourceCompression;
}

/** What reading a file found: its layout (`x12` for an interchange file), its rows and the blank lines it skipped. */
interface ReadSummary {
  layout: Pick<DetectedLayout, 'name'>;
  recordsRead: number;
  blankLinesSkipped: number;
  /** Records recognised and not published, by code and reason (outside recordsRead). */
  skipped: SkippedRecords;
}

/** The skipped records of a file, tallied by code and reason for its report. */
class SkippedRecords {
  private readonly byReason = new Map<string, { code: string; reason: string; records: number }>();
  total = 0;

  add(code: string, reason: string): void {
    const key = `${code}\u0000${reason}`;
    const entry = this.byReason.get(key) ?? { code, reason, records: 0 };
    entry.records += 1;
    this.byReason.set(key, entry);
    this.total += 1;
  }

  /** The report's fields; none when nothing was skipped, so reports of other files keep their shape. */
  reportFields(): Pick<IngestReport, 'recordsSkipped' | 'skippedByReason'> {
    if (this.total === 0) return {};
    const skippedByReason = [...this.byReason.values()].sort(
      (left, right) => right.records - left.records || left.reason.localeCompare(right.reason),
    );
    return { recordsSkipped: this.total, skippedByReason };
  }
}

/**
 * Streams a source file, one raw event per record, keyed by claim id. The
 * file id is the SHA-256 of its bytes as stored (compressed or not) and event
 * ids depend only on record bytes, so ingesting the same file twice, or its
 * gzip twin, publishes the same events again and downstream recognises every
 * one of them. A record no broker would take, or that is not text, becomes a
 * dead letter and the file goes on; the report, published last, accounts for
 * every record.
 */
@Injectable()
export class FileIngestionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private layouts = SourceLayoutRegistry.builtInOnly();

  /** Null at the CLI door, which serves no /metrics. */
  private readonly metrics: StageMetrics | null;

  /** The reading and publishing of every file under way, settled or not by its caller's abort. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly pipeline: PipelineKafka,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    this.metrics = registry ? createStageMetrics(registry) : null;
  }

  /** The same stage counters every consuming stage exports, so dashboards and alerts cover the ingestor too. */
  private countSent(sending: PendingMessages): void {
    if (!this.metrics) return;
    this.metrics.recordsTotal.inc({ stage: 'ingestor', outcome: 'emitted' }, sending.rawRows);
    this.metrics.recordsTotal.inc({ stage: 'ingestor', outcome: 'dead_lettered' }, sending.deadLetters.length);
    for (const letter of sending.deadLetters) {
      const errorCode = letter.headers[DEAD_LETTER_HEADERS.errorCode] ?? 'UNKNOWN';
      this.metrics.deadLettersTotal.inc({ stage: 'ingestor', error_code: errorCode });
    }
  }

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
   * What can be known of a file before reading it through: that it lies under
   * the root, exists, and starts with a header row of a known layout (the one
   * the caller named, if any). A door checks this before it answers, so a
   * file refused as a whole is refused at once.
   *
   * @throws IngestionError PATH_OUTSIDE_INGEST_ROOT, FILE_NOT_FOUND, FILE_EMPTY, LAYOUT_UNKNOWN, LAYOUT_MISMATCH, FILE_COMPRESSION_INVALID, FILE_COMPRESSION_UNSUPPORTED, FILE_FORMAT_UNSUPPORTED
   */
  async checkSourceFile(
    requestedPath: string,
    options: Pick<IngestFileOptions, 'layout' | 'root'> = {},
  ): Promise<SourceFileCheck> {
    const located = await this.locate(requestedPath, options.root);
    const { path, source, bytesTotal, compression } = located;
    // Told from the file's bytes as the job tells it (isX12File), so that the door never starts a job the job refuses.
    const firstBytes = await this.firstBytesOf(located);
    if (isX12Start(firstBytes)) {
      // An X12 file has no header row: its transaction sets name their own layouts.
      if (options.layout !== undefined && options.layout !== X12_FILE_LAYOUT) {
        throw new IngestionError(
          'LAYOUT_MISMATCH',
          `${source} is an X12 interchange, not layout ${options.layout} (name layout ${X12_FILE_LAYOUT} or none)`,
        );
      }
      return { path, source, bytesTotal, compression, layout: X12_FILE_LAYOUT };
    }
    const noHeaderRow = (): IngestionError =>
      new IngestionError(
        'LAYOUT_UNKNOWN',
        `${source} has no header row in its first ${HEADER_SEARCH_BYTES} bytes: a first line over the record size limit, ` +
          `or no line break at all (known: ${this.layouts.knownLayoutNames().join(', ')})`,
      );
    const lines = boundedLinesOf(
      firstBytesUpTo(openSourceBytes(path, compression, source), HEADER_SEARCH_BYTES, noHeaderRow),
      {
        maxLineBytes: this.config.maxRecordBytes,
        prefixBytes: DEAD_LETTER_MAX_ORIGINAL_BYTES,
      },
    );
    for await (const line of lines) {
      if (line.kind === 'line' && line.text.trim() === '') continue;
      if (line.kind === 'line' && isX12Start(line.bytes)) {
        // An interchange only once decoded: the X12 reader takes the bytes its sender wrote, ASCII or UTF-8.
        throw new IngestionError(
          'LAYOUT_UNKNOWN',
          utf16EncodingOf(firstBytes) === null
            ? `${source} holds an X12 interchange after a first line that is not X12: send the interchange alone`
            : `${source} is an X12 interchange saved as UTF-16 text: send it as ASCII or UTF-8, as X12 is written`,
        );
      }
      // Returning ends the iteration, which closes the file.
      return { path, source, bytesTotal, compression, layout: this.headerLayout(line, source, options.layout).name };
    }
    throw new IngestionError('FILE_EMPTY', `${source} has no header row`);
  }

  /**
   * Ingests a file under the ingest root, given relative to it or absolute:
   * every door comes through here, so none can skip the confinement.
   */
  async ingestFile(requestedPath: string, options: IngestFileOptions = {}): Promise<IngestReport> {
    return this.untilDone(requestedPath, options, this.publishFile(requestedPath, options));
  }

  /**
   * Reads and checks a file as an ingestion would, publishing nothing: its
   * layout, its records, and which of them the ingestor and the normalizer's
   * mapping would dead-letter, and why.
   */
  async dryRunFile(requestedPath: string, options: IngestFileOptions = {}): Promise<DryRunReport> {
    return this.untilDone(requestedPath, options, this.checkFile(requestedPath, options));
  }

  /**
   * Resolves once no file is being read or published any more: an aborted
   * ingestion answers its caller at once, but its last producer request is
   * still on its way; the shutdown waits for it before the producer closes.
   */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async untilDone<T>(requestedPath: string, options: IngestFileOptions, started: Promise<T>): Promise<T> {
    const settled = started.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    const { signal } = options;
    const work = started.catch((error: unknown) => {
      throw signal?.aborted ? abortError(signal) : error;
    });
    try {
      return await (signal ? untilAborted(work, signal) : work);
    } catch (error) {
      if (
        error instanceof IngestionError &&
        (error.code === 'INGEST_TIMEOUT' || error.code === 'INGEST_ABORTED' || error.code === 'INGEST_CANCELLED')
      ) {
        this.logger.warn({ source: basename(requestedPath), code: error.code }, 'ingestion stopped');
      }
      throw error;
    }
  }

  private async locate(requestedPath: string, root: string | undefined): Promise<Omit<OpenedFile, 'fileId'>> {
    const path = await confineToIngestRoot(root ?? this.config.ingestRoot, requestedPath);
    const source = basename(path);
    const info = await stat(path).catch(() => null);
    if (info === null) throw new IngestionError('FILE_NOT_FOUND', `no such file: ${source}`);
    // Never opened: a named pipe would hold the job until a writer came, a device would never end.
    if (!info.isFile()) throw new IngestionError('FILE_NOT_FOUND', `${source} ${notRegularFileReason(info)}`);
    try {
      return { path, source, bytesTotal: info.size, compression: await readableSourceCompression(path, source) };
    } catch (error) {
      throw asFileOpenRefusal(error, source);
    }
  }

  private async open(requestedPath: string, options: IngestFileOptions): Promise<OpenedFile> {
    const located = await this.locate(requestedPath, options.root);
    const report = (bytesRead: number): void =>
      options.onProgress?.({
        phase: 'hashing',
        bytesRead,
        bytesTotal: located.bytesTotal,
        recordsRead: 0,
        recordsPublished: 0,
        recordsDeadLettered: 0,
      });
    let hashed = 0;
    const hash = createHash('sha256');
    // The file id is the hash of the bytes as stored: a gzip file is hashed compressed. A gzip file is
    // gunzipped on this pass too (its output dropped), so that one damaged or cut short is refused
    // (FILE_COMPRESSION_INVALID) before any of its records is published, not after most of them.
    for await (const chunk of openSourceBytes(located.path, located.compression, located.source, {
      ...(options.signal ? { signal: options.signal } : {}),
      onBytesRead: (bytes) => report((hashed += bytes)),
      hash,
    })) {
      void chunk;
    }
    return { ...located, fileId: hash.digest('hex') };
  }

  private async publishFile(requestedPath: string, options: IngestFileOptions): Promise<IngestReport> {
    const started = process.hrtime.bigint();
    const file = await this.open(requestedPath, options);
    return withFileTrace(file.fileId, {}, () => this.publishOpenedFile(file, options, started));
  }

  private async publishOpenedFile(
    file: OpenedFile,
    options: IngestFileOptions,
    started: bigint,
  ): Promise<IngestReport> {
    const topics = {
      raw: this.pipeline.topic(CLAIM_TOPICS.raw),
      deadLetter: this.pipeline.topic(CLAIM_TOPICS.deadLetter),
      ingestReports: this.pipeline.topic(CLAIM_TOPICS.ingestReports),
    };
    const counts = { recordsPublished: 0, recordsDeadLettered: 0 };
    const produceBatchSize = this.config.produceBatchSize;
    let pending = new PendingMessages();
    const sink: RecordSink = {
      accept: (outcome) => {
        if (outcome.kind === 'dead_letter') {
          this.logger.warn(
            {
              source: file.source,
              fileId: file.fileId,
              recordNumber: outcome.recordNumber,
              errorCode: outcome.errorCode,
            },
            'source record dead-lettered',
          );
        }
        pending.add(outcome);
      },
      get due() {
        return pending.count >= produceBatchSize || pending.bytes >= PENDING_FLUSH_BYTES;
      },
      get pendingSince() {
        return pending.firstAddedAt;
      },
      // Counts grow only once the broker has acknowledged, so the report never claims an unsent record.
      flush: async () => {
        if (pending.count === 0) return;
        const sending = pending;
        pending = new PendingMessages();
        await this.pipeline.producer.send(
          new Map([
            [topics.raw, sending.raw],
            [topics.deadLetter, sending.deadLetters],
          ]),
        );
        counts.recordsPublished += sending.rawRows;
        counts.recordsDeadLettered += sending.deadLetters.length;
        this.countSent(sending);
      },
    };
    const read = await this.readRecords(file, options, sink, counts);

    const report: IngestReport = {
      schemaVersion: 1,
      source: file.source,
      fileId: file.fileId,
      layout: read.layout.name,
      recordsRead: read.recordsRead,
      recordsPublished: counts.recordsPublished,
      recordsDeadLettered: counts.recordsDeadLettered,
      blankLinesSkipped: read.blankLinesSkipped,
      ...read.skipped.reportFields(),
      durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      completedAt: new Date().toISOString(),
    };
    // Last, after every record and dead letter of the file is acknowledged:
    // per-file accounting may trust that nothing of this file is still on its way.
    await this.pipeline.producer.send(
      new Map([[topics.ingestReports, [{ key: file.fileId, value: JSON.stringify(report), headers: {} }]]]),
    );
    this.logger.info({ report }, 'file ingested');
    return report;
  }

  private async checkFile(requestedPath: string, options: IngestFileOptions): Promise<DryRunReport> {
    const started = process.hrtime.bigint();
    const file = await this.open(requestedPath, options);
    const counts = { recordsPublished: 0, recordsDeadLettered: 0 };
    const deadLetters = new Map<string, { stage: 'ingestor' | 'normalizer'; errorCode: string; records: number }>();
    const countDeadLetter = (stage: 'ingestor' | 'normalizer', errorCode: string, records: number): void => {
      const key = `${stage}:${errorCode}`;
      const entry = deadLetters.get(key) ?? { stage, errorCode, records: 0 };
      entry.records += records;
      deadLetters.set(key, entry);
      counts.recordsDeadLettered += records;
    };
    // A key of this run only: the patient tokens made here are thrown away with the events.
    const normalizeOptions = {
      patientTokenKey: randomBytes(24).toString('hex'),
      serviceDateRange: this.config.serviceDateRange,
      layouts: this.layouts,
      codeLists: CodeLists.none(),
    };
    const sink: RecordSink = {
      accept: (outcome) => {
        if (outcome.kind === 'dead_letter') {
          countDeadLetter('ingestor', outcome.errorCode, 1);
          return;
        }
        // The normalizer's own steps, on the raw event as the normalizer would receive it.
        const decoded = decodeEvent(RawClaimRecordSchema, outcome.message.value);
        if (!decoded.ok) {
          countDeadLetter('normalizer', decoded.code, outcome.rows);
          return;
        }
        try {
          if (isX12Layout(decoded.event.layout)) normalizeX12RecordEvents(decoded.event, normalizeOptions);
          else normalizeSourceRecord(decoded.event, normalizeOptions);
          counts.recordsPublished += outcome.rows;
        } catch (error) {
          if (!(error instanceof SourceRecordError) && !(error instanceof X12Error)) throw error;
          countDeadLetter('normalizer', error.code, outcome.rows);
        }
      },
      due: false,
      pendingSince: null,
      flush: async () => undefined,
    };
    const read = await this.readRecords(file, options, sink, counts);
    return {
      dryRun: true,
      source: file.source,
      fileId: file.fileId,
      layout: read.layout.name,
      compression: file.compression,
      recordsRead: read.recordsRead,
      recordsValid: counts.recordsPublished,
      recordsDeadLettered: counts.recordsDeadLettered,
      blankLinesSkipped: read.blankLinesSkipped,
      ...read.skipped.reportFields(),
      deadLettersByReason: [...deadLetters.values()].sort(
        (left, right) => right.records - left.records || left.errorCode.localeCompare(right.errorCode),
      ),
      durationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  }

  /** Reads every record of the file into `sink`, pacing as asked; answers what it read. */
  private async readRecords(
    file: OpenedFile,
    options: IngestFileOptions,
    sink: RecordSink,
    counts: { recordsPublished: number; recordsDeadLettered: number },
  ): Promise<ReadSummary> {
    const { signal, ratePerSecond, speedup } = options;
    const started = process.hrtime.bigint();
    const { source, fileId } = file;
    // Assigned as the lines are read (readLine below): typed so, not narrowed to their first value.
    let layout = null as DetectedLayout | null;
    let header = '';
    let mapped = null as MappedFileReader | null;
    let recordsRead = 0;
    let blankLinesSkipped = 0;
    let bytesRead = 0;
    let firstEventMilliseconds: number | null = null;
    const report = (): void =>
      options.onProgress?.({
        phase: 'reading',
        bytesRead,
        bytesTotal: file.bytesTotal,
        recordsRead,
        recordsPublished: counts.recordsPublished,
        recordsDeadLettered: counts.recordsDeadLettered,
      });
    const flush = async (): Promise<void> => {
      await sink.flush();
      report();
    };
    if (await this.isX12File(file)) {
      if (options.layout !== undefined && options.layout !== X12_FILE_LAYOUT) {
        throw new IngestionError('LAYOUT_MISMATCH', `${source} is an X12 interchange, not layout ${options.layout}`);
      }
      const open = (hash: Hash): AsyncIterable<Uint8Array> =>
        openSourceBytes(file.path, file.compression, source, {
          ...(signal ? { signal } : {}),
          onBytesRead: (bytes) => {
            bytesRead += bytes;
            report();
          },
          hash,
        });
      // A first pass finds the interchanges and groups whose trailers fail them as a whole, so that
      // none of their transaction sets is published before the trailer is read; it holds only the verdicts.
      const firstPass = createHash('sha256');
      const verdicts = await x12EnvelopeVerdictsOf(x12TokensOf(open(firstPass)));
      assertUnchanged(file, firstPass);
      bytesRead = 0;
      const secondPass = createHash('sha256');
      const items = x12TransactionSetsOf(x12TokensOf(open(secondPass)), {
        verdicts,
        maxTransactionChars: this.config.maxRecordBytes,
      });
      const skipped = new SkippedRecords();
      for await (const item of items) {
        if (signal?.aborted) throw abortError(signal);
        const context = {
          source,
          fileId,
          maxRecordBytes: this.config.maxRecordBytes,
          traceParent: newTraceParent(),
          now: new Date(),
        };
        const outcome = x12RecordMessage(item, context);
        if (outcome.kind === 'skipped') {
          skipped.add(outcome.code, outcome.reason);
          continue;
        }
        recordsRead += 1;
        sink.accept(outcome);
        if (sink.due) await flush();
        if (ratePerSecond) await this.pace(started, recordsRead / ratePerSecond, sink, flush, signal);
      }
      assertUnchanged(file, secondPass);
      await flush();
      if (skipped.total > 0) {
        this.logger.info(
          { source, fileId, skipped: skipped.reportFields().skippedByReason },
          'transaction sets skipped',
        );
      }
      return { layout: { name: X12_FILE_LAYOUT }, recordsRead, blankLinesSkipped: 0, skipped };
    }

    const readHash = createHash('sha256');
    const lines = boundedLinesOf(
      openSourceBytes(file.path, file.compression, source, {
        ...(signal ? { signal } : {}),
        onBytesRead: (bytes) => {
          bytesRead += bytes;
          report();
        },
        hash: readHash,
      }),
      { maxLineBytes: this.config.maxRecordBytes, prefixBytes: DEAD_LETTER_MAX_ORIGINAL_BYTES },
    );
    // Set once the header names a quoting layout: joins a record whose quoted field spans lines.
    let joiner = null as QuotedRecordJoiner | null;
    const readLine = async (line: SourceLine): Promise<void> => {
      if (line.kind === 'line' && line.text.trim() === '') {
        blankLinesSkipped += 1;
        return;
      }
      if (layout === null) {
        layout = this.headerLayout(line, source, options.layout);
        if (line.kind === 'line') header = line.text;
        if (layout.mapped !== null && line.kind === 'line') {
          mapped = this.mappedFileReader(layout.mapped, line.text);
          joiner = quotedRecordJoiner(mapped, this.config.maxRecordBytes);
        }
        return;
      }
      if (line.kind === 'line' && isBlankRow(layout, line.text)) {
        blankLinesSkipped += 1;
        return;
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
      if (mapped === null) sink.accept(sourceRecordMessage(line, context));
      else for (const outcome of this.mappedRecordMessages(mapped, line, context)) sink.accept(outcome);
      if (sink.due) await flush();
      if (ratePerSecond) await this.pace(started, recordsRead / ratePerSecond, sink, flush, signal);
      else if (speedup && line.kind === 'line') {
        const eventDate = eventDateOfRecord(layout, header, line.text);
        if (eventDate !== null) {
          const eventMilliseconds = Date.parse(`${eventDate}T00:00:00Z`);
          firstEventMilliseconds ??= eventMilliseconds;
          const dueSeconds = (eventMilliseconds - firstEventMilliseconds) / 1000 / speedup;
          await this.pace(started, dueSeconds, sink, flush, signal);
        }
      }
    };
    for await (const line of lines) {
      // The aborted stream is closed already; the lines of its last chunk are not sent.
      if (signal?.aborted) throw abortError(signal);
      if (joiner === null) await readLine(line);
      else for (const record of joiner.push(line)) await readLine(record);
    }
    if (joiner !== null) for (const record of joiner.end()) await readLine(record);
    if (mapped?.grouper) {
      const context = { layout: mapped.layout.name, source, fileId, maxRecordBytes: this.config.maxRecordBytes };
      for (const outcome of this.groupMessages(mapped, mapped.grouper.flush(), { ...context, now: new Date() })) {
        sink.accept(outcome);
      }
    }
    // Before the last records and the report leave: they must be of the bytes the file id names.
    assertUnchanged(file, readHash);
    await flush();
    if (layout === null) throw new IngestionError('FILE_EMPTY', `${source} has no header row`);
    return { layout, recordsRead, blankLinesSkipped, skipped: new SkippedRecords() };
  }

  /**
   * Reading state for a layout defined by a mapping file: its rows are keyed
   * by the file's own header, and a layout whose claims span several rows
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
      grouper: layout.groupsRows
        ? new ClaimRowGrouper(limits, { refuseRepeatedRows: layout.refusesRepeatedRows })
        : null,
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
      // A row that is not text (or too long) is dead-lettered alone and ends no claim: ending the claim whose
      // rows sit around it would make its later rows a second record of it, replacing the first in claim state.
      return [sourceRecordMessage(line, layoutContext)];
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
    const groupKey = fields === null ? null : reader.layout.groupKey(reader.binding, fields, recordKey);
    const blockKey = fields === null ? null : reader.layout.blockKey(reader.binding, fields, groupKey);
    const row = { text: line.text, recordNumber: context.recordNumber, byteLength: line.bytes.length, recordKey };
    return this.groupMessages(reader, reader.grouper.add(row, groupKey, blockKey), context);
  }

  private groupMessages(
    reader: MappedFileReader,
    groups: ReturnType<ClaimRowGrouper['flush']>,
    context: { layout: string; source: string; fileId: string; maxRecordBytes: number; now: Date },
  ): SourceRecordMessage[] {
    const groupContext = { ...context, header: reader.header, memberKey: reader.layout.kind === 'member_reference' };
    // Each claim starts its own trace, as each row of a one-row layout does.
    return groups.flatMap((group) =>
      rowGroupMessages(group, { ...groupContext, traceParent: newTraceParent() }, reader.limits),
    );
  }

  /** Whether the file (gunzipped, if it is gzip) starts as an X12 interchange: `ISA` before anything else. */
  private async isX12File(file: Omit<OpenedFile, 'fileId'>): Promise<boolean> {
    return isX12Start(await this.firstBytesOf(file));
  }

  /** The file's first read chunks (gunzipped, if it is gzip), at least 64 bytes of them unless it is shorter. */
  private async firstBytesOf(file: Omit<OpenedFile, 'fileId'>): Promise<Buffer> {
    let head = Buffer.alloc(0);
    // Returning ends the iteration, which closes the file.
    for await (const chunk of openSourceBytes(file.path, file.compression, file.source)) {
      head = Buffer.concat([head, chunk]);
      if (head.length >= 64) break;
    }
    return head;
  }

  /**
   * The layout a file's header row names, or the layout the caller named
   * provided the header fits it.
   * @throws IngestionError LAYOUT_UNKNOWN (listing the known layouts), LAYOUT_MISMATCH
   */
  private headerLayout(line: SourceLine, source: string, requested: string | undefined): DetectedLayout {
    const known = `(known: ${this.layouts.knownLayoutNames().join(', ')})`;
    if (line.kind === 'too_large') {
      throw new IngestionError('LAYOUT_UNKNOWN', `the header row of ${source} is over the record size limit ${known}`);
    }
    if (line.kind === 'not_text') {
      // UTF-16 without its byte-order mark reads as NUL bytes between letters: say what it is and what to send.
      const utf16 = utf16WithoutByteOrderMark(line.bytes);
      throw new IngestionError(
        'LAYOUT_UNKNOWN',
        utf16 === null
          ? `the header row of ${source} ${NOT_TEXT_REASONS[line.cause]} ${known}`
          : `${source} is UTF-16 (${utf16 === 'utf-16le' ? 'little' : 'big'}-endian) text without a byte-order mark: save it as UTF-8, or as UTF-16 with its byte-order mark`,
      );
    }
    if (requested === undefined) {
      try {
        return this.layouts.detect(line.text);
      } catch (error) {
        if (error instanceof SourceRecordError) {
          // The registry's message names no file: a refusal read in a log or a folder must.
          throw new IngestionError(
            'LAYOUT_UNKNOWN',
            error.message.replace(/^the header row/, `the header row of ${source}`),
          );
        }
        throw error;
      }
    }
    const named: DetectedLayout | null =
      requested === DESYNPUF_CARRIER_LAYOUT
        ? { name: DESYNPUF_CARRIER_LAYOUT, mapped: null }
        : ((mapped) => (mapped ? { name: mapped.name, mapped } : null))(this.layouts.mapped(requested));
    if (named === null) throw new IngestionError('LAYOUT_UNKNOWN', `no layout is named ${requested} ${known}`);
    if (this.headerFits(named, line.text)) return named;
    let readsAs = 'no known layout';
    try {
      readsAs = `layout ${this.layouts.detect(line.text).name}`;
    } catch {
      // It fits no layout at all: said as such.
    }
    throw new IngestionError(
      'LAYOUT_MISMATCH',
      `the header row of ${source} does not fit layout ${named.name} (it reads as ${readsAs})`,
    );
  }

  private headerFits(layout: DetectedLayout, header: string): boolean {
    if (layout.mapped !== null) return layout.mapped.matchesHeader(header);
    try {
      return isDesynpufCarrierHeader(parseCsvRecord(header));
    } catch {
      return false;
    }
  }

  /**
   * Holds the offered load until `dueSeconds` after the start (a record due
   * within PACED_EARLY_MS goes on at once). What is pending is sent before
   * the wait once the wait would keep its oldest record past
   * PACED_LINGER_MS: a record per produce request at a steady rate cost the
   * broker and the ingestor more than all the stages' work.
   */
  private async pace(
    started: bigint,
    dueSeconds: number,
    sink: RecordSink,
    flush: () => Promise<void>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const elapsedMilliseconds = (): number => Number(process.hrtime.bigint() - started) / 1e6;
    const waitMilliseconds = pacedWaitMilliseconds(dueSeconds * 1000, elapsedMilliseconds());
    if (waitMilliseconds === 0) return;
    const remainingSeconds = (): number => dueSeconds - elapsedMilliseconds() / 1000;
    const pendingSince = sink.pendingSince;
    if (pendingSince !== null && performance.now() + waitMilliseconds - pendingSince >= PACED_LINGER_MS) await flush();
    // In slices of at most a day: a record dated years after the first must not arm a timer Node cannot hold.
    for (let remaining = remainingSeconds(); remaining > 0; remaining = remainingSeconds()) {
      await sleep(Math.min(remaining * 1000, DAY_MILLISECONDS), undefined, signal ? { signal } : {});
    }
  }
}
