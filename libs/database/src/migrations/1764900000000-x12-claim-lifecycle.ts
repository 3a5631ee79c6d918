import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The X12 claim lifecycle (docs/kpis/claim-lifecycle.md):
 * - x12_claim_part keeps every 837, 835 and 277CA event of a claim as it
 *   came, so the claim's state and lifecycle are recomputed from the set of
 *   its parts, whatever order they arrive in (one claim's parts share a Kafka
 *   partition: its key is the claim id);
 * - x12_claim_lifecycle holds one row per billing NPI and patient control
 *   number, rewritten from the parts at every fold of the claim; the KPIs are
 *   exact SQL over it at query time;
 * - x12_transaction_set_verdict holds each 999 verdict per transaction set
 *   (sender, GS06, ST02), joined to the set's claims at query time: a 999
 *   is no claim.
 * Claims folded before this migration have no parts: a replay of their files
 * rebuilds them (a 999 folded before it stays a claim state row until then).
 */
export class X12ClaimLifecycle1764900000000 implements MigrationInterface {
  name = 'X12ClaimLifecycle1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE x12_claim_part (
        claim_id text NOT NULL,
        event_id uuid NOT NULL,
        part_kind text NOT NULL CHECK (part_kind IN ('submission', 'adjudication', 'acknowledgement', 'status')),
        occurred_at date NOT NULL,
        event jsonb NOT NULL,
        kafka_partition integer NOT NULL,
        PRIMARY KEY (claim_id, event_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE x12_claim_lifecycle (
        patient_control_number text NOT NULL,
        billing_npi text NOT NULL,
        payer text NOT NULL,
        submitted boolean NOT NULL,
        first_submitted_on date,
        submission_count integer NOT NULL,
        resubmitted boolean NOT NULL,
        first_set_sender_id text,
        first_set_group_control_number text,
        first_set_transaction_control_number text,
        pended boolean NOT NULL,
        acknowledgement_count integer NOT NULL,
        latest_acknowledgement_status text,
        latest_acknowledgement_category text,
        latest_acknowledged_on date,
        ever_rejected_by_acknowledgement boolean NOT NULL,
        adjudication_count integer NOT NULL,
        first_adjudicated_on date,
        first_adjudication_status text,
        first_paid_on date,
        paid_amount_cents bigint NOT NULL,
        reversal_count integer NOT NULL,
        kafka_partition integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (patient_control_number, billing_npi)
      )`);
    // The KPIs read claims by submission date (and payer), unmatched answers apart, and join 999s by set.
    await queryRunner.query(
      `CREATE INDEX x12_claim_lifecycle_submitted_on ON x12_claim_lifecycle (first_submitted_on, payer) WHERE submitted`,
    );
    await queryRunner.query(
      `CREATE INDEX x12_claim_lifecycle_unmatched ON x12_claim_lifecycle (payer) WHERE NOT submitted`,
    );
    await queryRunner.query(`
      CREATE TABLE x12_transaction_set_verdict (
        event_id uuid PRIMARY KEY,
        sender_id text NOT NULL,
        group_control_number text NOT NULL,
        transaction_control_number text NOT NULL,
        status text NOT NULL,
        acknowledged_on date NOT NULL,
        kafka_partition integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE INDEX x12_transaction_set_verdict_set
        ON x12_transaction_set_verdict (sender_id, group_control_number, transaction_control_number, status)`);
    await queryRunner.query(
      `CREATE INDEX x12_transaction_set_verdict_on ON x12_transaction_set_verdict (acknowledged_on)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE x12_transaction_set_verdict`);
    await queryRunner.query(`DROP TABLE x12_claim_lifecycle`);
    await queryRunner.query(`DROP TABLE x12_claim_part`);
  }
}
