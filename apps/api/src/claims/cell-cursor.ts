import { invalidRequest } from '../http/query-fields';
import { isClaimId } from './claim-id';

/**
 * Keyset cursors of the drill-downs: the cell a listing pages through and the
 * last claim id of the page, base64url JSON. A cursor pins its cell, so
 * paging on under other filters is refused (400 `cursor`), not mixed.
 */
export function encodeCellCursor(cell: readonly unknown[], lastClaimId: string): string {
  return Buffer.from(JSON.stringify([...cell, lastClaimId]), 'utf8').toString('base64url');
}

function decodeCursor(encoded: string): unknown[] | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return Array.isArray(decoded) ? decoded : null;
  } catch {
    return null;
  }
}

/** The claim id a cursor of `cell` pages after; null without a cursor; a 400 naming `cursor` for any other. */
export function afterClaimIdOf(cursor: string | undefined, cell: readonly unknown[]): string | null {
  if (cursor === undefined) return null;
  const decoded = decodeCursor(cursor);
  const last = decoded?.[cell.length];
  if (
    decoded === null ||
    decoded.length !== cell.length + 1 ||
    typeof last !== 'string' ||
    !isClaimId(last) ||
    cell.some((value, index) => decoded[index] !== value)
  ) {
    throw invalidRequest(['cursor']);
  }
  return last;
}

/**
 * One page of a drill-down from the rows read with one more than `limit`
 * asked (to tell whether another page follows): the items of the page and
 * the cursor after its last claim, null on the last page.
 */
export function claimPage<Row, Item extends { claimId: string }>(
  rows: readonly Row[],
  limit: number,
  itemOf: (row: Row) => Item,
  cursorAfter: (lastClaimId: string) => string,
): { items: Item[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map(itemOf);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursorAfter(last.claimId) : null };
}
