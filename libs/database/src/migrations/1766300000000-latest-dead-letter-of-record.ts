import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dead letter a dead-lettered record's accounting row stands for, by its
 * id and failure time: a record replayed and refused again (at another
 * stage, or for another reason) is accounted by its latest letter, as the
 * dead-letter list shows it, whatever order the letters arrive in. NULL for
 * a row no letter wrote yet (the fold's own FOLD_REFUSED row, which its
 * letter then takes over) and for every folded or duplicate row.
 *
 * The rows already dead-lettered take the latest letter of their record;
 * a row of a multi-row claim after its first, whose letter names it only
 * through the claim's lineage, keeps what it shows until its next letter.
 */
export class LatestDeadLetterOfRecord1766300000000 implements MigrationInterface {
  name = 'LatestDeadLetterOfRecord1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ingest_record ADD COLUMN dead_letter_id text, ADD COLUMN failed_at timestamptz`,
    );
    await queryRunner.query(`
      UPDATE ingest_record r
         SET stage = d.stage, error_code = d.error_code, dead_letter_id = d.dead_letter_id, failed_at = d.failed_at
        FROM (SELECT DISTINCT ON (file_id, record_number) file_id, record_number, stage, error_code, dead_letter_id,
                     failed_at
                FROM dead_letter WHERE file_id IS NOT NULL AND record_number IS NOT NULL
               ORDER BY file_id, record_number, failed_at DESC, dead_letter_id DESC) d
       WHERE r.file_id = d.file_id AND r.record_number = d.record_number AND r.outcome = 'dead_lettered'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ingest_record DROP COLUMN IF EXISTS dead_letter_id, DROP COLUMN IF EXISTS failed_at`,
    );
  }
}
