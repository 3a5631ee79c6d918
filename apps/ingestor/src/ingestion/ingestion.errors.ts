/** Why a file cannot be ingested at all; the API maps the code to an HTTP status. */
export class IngestionError extends Error {
  readonly retriable = false;

  constructor(
    readonly code: 'FILE_NOT_FOUND' | 'PATH_OUTSIDE_INGEST_ROOT' | 'LAYOUT_UNKNOWN' | 'FILE_EMPTY',
    message: string,
  ) {
    super(message);
    this.name = 'IngestionError';
  }
}
