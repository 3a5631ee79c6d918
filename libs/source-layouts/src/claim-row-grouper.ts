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

/**
 * The most rows, and bytes, a run of rows gathered together (a member's rows,
 * for a layout grouped `within` the member) is held for. A DE-SynPUF member
 * has a few hundred claim rows over three years; past this a run is a file
 * not sorted as its layout says, and holding it would grow with the file.
 */
export const CLAIM_BLOCK_MAX_ROWS = 10_000;
export const CLAIM_BLOCK_MAX_BYTES = 16 * 1024 * 1024;

export type RowGroup =
  /** Rows published together: one claim (or one row that forms no group). */
  | { kind: 'claim'; key: string | null; rows: GroupRow[] }
  /** Rows of a claim past the group limit: each is dead-lettered, none is published. */
  | { kind: 'over_limit'; key: string; rows: GroupRow[] }
  /** A row that repeats, byte for byte, a row its claim already holds (`repeats`, its record number): dead-lettered. */
  | { kind: 'repeated_row'; key: string; rows: [GroupRow]; repeats: number };

export interface GroupLimits {
  maxRows: number;
  /** Bytes of the rows joined by LF; the raw event adds its header, lineage and JSON framing. */
  maxBytes: number;
  /** Rows and bytes of a block held at once; default CLAIM_BLOCK_MAX_ROWS and CLAIM_BLOCK_MAX_BYTES. */
  maxBlockRows?: number;
  maxBlockBytes?: number;
}

export interface GroupOptions {
  /**
   * Hand back a row that repeats one its claim holds as `repeated_row`
   * rather than joining it: for a layout whose claims gather within a block,
   * where a claim's rows are segments and no segment comes twice. Without
   * it, a repeated row joins its claim as any row does (a billing export's
   * two identical lines may be two services).
   */
  refuseRepeatedRows?: boolean;
}

interface HeldClaim {
  rows: GroupRow[];
  /** The rows' bytes joined by LF. */
  bytes: number;
}

/** The block of rows whose block key cannot be read, when no block is open to hold them. */
const UNKEYED_BLOCK = 'unkeyed';

/**
 * Gathers the rows of each claim into one group, in bounded memory. Rows
 * join within a block: consecutive rows with one block key (for a layout
 * grouped `within` a member, the member's rows; otherwise the claim key
 * itself, so only adjacent rows join). A block's claims go on when the block
 * ends, in the order of their first rows.
 *
 * A claim past the limits is not published in pieces — a part of a claim
 * would replace the whole claim in claim state and move the KPIs by a
 * fraction — so every one of its rows, those held and those still to come in
 * its block, is handed back `over_limit` to be dead-lettered: the claim is
 * explicitly missing, with a reason and every row accounted for, and
 * replayable once the limit is raised. A block past its own limits goes on
 * as it stands and a new one starts: a claim split so goes as two records,
 * and the normalizer refuses the one without its first row. A row whose
 * claim key cannot be read (a blank claim id, a row that does not split)
 * forms no group and ends none: it goes on alone, to be dead-lettered with
 * its own reason, and the claim whose rows sit around it stays one record.
 * A row whose block key cannot be read (a blank member id) neither ends the
 * open block nor leaves its claim: it joins the open block, where its
 * claim's other rows are (a claim id names one claim), or starts a block of
 * such rows. A blank member id is a data-quality finding on a claim, never a
 * reason to split it or its member's other claims.
 */
export class ClaimRowGrouper {
  private block: { key: string; claims: Map<string, HeldClaim>; rows: number; bytes: number } | null = null;
  /** The claims of a block found over the limit: their later rows in the block go the same way. */
  private overLimit: { blockKey: string; claimKeys: Set<string> } | null = null;
  private readonly maxBlockRows: number;
  private readonly maxBlockBytes: number;

  constructor(
    private readonly limits: GroupLimits,
    private readonly options: GroupOptions = {},
  ) {
    this.maxBlockRows = limits.maxBlockRows ?? CLAIM_BLOCK_MAX_ROWS;
    this.maxBlockBytes = limits.maxBlockBytes ?? CLAIM_BLOCK_MAX_BYTES;
  }

  /**
   * Adds the next row of the file, with its claim key and the key of the
   * block it may join its claim within (default: the claim key, adjacent
   * rows only); returns the groups it completes, in file order.
   */
  add(row: GroupRow, key: string | null, blockKey: string | null = key): RowGroup[] {
    // Ending the open block here would make its claim's rows after this row a second record of the claim,
    // replacing the first in claim state (and would let a claim over the limit publish its later rows).
    if (key === null) return [{ kind: 'claim', key, rows: [row] }];
    const blockId = blockKey !== null ? `block\u0000${blockKey}` : (this.block?.key ?? UNKEYED_BLOCK);
    if (this.overLimit !== null && this.overLimit.blockKey !== blockId) this.overLimit = null;
    if (this.overLimit?.claimKeys.has(key)) return [{ kind: 'over_limit', key, rows: [row] }];
    const completed = this.block !== null && this.block.key !== blockId ? this.flush() : [];
    if (
      this.block !== null &&
      (this.block.rows + 1 > this.maxBlockRows || this.block.bytes + row.byteLength > this.maxBlockBytes)
    ) {
      completed.push(...this.flush());
    }
    const held = (this.block ??= { key: blockId, claims: new Map(), rows: 0, bytes: 0 });
    const claim = held.claims.get(key);
    if (claim === undefined) {
      held.claims.set(key, { rows: [row], bytes: row.byteLength });
    } else {
      const repeated = this.options.refuseRepeatedRows
        ? claim.rows.find((kept: GroupRow) => kept.text === row.text)
        : undefined;
      if (repeated !== undefined) {
        completed.push({ kind: 'repeated_row', key, rows: [row], repeats: repeated.recordNumber });
        return completed;
      }
      const bytes = claim.bytes + 1 + row.byteLength;
      if (claim.rows.length + 1 > this.limits.maxRows || bytes > this.limits.maxBytes) {
        held.claims.delete(key);
        held.rows -= claim.rows.length;
        held.bytes -= claim.bytes;
        (this.overLimit ??= { blockKey: blockId, claimKeys: new Set() }).claimKeys.add(key);
        completed.push({ kind: 'over_limit', key, rows: [...claim.rows, row] });
        return completed;
      }
      claim.rows.push(row);
      claim.bytes = bytes;
    }
    held.rows += 1;
    held.bytes += row.byteLength;
    return completed;
  }

  /**
   * Ends the open block: at the end of the file, or before a row that cannot
   * join any group (not text, too large). A claim already over the limit
   * stays so: its rows after such a row, in the same block, are still
   * dead-lettered.
   */
  flush(): RowGroup[] {
    const block = this.block;
    this.block = null;
    if (block === null) return [];
    return [...block.claims].map(([key, claim]): RowGroup => ({ kind: 'claim', key, rows: claim.rows }));
  }
}
