import type { SourceCompression } from './source-file';

/** How far one ingestion is, as a job's status shows it. */
export interface IngestProgress {
  /** `hashing`: the first pass, which makes the file id; `reading`: records are being read and sent. */
  phase: 'hashing' | 'reading';
  /** Bytes of the file as stored (compressed, for a gzip file) read so far in this phase. */
  bytesRead: number;
  bytesTotal: number;
  recordsRead: number;
  /** Rows the broker has acknowledged on claims.raw.v1 (a dry run: rows that would be). */
  recordsPublished: number;
  /** Rows dead-lettered so far (a dry run: rows that would be). */
  recordsDeadLettered: number;
}

/** What is known of a file before it is read through: where it is, its size, compression and layout. */
export interface SourceFileCheck {
  path: string;
  source: string;
  bytesTotal: number;
  compression: SourceCompression;
  layout: string;
}

/** A file read as an ingestion would read it, with nothing published: what would happen to its records. */
export interface DryRunReport {
  dryRun: true;
  source: string;
  /** The file id it would be ingested under (SHA-256 of its bytes as stored). */
  fileId: string;
  layout: string;
  compression: SourceCompression;
  /** Data rows (the header and blank lines aside). */
  recordsRead: number;
  /** Rows that the ingestor would publish and the normalizer's mapping would take. */
  recordsValid: number;
  /** Rows the ingestor or the normalizer's mapping would dead-letter (the counts by reason below). */
  recordsDeadLettered: number;
  blankLinesSkipped: number;
  /** Records recognised and not published (X12 transaction sets no KPI folds), outside recordsRead. */
  recordsSkipped?: number;
  skippedByReason?: Array<{ code: string; reason: string; records: number }>;
  /** Codes only: reasons name fields, never values, and a dry run names no record. */
  deadLettersByReason: Array<{ stage: 'ingestor' | 'normalizer'; errorCode: string; records: number }>;
  durationSeconds: number;
}
