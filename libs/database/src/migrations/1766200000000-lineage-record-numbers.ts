import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rows of a claim that sit apart in their file (a DE-SynPUF claim's
 * segments among its member's rows): lineage.recordNumbers, kept with the
 * event in its history so that the claim's lineage names every row and its
 * dead letters are found by any of them. NULL for an event whose rows run on
 * from lineage_record_number, as every event written before this did.
 */
export class LineageRecordNumbers1766200000000 implements MigrationInterface {
  name = 'LineageRecordNumbers1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE processed_event ADD COLUMN lineage_record_numbers integer[]`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE processed_event DROP COLUMN IF EXISTS lineage_record_numbers`);
  }
}
