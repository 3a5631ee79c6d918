export const INGESTION_ERROR_CODES = [
  'FILE_NOT_FOUND',
  'PATH_OUTSIDE_INGEST_ROOT',
  'LAYOUT_UNKNOWN',
  'FILE_EMPTY',
  /** The door's time limit passed before every record was published. */
  'INGEST_TIMEOUT',
  /** The caller went away (HTTP client disconnected, CLI interrupted) before the end of the file. */
  'INGEST_ABORTED',
] as const;
export type IngestionErrorCode = (typeof INGESTION_ERROR_CODES)[number];

/**
 * Why a file cannot be ingested, or stopped being ingested; the API maps the
 * code to an HTTP status, the CLI prints it. Messages name files and fields,
 * never record values.
 */
export class IngestionError extends Error {
  readonly retriable = false;

  constructor(
    readonly code: IngestionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IngestionError';
  }
}
