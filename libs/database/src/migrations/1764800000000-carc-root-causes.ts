import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CARC root-cause mapping (rules/carc-root-causes.csv) as a table, so the
 * batch SQL of the denial family classifies CAS adjustments by itself rather
 * than trusting what the fold wrote: `verify` then checks the fold's
 * classification too. The metrics service replaces the rows from the file at
 * every start; `denial` is the category's kind (an adjustment category such
 * as contractual or patient responsibility never makes a denial).
 */
export class CarcRootCauses1764800000000 implements MigrationInterface {
  name = 'CarcRootCauses1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE carc_root_cause (
        carc text PRIMARY KEY,
        scenario text NOT NULL,
        category text NOT NULL,
        denial boolean NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE carc_root_cause`);
  }
}
