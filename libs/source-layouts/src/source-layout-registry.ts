import { DESYNPUF_CARRIER_LAYOUT } from '@claims/contracts';
import { parseCsvRecord } from './csv';
import { isDesynpufCarrierHeader } from './desynpuf-carrier';
import { LayoutDefinitionError } from './layout-definition';
import type { MappedLayout } from './mapped-layout';
import { SourceRecordError } from './source-record.errors';

/** A file's layout as its header row names it. */
export type DetectedLayout =
  /** The hand-coded carrier layout: one raw event per row, fixed column order, no header carried. */
  | { name: typeof DESYNPUF_CARRIER_LAYOUT; mapped: null }
  /** A layout from a mapping file. */
  | { name: string; mapped: MappedLayout };

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
   * @throws SourceRecordError LAYOUT_UNKNOWN, naming the known layouts.
   */
  detect(headerLine: string): DetectedLayout {
    try {
      if (isDesynpufCarrierHeader(parseCsvRecord(headerLine))) return { name: DESYNPUF_CARRIER_LAYOUT, mapped: null };
    } catch {
      // Not CSV: it may still be a pipe-delimited layout.
    }
    const matches = [...this.byName.values()].filter((layout) => layout.matchesHeader(headerLine));
    const most = Math.max(0, ...matches.map((layout) => layout.requiredColumns.length));
    const best = matches.filter((layout) => layout.requiredColumns.length === most);
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
