import { isCalendarDay, type PostalAddress } from '@claims/contracts';
import { NOT_TEXT_REASONS, holdsNulCharacter, parseCsvRecord } from '@claims/source-layouts';

/** A data row the parser could not turn into a valid reference record, and why. */
export interface RejectedRow {
  /** 1-based position among the file's data rows (header and blank lines not counted). */
  rowNumber: number;
  reason: string;
}

/** One version of one directory entry as a parser reads it: the record and the first day it holds. */
export interface ReferenceItem<TRecord> {
  effectiveDate: string;
  record: TRecord;
}

/** The first day of time: a version with no known start holds for every claim. */
export const BEGINNING_OF_TIME = '0001-01-01';

/** Column positions by header name, compared trimmed and case-blind: the public files vary in both. */
export class ColumnIndex {
  private readonly positions = new Map<string, number>();

  constructor(header: readonly string[]) {
    header.forEach((name, position) => {
      const key = normalizeColumnName(name);
      // A duplicated name keeps its first position, as a reader scanning left to right would.
      if (!this.positions.has(key)) this.positions.set(key, position);
    });
  }

  /** The position of the first of `names` the header holds (a column's names across layout versions). */
  find(...names: string[]): number | undefined {
    for (const name of names) {
      const position = this.positions.get(normalizeColumnName(name));
      if (position !== undefined) return position;
    }
    return undefined;
  }
}

function normalizeColumnName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}

/** A row's trimmed value at `position`; a missing column or a short row reads as blank. */
export function fieldAt(fields: readonly string[], position: number | undefined): string {
  return position === undefined ? '' : (fields[position] ?? '').trim();
}

export function textOrNull(value: string): string | null {
  return value === '' ? null : value;
}

export interface CsvRowHandlers {
  header(columns: ColumnIndex): void;
  row(fields: string[], rowNumber: number): void;
  rejected(rejection: RejectedRow): void;
}

/**
 * Walks a header-first CSV given as lines. A quoted field may run over line
 * breaks (an address written on two lines): its lines are joined back into
 * one record, counted as one data row. A malformed data row (or one
 * holding a NUL character) is reported and skipped so that one bad row
 * cannot stop a directory load; so is a row with more fields than the
 * header names (its columns shifted), while a row short of the header
 * (trailing blank columns left out) is read as it stands. Blank lines
 * (a trailing newline, a spreadsheet's empty rows) are ignored.
 */
export function forEachCsvRow(lines: Iterable<string>, handlers: CsvRowHandlers): void {
  let headerLength: number | null = null;
  let rowNumber = 0;
  for (const line of csvRecordsOf(lines)) {
    if (line.trim() === '') continue;
    if (headerLength === null) {
      // A malformed header is a format error of the whole file: let it throw.
      const header = parseCsvRecord(line.replace(/^\uFEFF/, ''));
      headerLength = header.length;
      handlers.header(new ColumnIndex(header));
      continue;
    }
    rowNumber += 1;
    if (holdsNulCharacter(line)) {
      // Damage, not data: a name carrying it into the enriched events would have every claim of the provider refused by Postgres.
      handlers.rejected({ rowNumber, reason: `the row ${NOT_TEXT_REASONS.nul_character}` });
      continue;
    }
    let fields: string[];
    try {
      fields = parseCsvRecord(line);
    } catch (error) {
      handlers.rejected({ rowNumber, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (fields.length > headerLength) {
      // Every column after an unquoted comma reads its neighbour's value (a deactivation date read as the
      // reactivation would hold a deactivated NPI as billable), and the value pushed past the header is often a
      // blank one: only the count tells. A row short of the header lost nothing but trailing blanks.
      handlers.rejected({
        rowNumber,
        reason: `the row has ${fields.length} fields where the header names ${headerLength}: a value holding an unquoted comma shifts every column after it`,
      });
      continue;
    }
    handlers.row(fields, rowNumber);
  }
}

/** How many lines one quoted field may span before its opening quote is taken for a stray one. */
const MAX_RECORD_LINES = 16;

/**
 * The records of lines: a line whose quotes do not pair up opens a quoted
 * field running over the line break, so the lines that follow are joined to
 * it until its quotes pair up. When they do not within MAX_RECORD_LINES lines
 * (or the input ends first), or the joined lines are no CSV record, the quote
 * was a stray one: the line is handed on alone (the parser rejects it) and
 * the lines read ahead are read as records of their own, so one bad quote
 * cannot swallow the rows after it.
 */
function* csvRecordsOf(lines: Iterable<string>): Generator<string, void, undefined> {
  const iterator = lines[Symbol.iterator]();
  const readAhead: string[] = [];
  const nextLine = (): string | undefined => {
    if (readAhead.length > 0) return readAhead.shift();
    const next = iterator.next();
    return next.done === true ? undefined : next.value;
  };
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    if (countQuotes(line) % 2 === 0) {
      yield line;
      continue;
    }
    const continuation: string[] = [];
    let record = line;
    let closed = false;
    while (!closed && continuation.length < MAX_RECORD_LINES - 1) {
      const more = nextLine();
      if (more === undefined) break;
      continuation.push(more);
      record = `${record}\n${more}`;
      closed = countQuotes(more) % 2 === 1;
    }
    if (closed && isCsvRecord(record)) {
      yield record;
      continue;
    }
    yield line;
    readAhead.unshift(...continuation);
  }
}

function isCsvRecord(text: string): boolean {
  try {
    parseCsvRecord(text);
    return true;
  } catch {
    return false;
  }
}

function countQuotes(text: string): number {
  let count = 0;
  for (let index = text.indexOf('"'); index !== -1; index = text.indexOf('"', index + 1)) count += 1;
  return count;
}

const MAX_TEXT_LENGTH = 200;
const USPS_STATE = /^[A-Z]{2}$/;
const ZIP = /^\d{5}(\d{4})?$/;

/**
 * A postal address in the contract's form. Directories write ZIP+4 with or
 * without the hyphen; a part that still does not fit the contract (a foreign
 * postal code, a province name in the state column) is unknown, not invalid,
 * so it becomes null and the row is kept.
 */
export function postalAddressOf(parts: { address1: string; city: string; state: string; zip: string }): PostalAddress {
  const zip = parts.zip.replace(/[\s-]/g, '');
  const state = parts.state.toUpperCase();
  return {
    address1: boundedTextOrNull(parts.address1),
    city: boundedTextOrNull(parts.city),
    state: USPS_STATE.test(state) ? state : null,
    zip: ZIP.test(zip) ? zip : null,
  };
}

function boundedTextOrNull(value: string): string | null {
  return value === '' || value.length > MAX_TEXT_LENGTH ? null : value;
}

export function isBlankAddress(address: PostalAddress): boolean {
  return address.address1 === null && address.city === null && address.state === null && address.zip === null;
}

/** NPPES dates are written MM/DD/YYYY; a value that is not a calendar date in that form reads as null. */
export function isoDateOfUsDate(value: string): string | null {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (match === null) return null;
  const [, month, day, year] = match as unknown as [string, string, string, string];
  return isCalendarDay(Number(year), Number(month), Number(day)) ? `${year}-${month}-${day}` : null;
}

/** A zod issue list in one line, for a rejected row's reason. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(record)'}: ${issue.message}`).join('; ');
}
