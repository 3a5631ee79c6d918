export const INGESTION_ERROR_CODES = [
  'FILE_NOT_FOUND',
  'PATH_OUTSIDE_INGEST_ROOT',
  'LAYOUT_UNKNOWN',
  /** The caller named a layout (`layout`) and the file's header row does not fit it. */
  'LAYOUT_MISMATCH',
  'FILE_EMPTY',
  /** The file is there but the ingestor may not read it (its permissions): refused by name, not a server error. */
  'FILE_UNREADABLE',
  /** An inbox file whose name is not UTF-8 (Latin-1, a Windows code page): moved to failed/, to be named in UTF-8. */
  'FILE_NAME_INVALID',
  /** A gzip file whose compressed bytes are damaged or cut short, or followed by bytes that are not gzip (padding). */
  'FILE_COMPRESSION_INVALID',
  /** An archive the reader does not open (ZIP, bzip2, xz, 7-Zip): its files are to be unpacked and ingested. */
  'FILE_COMPRESSION_UNSUPPORTED',
  /** A document or image no layout reads (a legacy spreadsheet, a PDF, a PNG): the export itself is to be sent. */
  'FILE_FORMAT_UNSUPPORTED',
  /** The file's bytes changed while it was read (cut short, appended to, rewritten): its id no longer names what was read. */
  'FILE_CHANGED',
  /** The job's time limit passed before every record was published. */
  'INGEST_TIMEOUT',
  /** The caller went away (CLI interrupted, service shutting down) before the end of the file. */
  'INGEST_ABORTED',
  /** The job was cancelled (DELETE /v1/ingestions/:ingestId) before the end of the file. */
  'INGEST_CANCELLED',
  /** As many jobs as INGEST_MAX_RUNNING_JOBS are running already; retry later. */
  'INGEST_BUSY',
  /** No job by that id: never started, or forgotten (only the last INGEST_JOB_HISTORY are kept). */
  'INGEST_NOT_FOUND',
  /** An upload over INGEST_MAX_UPLOAD_BYTES. */
  'UPLOAD_TOO_LARGE',
  /** An upload whose body ended early or stalled. */
  'UPLOAD_INCOMPLETE',
  /** No consumer group reads the raw topic: what the CLI door would publish would count nowhere. */
  'TOPIC_UNREAD',
] as const;
export type IngestionErrorCode = (typeof INGESTION_ERROR_CODES)[number];

/**
 * Why a file cannot be ingested, or stopped being ingested; the HTTP edge maps
 * the code to a status, the CLI prints it. Messages name files and fields,
 * never record values.
 */
export class IngestionError extends Error {
  readonly retriable: boolean;

  constructor(
    readonly code: IngestionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IngestionError';
    this.retriable = code === 'INGEST_BUSY';
  }
}
