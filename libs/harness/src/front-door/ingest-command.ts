import type { IngestReport } from '@claims/contracts';
import { realpath } from 'node:fs/promises';
import { basename, isAbsolute, relative, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IngestJobStatus } from '../local-pipeline';
import { INGEST_USAGE, parseIngestArguments, type IngestArguments } from './ingest-arguments';
import {
  InputPathProblem,
  ingestInputsOf,
  isUnreadableInput,
  unreadableReason,
  type IngestInputs,
  type InputFile,
} from './ingest-inputs';
import {
  formatAccountingProgress,
  formatBytes,
  formatDryRunReport,
  formatIngestProgress,
  formatIngestReport,
  type FileAccountingView,
} from './ingest-progress';
import { checkedStackEndpoints, type RecordedStack, type StackEndpoints } from './stack-endpoints';
import {
  StackAnswerError,
  StackUnreachableError,
  UploadReadError,
  callJson,
  refusalReason,
  uploadFile,
  type JsonAnswer,
} from './stack-http';
import { UsageError } from './usage-error';

/** Where a command writes: stdout for results (JSON with --json), stderr for progress and messages. */
export interface CommandOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface FrontDoorContext {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** The folder npm was run from (INIT_CWD): paths on the command line are relative to it. */
  cwd: string;
  /** The running stack's record (scripts/lib/stack-state.mjs), or null when none runs. */
  recordedStack: RecordedStack | null;
  stdout: CommandOutput;
  stderr: CommandOutput;
  /** Ctrl-C: the running job is cancelled (DELETE) rather than left running unwatched. */
  interrupt?: AbortSignal;
}

/** Exit codes: every file accounted for; a file refused, failed or not accounted for; the command or the stack at fault. */
export const EXIT_OK = 0;
export const EXIT_FILE_FAILED = 1;
export const EXIT_USAGE = 2;
/** As a shell reports a command ended by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

const JOB_POLL_MILLISECONDS = 250;
const ACCOUNTING_POLL_MILLISECONDS = 500;
/** How often a plain log (not a terminal) gets a progress line. */
const LOG_PROGRESS_MILLISECONDS = 5_000;

/** An error of the file system (it carries a system error code), as opposed to one of the stack or of this code. */
function isFileSystemError(error: unknown): boolean {
  return typeof (error as { syscall?: unknown } | null)?.syscall === 'string';
}

/** The file's path relative to the ingest root, or null when it lies outside (then its bytes are uploaded). */
async function pathUnderRoot(file: string, ingestRoot: string | null): Promise<string | null> {
  if (ingestRoot === null) return null;
  const [realFile, realRoot] = await Promise.all([realpath(file), realpath(ingestRoot).catch(() => null)]);
  if (realRoot === null) return null;
  const inside = relative(realRoot, realFile);
  return inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside) ? null : inside;
}

/** Answers that say the service, not the request, is at fault: every other file would meet the same. */
function isStackFault(status: number): boolean {
  return status === 401 || status === 403 || status === 429 || status >= 500;
}

/** Answers to ride out while waiting: a limit or an outage that passes (a restart, Postgres away). */
function isPassingFault(status: number): boolean {
  return status === 429 || status >= 500;
}

/** A refusal as one plain line: the file, the reason, its code. */
function refusalLine(display: string, answer: JsonAnswer<unknown>): string {
  return `ingest: ${display}: ${refusalReason(answer)}\n`;
}

/** Progress on stderr: redrawn in place on a terminal, a line every few seconds in a log. */
class ProgressLine {
  private lastLogged = 0;
  private drawn = false;

  constructor(private readonly out: CommandOutput) {}

  show(line: string, force = false): void {
    if (this.out.isTTY) {
      this.out.write(`\r\u001b[2K${line}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (!force && now - this.lastLogged < LOG_PROGRESS_MILLISECONDS) return;
    this.lastLogged = now;
    this.out.write(`${line}\n`);
  }

  clear(): void {
    if (this.drawn) this.out.write('\r\u001b[2K');
    this.drawn = false;
  }
}

class IngestRun {
  constructor(
    private readonly args: IngestArguments,
    private readonly stack: StackEndpoints & { ingestorUrl: string },
    private readonly context: FrontDoorContext,
  ) {}

  private get terminal(): boolean {
    return this.context.stderr.isTTY === true;
  }

  async file(input: InputFile): Promise<number> {
    const progress = new ProgressLine(this.context.stderr);
    let started: Awaited<ReturnType<IngestRun['start']>>;
    try {
      started = await this.start(input);
    } catch (error) {
      // The file went away or became unreadable after it was listed: this file fails, not the command.
      if (!(error instanceof UploadReadError) && !isFileSystemError(error)) throw error;
      this.context.stderr.write(
        `ingest: ${input.display}: ${unreadableReason(error instanceof UploadReadError ? error.failure : error)}\n`,
      );
      return EXIT_FILE_FAILED;
    }
    if ('refused' in started) {
      this.context.stderr.write(started.refused);
      return EXIT_FILE_FAILED;
    }
    const job = await this.follow(started.job, progress);
    progress.clear();
    if (job.state === 'failed' || job.report === null) {
      const error = job.error ?? { code: 'INGEST_FAILED', message: 'the job ended without a report' };
      this.context.stderr.write(`ingest: ${input.display}: ${error.message.replace(/\s+/g, ' ')} (${error.code})\n`);
      return EXIT_FILE_FAILED;
    }
    if (job.report.dryRun === true) {
      const report = job.report as unknown as Parameters<typeof formatDryRunReport>[0];
      this.print({ ingestId: job.ingestId, ...job.report }, formatDryRunReport(report));
      return EXIT_OK;
    }
    const report = job.report as IngestReport;
    if (this.args.waitSeconds === 0) {
      this.print({ ingestId: job.ingestId, ...report }, formatIngestReport(report, null));
      return EXIT_OK;
    }
    let accounting: FileAccountingView | null;
    try {
      accounting = await this.waitForAccounting(report, input.display, progress);
    } finally {
      // A fault's line must not be written onto the progress line it ends.
      progress.clear();
    }
    this.print({ ingestId: job.ingestId, ...report, ...accounting }, formatIngestReport(report, accounting));
    if (accounting?.status === 'accounted') return EXIT_OK;
    if (this.context.interrupt?.aborted) return EXIT_INTERRUPTED;
    this.context.stderr.write(
      `ingest: ${input.display}: not every record is accounted for after ${this.args.waitSeconds} s ` +
        `(${accounting?.status ?? 'no report downstream yet'}${accounting?.unaccounted ? `, ${accounting.unaccounted} unaccounted` : ''})\n`,
    );
    return EXIT_FILE_FAILED;
  }

  private print(json: object, text: string): void {
    this.context.stdout.write(this.args.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
  }

  private settings(): Record<string, unknown> {
    return {
      ...(this.args.layout === undefined ? {} : { layout: this.args.layout }),
      ...(this.args.ratePerSecond === undefined ? {} : { ratePerSecond: this.args.ratePerSecond }),
      ...(this.args.speedup === undefined ? {} : { speedup: this.args.speedup }),
      ...(this.args.dryRun ? { dryRun: true } : {}),
    };
  }

  /** Starts the file's job: by path when it lies under the ingest root, else by sending its bytes. */
  private async start(input: InputFile): Promise<{ job: IngestJobStatus } | { refused: string }> {
    const underRoot = this.args.upload ? null : await pathUnderRoot(input.path, this.stack.ingestRoot);
    let answer: JsonAnswer<IngestJobStatus>;
    if (underRoot !== null) {
      answer = await callJson<IngestJobStatus>('ingestor', new URL('/v1/ingestions', this.stack.ingestorUrl), {
        method: 'POST',
        body: { file: underRoot, ...this.settings() },
      });
    } else {
      const url = new URL('/v1/uploads', this.stack.ingestorUrl);
      url.searchParams.set('name', basename(input.path));
      for (const [key, value] of Object.entries(this.settings())) url.searchParams.set(key, String(value));
      if (!this.args.json || this.terminal) {
        this.context.stderr.write(
          `ingest: ${input.display}: uploading ${formatBytes(input.bytes)} (it lies outside the ingest root)\n`,
        );
      }
      answer = await uploadFile<IngestJobStatus>(url, input.path);
    }
    if (answer.status === 202 && answer.body !== null) return { job: answer.body };
    if (isStackFault(answer.status))
      throw new StackAnswerError('ingestor', new URL(this.stack.ingestorUrl).origin, answer);
    return { refused: refusalLine(input.display, answer) };
  }

  private async follow(started: IngestJobStatus, progress: ProgressLine): Promise<IngestJobStatus> {
    const url = new URL(`/v1/ingestions/${started.ingestId}`, this.stack.ingestorUrl);
    let job = started;
    let readingSince: number | null = null;
    const interrupt = this.context.interrupt;
    while (job.state === 'running') {
      await sleep(JOB_POLL_MILLISECONDS, undefined, interrupt ? { signal: interrupt } : {}).catch(() => undefined);
      if (interrupt?.aborted) {
        await callJson('ingestor', url, { method: 'DELETE' });
        return this.followUntilEnded(url, job);
      }
      const answer = await callJson<IngestJobStatus>('ingestor', url);
      if (answer.status !== 200 || answer.body === null) {
        return {
          ...job,
          state: 'failed',
          error: { code: 'INGEST_LOST', message: `the ingestor no longer knows the job ${job.ingestId} (restarted?)` },
        };
      }
      job = answer.body;
      if (job.phase === 'reading') readingSince ??= Date.now();
      const elapsedSeconds = readingSince === null ? 0 : (Date.now() - readingSince) / 1000;
      if (job.state === 'running')
        progress.show(formatIngestProgress(job, elapsedSeconds, { terminal: this.terminal }));
    }
    return job;
  }

  /** After a cancel: the job as it ends (its file closed), without progress lines. */
  private async followUntilEnded(url: URL, job: IngestJobStatus): Promise<IngestJobStatus> {
    let current = job;
    for (;;) {
      const answer = await callJson<IngestJobStatus>('ingestor', url);
      if (answer.status !== 200 || answer.body === null) return current;
      current = answer.body;
      if (current.state !== 'running') return current;
      await sleep(JOB_POLL_MILLISECONDS);
    }
  }

  private async waitForAccounting(
    report: IngestReport,
    display: string,
    progress: ProgressLine,
  ): Promise<FileAccountingView | null> {
    const url = new URL(`/v1/ingestions/${report.fileId}`, this.stack.apiUrl ?? '');
    const deadline = Date.now() + this.args.waitSeconds * 1000;
    const interrupt = this.context.interrupt;
    let accounting: FileAccountingView | null = null;
    for (;;) {
      // The file is in the pipeline already: an API that is away for a while is waited out, up to the deadline.
      let fault: StackUnreachableError | StackAnswerError | null = null;
      try {
        const answer = await callJson<FileAccountingView>('API', url, { token: this.stack.apiToken });
        if (answer.status === 401 || answer.status === 403) {
          throw new UsageError(`the API at ${url.origin} refused the token (${answer.status})`);
        }
        // 404: the file's report has not reached the metrics service yet.
        if (answer.status === 200 && answer.body !== null) accounting = answer.body;
        else if (answer.status !== 404) {
          fault = new StackAnswerError('API', url.origin, answer);
          if (!isPassingFault(answer.status)) throw fault;
        }
      } catch (error) {
        if (!(error instanceof StackUnreachableError)) throw error;
        fault = error;
      }
      if (accounting?.status === 'accounted' || interrupt?.aborted) return accounting;
      if (Date.now() >= deadline) {
        if (fault !== null) throw fault;
        return accounting;
      }
      const line = fault === null ? formatAccountingProgress(accounting, display) : `ingest: ${fault.message}`;
      progress.show(this.terminal ? line.replace(/^ingest: /, '') : line);
      await sleep(ACCOUNTING_POLL_MILLISECONDS, undefined, interrupt ? { signal: interrupt } : {}).catch(
        () => undefined,
      );
    }
  }
}

/**
 * `npm run ingest -- <file|folder>...`: feeds files to a running stack through
 * its ingestor (by path under the ingest root, else by upload), shows each
 * job's progress, waits until every record of each file is accounted for
 * downstream, and prints the report. Answers the exit code.
 */
export async function runIngestCommand(context: FrontDoorContext): Promise<number> {
  const { stderr } = context;
  let args: IngestArguments;
  try {
    args = parseIngestArguments(context.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`ingest: ${error.message}\n${INGEST_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    context.stdout.write(`${INGEST_USAGE}\n`);
    return EXIT_OK;
  }
  let stack: StackEndpoints;
  try {
    stack = checkedStackEndpoints(args, context.env, context.recordedStack);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`ingest: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const ingestorUrl = stack.ingestorUrl;
  if (ingestorUrl === null) {
    stderr.write(
      'ingest: no running stack found: start one with `npm start`, or pass --ingestor URL (and --api URL)\n',
    );
    return EXIT_USAGE;
  }
  if (!args.dryRun && args.waitSeconds > 0 && (stack.apiUrl === null || stack.apiToken === null)) {
    stderr.write(
      'ingest: no API to wait on for the accounting: pass --api URL and a token (--token or CLAIMS_API_TOKEN), or --wait 0\n',
    );
    return EXIT_USAGE;
  }
  let named: IngestInputs;
  try {
    named = await ingestInputsOf(args.paths, context.cwd);
  } catch (error) {
    if (!(error instanceof InputPathProblem)) throw error;
    stderr.write(`ingest: ${error.message}\n`);
    return EXIT_USAGE;
  }
  for (const display of named.repeated) stderr.write(`ingest: ${display}: named more than once; sent once\n`);
  const run = new IngestRun(args, { ...stack, ingestorUrl }, context);
  let exitCode = EXIT_OK;
  for (const input of named.inputs) {
    if (context.interrupt?.aborted) return EXIT_INTERRUPTED;
    if (isUnreadableInput(input)) {
      stderr.write(`ingest: ${input.display}: ${input.reason}\n`);
      exitCode = Math.max(exitCode, EXIT_FILE_FAILED);
      continue;
    }
    try {
      exitCode = Math.max(exitCode, await run.file(input));
    } catch (error) {
      if (error instanceof StackUnreachableError || error instanceof StackAnswerError || error instanceof UsageError) {
        stderr.write(`ingest: ${error.message}\n`);
        return EXIT_USAGE;
      }
      throw error;
    }
  }
  return context.interrupt?.aborted ? EXIT_INTERRUPTED : exitCode;
}
