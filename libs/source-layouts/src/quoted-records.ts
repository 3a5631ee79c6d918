import type { SourceLine } from './lines-of';

const LF = Buffer.from('\n');

/**
 * Whether `text` leaves a quoted field open: an odd number of quote
 * characters. RFC 4180 escapes a quote inside a quoted field by doubling it,
 * so a record whose fields are all closed holds an even number.
 *
 * This and splitRecordRows track quote parity only, not the field parser's
 * rules (splitDelimitedRecord): they find where records and rows end, and
 * must find it in a malformed row too, whose fault the field parser then
 * reports for that row alone.
 */
export function leavesQuoteOpen(text: string, quote: string): boolean {
  let count = 0;
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) count += 1;
  return count % 2 === 1;
}

/**
 * The rows of a record that holds several (a claim's rows, joined
 * by LF): split on every LF outside a quoted field, so a row whose quoted
 * field holds a line break stays one row. Without a quote character (RIF
 * extracts, where a quote is data) every LF ends a row.
 */
export function splitRecordRows(record: string, quote: string | null): string[] {
  if (quote === null || !record.includes(quote)) return record.split('\n');
  const rows: string[] = [];
  let rowStart = 0;
  let open = false;
  for (let at = 0; at < record.length; at += 1) {
    const char = record[at];
    if (char === quote) open = !open;
    else if (char === '\n' && !open) {
      rows.push(record.slice(rowStart, at));
      rowStart = at + 1;
    }
  }
  rows.push(record.slice(rowStart));
  return rows;
}

export interface QuotedRecordLimits {
  /** A record is never joined past this many bytes (its line breaks counted). */
  maxRecordBytes: number;
  /** Nor past this many lines. */
  maxLines: number;
}

/**
 * Joins the lines of a delimited file into its records where a quoted field
 * holds a line break (RFC 4180 allows it: a billing export's free-text note
 * may span lines). A line that leaves a quote open is held with the lines
 * after it until the quote closes; the lines so joined (by LF) are one
 * record if `accepts` takes the joined text (it splits into the header's
 * columns). Otherwise, or when the quote does not close within the limits
 * or before a line that is not text or the end of the file, the first line
 * was a stray quote, not a record's start: it goes on alone (to be
 * dead-lettered for its own fault) and the lines held after it are read
 * again from the start, so a stray quote costs its own line and nothing else.
 */
export class QuotedRecordJoiner {
  private held: Array<Extract<SourceLine, { kind: 'line' }>> = [];
  private heldBytes = 0;
  private open = false;

  constructor(
    private readonly quote: string,
    private readonly accepts: (record: string) => boolean,
    private readonly limits: QuotedRecordLimits,
  ) {}

  /**
   * Takes the file's next line, blank ones included (a blank line inside a
   * quoted field is data); answers the records (lines, or joined lines) it
   * completes, in file order.
   */
  push(line: SourceLine): SourceLine[] {
    if (this.held.length === 0) {
      if (line.kind !== 'line' || !line.text.includes(this.quote) || !leavesQuoteOpen(line.text, this.quote)) {
        return [line];
      }
      this.hold(line);
      return [];
    }
    if (line.kind !== 'line') return [...this.release(), ...this.push(line)];
    this.hold(line);
    if (this.open) {
      const overLimit = this.held.length >= this.limits.maxLines || this.heldBytes > this.limits.maxRecordBytes;
      return overLimit ? this.release() : [];
    }
    const joined = this.joined();
    if (joined.bytes.length <= this.limits.maxRecordBytes && this.accepts(joined.text)) {
      this.clear();
      return [joined];
    }
    return this.release();
  }

  /** At the end of the file: what is held goes on line by line (no quote closed it). */
  end(): SourceLine[] {
    const records: SourceLine[] = [];
    while (this.held.length > 0) records.push(...this.release());
    return records;
  }

  private hold(line: Extract<SourceLine, { kind: 'line' }>): void {
    this.held.push(line);
    this.heldBytes += line.bytes.length + (this.held.length > 1 ? 1 : 0);
    if (leavesQuoteOpen(line.text, this.quote)) this.open = !this.open;
  }

  /** The first held line alone; the others read again, as if it had been a line of its own. */
  private release(): SourceLine[] {
    const [first, ...rest] = this.held;
    this.clear();
    if (first === undefined) return [];
    const records: SourceLine[] = [first];
    for (const line of rest) records.push(...this.push(line));
    return records;
  }

  private clear(): void {
    this.held = [];
    this.heldBytes = 0;
    this.open = false;
  }

  private joined(): Extract<SourceLine, { kind: 'line' }> {
    const parts: Buffer[] = [];
    for (const [index, line] of this.held.entries()) {
      if (index > 0) parts.push(LF);
      parts.push(line.bytes);
    }
    return { kind: 'line', text: this.held.map((line) => line.text).join('\n'), bytes: Buffer.concat(parts) };
  }
}
