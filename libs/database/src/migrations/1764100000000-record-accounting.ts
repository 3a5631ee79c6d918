import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-file accounting, so a gap between a source file and the KPIs is
 * visible instead of silent:
 * - ingest_file: the ingestor's report of each file (records read, published,
 *   dead-lettered at the door), folded from claims.ingest-reports.v1;
 * - ingest_record: one row per source record that reached an end — folded,
 *   a duplicate of a record already folded, or dead-lettered at some stage —
 *   keyed by (file, record number) so replays and redeliveries count once;
 * - dead_letter: every dead letter's reason and where it came from (never its
 *   bytes, which stay on the dead-letter topic), for the report and the API.
 */
export class RecordAccounting1764100000000 implements MigrationInterface {
  name = 'RecordAccounting1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ingest_file (
        file_id text PRIMARY KEY,
        source text NOT NULL,
        layout text NOT NULL,
        records_read integer NOT NULL,
        records_published integer NOT NULL,
        records_dead_lettered integer NOT NULL,
        blank_lines_skipped integer NOT NULL,
        duration_seconds double precision NOT NULL,
        completed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ingest_record (
        file_id text NOT NULL,
        record_number integer NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('folded', 'duplicate', 'dead_lettered')),
        stage text,
        error_code text,
        PRIMARY KEY (file_id, record_number)
      )`);
    await queryRunner.query(`
      CREATE TABLE dead_letter (
        dead_letter_id text PRIMARY KEY,
        stage text NOT NULL,
        error_code text NOT NULL,
        reason text NOT NULL,
        failed_at timestamptz NOT NULL,
        file_id text,
        record_number integer,
        source text,
        origin_topic text,
        origin_partition integer,
        origin_offset bigint,
        original_bytes bigint,
        original_sha256 text,
        original_truncated boolean NOT NULL DEFAULT false,
        dlq_partition integer NOT NULL,
        dlq_offset bigint NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX dead_letter_file_idx ON dead_letter (file_id)`);
    await queryRunner.query(`CREATE INDEX dead_letter_error_code_idx ON dead_letter (stage, error_code)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['dead_letter', 'ingest_record', 'ingest_file']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
