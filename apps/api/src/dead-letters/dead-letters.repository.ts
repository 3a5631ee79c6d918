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
 * once a replay of it folded. A letter naming no source record is known by
 * its original (topic and SHA-256: a replay refused again re-sends the same
 * bytes, and must not become a second letter that the next replay doubles
 * again); one naming neither stands alone.
 * Parameters: $1 error code, $2 stage, $3 file id or name (each null for any).
 */
const MATCHING_DEAD_LETTERS = `
WITH identified AS (
  SELECT d.*, coalesce(d.file_id, 'original:' || d.origin_topic || ':' || d.original_sha256, d.dead_letter_id) AS identity
    FROM dead_letter d
), latest AS (
  SELECT DISTINCT ON (d.identity, d.record_number) d.*
    FROM identified d
   ORDER BY d.identity, d.record_number, d.failed_at DESC, d.dead_letter_id DESC
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

  /**
   * The open dead letters a replay can re-publish (an origin, kept whole), in
   * the order they sit on the dead-letter topic: what a replay reads back.
   * Those it cannot replay are counted apart, so they never fill a page.
   */
  openReplayable(filter: DeadLetterFilter, limit: number): Promise<DeadLetterRow[]> {
    return this.dataSource.query(
      `${MATCHING_DEAD_LETTERS}
       SELECT * FROM matching
        WHERE record_outcome = 'dead_lettered' AND origin_topic IS NOT NULL AND NOT original_truncated
          AND error_code <> 'FOLD_REFUSED'
        ORDER BY dlq_partition, dlq_offset::bigint LIMIT $4`,
      [...this.parameters(filter), limit],
    );
  }

  /**
   * How many open dead letters a replay cannot re-publish or cannot make
   * fold: the ingestor's (no origin), those kept truncated, and the fold's
   * FOLD_REFUSED (it keeps the event id of what Postgres refused, so the same
   * bytes replayed would be a duplicate).
   */
  openNotReplayable(
    filter: DeadLetterFilter,
  ): Promise<Array<{ ingestor_stage: string; original_truncated: string; fold_refused: string }>> {
    return this.dataSource.query(
      `${MATCHING_DEAD_LETTERS}
       SELECT count(*) FILTER (WHERE origin_topic IS NULL)::text AS ingestor_stage,
              count(*) FILTER (WHERE origin_topic IS NOT NULL AND original_truncated)::text AS original_truncated,
              count(*) FILTER (WHERE origin_topic IS NOT NULL AND NOT original_truncated
                                 AND error_code = 'FOLD_REFUSED')::text AS fold_refused
         FROM matching WHERE record_outcome = 'dead_lettered'`,
      this.parameters(filter),
    );
  }
}
