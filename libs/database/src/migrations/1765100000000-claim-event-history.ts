import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claim's event history, for its timeline and lineage (the work queue's
 * claim detail): processed_event already holds one row per folded event,
 * written in the fold's own transaction, so the row also keeps what the
 * event was (type, event date, layout) and which source record it came from
 * (file, record number, rows spanned, record digest, source name), and the
 * code Postgres refused it with when the fold dead-lettered it instead of
 * folding it (NULL for a folded event). No second
 * table and no second write: the history is exactly the set of events the
 * fold counted, a redelivery included once. Rows written before this
 * migration keep NULLs: a replay of their files fills them in, as for the
 * other columns added after the fact.
 */
export class ClaimEventHistory1765100000000 implements MigrationInterface {
  name = 'ClaimEventHistory1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE processed_event
        ADD COLUMN event_type text,
        ADD COLUMN occurred_at date,
        ADD COLUMN layout text,
        ADD COLUMN lineage_source text,
        ADD COLUMN lineage_file_id text,
        ADD COLUMN lineage_record_number integer,
        ADD COLUMN lineage_record_count integer,
        ADD COLUMN lineage_record_sha256 text,
        ADD COLUMN refused_code text`);
    // The claim detail reads one claim's events; the primary key (event_id) cannot serve that.
    await queryRunner.query(`CREATE INDEX processed_event_claim_idx ON processed_event (claim_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS processed_event_claim_idx`);
    await queryRunner.query(`
      ALTER TABLE processed_event
        DROP COLUMN IF EXISTS event_type,
        DROP COLUMN IF EXISTS occurred_at,
        DROP COLUMN IF EXISTS layout,
        DROP COLUMN IF EXISTS lineage_source,
        DROP COLUMN IF EXISTS lineage_file_id,
        DROP COLUMN IF EXISTS lineage_record_number,
        DROP COLUMN IF EXISTS lineage_record_count,
        DROP COLUMN IF EXISTS lineage_record_sha256,
        DROP COLUMN IF EXISTS refused_code`);
  }
}
