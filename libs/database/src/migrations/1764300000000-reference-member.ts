import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Member reference data folded from reference.members.v1 (DE-SynPUF and CMS
 * RIF beneficiary summaries):
 * - reference_member: one row per member (patient token, never the member
 *   id) and reference period — the coverage year, or 'undated' for a source
 *   that states none — holding the latest record seen;
 * - processed_member_reference: the event ids folded, so a replayed or
 *   redelivered record is recognised (and counted as a duplicate for its file).
 */
export class ReferenceMember1764300000000 implements MigrationInterface {
  name = 'ReferenceMember1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reference_member (
        patient_token text NOT NULL,
        reference_period text NOT NULL,
        birth_date date,
        death_date date,
        sex text,
        race_code text,
        ssa_state_code text,
        ssa_county_code text,
        coverage_months_part_a smallint,
        coverage_months_part_b smallint,
        coverage_months_hmo smallint,
        coverage_months_part_d smallint,
        chronic_conditions jsonb NOT NULL,
        layout text NOT NULL,
        event_id uuid NOT NULL,
        lineage_file_id text NOT NULL,
        lineage_record_number integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (patient_token, reference_period)
      )`);
    await queryRunner.query(`
      CREATE TABLE processed_member_reference (
        event_id uuid PRIMARY KEY,
        processed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS processed_member_reference`);
    await queryRunner.query(`DROP TABLE IF EXISTS reference_member`);
  }
}
