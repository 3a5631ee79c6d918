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
 * here; the row's `suppressed` list names it, as in the JSON. With no
 * rows, the columns are `declaredHeaders` (csvHeadersOfSchema of the row type).
 *
 * Each row is flattened once, here, and its cells read from that: a wide
 * table's export would otherwise walk every row once per column.
 */
export function csvColumnsOf(
  rows: readonly JsonRow[],
  declaredHeaders: readonly string[] = [],
): Array<CsvColumn<JsonRow>> {
  const flatRows = new Map<JsonRow, ReadonlyMap<string, unknown>>();
  for (const row of rows) if (!flatRows.has(row)) flatRows.set(row, flatRowOf(row));
  const headers = new Set<string>();
  for (const flatRow of flatRows.values()) for (const header of flatRow.keys()) headers.add(header);
  // A file with no rows still heads its columns, for the spreadsheet or script that loads it by name.
  if (headers.size === 0) for (const header of declaredHeaders) headers.add(header);
  // A row the columns were not made from (toCsv is handed the same rows) is flattened when asked.
  const flatRowFor = (row: JsonRow): ReadonlyMap<string, unknown> => flatRows.get(row) ?? flatRowOf(row);
  return [...headers].map((header) => ({
    header,
    value: (row) => csvValueOf(flatRowFor(row).get(header)),
  }));
}

type Schema = Readonly<Record<string, unknown>>;

const isSchema = (value: unknown): value is Schema =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const propertiesOf = (schema: unknown): Array<[string, unknown]> =>
  isSchema(schema) && isSchema(schema['properties']) ? Object.entries(schema['properties']) : [];

/**
 * The columns flatRowOf gives a row of `rowSchema` (a JSON Schema, as the
 * OpenAPI document has it), in its properties' order, which is the order the
 * route writes a row's fields. A list of objects is labelled by its first
 * field's enum, as a row labels it by that field's value; the columns only a
 * row can name (a map's keys, a list's positions) are left out.
 */
export function csvHeadersOfSchema(rowSchema: unknown): string[] {
  return propertiesOf(rowSchema).flatMap(([key, property]): string[] => {
    const children = propertiesOf(property);
    if (children.length > 0) return children.map(([child]) => `${key}.${child}`);
    if (isSchema(property) && isSchema(property['additionalProperties'])) return [];
    const items = isSchema(property) && property['type'] === 'array' ? property['items'] : undefined;
    const fields = propertiesOf(items);
    if (fields.length === 0) return items !== undefined && isSchema(items) && items['type'] === 'object' ? [] : [key];
    const [labelField, ...rest] = fields;
    const labels = isSchema(labelField?.[1]) ? labelField[1]['enum'] : undefined;
    if (!Array.isArray(labels) || !labels.every((label) => typeof label === 'string')) return [];
    return labels.flatMap((label: string) => rest.map(([child]) => `${key}.${label}.${child}`));
  });
}
