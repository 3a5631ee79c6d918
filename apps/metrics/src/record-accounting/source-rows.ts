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

/**
 * The conflict clause of every fold's per-row accounting: a record
 * dead-lettered before whose replayed dead letter folds moves to folded
 * (else its file would keep it as an open, replayable dead letter); nothing
 * else is overwritten.
 */
export const UPGRADE_DEAD_LETTERED_ROW = `ON CONFLICT (file_id, record_number) DO UPDATE
         SET outcome = 'folded', stage = NULL, error_code = NULL, dead_letter_id = NULL, failed_at = NULL
       WHERE ingest_record.outcome = 'dead_lettered' AND EXCLUDED.outcome = 'folded'`;

/**
 * The per-row accounting of a fold without source sequences (member
 * references, provider adjustments): $1 file ids, $2 record numbers, $3
 * outcomes ('folded' or 'duplicate'). DISTINCT ON, the folded copy first: a
 * batch holding a row twice may name it once per statement.
 */
export const RECORD_OUTCOMES_SQL = `INSERT INTO ingest_record (file_id, record_number, outcome)
       SELECT DISTINCT ON (r.file_id, r.record_number) r.file_id, r.record_number, r.outcome
         FROM unnest($1::text[], $2::integer[], $3::text[]) AS r(file_id, record_number, outcome)
        ORDER BY r.file_id, r.record_number, r.outcome = 'folded' DESC
       ${UPGRADE_DEAD_LETTERED_ROW}`;
