import { LOGGER, METRICS_REGISTRY } from '@claims/observability';
import { Inject, Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { IngestorConfig } from '../ingestor.config';
import { INGESTOR_CONFIG } from '../ingestor.tokens';
import type { IngestSettings } from '@claims/contracts';
import { FileIngestionService, type IngestFileOptions } from '../ingestion/file-ingestion.service';
import { IngestionError } from '../ingestion/ingestion.errors';
import { IngestJobRegistry, type DuplicateOf, type IngestJobOrigin, type IngestJobView } from './ingest-job-registry';

/** A started job: its view at once, and its end for a door that waits (the inbox). */
export interface StartedIngestJob {
  view: IngestJobView;
  finished: Promise<IngestJobView>;
}

export interface IngestJobDoor {
  origin: IngestJobOrigin;
  /** The folder the file must lie under, when the door keeps its own (the inbox). */
  root?: string;
}

/** How a failure reads in a job's status: its own code, or INGEST_FAILED for the unforeseen (broker gone, …). */
function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof IngestionError) return { code: error.code, message: error.message };
  return { code: 'INGEST_FAILED', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Ingestions as jobs: a door checks the file (confinement, existence, layout)
 * and answers at once with the job, which runs in the background under the
 * time limit and can be followed and cancelled. Every door (HTTP, upload,
 * inbox) starts its jobs here, so the limits hold across them.
 */
@Injectable()
export class IngestJobsService implements BeforeApplicationShutdown {
  readonly registry: IngestJobRegistry;

  constructor(
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly ingestion: FileIngestionService,
    @Optional() @Inject(METRICS_REGISTRY) metricsRegistry?: Registry,
  ) {
    const filesTotal = metricsRegistry ? ingestFilesCounter(metricsRegistry) : null;
    this.registry = new IngestJobRegistry(
      { maxRunning: config.maxRunningJobs, history: config.jobHistory },
      () => new Date(),
      (job) => {
        // A dry run reads and publishes nothing: it is a check, not an ingested file.
        if (!job.dryRun && job.state !== 'running') filesTotal?.inc({ outcome: job.state });
      },
    );
  }

  /**
   * Stops the running jobs at a record boundary before the producer is
   * disconnected under them, and waits for the producer request each had
   * under way to be acknowledged. A stopped job fails with INGEST_ABORTED and
   * publishes no ingest report (a report says the whole file was read); its
   * file is resumable by ingesting it again: the same file id and event ids,
   * so the records already published fold as duplicates and the report of
   * the second run accounts for every record. The inbox keeps such a file
   * for the next start.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const running = this.registry.runningCount;
    this.registry.cancelAll(new IngestionError('INGEST_ABORTED', 'the ingestor is shutting down'));
    await this.ingestion.whenIdle();
    if (running > 0)
      this.logger.warn({ jobs: running }, 'ingestions stopped by the shutdown; ingest their files again');
  }

  /**
   * Checks the file and starts its job.
   * @throws IngestionError INGEST_BUSY, or the refusal of the file as a whole (FILE_NOT_FOUND, LAYOUT_UNKNOWN, …)
   */
  async start(file: string, settings: IngestSettings, door: IngestJobDoor): Promise<StartedIngestJob> {
    // Refused before the file is even opened when no job could run it.
    this.registry.assertCapacity();
    const check = await this.ingestion.checkSourceFile(file, {
      ...(settings.layout === undefined ? {} : { layout: settings.layout }),
      ...(door.root === undefined ? {} : { root: door.root }),
    });
    const abort = new AbortController();
    const view = this.registry.start(
      {
        origin: door.origin,
        source: check.source,
        layout: check.layout,
        dryRun: settings.dryRun ?? false,
        bytesTotal: check.bytesTotal,
      },
      (reason) => abort.abort(reason),
    );
    const limitSeconds = this.config.requestTimeoutSeconds;
    const timer = setTimeout(
      () =>
        abort.abort(new IngestionError('INGEST_TIMEOUT', `the ingestion ran over its ${limitSeconds}-second limit`)),
      limitSeconds * 1000,
    );
    // A dry run publishes nothing, so there is nothing to pace.
    const pacing = settings.dryRun ? {} : settings;
    const options: IngestFileOptions = {
      ...(pacing.ratePerSecond === undefined ? {} : { ratePerSecond: pacing.ratePerSecond }),
      ...(pacing.speedup === undefined ? {} : { speedup: pacing.speedup }),
      layout: check.layout,
      root: door.root ?? this.config.ingestRoot,
      signal: abort.signal,
      onProgress: (progress) => this.registry.progress(view.ingestId, progress),
    };
    const run = settings.dryRun
      ? this.ingestion.dryRunFile(check.path, options)
      : this.ingestion.ingestFile(check.path, options);
    const finished = run
      .then(
        (report) => this.registry.complete(view.ingestId, report) ?? view,
        (error: unknown) => {
          const failure = failureOf(error);
          if (failure.code === 'INGEST_FAILED') {
            this.logger.error({ err: error, ingestId: view.ingestId, source: check.source }, 'ingestion failed');
          }
          return this.registry.fail(view.ingestId, failure) ?? view;
        },
      )
      .finally(() => clearTimeout(timer));
    this.logger.info(
      { ingestId: view.ingestId, origin: door.origin, source: check.source, layout: check.layout, dryRun: view.dryRun },
      'ingestion started',
    );
    return { view, finished };
  }

  /** Records an inbox file whose bytes were ingested before: nothing is published again. */
  recordDuplicate(source: string, bytesTotal: number, duplicateOf: DuplicateOf, door: IngestJobDoor): IngestJobView {
    return this.registry.recordDuplicate(
      { origin: door.origin, source, layout: 'unknown', dryRun: false, bytesTotal },
      duplicateOf,
    );
  }
}

/**
 * Files ingested, by how their job ended. Both series exist from the start at
 * zero, so an alert on increase() sees the first failure.
 */
function ingestFilesCounter(registry: Registry): Counter<'outcome'> {
  const counter = new Counter({
    name: 'claims_ingest_files_total',
    help: 'Files whose ingestion job ended, by outcome (completed, failed: refused mid-file, cancelled, timed out, broker gone).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of ['completed', 'failed'] as const) counter.inc({ outcome }, 0);
  return counter;
}
