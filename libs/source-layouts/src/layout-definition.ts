import { SOURCE_LAYOUT_NAME_PATTERN } from '@claims/contracts';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { z } from 'zod';
import {
  DATE_FORMATS,
  parseDateInFormats,
  parseDecimalNumber,
  parseMoneyCents,
  parseWholeNumber,
} from './field-values';
import {
  CLAIM_TARGETS,
  CODE_LIST_NAMES,
  DECLARABLE_TYPES,
  EVENT_TIME_TARGETS,
  LINE_TARGETS,
  MEMBER_TARGETS,
  type TargetSpec,
} from './mapping-targets';
import { SourceRecordError } from './source-record.errors';

/**
 * Why a mapping file cannot be used. The message names the file and the key
 * (`layouts/acme.yaml: fields.claimId.column: unknown column "CLAIMID"`), so
 * whoever wrote it can fix it without reading code; services refuse to start
 * on it rather than dead-letter every record later.
 */
export class LayoutDefinitionError extends Error {
  readonly code = 'LAYOUT_DEFINITION_INVALID';
  readonly retriable = false;

  constructor(message: string) {
    super(message);
    this.name = 'LayoutDefinitionError';
  }
}

const Scalar = z
  .union([z.string(), z.number(), z.boolean()], { error: 'expected a text, a number or true/false' })
  .transform(String);

const DateFormatSchema = z.enum(DATE_FORMATS);

const TranslateSchema = z.strictObject({
  /** Source value (matched trimmed, ignoring case) → the value the target takes. */
  map: z.record(z.string(), Scalar),
  /** The value a blank source takes. */
  blank: Scalar.optional(),
  /** The value any other unlisted source value takes; without it, an enum target flags or rejects the value. */
  otherwise: Scalar.optional(),
});

export const FieldSpecSchema = z.strictObject({
  /** One source column. */
  column: z.string().min(1).optional(),
  /** Several columns concatenated (e.g. a type of bill from its three parts). */
  columns: z.array(z.string().min(1)).min(1).optional(),
  /** A constant. */
  value: Scalar.optional(),
  /** A regular expression over the source file name; its first capture group is the value. */
  fromSource: z.string().min(1).optional(),
  type: z.enum(DECLARABLE_TYPES).optional(),
  /** A date's format, or several tried in order (an export that mixes US and ISO dates). */
  format: z
    .union([DateFormatSchema, z.array(DateFormatSchema).min(1)], {
      // Said in full: zod's own words for a union are only "Invalid input".
      error: `expected one of ${DATE_FORMATS.join(', ')}, or a list of them`,
    })
    .optional(),
  /** The value a blank source takes before it is parsed. */
  default: Scalar.optional(),
  translate: TranslateSchema.optional(),
  /** A vendored code list to check the value against; an unknown code is a data-quality finding. */
  codeList: z.enum(CODE_LIST_NAMES).optional(),
  /** What a blank value means: reject the record, flag it (a finding), or allow it silently. */
  missing: z.enum(['reject', 'flag', 'allow']).optional(),
});
export type FieldSpec = z.infer<typeof FieldSpecSchema>;

const CODE_SYSTEMS = ['ICD-9-CM', 'ICD-10-CM', 'ICD-10-PCS'] as const;

/** A series of code columns: one column, or `{n}` numbered columns 1..count. */
const CodeSeriesSchema = z.strictObject({
  column: z.string().min(1),
  count: z.number().int().min(1).max(99).optional(),
  system: z.enum(CODE_SYSTEMS).optional(),
  /** A column stating each code's system (RIF ICD_DGNS_VRSN_CD{n}), translated by `systems`. */
  systemColumn: z.string().min(1).optional(),
  systems: z.record(z.string(), z.enum(CODE_SYSTEMS)).optional(),
  codeList: z.enum(CODE_LIST_NAMES).optional(),
});
export type CodeSeries = z.infer<typeof CodeSeriesSchema>;

const LinesSchema = z.strictObject({
  /** One line per source row. */
  perRow: z.literal(true).optional(),
  /** Repeated column groups per row: `{n}` in a column name runs 1..repeat. */
  repeat: z.number().int().min(1).max(450).optional(),
  /** A line slot is a line when any of these fields is non-blank (an amount: non-zero); default: every mapped field. */
  present: z.array(z.string()).optional(),
  fields: z.record(z.string(), FieldSpecSchema),
});

const GroupingSchema = z.strictObject({
  /** Adjacent rows with equal values in these columns form one claim; default: the claimId column(s). */
  key: z.array(z.string().min(1)).min(1).optional(),
  /**
   * Columns that hold a claim's rows together where they may sit apart: the
   * rows with one key among the consecutive rows with equal values here (a
   * member's rows, in a file sorted by member) form one claim, adjacent or
   * not. Default: only adjacent rows do.
   */
  within: z.array(z.string().min(1)).min(1).optional(),
  /** An integer column the rows of a claim are ordered by (segments may come out of order). */
  orderBy: z.string().min(1).optional(),
  /** The row that carries the claim-level fields; a claim without it is dead-lettered. */
  firstRow: z.strictObject({ column: z.string().min(1), equals: Scalar }).optional(),
});

const ChronicConditionsSchema = z.strictObject({
  /** Condition name → the column flagging it. */
  flags: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case name'), z.string().min(1)),
  /** Source values meaning "has the condition" and "has not". */
  yes: z.array(Scalar).min(1),
  no: z.array(Scalar).min(1),
});

export const LayoutDefinitionSchema = z.strictObject({
  name: z.string().regex(SOURCE_LAYOUT_NAME_PATTERN, 'expected lower-case words joined by ".", "-" or "_"').max(64),
  kind: z.enum(['claim', 'member_reference']),
  description: z.string().optional(),
  delimiter: z.enum([',', '|', '\t', ';']),
  /** The quote character; null when the format has none (CMS RIF files are not quoted). */
  quote: z.literal('"').nullable().optional(),
  /** Extra fields past the header's columns: rejected (COLUMN_COUNT_MISMATCH) or ignored. */
  trailingColumns: z.enum(['reject', 'ignore']).optional(),
  /** A field longer than this is damage, not data (FIELD_TOO_LONG). */
  maxFieldLength: z.number().int().min(8).max(65536).optional(),
  /** Every column the layout reads or requires; a file may carry more. */
  columns: z.array(z.string().min(1)).min(1),
  header: z.strictObject({ required: z.array(z.string().min(1)).min(1) }).optional(),
  grouping: GroupingSchema.optional(),
  /** The claim dates the event time is taken from: the first one present wins. */
  occurredAt: z.array(z.enum(EVENT_TIME_TARGETS)).min(1).optional(),
  fields: z.record(z.string(), FieldSpecSchema),
  diagnoses: z.array(CodeSeriesSchema).optional(),
  procedures: z.array(CodeSeriesSchema).optional(),
  lines: LinesSchema.optional(),
  chronicConditions: ChronicConditionsSchema.optional(),
});
export type LayoutDefinition = z.infer<typeof LayoutDefinitionSchema>;

/** The columns a possibly `{n}`-numbered column name stands for. */
export function expandNumbered(column: string, count: number | undefined): string[] {
  if (!column.includes('{n}')) return [column];
  return Array.from({ length: count ?? 0 }, (_, index) => column.replaceAll('{n}', String(index + 1)));
}

/** How many capture groups a regular expression has; -1 when it is not one. */
function captureGroupCount(pattern: string): number {
  try {
    // An empty alternative always matches, and the match lists every group.
    return (new RegExp(`${pattern}|`).exec('')?.length ?? 1) - 1;
  } catch {
    return -1;
  }
}

interface Problem {
  path: string;
  message: string;
}

/**
 * What a field's translation makes of a source value (matched trimmed,
 * ignoring case), or undefined when it leaves the value untranslated.
 */
export function translatedValue(text: string, spec: NonNullable<FieldSpec['translate']>): string | undefined {
  if (text === '') return spec.blank;
  const wanted = text.toUpperCase();
  for (const [from, to] of Object.entries(spec.map)) if (from.trim().toUpperCase() === wanted) return to;
  return spec.otherwise;
}

/**
 * Why a constant the layout itself writes (a `value`, a `default`, a
 * translation's output) cannot be read as its target's type, or null. A
 * constant is the same on every record: left to the mapping, it would
 * dead-letter every record the field reads it on.
 */
function constantProblem(text: string, target: TargetSpec, spec: FieldSpec): string | null {
  if (text === '') return null;
  const named = `"${text}"`;
  try {
    switch (target.type) {
      case 'date':
        parseDateInFormats(text, spec.format ?? 'YYYY-MM-DD', named);
        break;
      case 'amount':
        parseMoneyCents(text, named);
        break;
      case 'integer':
        parseWholeNumber(text, named);
        break;
      case 'decimal':
        parseDecimalNumber(text, named);
        break;
      default:
        break;
    }
  } catch (error) {
    if (error instanceof SourceRecordError) return error.message;
    throw error;
  }
  return null;
}

/** A field's constants checked against its target: what its value and default become, and what it translates to. */
function constantProblems(path: string, target: TargetSpec, spec: FieldSpec): Problem[] {
  const problems: Problem[] = [];
  const translate = spec.translate;
  const allowed = target.values ?? [];
  // A value and a default go through the translation, as a column's text does (FieldReader.read).
  for (const key of ['value', 'default'] as const) {
    const written = spec[key];
    if (written === undefined || (key === 'value' && target.type === 'enum')) continue;
    const translated = translate === undefined ? undefined : translatedValue(written, translate);
    if (target.type === 'enum') {
      if (translated === undefined || !allowed.includes(translated)) {
        problems.push({
          path: `${path}.${key}`,
          message: `"${written}" is not translated to one of ${allowed.join(', ')}`,
        });
      }
      continue;
    }
    const problem = constantProblem(translated ?? written, target, spec);
    if (problem !== null) problems.push({ path: `${path}.${key}`, message: problem });
  }
  if (translate !== undefined && target.type !== 'enum') {
    const outputs: Array<[string, string | undefined]> = [
      ...Object.entries(translate.map).map(([from, to]): [string, string] => [`translate.map.${from}`, to]),
      ['translate.blank', translate.blank],
      ['translate.otherwise', translate.otherwise],
    ];
    for (const [key, output] of outputs) {
      const problem = output === undefined ? null : constantProblem(output, target, spec);
      if (problem !== null) problems.push({ path: `${path}.${key}`, message: problem });
    }
  }
  // Source values are matched ignoring case and blanks around them: two keys that match alike are one value.
  const firstKeyOf = new Map<string, string>();
  for (const [from, to] of Object.entries(translate?.map ?? {})) {
    const matched = from.trim().toUpperCase();
    const first = firstKeyOf.get(matched);
    if (first === undefined) firstKeyOf.set(matched, from);
    else if (translate?.map[first] !== to) {
      problems.push({
        path: `${path}.translate.map.${from}`,
        message: `translates the source value of "${first}" again (values match ignoring case)`,
      });
    }
  }
  return problems;
}

/** Whether a field reads a `{n}`-numbered column: a different column in each slot of a repeated line. */
function readsNumberedColumn(spec: FieldSpec): boolean {
  return [spec.column, ...(spec.columns ?? [])].some((column) => column?.includes('{n}') === true);
}

function formatZodIssue(issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path, message: `unknown key "${key}"` }));
  }
  return [{ path, message: issue.message }];
}

/** Checks what the schema alone cannot: column references, targets per kind, types and translations. */
function semanticProblems(definition: LayoutDefinition): Problem[] {
  const problems: Problem[] = [];
  const known = new Set(definition.columns.map((column) => column.toUpperCase()));
  const checkColumn = (path: string, column: string, count?: number): void => {
    if (column.includes('{n}') && count === undefined) {
      problems.push({ path, message: `"{n}" in a column name needs a count (or lines.repeat)` });
      return;
    }
    for (const name of expandNumbered(column, count)) {
      if (!known.has(name.toUpperCase())) problems.push({ path, message: `unknown column "${name}"` });
    }
  };
  for (const column of definition.header?.required ?? []) checkColumn('header.required', column);

  const checkField = (path: string, target: TargetSpec | undefined, spec: FieldSpec, repeat?: number): void => {
    if (target === undefined) {
      problems.push({ path: path.slice(0, path.lastIndexOf('.')), message: `unknown key "${path.split('.').pop()}"` });
      return;
    }
    const sources = [spec.column, spec.columns, spec.value, spec.fromSource].filter((source) => source !== undefined);
    if (sources.length !== 1) {
      problems.push({ path, message: 'give exactly one of column, columns, value, fromSource' });
    }
    if (spec.column !== undefined) checkColumn(`${path}.column`, spec.column, repeat);
    for (const column of spec.columns ?? []) checkColumn(`${path}.columns`, column, repeat);
    if (spec.fromSource !== undefined) {
      if (captureGroupCount(spec.fromSource) < 1) {
        problems.push({ path: `${path}.fromSource`, message: 'expected a regular expression with a capture group' });
      }
    }
    if (target.type === 'enum') {
      if (spec.type !== undefined)
        problems.push({ path: `${path}.type`, message: 'this field takes translated values' });
      const allowed = target.values ?? [];
      const checkValue = (valuePath: string, value: string): void => {
        if (!allowed.includes(value)) {
          problems.push({ path: valuePath, message: `expected one of ${allowed.join(', ')}` });
        }
      };
      if (spec.value !== undefined) checkValue(`${path}.value`, spec.value);
      else if (spec.translate === undefined) {
        problems.push({ path, message: `give a value or a translate to one of ${allowed.join(', ')}` });
      }
      for (const [key, value] of Object.entries(spec.translate?.map ?? {}))
        checkValue(`${path}.translate.map.${key}`, value);
      if (spec.translate?.blank !== undefined) checkValue(`${path}.translate.blank`, spec.translate.blank);
      if (spec.translate?.otherwise !== undefined) checkValue(`${path}.translate.otherwise`, spec.translate.otherwise);
    } else if (spec.type !== undefined && spec.type !== target.type) {
      problems.push({ path: `${path}.type`, message: `this field is a ${target.type}` });
    }
    if (target.type === 'date' && spec.value === undefined && spec.format === undefined) {
      problems.push({ path: `${path}.format`, message: `a date needs a format (${DATE_FORMATS.join(', ')})` });
    }
    if (target.type !== 'date' && spec.format !== undefined) {
      problems.push({ path: `${path}.format`, message: 'only dates take a format' });
    }
    problems.push(...constantProblems(path, target, spec));
  };

  const targets: Record<string, TargetSpec> = definition.kind === 'claim' ? CLAIM_TARGETS : MEMBER_TARGETS;
  for (const [target, spec] of Object.entries(definition.fields)) {
    checkField(`fields.${target}`, targets[target], spec);
  }
  for (const [target, spec] of Object.entries(targets)) {
    if (spec.required && definition.fields[target] === undefined) {
      problems.push({ path: `fields.${target}`, message: 'required: map a column or give a value' });
    }
  }

  if (definition.kind === 'member_reference') {
    for (const key of ['lines', 'diagnoses', 'procedures', 'occurredAt'] as const) {
      if (definition[key] !== undefined)
        problems.push({ path: key, message: 'a member-reference layout has no claim parts' });
    }
  } else if (definition.chronicConditions !== undefined) {
    problems.push({ path: 'chronicConditions', message: 'only a member-reference layout has chronic conditions' });
  }

  for (const [index, series] of [...(definition.diagnoses ?? []), ...(definition.procedures ?? [])].entries()) {
    const isDiagnosis = index < (definition.diagnoses?.length ?? 0);
    const path = isDiagnosis ? `diagnoses.${index}` : `procedures.${index - (definition.diagnoses?.length ?? 0)}`;
    checkColumn(`${path}.column`, series.column, series.count);
    if (series.systemColumn !== undefined) checkColumn(`${path}.systemColumn`, series.systemColumn, series.count);
    if ((series.system === undefined) === (series.systemColumn === undefined)) {
      problems.push({ path, message: 'give exactly one of system, systemColumn' });
    }
    if (series.systemColumn !== undefined && series.systems === undefined) {
      problems.push({ path: `${path}.systems`, message: 'a systemColumn needs its systems translation' });
    }
    // Diagnoses are ICD-9-CM or ICD-10-CM; procedures ICD-9-CM (volume 3) or ICD-10-PCS.
    const allowedSystems = isDiagnosis ? ['ICD-9-CM', 'ICD-10-CM'] : ['ICD-9-CM', 'ICD-10-PCS'];
    for (const system of [series.system, ...Object.values(series.systems ?? {})]) {
      if (system !== undefined && !allowedSystems.includes(system)) {
        problems.push({ path, message: `${system} is no ${isDiagnosis ? 'diagnosis' : 'procedure'} code system` });
      }
    }
  }

  const lines = definition.lines;
  if (lines !== undefined) {
    if ((lines.perRow === undefined) === (lines.repeat === undefined)) {
      problems.push({ path: 'lines', message: 'give exactly one of perRow, repeat' });
    }
    for (const [target, spec] of Object.entries(lines.fields)) {
      checkField(`lines.fields.${target}`, (LINE_TARGETS as Record<string, TargetSpec>)[target], spec, lines.repeat);
    }
    for (const target of lines.present ?? []) {
      if (lines.fields[target] === undefined) {
        problems.push({ path: 'lines.present', message: `"${target}" is not a mapped line field` });
      }
    }
    if (lines.repeat !== undefined) {
      // Every slot of a row reads a column without `{n}` alike: its amount would be counted once per slot.
      for (const [target, spec] of Object.entries(lines.fields)) {
        const lineTarget = (LINE_TARGETS as Record<string, TargetSpec>)[target];
        const readsColumn = spec.column !== undefined || spec.columns !== undefined;
        if (lineTarget?.type === 'amount' && readsColumn && !readsNumberedColumn(spec)) {
          problems.push({
            path: `lines.fields.${target}.column`,
            message:
              'a repeated line reads its amounts from "{n}" columns: one column is read alike by every slot, its amount counted once per slot',
          });
        }
      }
      // The fields that decide a slot is a line (lines.present, by default every field read from the row).
      const deciding =
        lines.present ??
        Object.entries(lines.fields)
          .filter(
            ([target, spec]) => spec.value === undefined && target !== 'processingCategory' && target !== 'lineNumber',
          )
          .map(([target]) => target);
      if (!deciding.some((target) => lines.fields[target] !== undefined && readsNumberedColumn(lines.fields[target]))) {
        problems.push({
          path: 'lines.present',
          message:
            'with repeat, a slot is a line by a field reading a "{n}" column: one no such field decides would repeat its line in every slot',
        });
      }
    }
    if (lines.fields['processingCategory'] === undefined) {
      // The KPI fold counts every line under a processing category: a layout must say how its lines get one.
      problems.push({ path: 'lines.fields.processingCategory', message: 'required: map a column or give a value' });
    }
  }

  const grouping = definition.grouping;
  for (const column of grouping?.key ?? []) checkColumn('grouping.key', column);
  for (const column of grouping?.within ?? []) checkColumn('grouping.within', column);
  if (grouping?.orderBy !== undefined) checkColumn('grouping.orderBy', grouping.orderBy);
  if (grouping?.firstRow !== undefined) checkColumn('grouping.firstRow.column', grouping.firstRow.column);
  if (grouping !== undefined && definition.kind !== 'claim') {
    problems.push({ path: 'grouping', message: 'only claims span several rows' });
  }
  if (grouping !== undefined && grouping.key === undefined && definition.fields['claimId']?.fromSource !== undefined) {
    problems.push({ path: 'grouping.key', message: 'required when claimId is not read from columns' });
  }

  for (const [condition, column] of Object.entries(definition.chronicConditions?.flags ?? {})) {
    checkColumn(`chronicConditions.flags.${condition}`, column);
  }
  const yesValues = new Set(definition.chronicConditions?.yes ?? []);
  for (const value of definition.chronicConditions?.no ?? []) {
    // A flag is compared as written: one value in both lists would always read as yes.
    if (yesValues.has(value))
      problems.push({ path: 'chronicConditions.no', message: `"${value}" is also a yes value` });
  }
  for (const target of definition.occurredAt ?? []) {
    if (definition.fields[target] === undefined && target !== 'serviceThroughDate') {
      problems.push({ path: 'occurredAt', message: `"${target}" is not a mapped field` });
    }
  }
  return problems;
}

/**
 * Scalars YAML reads as something other than what was written: `01` is the
 * number 1, `00123` is 123, `1.50` is 1.5, `0x11` is 17. In a code, a
 * constant or a translation's source value that silently changes what the
 * layout matches or writes (a status `01` never matches the `01` in a file),
 * so such a scalar is refused with the advice to quote it.
 */
function scalarsReadOtherwise(node: unknown, path: readonly string[], problems: Problem[]): void {
  if (isScalar(node)) {
    const { value, source } = node as { value: unknown; source?: string };
    if ((typeof value === 'number' || typeof value === 'boolean') && source !== undefined && source !== String(value)) {
      const reading = typeof value === 'number' ? `the number ${String(value)}` : `the boolean ${String(value)}`;
      problems.push({
        path: path.join('.'),
        message: `${source} reads as ${reading} in YAML: write it in quotes to keep it as written`,
      });
    }
    return;
  }
  if (!isMap(node) && !isSeq(node)) return;
  node.items.forEach((item, index) => {
    if (!isPair(item)) {
      scalarsReadOtherwise(item, [...path, String(index)], problems);
      return;
    }
    const key = item.key;
    const keyText = isScalar(key) ? ((key as { source?: string }).source ?? String(key.value)) : String(key);
    scalarsReadOtherwise(key, [...path, keyText], problems);
    scalarsReadOtherwise(item.value, [...path, keyText], problems);
  });
}

/**
 * Parses and validates a mapping file's text (YAML, or JSON, which is YAML
 * too). @throws LayoutDefinitionError naming `displayName` and the bad key.
 */
export function parseLayoutDefinition(text: string, displayName: string): LayoutDefinition {
  let document: unknown;
  const misread: Problem[] = [];
  try {
    const parsed = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    const [yamlError] = parsed.errors;
    if (yamlError !== undefined) throw yamlError;
    // toJS refuses an alias expanded past maxAliasCount (100): a "billion laughs" file is not read out.
    document = parsed.toJS();
    scalarsReadOtherwise(parsed.contents, [], misread);
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'unreadable';
    throw new LayoutDefinitionError(`${displayName}: not valid YAML: ${detail}`);
  }
  const parsed = LayoutDefinitionSchema.safeParse(document);
  const problems = [
    ...misread,
    ...(parsed.success ? semanticProblems(parsed.data) : parsed.error.issues.flatMap(formatZodIssue)),
  ];
  if (problems.length > 0 || !parsed.success) {
    const lines = problems.map((problem) => `${displayName}: ${problem.path || '(root)'}: ${problem.message}`);
    throw new LayoutDefinitionError(lines.join('\n'));
  }
  return parsed.data;
}
