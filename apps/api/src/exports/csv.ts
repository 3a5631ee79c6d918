/** What a CSV cell may hold; null and undefined are an empty cell. */
export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => CsvValue;
}

/**
 * Text a spreadsheet may read as a formula (OWASP, "CSV Injection"): a cell
 * starting with `=`, `+`, `-` or `@`, or with tab, carriage return or NUL
 * (OWASP ASVS 1.2.10), which some spreadsheets skip before looking at the
 * next character. The trigger also counts behind leading blanks (any Unicode
 * space, line breaks included) and quote characters: Google Sheets and
 * LibreOffice's "trim spaces" import drop the blanks, and a tool that
 * re-reads or re-quotes the cell drops the quotes, so ` =HYPERLINK(…)` and
 * `"=HYPERLINK(…)` would reach the sheet as formulas.
 */
const FORMULA_TRIGGER = /^(?:[\s"'\0]*[=+\-@]|[\t\r\0])/u;

/**
 * One CSV cell, safe to open in Excel, LibreOffice or Google Sheets. Text is
 * always quoted, with inner quotes doubled (RFC 4180), so a comma, quote or
 * line break in it cannot end the cell or start a new one; text that starts
 * with a formula trigger, or with blanks or quotes and then one, is prefixed
 * with a single quote, which spreadsheets show as text and never evaluate
 * (OWASP's recommendation). Numbers are
 * written bare: a finite number's digits cannot form a formula, and a
 * negative amount must stay a number the sheet can sum.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = value instanceof Date ? value.toISOString() : value;
  const neutralised = FORMULA_TRIGGER.test(text) ? `'${text}` : text;
  return `"${neutralised.replace(/"/g, '""')}"`;
}

/** A CSV document: a header row, then one row per item, CRLF-terminated lines (RFC 4180). */
export function toCsv<Row>(columns: ReadonlyArray<CsvColumn<Row>>, rows: Iterable<Row>): string {
  const lines = [columns.map((column) => csvCell(column.header)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvCell(column.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A Content-Disposition that makes a browser save the export under `filename` (ASCII, no quotes). */
export function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
}
