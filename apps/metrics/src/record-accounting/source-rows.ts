import { forEachLineageRow, type Lineage } from '@claims/contracts';

/** Items expanded to one entry per source row, as the parallel arrays an `unnest` insert binds. */
export interface SourceRows<T> {
  /** The item each row came from (a claim of several rows appears once per row). */
  items: T[];
  fileIds: string[];
  recordNumbers: number[];
}

/**
 * Every source row of these items' records, one entry a row, for the
 * per-row accounting (ingest_record): a claim of several rows counts each,
 * consecutive or apart as lineage.recordNumbers lists them. An item without
 * a lineage (a dead letter of a message that named none) has no row.
 */
export function sourceRowsOf<T>(
  items: readonly T[],
  lineageOf: (item: T) => Lineage | null | undefined,
): SourceRows<T> {
  const rows: SourceRows<T> = { items: [], fileIds: [], recordNumbers: [] };
  for (const item of items) {
    const lineage = lineageOf(item);
    if (!lineage) continue;
    forEachLineageRow(lineage, (recordNumber) => {
      rows.items.push(item);
      rows.fileIds.push(lineage.fileId);
      rows.recordNumbers.push(recordNumber);
    });
  }
  return rows;
}
