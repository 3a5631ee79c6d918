import { DESYNPUF_CARRIER_LAYOUT } from '@claims/contracts';
import { parseCsvRecord } from './csv';
import { splitDelimitedRecord } from './delimited-record';
import { isDesynpufCarrierHeader } from './desynpuf-carrier';
import { LayoutDefinitionError } from './layout-definition';
import type { MappedLayout } from './mapped-layout';
import { SourceRecordError, holdsNoValue } from './source-record.errors';

/** A file's layout as its header row names it. */
export type DetectedLayout =
  /** The hand-coded carrier layout: one raw event per row, fixed column order, no header carried. */
  | { name: typeof DESYNPUF_CARRIER_LAYOUT; mapped: null }
  /** A layout from a mapping file. */
  | { name: string; mapped: MappedLayout };

/**
 * Whether a data row, as written, holds nothing but its delimiters (spaces
 * and, in a quoting layout, quotes around nothing aside): the empty row a
 * spreadsheet writes as ",,,,,", which the file readers skip and count as
 * the blank line it is rather than dead-letter as a claim. The scan stops
 * at the first character of a value, so a data row costs one comparison.
 */
export function isBlankRow(layout: DetectedLayout, text: string): boolean {
  const delimiter = layout.mapped === null ? ',' : layout.mapped.definition.delimiter;
  const quote = layout.mapped === null ? '"' : layout.mapped.quote;
  let quoted = false;
  for (const char of text) {
    if (char === quote) quoted = true;
    else if (char !== delimiter && char !== ' ' && char !== '\t') return false;
  }
  if (!quoted) return true;
  // Quotes may enclose a quote (four of them are a field holding one): the split says what the fields hold.
  try {
    return holdsNoValue(splitDelimitedRecord(text, delimiter, quote));
  } catch {
    return false;
  }
}

/**
 * Every layout the pipeline knows: the hand-coded carrier layout (kept off
 * the mapping engine: it is the hot path the bench measures) and the mapping
 * files found in the layout folders.
 */
export class SourceLayoutRegistry {
  private readonly byName: ReadonlyMap<string, MappedLayout>;

  constructor(readonly mappedLayouts: readonly MappedLayout[]) {
    const byName = new Map<string, MappedLayout>();
    for (const layout of mappedLayouts) {
      const other = byName.get(layout.name);
      if (layout.name === DESYNPUF_CARRIER_LAYOUT || other !== undefined) {
        throw new LayoutDefinitionError(
          `${layout.origin}: name: layout "${layout.name}" is already defined${other ? ` by ${other.origin}` : ' (built in)'}`,
        );
      }
      byName.set(layout.name, layout);
    }
    this.byName = byName;
  }

  /** The carrier layout alone: what a process that loads no mapping file knows. */
  static builtInOnly(): SourceLayoutRegistry {
    return new SourceLayoutRegistry([]);
  }

  /** Every known layout name, sorted: what a refusal lists. */
  knownLayoutNames(): string[] {
    return [DESYNPUF_CARRIER_LAYOUT, ...this.byName.keys()].sort();
  }

  mapped(name: string): MappedLayout | undefined {
    return this.byName.get(name);
  }

  /**
   * The layout a header row names. Several mapping files may match a header
   * (the required columns of one are a subset of another's): the one that
   * requires the most columns is the most specific and wins; a tie is refused.
   * A header that carries a layout's required columns but which that layout
   * cannot read (it does not split, or names a read column twice) is refused
   * saying so, where it read as naming no layout at all, or as a less
   * specific one.
   * @throws SourceRecordError LAYOUT_UNKNOWN, naming the known layouts.
   */
  detect(headerLine: string): DetectedLayout {
    try {
      if (isDesynpufCarrierHeader(parseCsvRecord(headerLine))) return { name: DESYNPUF_CARRIER_LAYOUT, mapped: null };
    } catch {
      // Not CSV: it may still be a pipe-delimited layout.
    }
    const candidates = [...this.byName.values()].flatMap((layout) => {
      const verdict = layout.headerVerdict(headerLine);
      return verdict.kind === 'unrelated' ? [] : [{ layout, verdict }];
    });
    const most = Math.max(0, ...candidates.map(({ layout }) => layout.requiredColumns.length));
    const closest = candidates.filter(({ layout }) => layout.requiredColumns.length === most);
    const refusal = closest.find(({ verdict }) => verdict.kind === 'refuses')?.verdict;
    if (refusal?.kind === 'refuses') throw new SourceRecordError('LAYOUT_UNKNOWN', `the header row ${refusal.reason}`);
    const best = closest.map(({ layout }) => layout);
    const [only, ...others] = best;
    if (only !== undefined && others.length === 0) return { name: only.name, mapped: only };
    if (only !== undefined) {
      throw new SourceRecordError(
        'LAYOUT_UNKNOWN',
        `the header row matches several layouts equally: ${best.map((layout) => layout.name).join(', ')}`,
      );
    }
    throw new SourceRecordError(
      'LAYOUT_UNKNOWN',
      `the header row matches no known source layout (known: ${this.knownLayoutNames().join(', ')})`,
    );
  }
}
