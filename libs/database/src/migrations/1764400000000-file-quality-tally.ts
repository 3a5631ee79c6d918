import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-file quality, for the ingest report: data-quality findings by code and
 * null counts per canonical field, added by the fold for events folded for
 * the first time (a replayed file adds nothing).
 */
export class FileQualityTally1764400000000 implements MigrationInterface {
  name = 'FileQualityTally1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ingest_file_quality (
        file_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('finding', 'null_field')),
        name text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (file_id, kind, name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ingest_file_quality`);
  }
}
