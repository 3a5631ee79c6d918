import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cost per member per month, chronic-condition cost and outlier providers
 * (docs/kpis/volume-and-cost.md) read claims against members and providers:
 * - claim_state keeps the claim's patient token (the keyed hash the member
 *   fold keys reference_member by, never the member id), so a claim joins
 *   its member's coverage year;
 * - claim_line_state keeps the rendering provider's specialty as enrichment
 *   resolved it (directory specialty, else the NUCC name of its taxonomy);
 * - an index on the claims' service-through date (the KPIs' year and month)
 *   and one on the members' period.
 * Claims and lines folded before this migration have neither: a replay of
 * their files fills them in, as for the other columns added after the fact.
 */
export class MemberCostKpis1765230000000 implements MigrationInterface {
  name = 'MemberCostKpis1765230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE claim_state ADD COLUMN patient_token text`);
    await queryRunner.query(`ALTER TABLE claim_line_state ADD COLUMN rendering_specialty text`);
    // The date alone, no INCLUDEd measures: a new version of a claim changes its payment but rarely its
    // dates, so the fold's in-place update stays HOT (an indexed column changed would force a new index entry).
    await queryRunner.query(`
      CREATE INDEX claim_state_service_year_idx ON claim_state (service_through_date) WHERE layout IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX reference_member_period_idx ON reference_member (reference_period)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS reference_member_period_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS claim_state_service_year_idx`);
    await queryRunner.query(`ALTER TABLE claim_line_state DROP COLUMN IF EXISTS rendering_specialty`);
    await queryRunner.query(`ALTER TABLE claim_state DROP COLUMN IF EXISTS patient_token`);
  }
}
