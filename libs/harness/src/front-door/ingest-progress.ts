import type { IngestJobStatus } from '../local-pipeline';

const NUMBER = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return NUMBER.format(Math.round(value));
}

/** Bytes in the unit a person reads them in: B, KB, MB, GB (powers of 1000, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** A bar of `width` cells, `fraction` of them filled. */
export function progressBar(fraction: number, width: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export type IngestProgressView = Pick<
  IngestJobStatus,
  'source' | 'phase' | 'bytesRead' | 'bytesTotal' | 'recordsRead' | 'recordsDeadLettered'
>;

/**
 * One line of progress for a job: share of the file's bytes read, records
 * read and their rate, dead letters. On a terminal it leads with a bar and
 * is redrawn in place; in a log it is a plain line.
 */
export function formatIngestProgress(
  job: IngestProgressView,
  elapsedSeconds: number,
  options: { terminal: boolean },
): string {
  const fraction = job.bytesTotal > 0 ? job.bytesRead / job.bytesTotal : 1;
  const percent = `${Math.floor(fraction * 100)}%`;
  const size = formatBytes(job.bytesTotal);
  if (job.phase === 'hashing') {
    const what = `hashing ${percent} of ${size}`;
    return options.terminal ? `${job.source} ${progressBar(fraction, 20)} ${what}` : `ingest: ${job.source}: ${what}`;
  }
  const rate = elapsedSeconds > 0 ? `${formatCount(job.recordsRead / elapsedSeconds)} records/s` : '- records/s';
  const parts = [
    `${percent} of ${size}`,
    `${formatCount(job.recordsRead)} records`,
    rate,
    `DLQ ${formatCount(job.recordsDeadLettered)}`,
  ];
  return options.terminal
    ? `${job.source} ${progressBar(fraction, 20)} ${parts.join('  ')}`
    : `ingest: ${job.source}: ${parts.join(', ')}`;
}

/** What the API's per-file accounting (GET /v1/ingestions/:fileId) says, the fields a person reads. */
export interface FileAccountingView {
  source: string | null;
  fileId: string;
  layout: string | null;
  status: string;
  recordsRead: number | null;
  folded: number;
  duplicates: number;
  deadLettered: number;
  unaccounted: number | null;
  deadLettersByReason?: Array<{ stage: string; errorCode: string; records: number }>;
  firstEventDate?: string | null;
  lastEventDate?: string | null;
}

export function formatAccountingProgress(accounting: FileAccountingView | null, source: string): string {
  if (accounting === null) return `ingest: ${source}: waiting for the pipeline to account for the file`;
  const ended = accounting.folded + accounting.duplicates + accounting.deadLettered;
  return (
    `ingest: ${source}: ${formatCount(ended)} of ${formatCount(accounting.recordsRead ?? 0)} records accounted for ` +
    `(folded ${formatCount(accounting.folded)}, duplicate ${formatCount(accounting.duplicates)}, ` +
    `dead-lettered ${formatCount(accounting.deadLettered)})`
  );
}

function reasons(list: ReadonlyArray<{ stage: string; errorCode: string; records: number }>): string {
  return list.map((entry) => `${entry.stage} ${entry.errorCode} ${formatCount(entry.records)}`).join(', ');
}

/** The ingest report of a file, merged with its accounting downstream, as a person reads it. */
export function formatIngestReport(
  report: {
    source: string;
    fileId: string;
    layout: string;
    recordsRead: number;
    recordsPublished: number;
    recordsDeadLettered: number;
    durationSeconds: number;
    skippedByReason?: ReadonlyArray<{ code: string; reason: string; records: number }>;
  },
  accounting: FileAccountingView | null,
): string {
  const rate = report.durationSeconds > 0 ? report.recordsRead / report.durationSeconds : report.recordsRead;
  const lines = [
    `${report.source} (${report.layout}, sha256 ${report.fileId.slice(0, 12)}…)`,
    `  read ${formatCount(report.recordsRead)} records in ${report.durationSeconds.toFixed(1)} s ` +
      `(${formatCount(rate)} records/s): published ${formatCount(report.recordsPublished)}, ` +
      `dead-lettered at the door ${formatCount(report.recordsDeadLettered)}`,
  ];
  // Outside the records read: without these lines an enrollment (834) file reads as an empty one.
  for (const skipped of report.skippedByReason ?? []) {
    lines.push(`  skipped ${formatCount(skipped.records)}: ${skipped.reason} (${skipped.code})`);
  }
  if (accounting === null) {
    lines.push('  accounting downstream: not waited for');
    return lines.join('\n');
  }
  const ended = accounting.folded + accounting.duplicates + accounting.deadLettered;
  lines.push(
    `  ${accounting.status === 'accounted' ? 'every record accounted for' : `NOT all accounted for (${accounting.status})`}: ` +
      `folded ${formatCount(accounting.folded)} + duplicate ${formatCount(accounting.duplicates)} + ` +
      `dead-lettered ${formatCount(accounting.deadLettered)} = ${formatCount(ended)} of ${formatCount(accounting.recordsRead ?? 0)} read`,
  );
  if (accounting.deadLettersByReason && accounting.deadLettersByReason.length > 0) {
    // A name the shell would split, or one the dlq command line would read as an option, is named by its id.
    const file = /^[\w.][\w.-]*$/.test(report.source) ? report.source : report.fileId;
    lines.push(`  dead letters: ${reasons(accounting.deadLettersByReason)}   (npm run dlq -- list --file ${file})`);
  }
  if (accounting.firstEventDate && accounting.lastEventDate) {
    lines.push(`  event dates ${accounting.firstEventDate} to ${accounting.lastEventDate}`);
  }
  return lines.join('\n');
}

/** A dry run's report: what would happen to the file's records, nothing having been published. */
export function formatDryRunReport(report: {
  source: string;
  fileId: string;
  layout: string;
  recordsRead: number;
  recordsValid: number;
  recordsDeadLettered: number;
  deadLettersByReason: ReadonlyArray<{ stage: string; errorCode: string; records: number }>;
}): string {
  const lines = [
    `${report.source} (dry run, nothing published; ${report.layout}, sha256 ${report.fileId.slice(0, 12)}…)`,
    `  ${formatCount(report.recordsRead)} records: ${formatCount(report.recordsValid)} valid, ` +
      `${formatCount(report.recordsDeadLettered)} would be dead-lettered`,
  ];
  if (report.deadLettersByReason.length > 0)
    lines.push(`  would be dead-lettered: ${reasons(report.deadLettersByReason)}`);
  return lines.join('\n');
}
