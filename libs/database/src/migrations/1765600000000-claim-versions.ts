import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versions on the claim state, so exactly-once no longer rests on
 * remembering every event id forever (processed_event becomes a window):
 * - ingest_record.source_sequence: a record's place in arrival order,
 *   assigned when the record (file id, record number) first reaches the
 *   fold and never changed, so a replay of the record, however late, reads
 *   back the sequence of its first arrival;
 * - claim_state.version_*: the version the claim's state holds (event date,
 *   source sequence, the step within one record: see claim-version.ts). An
 *   event replaces the state only if its version is higher.
 * Rows stored before this migration are numbered by file and record, and
 * each claim takes the version of the record its state came from.
 * processed_event gains a BRIN index on processed_at: the retention job
 * deletes by age, and a BRIN index on an append-ordered column costs the
 * fold's inserts next to nothing.
 */
export class ClaimVersions1765600000000 implements MigrationInterface {
  name = 'ClaimVersions1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE ingest_record_source_sequence AS bigint`);
    await queryRunner.query(`ALTER TABLE ingest_record ADD COLUMN source_sequence bigint`);
    await queryRunner.query(`
      UPDATE ingest_record r SET source_sequence = numbered.sequence
        FROM (SELECT file_id, record_number, nextval('ingest_record_source_sequence') AS sequence
                FROM (SELECT file_id, record_number FROM ingest_record ORDER BY file_id, record_number) ordered) numbered
       WHERE r.file_id = numbered.file_id AND r.record_number = numbered.record_number`);
    await queryRunner.query(`
      ALTER TABLE ingest_record
        ALTER COLUMN source_sequence SET DEFAULT nextval('ingest_record_source_sequence'),
        ALTER COLUMN source_sequence SET NOT NULL`);
    await queryRunner.query(`ALTER SEQUENCE ingest_record_source_sequence OWNED BY ingest_record.source_sequence`);
    await queryRunner.query(`
      ALTER TABLE claim_state
        ADD COLUMN version_occurred_at date,
        ADD COLUMN version_source_sequence bigint,
        ADD COLUMN version_stage smallint`);
    await queryRunner.query(`
      UPDATE claim_state c
         SET version_occurred_at = c.occurred_at,
             version_source_sequence = r.source_sequence,
             version_stage = CASE c.event_type WHEN 'pended' THEN 1 WHEN 'cleared' THEN 2 ELSE 0 END
        FROM ingest_record r
       WHERE r.file_id = c.lineage_file_id AND r.record_number = c.lineage_record_number`);
    await queryRunner.query(
      `CREATE INDEX processed_event_processed_at_brin ON processed_event USING brin (processed_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS processed_event_processed_at_brin`);
    await queryRunner.query(`
      ALTER TABLE claim_state
        DROP COLUMN IF EXISTS version_occurred_at,
        DROP COLUMN IF EXISTS version_source_sequence,
        DROP COLUMN IF EXISTS version_stage`);
    await queryRunner.query(`ALTER TABLE ingest_record DROP COLUMN IF EXISTS source_sequence`);
  }
}
