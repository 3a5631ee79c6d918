import type { IngestReport } from '@claims/contracts';
import { randomUUID } from 'node:crypto';
import { IngestionError } from '../ingestion/ingestion.errors';
import type { DryRunReport, IngestProgress } from '../ingestion/ingestion.types';

export type IngestJobState = 'running' | 'completed' | 'failed';

/** Which door started a job. */
export type IngestJobOrigin = 'request' | 'upload' | 'inbox';

/** An earlier ingestion of the same bytes: why an inbox file was not published again. */
export interface DuplicateOf {
  fileId: string;
  source: string;
  ingestedAt: string;
}

/** One ingestion as GET /v1/ingestions/:ingestId shows it. */
export interface IngestJobView extends IngestProgress {
  ingestId: string;
  origin: IngestJobOrigin;
  state: IngestJobState;
  source: string;
  layout: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string | null;
  /** The ingest report (or the dry-run report) once completed. */
  report: IngestReport | DryRunReport | null;
  /** Why it failed: a stable code and a message naming files and fields, never values. */
  error: { code: string; message: string } | null;
  /** Set when the job found the same bytes ingested before and published nothing. */
  duplicateOf: DuplicateOf | null;
}

export interface NewIngestJob {
  origin: IngestJobOrigin;
  source: string;
  layout: string;
  dryRun: boolean;
  bytesTotal: number;
}

interface IngestJob {
  view: IngestJobView;
  /** Stops a running job; its reason becomes the job's error. */
  cancel: (reason: IngestionError) => void;
}

export interface IngestJobLimits {
  /** Jobs running at once; one more is refused with INGEST_BUSY. */
  maxRunning: number;
  /** Finished jobs remembered; the oldest finished are forgotten first, running ones never. */
  history: number;
}

/**
 * The ingestor's jobs, in memory: a bounded history (a restarted ingestor
 * forgets them; what was published is accounted downstream by file id) and a
 * limit on jobs running at once, since each holds a file, a share of the
 * producer and of the ingestor's capped heap.
 */
export class IngestJobRegistry {
  private readonly jobs = new Map<string, IngestJob>();
  private running = 0;

  /**
   * @param onFinished told once when a running job ends, completed or failed
   *   (cancelled and timed-out jobs fail): what the ingest-file metrics count.
   *   A duplicate recorded without running is not a job that ended.
   */
  constructor(
    private readonly limits: IngestJobLimits,
    private readonly now: () => Date = () => new Date(),
    private readonly onFinished: (job: IngestJobView) => void = () => undefined,
  ) {}

  get hasCapacity(): boolean {
    return this.running < this.limits.maxRunning;
  }

  get runningCount(): number {
    return this.running;
  }

  /** @throws IngestionError INGEST_BUSY when as many jobs run as the limit allows */
  assertCapacity(): void {
    if (this.hasCapacity) return;
    throw new IngestionError(
      'INGEST_BUSY',
      `${this.running} ingestions are running, the most this ingestor runs at once; ask again when one has finished`,
    );
  }

  /** Registers a running job. @throws IngestionError INGEST_BUSY when the limit is reached */
  start(job: NewIngestJob, cancel: (reason: IngestionError) => void): IngestJobView {
    this.assertCapacity();
    const view = this.newView(job, 'running');
    this.jobs.set(view.ingestId, { view, cancel });
    this.running += 1;
    return { ...view };
  }

  /** Records a job that ended as it began: the same bytes were ingested before, so nothing was published. */
  recordDuplicate(job: NewIngestJob, duplicateOf: DuplicateOf): IngestJobView {
    const view = { ...this.newView(job, 'completed'), finishedAt: this.now().toISOString(), duplicateOf };
    this.jobs.set(view.ingestId, { view, cancel: () => undefined });
    this.forgetOldest();
    return { ...view };
  }

  progress(ingestId: string, progress: IngestProgress): void {
    const job = this.jobs.get(ingestId);
    if (job?.view.state === 'running') Object.assign(job.view, progress);
  }

  complete(ingestId: string, report: IngestReport | DryRunReport): IngestJobView | null {
    return this.finish(ingestId, (view) => {
      view.state = 'completed';
      view.report = report;
      view.layout = report.layout;
      view.recordsRead = report.recordsRead;
      view.recordsDeadLettered = report.recordsDeadLettered;
      view.recordsPublished = 'dryRun' in report ? report.recordsValid : report.recordsPublished;
      view.phase = 'reading';
      view.bytesRead = view.bytesTotal;
    });
  }

  fail(ingestId: string, error: { code: string; message: string }): IngestJobView | null {
    return this.finish(ingestId, (view) => {
      view.state = 'failed';
      view.error = error;
    });
  }

  /**
   * Asks a running job to stop; it fails with INGEST_CANCELLED once it has.
   * A finished job is answered as it is.
   * @throws IngestionError INGEST_NOT_FOUND
   */
  cancel(ingestId: string): IngestJobView {
    const job = this.jobs.get(ingestId);
    if (!job) throw this.notFound(ingestId);
    if (job.view.state === 'running') {
      job.cancel(new IngestionError('INGEST_CANCELLED', `the ingestion of ${job.view.source} was cancelled`));
    }
    return { ...job.view };
  }

  /** Stops every running job with `reason` (the ingestor is shutting down). */
  cancelAll(reason: IngestionError): void {
    for (const job of this.jobs.values()) if (job.view.state === 'running') job.cancel(reason);
  }

  /** @throws IngestionError INGEST_NOT_FOUND */
  get(ingestId: string): IngestJobView {
    const job = this.jobs.get(ingestId);
    if (!job) throw this.notFound(ingestId);
    return { ...job.view };
  }

  /** Every remembered job, newest first. */
  list(): IngestJobView[] {
    return [...this.jobs.values()].map((job) => ({ ...job.view })).reverse();
  }

  private newView(job: NewIngestJob, state: IngestJobState): IngestJobView {
    return {
      ingestId: randomUUID(),
      origin: job.origin,
      state,
      source: job.source,
      layout: job.layout,
      dryRun: job.dryRun,
      startedAt: this.now().toISOString(),
      finishedAt: null,
      phase: 'hashing',
      bytesRead: 0,
      bytesTotal: job.bytesTotal,
      recordsRead: 0,
      recordsPublished: 0,
      recordsDeadLettered: 0,
      report: null,
      error: null,
      duplicateOf: null,
    };
  }

  private finish(ingestId: string, settle: (view: IngestJobView) => void): IngestJobView | null {
    const job = this.jobs.get(ingestId);
    if (job?.view.state !== 'running') return null;
    settle(job.view);
    job.view.finishedAt = this.now().toISOString();
    this.running -= 1;
    this.forgetOldest();
    this.onFinished({ ...job.view });
    return { ...job.view };
  }

  private forgetOldest(): void {
    let finished = this.jobs.size - this.running;
    // Map order is start order: the first finished jobs met are the oldest.
    for (const [ingestId, job] of this.jobs) {
      if (finished <= this.limits.history) return;
      if (job.view.state === 'running') continue;
      this.jobs.delete(ingestId);
      finished -= 1;
    }
  }

  private notFound(ingestId: string): IngestionError {
    return new IngestionError(
      'INGEST_NOT_FOUND',
      `no ingestion ${ingestId.slice(0, 64)}: never started here, or older than the last ${this.limits.history} remembered`,
    );
  }
}
