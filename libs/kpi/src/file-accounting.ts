/**
 * Per-file accounting: every record an ingest read must end as exactly one
 * of folded, duplicate (the same bytes already folded) or dead-lettered.
 * Counters can agree with claim state while records are missing (a reset
 * topic, a skipped offset); this compares the KPIs' input with the source.
 */
export const FILE_ACCOUNTING_SQL = `
WITH outcomes AS (
  SELECT file_id,
         count(*) FILTER (WHERE outcome = 'folded')::bigint AS folded,
         count(*) FILTER (WHERE outcome = 'duplicate')::bigint AS duplicates,
         count(*) FILTER (WHERE outcome = 'dead_lettered')::bigint AS dead_lettered
    FROM ingest_record GROUP BY file_id
)
SELECT coalesce(f.file_id, o.file_id) AS file_id,
       f.source,
       f.layout,
       f.records_read,
       coalesce(o.folded, 0) AS folded,
       coalesce(o.duplicates, 0) AS duplicates,
       coalesce(o.dead_lettered, 0) AS dead_lettered
  FROM ingest_file f FULL OUTER JOIN outcomes o ON o.file_id = f.file_id
 ORDER BY f.completed_at NULLS LAST, file_id
`;

export interface FileAccountingRow {
  file_id: string;
  source: string | null;
  layout: string | null;
  /** Null when records of the file arrived but its ingest report did not (an ingest that died midway). */
  records_read: number | string | null;
  folded: number | string;
  duplicates: number | string;
  dead_lettered: number | string;
}

export interface FileAccounting {
  fileId: string;
  source: string | null;
  layout: string | null;
  recordsRead: number | null;
  folded: number;
  duplicates: number;
  deadLettered: number;
  /** recordsRead less what reached an end: 0 once the file is fully accounted for. */
  unaccounted: number | null;
  status: 'accounted' | 'records_missing' | 'more_records_than_read' | 'no_ingest_report';
}

export function accountFile(row: FileAccountingRow): FileAccounting {
  const folded = Number(row.folded);
  const duplicates = Number(row.duplicates);
  const deadLettered = Number(row.dead_lettered);
  const recordsRead = row.records_read === null ? null : Number(row.records_read);
  const unaccounted = recordsRead === null ? null : recordsRead - folded - duplicates - deadLettered;
  const status =
    unaccounted === null
      ? 'no_ingest_report'
      : unaccounted === 0
        ? 'accounted'
        : unaccounted > 0
          ? 'records_missing'
          : 'more_records_than_read';
  return {
    fileId: row.file_id,
    source: row.source,
    layout: row.layout,
    recordsRead,
    folded,
    duplicates,
    deadLettered,
    unaccounted,
    status,
  };
}
