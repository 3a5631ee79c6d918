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
  /** A whole number or quantity that does not parse. */
  'NUMBER_INVALID',
  /** A required field (claim id, service date, …) is blank, or a `missing: reject` field is. */
  'FIELD_MISSING',
  /** A required coded field (claim type, event type) holds a value the layout does not translate. */
  'CODE_UNTRANSLATED',
  /** A multi-row claim's rows lack the row its claim-level fields sit on (an orphan continuation segment). */
  'GROUP_FIRST_ROW_MISSING',
  /** A mapping produced a value the canonical schema refuses (a coverage month count of 13, say). */
  'MAPPED_VALUE_INVALID',
  /** The hand-coded carrier layout produced an event the canonical schema refuses. */
  'NORMALIZED_EVENT_INVALID',
  /**
   * The raw event holds a NUL character (U+0000), which no store downstream
   * takes: the ingestor refuses such a record under the same code, so this
   * catches a feed that publishes raw events itself.
   */
  'RECORD_ENCODING_INVALID',
  /** A row of delimiters only (",,,,,"): a spreadsheet's empty row, not a claim whose every field is blank. */
  'ROW_BLANK',
  /** A row that is the header row again, as in two exports joined into one file: it holds no claim. */
  'HEADER_REPEATED',
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

/** ROW_BLANK's reason, for every layout: the row's fields, quoted or not, are all blank. */
export const ROW_BLANK_REASON = 'the row holds only delimiters: no field has a value';

/** HEADER_REPEATED's reason for a row that is the file's header row again, in its order. */
export const HEADER_REPEATED_REASON =
  "the row repeats the file's header row (files joined into one?): it holds no claim";

/** Whether a row's fields are all blank: a spreadsheet's empty row written as its delimiters. */
export function holdsNoValue(fields: readonly string[]): boolean {
  return fields.every((field) => field.trim() === '');
}
