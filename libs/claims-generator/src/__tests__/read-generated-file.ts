import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * Reads a generated file back the way a consumer would, independently of the
 * generator's code: the specs hold the manifest to what the file holds.
 */
export interface FileReadBack {
  /** The header line, without its line break. */
  headerLine: string;
  columns: string[];
  /** Each data row split into its fields, quotes removed. */
  rows: string[][];
  /** The uncompressed bytes. */
  content: Buffer;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Splits one line: RFC 4180 quotes for comma files; RIF's pipe files are never quoted. */
export function splitFields(line: string, delimiter: string): string[] {
  if (delimiter !== ',') return line.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (char === '"' && quoted && line[index + 1] === '"') {
      field += '"';
      index += 1;
    } else if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

export function readGeneratedFile(path: string): FileReadBack {
  const bytes = readFileSync(path);
  const content = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? gunzipSync(bytes) : bytes;
  const text = content.toString('utf8');
  if (text !== '' && !text.endsWith('\n')) throw new Error(`${path} does not end with a line break`);
  const [headerLine = '', ...lines] = text.slice(0, -1).split('\n');
  const delimiter = headerLine.includes('|') ? '|' : ',';
  return {
    headerLine,
    columns: splitFields(headerLine, delimiter).map((name) => name.replace(/"/g, '')),
    rows: lines.map((line) => splitFields(line, delimiter)),
    content,
  };
}

/** Column accessor by name: a misspelt column fails loudly instead of reading blanks. */
export function columnReader(file: FileReadBack): (row: readonly string[], column: string) => string {
  return (row, column) => {
    const index = file.columns.indexOf(column);
    if (index === -1) throw new Error(`no column ${column}`);
    return row[index] ?? '';
  };
}

export interface RecordKeyRuns {
  /** Distinct values of the key columns. */
  distinctKeys: number;
  /** Runs of adjacent rows sharing a key: equal to distinctKeys when every claim's rows are adjacent. */
  runs: number;
  /** The first row of each run, in file order. */
  firstRows: string[][];
}

export function recordKeyRuns(file: FileReadBack, keyColumns: readonly string[]): RecordKeyRuns {
  const read = columnReader(file);
  const keys = new Set<string>();
  const firstRows: string[][] = [];
  let previousKey: string | null = null;
  for (const row of file.rows) {
    const key = keyColumns.map((column) => read(row, column)).join('\u0000');
    keys.add(key);
    if (key !== previousKey) firstRows.push(row);
    previousKey = key;
  }
  return { distinctKeys: keys.size, runs: firstRows.length, firstRows };
}

/** "$1,234.50", "1,234.50", "1234.50", "0" or blank, in cents. */
export function amountCents(text: string): number {
  const plain = text.replace(/[$,]/g, '');
  return plain === '' ? 0 : Math.round(Number(plain) * 100);
}
