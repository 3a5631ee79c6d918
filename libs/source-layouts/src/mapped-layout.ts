import { splitDelimitedRecord } from './delimited-record';
import type { LayoutDefinition } from './layout-definition';

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

  constructor(readonly columnNames: readonly string[]) {
    const indexByName = new Map<string, number>();
    // The first of two equally named columns wins, as a reader of the file would assume.
    columnNames.forEach((name, index) => {
      if (!indexByName.has(name)) indexByName.set(name, index);
    });
    this.indexByName = indexByName;
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

/** Header cells as a reader compares them: quotes stripped, trimmed, upper-cased. */
function headerNames(fields: readonly string[]): string[] {
  return fields.map((field) =>
    field
      .replace(/^\uFEFF/, '')
      .trim()
      .toUpperCase(),
  );
}

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

  /** Whether a header row carries every required column (order and extra columns aside). */
  matchesHeader(headerLine: string): boolean {
    let names: Set<string>;
    try {
      names = new Set(headerNames(this.splitRecord(headerLine)));
    } catch {
      return false;
    }
    return this.requiredColumns.every((column) => names.has(column));
  }

  /** The column positions of a header row; cached, since every record of a file carries the same header. */
  bindHeader(headerLine: string): HeaderBinding {
    const cached = this.bindings.get(headerLine);
    if (cached) return cached;
    const binding = new HeaderBinding(headerNames(this.splitRecord(headerLine)));
    if (this.bindings.size >= MAX_CACHED_BINDINGS) this.bindings.clear();
    this.bindings.set(headerLine, binding);
    return binding;
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
