/**
 * Why a source record cannot become a canonical claim. Every code is
 * permanent: the same bytes fail the same way on every retry, so the record
 * belongs in the dead-letter topic, not in a retry loop.
 */
export const SOURCE_RECORD_ERROR_CODES = [
  'COLUMN_COUNT_MISMATCH',
  'CLAIM_ID_MISSING',
  'AMOUNT_INVALID',
  'DATE_INVALID',
  'DATE_OUT_OF_RANGE',
  'CSV_MALFORMED',
  'LAYOUT_UNKNOWN',
  'HEADER_MISMATCH',
  'FIELD_TOO_LONG',
] as const;
export type SourceRecordErrorCode = (typeof SOURCE_RECORD_ERROR_CODES)[number];

export class SourceRecordError extends Error {
  readonly retriable = false;

  constructor(
    readonly code: SourceRecordErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SourceRecordError';
  }
}
