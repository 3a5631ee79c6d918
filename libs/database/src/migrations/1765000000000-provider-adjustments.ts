import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 835 PLB provider-level adjustments (docs/kpis/denials-and-payment.md,
 * "Provider-level adjustments"): one row per PLB pair, keyed by its event id,
 * so a redelivered or replayed adjustment is recognised by its key and
 * changes nothing. The KPI is exact SQL over this table at query time.
 * Amounts keep the guide's sign: positive reduces the payment.
 */
export class ProviderAdjustments1765000000000 implements MigrationInterface {
  name = 'ProviderAdjustments1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE provider_adjustment (
        event_id uuid PRIMARY KEY,
        occurred_on date NOT NULL,
        payer_id text,
        payer_name text,
        payee_npi text,
        payee_tax_id text,
        trace_number text,
        payment_date date,
        production_date date,
        provider_id text NOT NULL,
        fiscal_period_date date,
        reason_code text NOT NULL,
        reference text,
        amount_cents bigint NOT NULL,
        layout text NOT NULL,
        file_id text NOT NULL,
        record_number integer NOT NULL,
        record_sha256 text NOT NULL,
        segment_number integer NOT NULL,
        element_position smallint NOT NULL,
        kafka_partition integer NOT NULL,
        folded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX provider_adjustment_occurred_on ON provider_adjustment (occurred_on)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE provider_adjustment`);
  }
}
