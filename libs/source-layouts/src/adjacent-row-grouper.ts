/** One source row on its way into a claim group. */
export interface GroupRow {
  text: string;
  /** 1-based position among the file's data rows. */
  recordNumber: number;
  byteLength: number;
  /** The row's claim (or member) key, as the raw event names it; null when unreadable. */
  recordKey: string | null;
}

/**
 * The most rows one claim may span. Institutional claims have hundreds of
 * revenue lines at most (an 837I allows 999 service lines); past this a
 * "claim" is a run of mislabelled rows, and normalizing it would hold the
 * partition for one record.
 */
export const CLAIM_GROUP_MAX_ROWS = 1000;

export type RowGroup =
  /** Rows published together: one claim (or one row that forms no group). */
  | { kind: 'claim'; key: string | null; rows: GroupRow[] }
  /** Rows of a claim past the group limit: each is dead-lettered, none is published. */
  | { kind: 'over_limit'; key: string; rows: GroupRow[] };

export interface GroupLimits {
  maxRows: number;
  /** Bytes of the rows joined by LF; the raw event adds its header, lineage and JSON framing. */
  maxBytes: number;
}

/**
 * Gathers adjacent rows with the same claim key into one group, in bounded
 * memory. A claim past the limits is not published in pieces — a part of a
 * claim would replace the whole claim in claim state and move the KPIs by a
 * fraction — so every one of its rows, those held and those still to come,
 * is handed back `over_limit` to be dead-lettered: the claim is explicitly
 * missing, with a reason and every row accounted for, and replayable once the
 * limit is raised. A row whose key cannot be read forms no group.
 */
export class AdjacentRowGrouper {
  private current: { key: string; rows: GroupRow[]; bytes: number } | null = null;
  /** The key of a claim found over the limit: its later adjacent rows go the same way. */
  private overLimitKey: string | null = null;

  constructor(private readonly limits: GroupLimits) {}

  /** Adds the next row of the file; returns the groups it completes, in file order. */
  add(row: GroupRow, key: string | null): RowGroup[] {
    if (this.overLimitKey !== null) {
      if (key === this.overLimitKey) return [{ kind: 'over_limit', key, rows: [row] }];
      this.overLimitKey = null;
    }
    const current = this.current;
    if (current !== null && key === current.key) {
      const bytes = current.bytes + 1 + row.byteLength;
      if (current.rows.length + 1 > this.limits.maxRows || bytes > this.limits.maxBytes) {
        this.current = null;
        this.overLimitKey = key;
        return [{ kind: 'over_limit', key, rows: [...current.rows, row] }];
      }
      current.rows.push(row);
      current.bytes = bytes;
      return [];
    }
    const completed = this.flush();
    if (key === null) completed.push({ kind: 'claim', key: null, rows: [row] });
    else this.current = { key, rows: [row], bytes: row.byteLength };
    return completed;
  }

  /**
   * Ends the open group: at the end of the file, or before a row that cannot
   * join any group (not text, too large). A claim already over the limit
   * stays so: its rows after such a row are still dead-lettered.
   */
  flush(): RowGroup[] {
    const current = this.current;
    this.current = null;
    return current === null ? [] : [{ kind: 'claim', key: current.key, rows: current.rows }];
  }
}
