import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The denial-and-payment and volume-and-cost KPIs, folded with the claim state:
 * - claim_state keeps what their batch SQL reads of a claim (its layout, which
 *   picks the denial source rule; provider group, state, stated billed total,
 *   adjudication status, first diagnosis, drug, 835 adjustments), and
 *   claim_line_state each line's charge, deductible and coinsurance;
 * - kpi_dimension_counter holds the counters: one row per family, dimension,
 *   value and Kafka partition with every measure of that cell, so the fold
 *   writes one row per dimension value and the API reads a key range. Nearly
 *   every write updates a row in place, so pages keep room for the new
 *   version (fillfactor 50): the update stays HOT, the primary key untouched.
 * Claims folded before this migration have no layout: both the fold and the
 * batch SQL leave them out of these families until a replay refolds them.
 */
export class DenialCostKpis1764700000000 implements MigrationInterface {
  name = 'DenialCostKpis1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE claim_state
        ADD COLUMN layout text,
        ADD COLUMN provider_group text NOT NULL DEFAULT '(unknown)',
        ADD COLUMN state text NOT NULL DEFAULT '(unknown)',
        ADD COLUMN billed_amount_cents bigint,
        ADD COLUMN adjudication_status text,
        ADD COLUMN first_diagnosis_code text,
        ADD COLUMN drug_ndc_code text,
        ADD COLUMN drug_days_supply integer,
        ADD COLUMN adjustments jsonb`);
    await queryRunner.query(`
      ALTER TABLE claim_line_state
        ADD COLUMN charge_amount_cents bigint,
        ADD COLUMN deductible_amount_cents bigint NOT NULL DEFAULT 0,
        ADD COLUMN coinsurance_amount_cents bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      CREATE TABLE kpi_dimension_counter (
        family text NOT NULL,
        dimension text NOT NULL,
        dimension_value text NOT NULL,
        kafka_partition integer NOT NULL,
        claims bigint NOT NULL DEFAULT 0,
        lines bigint NOT NULL DEFAULT 0,
        adjudicated_count bigint NOT NULL DEFAULT 0,
        denied_count bigint NOT NULL DEFAULT 0,
        adjudicated_amount_cents bigint NOT NULL DEFAULT 0,
        denied_amount_cents bigint NOT NULL DEFAULT 0,
        billed_amount_cents bigint NOT NULL DEFAULT 0,
        allowed_amount_cents bigint NOT NULL DEFAULT 0,
        paid_amount_cents bigint NOT NULL DEFAULT 0,
        patient_responsibility_amount_cents bigint NOT NULL DEFAULT 0,
        days_supply bigint NOT NULL DEFAULT 0,
        adjustments bigint NOT NULL DEFAULT 0,
        adjustment_amount_cents bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (family, dimension, dimension_value, kafka_partition)
      ) WITH (fillfactor = 50)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS kpi_dimension_counter`);
    await queryRunner.query(`
      ALTER TABLE claim_line_state
        DROP COLUMN IF EXISTS charge_amount_cents,
        DROP COLUMN IF EXISTS deductible_amount_cents,
        DROP COLUMN IF EXISTS coinsurance_amount_cents`);
    await queryRunner.query(`
      ALTER TABLE claim_state
        DROP COLUMN IF EXISTS layout,
        DROP COLUMN IF EXISTS provider_group,
        DROP COLUMN IF EXISTS state,
        DROP COLUMN IF EXISTS billed_amount_cents,
        DROP COLUMN IF EXISTS adjudication_status,
        DROP COLUMN IF EXISTS first_diagnosis_code,
        DROP COLUMN IF EXISTS drug_ndc_code,
        DROP COLUMN IF EXISTS drug_days_supply,
        DROP COLUMN IF EXISTS adjustments`);
  }
}
