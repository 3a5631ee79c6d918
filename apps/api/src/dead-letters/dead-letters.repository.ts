import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Which dead letters a request is about; every field optional, combined with AND. */
export interface DeadLetterFilter {
  errorCode: string | null;
  stage: string | null;
  /** A file id (SHA-256) or a source file name. */
  file: string | null;
}

export interface DeadLetterCountRow {
  stage: string;
  error_code: string;
  open: string;
  resolved: string;
  replayable: string;
}

export interface DeadLetterRow {
  dead_letter_id: string;
  stage: string;
  error_code: string;
  reason: string;
  failed_at: Date;
  file_id: string | null;
  record_number: number | null;
  source: string | null;
  origin_topic: string | null;
  original_truncated: boolean;
  dlq_partition: number;
  dlq_offset: string;
  record_outcome: string;
}

/**
 * The dead letters that match a filter, one per source record (its latest: a
 * record replayed and refused again has two letters, and is one record),
 * each with where its record ended since: still `dead_lettered`, or `folded`
 * once a replay of it folded. A letter naming no source record stands alone.
 * Parameters: $1 error code, $2 stage, $3 file id or name (each null for any).
 */
const MATCHING_DEAD_LETTERS = `
WITH latest AS (
  SELECT DISTINCT ON (coalesce(d.file_id, d.dead_letter_id), d.record_number) d.*
    FROM dead_letter d
   ORDER BY coalesce(d.file_id, d.dead_letter_id), d.record_number, d.failed_at DESC, d.dead_letter_id DESC
), matching AS (
  SELECT d.dead_letter_id, d.stage, d.error_code, d.reason, d.failed_at, d.file_id, d.record_number, d.source,
         d.origin_topic, d.original_truncated, d.dlq_partition, d.dlq_offset::text AS dlq_offset,
         coalesce(r.outcome, 'dead_lettered') AS record_outcome
    FROM latest d
    LEFT JOIN ingest_record r ON r.file_id = d.file_id AND r.record_number = d.record_number
   WHERE ($1::text IS NULL OR d.error_code = $1)
     AND ($2::text IS NULL OR d.stage = $2)
     AND ($3::text IS NULL OR d.file_id = $3 OR d.source = $3)
)`;

/** Reads the dead_letter table the metrics service keeps (reasons and origins, never record bytes); parameterised SQL only. */
@Injectable()
export class DeadLettersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private parameters(filter: DeadLetterFilter): Array<string | null> {
    return [filter.errorCode, filter.stage, filter.file];
  }

  /** Counts by stage and reason: open (the record is still a dead letter), resolved since, and replayable. */
  counts(filter: DeadLetterFilter): Promise<DeadLetterCountRow[]> {
    return this.dataSource.query(
      `${MATCHING_DEAD_LETTERS}
       SELECT stage, error_code,
              count(*) FILTER (WHERE record_outcome = 'dead_lettered')::text AS open,
              count(*) FILTER (WHERE record_outcome <> 'dead_lettered')::text AS resolved,
              count(*) FILTER (WHERE record_outcome = 'dead_lettered' AND origin_topic IS NOT NULL
                                 AND NOT original_truncated)::text AS replayable
         FROM matching GROUP BY stage, error_code
        ORDER BY count(*) DESC, stage, error_code`,
      this.parameters(filter),
    );
  }

  latest(filter: DeadLetterFilter, limit: number): Promise<DeadLetterRow[]> {
    return this.dataSource.query(
      `${MATCHING_DEAD_LETTERS}
       SELECT * FROM matching ORDER BY failed_at DESC, dead_letter_id LIMIT $4`,
      [...this.parameters(filter), limit],
    );
  }

  /** The open dead letters, in the order they sit on the dead-letter topic: what a replay reads back. */
  open(filter: DeadLetterFilter, limit: number): Promise<DeadLetterRow[]> {
    return this.dataSource.query(
      `${MATCHING_DEAD_LETTERS}
       SELECT * FROM matching WHERE record_outcome = 'dead_lettered'
        ORDER BY dlq_partition, dlq_offset::bigint LIMIT $4`,
      [...this.parameters(filter), limit],
    );
  }
}
