import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Acknowledgement SLAs (docs/kpis/acknowledgement-slas.md): the metrics
 * service reads them at every scrape, so both reads are bounded by an index.
 * - x12_claim_lifecycle_unanswered: submitted claims no 277CA and no 835
 *   answered yet, the only candidates for a missing acknowledgement, so the
 *   read walks the backlog, not the history;
 * - x12_claim_lifecycle_acknowledged_on: claims by the date of their latest
 *   277CA, with the payer and verdict alongside (an index-only read of the
 *   last seven event days for the rejection gauges).
 */
export class AcknowledgementSla1765250000000 implements MigrationInterface {
  name = 'AcknowledgementSla1765250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX x12_claim_lifecycle_unanswered
        ON x12_claim_lifecycle (first_submitted_on, patient_control_number, billing_npi)
        WHERE submitted AND acknowledgement_count = 0 AND adjudication_count = 0`);
    await queryRunner.query(`
      CREATE INDEX x12_claim_lifecycle_acknowledged_on
        ON x12_claim_lifecycle (latest_acknowledged_on) INCLUDE (payer, latest_acknowledgement_status)
        WHERE submitted AND acknowledgement_count > 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX x12_claim_lifecycle_acknowledged_on`);
    await queryRunner.query(`DROP INDEX x12_claim_lifecycle_unanswered`);
  }
}
