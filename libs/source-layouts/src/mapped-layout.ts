import { splitDelimitedRecord } from './delimited-record';
import type { LayoutDefinition } from './layout-definition';
import { SourceRecordError } from './source-record.errors';

/** Names asked of one binding whose answer it remembers: a layout's columns, each slot of a numbered one. */
const MAX_REMEMBERED_COLUMN_NAMES = 4_096;

/** Column positions of one file's header row, by upper-cased column name. */
export class HeaderBinding {
  private readonly indexByName: ReadonlyMap<string, number>;
  /**
   * Answers already given, by the name as asked and by each slot of a
   * numbered column (`HCPCS_CD_{n}`): a mapped record reads the same
   * hundred-odd columns on every row, and upper-casing or expanding each
   * name again was a fifth of a mapped record's time.
   */
  private readonly indexByAskedName = new Map<string, number>();
  private readonly indexBySlotOfColumn = new Map<string, number[]>();

  /**
   * `columnNames` as headerNames reads them. A column named twice is bound
   * to its first position; a layout refuses a header naming a column it
   * reads twice (MappedLayout.bindHeader), so that position only ever
   * answers for a column nobody reads.
   */
  constructor(readonly columnNames: readonly string[]) {
    const indexByName = new Map<string, number>();
    columnNames.forEach((name, index) => {
      if (!indexByName.has(name)) indexByName.set(name, index);
    });
    this.indexByName = indexByName;
  }

  /**
   * Whether a row's fields are this header's column names again: `same`
   * in the same order (two exports joined into one file), `reordered` in
   * another order (an export with its columns arranged otherwise, whose
   * rows after it do not fit this header's positions), else null.
   */
  headerRowOrder(fields: readonly string[]): 'same' | 'reordered' | null {
    // Asked of every row: a data row's first field (its claim or member id) is no column name, and ends it here.
    const [first] = fields;
    if (fields.length !== this.columnCount || first === undefined || !this.indexByName.has(headerName(first))) {
      return null;
    }
    const names = headerNames(fields);
    if (names.every((name, index) => name === this.columnNames[index])) return 'same';
    const ownNames = [...this.columnNames].sort();
    return names.sort().every((name, index) => name === ownNames[index]) ? 'reordered' : null;
  }

  get columnCount(): number {
    return this.columnNames.length;
  }

  /** The column's position, or -1 when this file does not carry it (its value then reads as blank). */
  indexOf(column: string): number {
    const remembered = this.indexByAskedName.get(column);
    if (remembered !== undefined) return remembered;
    const index = this.indexByName.get(column.toUpperCase()) ?? -1;
    if (this.indexByAskedName.size < MAX_REMEMBERED_COLUMN_NAMES) this.indexByAskedName.set(column, index);
    return index;
  }

  /** The position of `column` with `{n}` read as `slot` (the column itself without a slot); -1 when absent. */
  indexOfSlot(column: string, slot: number | undefined): number {
    if (slot === undefined) return this.indexOf(column);
    let bySlot = this.indexBySlotOfColumn.get(column);
    if (bySlot === undefined) {
      if (this.indexBySlotOfColumn.size >= MAX_REMEMBERED_COLUMN_NAMES) {
        return this.indexOf(column.replaceAll('{n}', String(slot)));
      }
      bySlot = [];
      this.indexBySlotOfColumn.set(column, bySlot);
    }
    let index = bySlot[slot];
    if (index === undefined) {
      index = this.indexOf(column.replaceAll('{n}', String(slot)));
      bySlot[slot] = index;
    }
    return index;
  }
}

/** A header cell as a reader compares it: quotes stripped (by the split), trimmed, upper-cased. */
function headerName(field: string): string {
  return field
    .replace(/^\uFEFF/, '')
    .trim()
    .toUpperCase();
}

function headerNames(fields: readonly string[]): string[] {
  return fields.map(headerName);
}

/** A header cell read loosely: its surrounding spaces and quotes dropped. */
function withoutQuotes(cell: string): string {
  return cell.trim().replace(/^"+|"+$/g, '');
}

/** What a layout makes of a header row (MappedLayout.headerVerdict). */
export type HeaderVerdict = { kind: 'reads' } | { kind: 'refuses'; reason: string } | { kind: 'unrelated' };

const MAX_CACHED_BINDINGS = 32;
const DEFAULT_MAX_FIELD_LENGTH = 1024;

/**
 * A mapping file, ready to use: how its records split, which headers it
 * recognises, and how a row's claim (or member) key and grouping key read.
 * Column positions come from each file's own header, so a file may order
 * its columns freely and carry columns the layout does not know.
 */
export class MappedLayout {
  readonly name: string;
  readonly kind: LayoutDefinition['kind'];
  readonly quote: '"' | null;
  readonly maxFieldLength: number;
  /** The header columns a file must carry to be read with this layout, upper-cased. */
  readonly requiredColumns: readonly string[];
  private readonly keyColumns: readonly string[];
  private readonly groupKeyColumns: readonly string[] | null;
  private readonly blockKeyColumns: readonly string[] | null;
  private readonly bindings = new Map<string, HeaderBinding>();
  /** Every column the layout reads or requires (`columns`), upper-cased. */
  private readonly readColumns: ReadonlySet<string>;

  constructor(
    readonly definition: LayoutDefinition,
    /** Where the definition came from (`layouts/acme.yaml`), for messages. */
    readonly origin: string,
  ) {
    this.name = definition.name;
    this.kind = definition.kind;
    this.quote = definition.quote === undefined ? (definition.delimiter === ',' ? '"' : null) : definition.quote;
    this.maxFieldLength = definition.maxFieldLength ?? DEFAULT_MAX_FIELD_LENGTH;
    this.requiredColumns = (definition.header?.required ?? definition.columns).map((name) => name.toUpperCase());
    this.readColumns = new Set(definition.columns.map((name) => name.toUpperCase()));
    const keyField = definition.fields[definition.kind === 'claim' ? 'claimId' : 'memberId'];
    this.keyColumns = keyField?.column !== undefined ? [keyField.column] : (keyField?.columns ?? []);
    this.groupKeyColumns = definition.grouping === undefined ? null : (definition.grouping.key ?? this.keyColumns);
    this.blockKeyColumns = definition.grouping?.within ?? null;
  }

  /** Whether a claim's rows gather within a block (`grouping.within`), not only when adjacent. */
  get groupsWithinBlocks(): boolean {
    return this.blockKeyColumns !== null;
  }

  /**
   * Whether a row repeated byte for byte within its claim is the same row
   * twice, never a second line: the claim's rows gather within a block (a
   * DE-SynPUF segment), or carry their own number (`grouping.orderBy`: a RIF
   * LINE_NUM). A billing export's rows carry no number, and two alike may be
   * two services.
   */
  get refusesRepeatedRows(): boolean {
    return this.blockKeyColumns !== null || this.definition.grouping?.orderBy !== undefined;
  }

  /** Whether rows with one key (adjacent, or within a block) form one claim. */
  get groupsRows(): boolean {
    return this.groupKeyColumns !== null;
  }

  splitRecord(record: string): string[] {
    return splitDelimitedRecord(record, this.definition.delimiter, this.quote);
  }

  /**
   * Whether a row of `fieldCount` fields fits the file's header: as many
   * columns, or more when the layout ignores trailing ones.
   */
  fitsColumns(binding: HeaderBinding, fieldCount: number): boolean {
    const expected = binding.columnCount;
    return fieldCount === expected || (fieldCount > expected && this.definition.trailingColumns === 'ignore');
  }

  /**
   * Whether this layout reads a header row: it splits, carries every
   * required column (order and extra columns aside) and names no column
   * the layout reads twice.
   */
  matchesHeader(headerLine: string): boolean {
    return this.headerVerdict(headerLine).kind === 'reads';
  }

  /**
   * What this layout makes of a header row: it `reads` it; it `refuses` one
   * that carries its required columns but cannot be read (it does not split,
   * or names a read column twice), saying why after "the header row"; or it
   * is `unrelated` (a required column is missing).
   */
  headerVerdict(headerLine: string): HeaderVerdict {
    let fields: string[];
    try {
      fields = this.splitRecord(headerLine);
    } catch (error) {
      if (!(error instanceof SourceRecordError)) throw error;
      // Read loosely, only to tell a header of this layout that does not split from one of another layout.
      const looseNames = new Set(headerNames(headerLine.split(this.definition.delimiter).map(withoutQuotes)));
      return this.requiredColumns.every((column) => looseNames.has(column))
        ? { kind: 'refuses', reason: `does not split as layout ${this.name} reads it: ${error.message}` }
        : { kind: 'unrelated' };
    }
    const names = headerNames(fields);
    const present = new Set(names);
    if (!this.requiredColumns.every((column) => present.has(column))) return { kind: 'unrelated' };
    const repeated = this.repeatedReadColumn(fields, names);
    return repeated === null ? { kind: 'reads' } : { kind: 'refuses', reason: repeated };
  }

  /**
   * The column positions of a header row; cached, since every record of a file carries the same header.
   * @throws SourceRecordError HEADER_MISMATCH when it names a column the layout reads twice
   */
  bindHeader(headerLine: string): HeaderBinding {
    const cached = this.bindings.get(headerLine);
    if (cached) return cached;
    const fields = this.splitRecord(headerLine);
    const names = headerNames(fields);
    const repeated = this.repeatedReadColumn(fields, names);
    if (repeated !== null) throw new SourceRecordError('HEADER_MISMATCH', `the header row ${repeated}`);
    const binding = new HeaderBinding(names);
    if (this.bindings.size >= MAX_CACHED_BINDINGS) this.bindings.clear();
    this.bindings.set(headerLine, binding);
    return binding;
  }

  /**
   * Why a header naming a column this layout reads more than once cannot be
   * read (after "the header row"), or null: reading one of the two in
   * silence would take a charge from whichever the export happened to write
   * first. A column the layout does not read may repeat: nothing reads it.
   */
  private repeatedReadColumn(fields: readonly string[], names: readonly string[]): string | null {
    const positions = new Map<string, number[]>();
    names.forEach((name, index) => {
      if (this.readColumns.has(name)) positions.set(name, [...(positions.get(name) ?? []), index + 1]);
    });
    for (const [, at] of positions) {
      if (at.length < 2) continue;
      const first = at[0] ?? 1;
      const spelled = (fields[first - 1] ?? '').replace(/^\uFEFF/, '').trim();
      const times = at.length === 2 ? 'twice' : `${at.length} times`;
      const list = `${at.slice(0, -1).join(', ')} and ${at[at.length - 1]}`;
      return (
        `names ${spelled} ${times} (columns ${list}), a column layout ${this.name} reads: ` +
        'which of them holds its values is ambiguous'
      );
    }
    return null;
  }

  /** The record's key — claim id, or member id for a member reference — or null when blank. */
  recordKey(binding: HeaderBinding, fields: readonly string[]): string | null {
    // Concatenated as the field reader concatenates `columns`, so the raw and canonical ids agree.
    return joinedKey(binding, fields, this.keyColumns, '');
  }

  /**
   * The key rows must share to form one claim; null when the row cannot be
   * grouped: no grouping, or no claim id. Any other key column may be blank
   * (a RIF row without its DML_IND): blank is then the value the claim's
   * rows share, where a null would send each of its rows alone as the whole
   * claim, each version replacing the last.
   */
  groupKey(binding: HeaderBinding, fields: readonly string[], recordKey: string | null): string | null {
    if (this.groupKeyColumns === null) return null;
    // The row's record key (recordKey above), which the reader has already read for it.
    if (this.keyColumns.length > 0 && recordKey === null) return null;
    return joinedKey(binding, fields, this.groupKeyColumns, '\u0000', true);
  }

  /**
   * The key of the run of rows a claim's rows are gathered within (`grouping.within`),
   * or, for a layout without one, the group key itself: only adjacent rows join.
   */
  blockKey(binding: HeaderBinding, fields: readonly string[], groupKey: string | null): string | null {
    return this.blockKeyColumns === null ? groupKey : joinedKey(binding, fields, this.blockKeyColumns, '\u0000');
  }
}

/** The columns' values joined; null when there are none, or when one is blank and `blankParts` does not allow it. */
function joinedKey(
  binding: HeaderBinding,
  fields: readonly string[],
  columns: readonly string[],
  separator: string,
  blankParts = false,
): string | null {
  if (columns.length === 0) return null;
  const parts = columns.map((column) => (fields[binding.indexOf(column)] ?? '').replace(/"/g, '').trim());
  if (!blankParts && parts.some((part) => part === '')) return null;
  return parts.join(separator);
}
