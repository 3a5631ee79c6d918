import type { CsvColumn, CsvValue } from './csv';

/** A JSON row as a KPI route answers it: flat values, a nested object or two, arrays of text. */
export type JsonRow = Readonly<Record<string, unknown>>;

/** The CSV value of one JSON value: arrays joined with `;`, anything else that is no scalar left empty. */
function csvValueOf(value: unknown): CsvValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => (item === null ? '' : String(item))).join(';');
  return null;
}

/** The leaves of a row, nested objects one level deep as `parent.child`, in first-seen order. */
function leavesOf(row: JsonRow): Array<[string, unknown]> {
  return Object.entries(row).flatMap(
    ([key, value]): Array<[string, unknown]> =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value as JsonRow).map(([child, leaf]): [string, unknown] => [`${key}.${child}`, leaf])
        : [[key, value]],
  );
}

/**
 * The columns of a table of JSON rows: every leaf any row has, in the order
 * first seen, so rows of one route (which share a shape) keep the JSON's
 * field order. A withheld small cell is null in JSON and an empty cell
 * here; the row's `suppressed` list names it, as in the JSON.
 */
export function csvColumnsOf(rows: readonly JsonRow[]): Array<CsvColumn<JsonRow>> {
  const headers = new Set<string>();
  for (const row of rows) for (const [header] of leavesOf(row)) headers.add(header);
  return [...headers].map((header) => ({
    header,
    value: (row) => csvValueOf(leavesOf(row).find(([leaf]) => leaf === header)?.[1]),
  }));
}
