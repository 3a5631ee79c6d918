/**
 * Writes the records of one layout. A record is what the pipeline assembles
 * into one claim (or one member, for reference layouts): one row, or several
 * adjacent rows sharing the claim key, appended together so that a claim is
 * never split across chunks or left incomplete at the end of a file.
 */
export interface RecordGenerator<Expected> {
  /**
   * Appends the row(s) of record `recordNumber` (the claim number, or the
   * member number) to `rows`, without line breaks, and adds its figures to
   * `expected`.
   */
  appendRecord(recordNumber: number, rows: string[], expected: Expected): void;
}
