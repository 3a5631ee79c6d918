import { FILE_ACCOUNTING_SQL, type FileAccountingRow, type FileQualityKind } from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface IngestFileRow {
  file_id: string;
  source: string;
  layout: string;
  records_read: number;
  records_published: number;
  records_dead_lettered: number;
  blank_lines_skipped: number;
  records_skipped: number;
  skipped_by_reason: Array<{ code: string; reason: string; records: number }>;
  duration_seconds: number;
  completed_at: Date;
}

export interface DeadLetterCountRow {
  stage: string;
  error_code: string;
  records: string;
}

export interface EventDateRangeRow {
  first_event_date: string | null;
  last_event_date: string | null;
}

/** Reads what the metrics service keeps per ingested file; parameterised SQL only. */
@Injectable()
export class IngestionReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  accounting(): Promise<FileAccountingRow[]> {
    return this.dataSource.query(FILE_ACCOUNTING_SQL);
  }

  async file(fileId: string): Promise<IngestFileRow | null> {
    const rows: IngestFileRow[] = await this.dataSource.query(
      `SELECT file_id, source, layout, records_read, records_published, records_dead_lettered, blank_lines_skipped,
              records_skipped, skipped_by_reason, duration_seconds, completed_at
         FROM ingest_file WHERE file_id = $1`,
      [fileId],
    );
    return rows[0] ?? null;
  }

  /** Records of the file that ended as dead letters, by the stage that refused them and why. */
  deadLettersByReason(fileId: string): Promise<DeadLetterCountRow[]> {
    return this.dataSource.query(
      `SELECT stage, error_code, count(*)::text AS records
         FROM ingest_record WHERE file_id = $1 AND outcome = 'dead_lettered'
        GROUP BY stage, error_code ORDER BY count(*) DESC, stage, error_code`,
      [fileId],
    );
  }

  /**
   * Data-quality findings by code, null counts per canonical field, lookup
   * misses, pend reasons and the claims tallied, as the fold tallied them.
   */
  quality(fileId: string): Promise<Array<{ kind: FileQualityKind; name: string; count: string }>> {
    return this.dataSource.query(
      // One row per partition the file's records were folded from: summed here.
      `SELECT kind, name, sum(count)::text AS count FROM ingest_file_quality WHERE file_id = $1
        GROUP BY kind, name ORDER BY kind, sum(count) DESC, name`,
      [fileId],
    );
  }

  /** The event-time span of the claims whose current version came from the file. */
  async eventDateRange(fileId: string): Promise<EventDateRangeRow> {
    const rows: EventDateRangeRow[] = await this.dataSource.query(
      `SELECT to_char(min(occurred_at), 'YYYY-MM-DD') AS first_event_date,
              to_char(max(occurred_at), 'YYYY-MM-DD') AS last_event_date
         FROM claim_state WHERE lineage_file_id = $1`,
      [fileId],
    );
    return rows[0] ?? { first_event_date: null, last_event_date: null };
  }
}
