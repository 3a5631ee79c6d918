import { LOGGER } from '@claims/observability';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Logger } from 'pino';
import type { IngestorConfig } from '../ingestor.config';
import { INGESTOR_CONFIG } from '../ingestor.tokens';
import { confineToIngestRoot } from '../ingestion/ingest-root';
import { IngestionError } from '../ingestion/ingestion.errors';
import { asFileOpenRefusal } from '../ingestion/source-file';
import { IngestJobsService } from '../ingest-jobs/ingest-jobs.service';
import {
  destinationName,
  inboxDestination,
  isInboxCandidate,
  latin1ReadingOf,
  settledFiles,
  utf8NameOf,
  type FileSignature,
} from './inbox-files';
import { InboxLedger } from './inbox-ledger';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The inbox door: a file dropped into INGEST_INBOX is ingested once its
 * size has settled, then moved to processed/ (or to failed/, with the
 * reason beside it in `<name>.reason.txt`); one written to while it was
 * being ingested stays, to be taken again once it settles. A file is known
 * by its bytes: the same bytes dropped again, under any name, are recorded
 * as a duplicate and not published again. Files are taken one at a time, through the same jobs
 * (and limits) as the HTTP doors; GET /v1/ingestions lists them.
 */
@Injectable()
export class InboxWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private ledger: InboxLedger | null = null;
  private seen = new Map<string, FileSignature>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly jobs: IngestJobsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const inbox = this.config.inbox;
    if (inbox === null) return;
    for (const folder of [inbox.directory, this.processed, this.failed]) await mkdir(folder, { recursive: true });
    this.ledger = await InboxLedger.open(join(inbox.directory, '.ingested'));
    if (this.ledger.unreadableLines > 0) {
      this.logger.warn({ lines: this.ledger.unreadableLines }, 'inbox ledger lines skipped: unreadable');
    }
    this.logger.info({ inbox: inbox.directory, filesIngested: this.ledger.size }, 'inbox watched');
    this.schedule(inbox.pollMilliseconds);
  }

  /**
   * The first hook of a shutdown, before the jobs are stopped: no file is
   * taken any more, and a file whose job the shutdown stops stays in the inbox.
   */
  onModuleDestroy(): void {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private get directory(): string {
    return this.config.inbox?.directory ?? '';
  }

  private get processed(): string {
    return join(this.directory, 'processed');
  }

  private get failed(): string {
    return join(this.directory, 'failed');
  }

  private schedule(pollMilliseconds: number): void {
    if (this.stopping) return;
    // One listing at a time: the next is scheduled once this one (and the file it took) is done.
    this.timer = setTimeout(() => {
      this.poll()
        .catch((error: unknown) => this.logger.error({ err: error }, 'inbox listing failed'))
        .finally(() => this.schedule(pollMilliseconds));
    }, pollMilliseconds);
  }

  private async poll(): Promise<void> {
    const current = new Map<string, FileSignature>();
    for (const entry of await readdir(this.directory, { withFileTypes: true, encoding: 'buffer' })) {
      const name = utf8NameOf(entry.name);
      // A link is taken too, to be refused in the open (failed/ with the reason) if it leads out of the inbox.
      if (!isInboxCandidate(name ?? latin1ReadingOf(entry.name), entry.isFile() || entry.isSymbolicLink())) continue;
      if (name === null) {
        await this.refuseUndecodableName(entry.name).catch((error: unknown) =>
          this.logger.error({ err: error, source: latin1ReadingOf(entry.name) }, 'inbox file could not be taken'),
        );
        continue;
      }
      const info = await stat(join(this.directory, name)).catch(() => null);
      // A link to a folder (or to anything but a file) is left alone, as a folder is: it holds no bytes to take.
      if (info?.isFile()) current.set(name, { bytes: info.size, modifiedMilliseconds: info.mtimeMs });
    }
    const settled = settledFiles(this.seen, current);
    this.seen = current;
    for (const name of settled) {
      if (this.stopping || !this.jobs.registry.hasCapacity) return;
      // Listed settled, but the files before it may have taken minutes: one written to since waits to settle again.
      const listed = current.get(name);
      if (!(await this.unchangedSince(name, listed))) continue;
      // One file that cannot be taken (gone, unreadable) must not hold back the files after it.
      await this.take(name, listed).catch((error: unknown) =>
        this.logger.error({ err: error, source: name }, 'inbox file could not be taken'),
      );
    }
  }

  private async unchangedSince(name: string, listed: FileSignature | undefined): Promise<boolean> {
    const info = await stat(join(this.directory, name)).catch(() => null);
    return (
      info !== null &&
      listed !== undefined &&
      info.size === listed.bytes &&
      info.mtimeMs === listed.modifiedMilliseconds
    );
  }

  private async take(name: string, listed: FileSignature | undefined): Promise<void> {
    const ledger = this.ledger;
    if (ledger === null) return;
    const path = join(this.directory, name);
    try {
      // Before a single byte is read: a link in the inbox that leads out of it is refused, never hashed.
      await confineToIngestRoot(this.directory, name);
    } catch (error) {
      await this.moveToFailed(name, error instanceof IngestionError ? error : null, error);
      return;
    }
    let sha256: string;
    try {
      sha256 = await sha256Of(path);
    } catch (error) {
      // Gone since the listing: nothing to take. Unreadable (permissions): refused in the open, not retried forever.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      const refusal = asFileOpenRefusal(error, name);
      await this.moveToFailed(name, refusal instanceof IngestionError ? refusal : null, error);
      return;
    }
    const earlier = ledger.find(sha256);
    if (earlier) {
      const view = this.jobs.recordDuplicate(
        name,
        (await stat(path)).size,
        { fileId: sha256, source: earlier.source, ingestedAt: earlier.ingestedAt },
        { origin: 'inbox' },
      );
      this.logger.info(
        { source: name, fileId: sha256, ingestId: view.ingestId, duplicateOf: earlier.source },
        'inbox file is a duplicate of one ingested before; not published again',
      );
      await this.moveTo(this.processed, name);
      return;
    }
    let started;
    try {
      started = await this.jobs.start(name, {}, { origin: 'inbox', root: this.directory });
    } catch (error) {
      // Busy: the file stays where it is for a later listing. Anything else refuses the file as a whole.
      if (error instanceof IngestionError && error.code === 'INGEST_BUSY') return;
      const refused = { completed: false, stoppedByShutdown: false };
      if (await this.keptToSettle(name, listed, refused, error)) return;
      await this.moveToFailed(name, error instanceof IngestionError ? error : null, error);
      return;
    }
    const view = await started.finished;
    const report = view.report;
    const completed = view.state === 'completed' && report !== null && !('dryRun' in report);
    if (completed) {
      await ledger.record({
        sha256: report.fileId,
        source: name,
        ingestedAt: view.finishedAt ?? new Date().toISOString(),
        ingestId: view.ingestId,
        recordsRead: report.recordsRead,
      });
    }
    const ended = { completed, stoppedByShutdown: this.stopping && view.error?.code === 'INGEST_ABORTED' };
    if (await this.keptToSettle(name, listed, ended, view.error)) return;
    if (completed) await this.moveTo(this.processed, name);
    else await this.moveToFailed(name, null, view.error);
  }

  /** Whether the file stays in the inbox (inboxDestination): written to since it was listed, or stopped by the shutdown. */
  private async keptToSettle(
    name: string,
    listed: FileSignature | undefined,
    outcome: { completed: boolean; stoppedByShutdown: boolean },
    failure: unknown,
  ): Promise<boolean> {
    const changedSinceListed = !(await this.unchangedSince(name, listed));
    if (inboxDestination({ ...outcome, changedSinceListed }) !== 'inbox') return false;
    if (changedSinceListed) {
      const code = (failure as { code?: unknown } | null)?.code;
      this.logger.info(
        { source: name, ...(typeof code === 'string' ? { code } : {}) },
        'inbox file written to (or removed) while it was being ingested; left to settle again',
      );
    }
    return true;
  }

  /**
   * Moves a file whose name is not UTF-8 to failed/ at once, under its
   * Latin-1 reading: nothing could name it to read it, and left in the inbox
   * it would wait there unseen. Its bytes need a name in UTF-8 to be taken.
   */
  private async refuseUndecodableName(name: Buffer): Promise<void> {
    const readable = latin1ReadingOf(name);
    const moved = destinationName(readable, (candidate) => existsSync(join(this.failed, candidate)), new Date());
    await rename(Buffer.concat([Buffer.from(`${this.directory}${sep}`), name]), join(this.failed, moved));
    const refusal = new IngestionError(
      'FILE_NAME_INVALID',
      `the name of ${readable} (read as Latin-1) is not UTF-8: name it in UTF-8 and drop it again`,
    );
    await writeFile(join(this.failed, `${moved}.reason.txt`), `${refusal.code}: ${refusal.message}\n`);
    this.logger.warn({ source: readable, reason: refusal.code }, 'inbox file failed; moved to failed/');
  }

  private async moveToFailed(name: string, refusal: IngestionError | null, failure: unknown): Promise<void> {
    const reason =
      refusal !== null
        ? `${refusal.code}: ${refusal.message}`
        : failure !== null && typeof failure === 'object' && 'code' in failure && 'message' in failure
          ? `${String(failure.code)}: ${String(failure.message)}`
          : `INGEST_FAILED: ${failure instanceof Error ? failure.message : String(failure)}`;
    const moved = await this.moveTo(this.failed, name);
    await writeFile(join(this.failed, `${moved}.reason.txt`), `${reason}\n`);
    this.logger.warn({ source: name, reason: reason.split(':')[0] }, 'inbox file failed; moved to failed/');
  }

  /** Moves a file out of the inbox; answers the name it has there. */
  private async moveTo(folder: string, name: string): Promise<string> {
    const target = destinationName(name, (candidate) => existsSync(join(folder, candidate)), new Date());
    await rename(join(this.directory, name), join(folder, target));
    return target;
  }
}
