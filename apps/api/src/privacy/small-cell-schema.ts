import type { AnySmallCellSpec } from './small-cell';
import { SUPPRESSED_PROPERTY } from './small-cell';

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object schema a spec describes: the schema itself, or its items for an array. */
function objectSchema(schema: unknown): Schema | undefined {
  if (!isSchema(schema)) return undefined;
  if (schema['type'] === 'array') return isSchema(schema['items']) ? schema['items'] : undefined;
  return isSchema(schema['properties']) ? schema : undefined;
}

function propertyAt(schema: Schema, path: string): Schema | undefined {
  let current: Schema | undefined = schema;
  for (const key of path.split('.')) {
    const properties: unknown = objectSchema(current)?.['properties'];
    const next: unknown = isSchema(properties) ? properties[key] : undefined;
    current = isSchema(next) ? next : undefined;
  }
  return current;
}

const SUPPRESSED_SCHEMA: Schema = {
  type: 'array',
  items: { type: 'string' },
  description:
    'Figures of this object withheld by small-cell suppression (null above), by dotted path; absent when none is. ' +
    'Only for a caller without `kpis:small-cells`.',
};

function documentObject(schema: unknown, spec: AnySmallCellSpec): void {
  const target = objectSchema(schema);
  const properties = target?.['properties'];
  if (target === undefined || !isSchema(properties)) return;
  const nested = new Set(Object.keys(spec.nested ?? {}));
  const paths = (spec.cells ?? []).flatMap((rule) => [
    rule.count,
    ...(rule.minus === undefined ? [] : [rule.minus]),
    ...(rule.with ?? []),
  ]);
  let withholds = false;
  for (const path of paths) {
    if (nested.has(path)) continue;
    const property = propertyAt(target, path);
    if (property === undefined) continue;
    withholds = true;
    if (isSchema(property['additionalProperties'])) property['additionalProperties']['nullable'] = true;
    else property['nullable'] = true;
  }
  for (const key of spec.countMaps ?? []) {
    const map = properties[key];
    if (isSchema(map) && isSchema(map['additionalProperties'])) {
      map['additionalProperties']['nullable'] = true;
      withholds = true;
    }
  }
  if (withholds) properties[SUPPRESSED_PROPERTY] = SUPPRESSED_SCHEMA;
  for (const [key, nestedSpec] of Object.entries(spec.nested ?? {})) {
    if (nestedSpec !== undefined) documentObject(properties[key], nestedSpec);
  }
}

/**
 * The JSON Schema of an answer as a caller without `kpis:small-cells` may
 * receive it: every figure the spec can withhold nullable, and a
 * `suppressed` list on each object that can withhold one. A copy.
 */
export function schemaWithSmallCells(schema: Schema, spec: AnySmallCellSpec): Schema {
  const copy = structuredClone(schema);
  documentObject(copy, spec);
  return copy;
}
