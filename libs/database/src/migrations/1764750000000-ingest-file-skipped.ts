import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an ingest read and deliberately did not publish (X12 transaction sets
 * no KPI folds, or of an unsupported version), kept beside the file's other
 * counts so the ingestion list shows it. Outside records_read: per-file
 * accounting compares only what was offered to the pipeline.
 */
export class IngestFileSkipped1764750000000 implements MigrationInterface {
  name = 'IngestFileSkipped1764750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ingest_file
        ADD COLUMN records_skipped integer NOT NULL DEFAULT 0,
        ADD COLUMN skipped_by_reason jsonb NOT NULL DEFAULT '[]'::jsonb
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingest_file DROP COLUMN skipped_by_reason, DROP COLUMN records_skipped`);
  }
}
