import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The adjudicators' comments of a claim's pend episode (a pended-queue
 * export's free text, PHI), kept with the episode for claim detail (managers
 * and admins). One column, not a table of comments: each export row carries
 * the work item's whole comment field as it stands, so the claim's latest
 * event holds all of it, and a later export replaces it rather than adding
 * to it (an accumulating table would store the same text once per export).
 * Null when the source says nothing; episodes folded before this migration
 * read null until the claim's next event.
 */
export class PendComments1765500000000 implements MigrationInterface {
  name = 'PendComments1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE claim_pend ADD COLUMN comments text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE claim_pend DROP COLUMN comments`);
  }
}
