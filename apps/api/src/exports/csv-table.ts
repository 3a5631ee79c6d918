import type { CsvColumn, CsvValue } from './csv';

/** A JSON row as a KPI route answers it: flat values, a nested object or two, lists of text or of objects. */
export type JsonRow = Readonly<Record<string, unknown>>;

/** The CSV value of one JSON value: arrays joined with `;`, anything else that is no scalar left empty. */
function csvValueOf(value: unknown): CsvValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => (item === null ? '' : String(item))).join(';');
  return null;
}

const isObjectRow = (value: unknown): value is JsonRow =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A row's leaves by column header, nested objects one level deep as
 * `parent.child`, in first-seen order. A list of objects (a queue's age
 * buckets) gives each object's fields as `parent.label.field`, the label
 * being the object's first field when that is text (`ageBuckets.0-30.claims`)
 * and its position from 1 otherwise; a list of scalars stays one leaf.
 * Should a key spelt `parent.child` stand beside a nested `parent` holding
 * `child`, the first seen fills the cell.
 */
export function flatRowOf(row: JsonRow): ReadonlyMap<string, unknown> {
  const leaves = new Map<string, unknown>();
  const add = (header: string, leaf: unknown): void => {
    if (!leaves.has(header)) leaves.set(header, leaf);
  };
  for (const [key, value] of Object.entries(row)) {
    if (isObjectRow(value)) {
      for (const [child, leaf] of Object.entries(value)) add(`${key}.${child}`, leaf);
    } else if (Array.isArray(value) && value.length > 0 && value.every(isObjectRow)) {
      value.forEach((item, index) => {
        const fields = Object.entries(item);
        const labelled = typeof fields[0]?.[1] === 'string';
        const label = labelled ? String(fields[0]?.[1]) : String(index + 1);
        for (const [child, leaf] of labelled ? fields.slice(1) : fields) add(`${key}.${label}.${child}`, leaf);
      });
    } else {
      add(key, value);
    }
  }
  return leaves;
}

/**
 * The columns of a table of JSON rows: every leaf any row has, in the order
 * first seen, so rows of one route (which share a shape) keep the JSON's
 * field order. A withheld small cell is null in JSON and an empty cell
 * here; the row's `suppressed` list names it, as in the JSON.
 *
 * Each row is flattened once, here, and its cells read from that: a wide
 * table's export would otherwise walk every row once per column.
 */
export function csvColumnsOf(rows: readonly JsonRow[]): Array<CsvColumn<JsonRow>> {
  const flatRows = new Map<JsonRow, ReadonlyMap<string, unknown>>();
  for (const row of rows) if (!flatRows.has(row)) flatRows.set(row, flatRowOf(row));
  const headers = new Set<string>();
  for (const flatRow of flatRows.values()) for (const header of flatRow.keys()) headers.add(header);
  // A row the columns were not made from (toCsv is handed the same rows) is flattened when asked.
  const flatRowFor = (row: JsonRow): ReadonlyMap<string, unknown> => flatRows.get(row) ?? flatRowOf(row);
  return [...headers].map((header) => ({
    header,
    value: (row) => csvValueOf(flatRowFor(row).get(header)),
  }));
}
