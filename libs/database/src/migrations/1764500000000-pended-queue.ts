import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pended-queue KPIs, folded with the claim state:
 * - claim_pend: the pend episode of each claim whose latest event pended
 *   (upserted and deleted by the fold exactly like claim_state); the work
 *   queue and the batch truth read it;
 * - pend_day_histogram: episodes and their amounts by dimension value, pend
 *   day and clear day ('infinity' while open), per Kafka partition like the
 *   counters, so aging, flow and days-to-clear at any as-of date are range
 *   sums over days, never a rescan of claims;
 * - ingest_file_quality also tallies lookup misses, pend reasons and the
 *   claims tallied, per file, for the ingest report's shares.
 */
export class PendedQueue1764500000000 implements MigrationInterface {
  name = 'PendedQueue1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE claim_pend (
        claim_id text PRIMARY KEY,
        pended_on date NOT NULL,
        cleared_on date,
        queue text NOT NULL,
        reasons text[] NOT NULL,
        claim_type text NOT NULL,
        payer text NOT NULL,
        provider_group text NOT NULL,
        rendering_npi text NOT NULL,
        state text NOT NULL,
        amount_cents bigint NOT NULL,
        kafka_partition integer NOT NULL,
        CHECK (cleared_on IS NULL OR cleared_on >= pended_on)
      )`);
    // The work queue: open claims oldest first, paged by (pended_on, claim_id).
    await queryRunner.query(`CREATE INDEX claim_pend_pended_on_idx ON claim_pend (pended_on, claim_id)`);
    await queryRunner.query(`
      CREATE TABLE pend_day_histogram (
        dimension text NOT NULL,
        dimension_value text NOT NULL,
        pended_on date NOT NULL,
        cleared_on date NOT NULL,
        kafka_partition integer NOT NULL,
        claims bigint NOT NULL,
        amount_cents bigint NOT NULL,
        PRIMARY KEY (dimension, dimension_value, pended_on, cleared_on, kafka_partition)
      )`);
    // Outflow and days-to-clear range over the clear day.
    await queryRunner.query(
      `CREATE INDEX pend_day_histogram_cleared_on_idx ON pend_day_histogram (dimension, dimension_value, cleared_on)`,
    );
    await queryRunner.query(`ALTER TABLE ingest_file_quality DROP CONSTRAINT IF EXISTS ingest_file_quality_kind_check`);
    await queryRunner.query(
      `ALTER TABLE ingest_file_quality ADD CONSTRAINT ingest_file_quality_kind_check
         CHECK (kind IN ('finding', 'null_field', 'lookup_miss', 'pend_reason', 'claims'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM ingest_file_quality WHERE kind NOT IN ('finding', 'null_field')`);
    await queryRunner.query(`ALTER TABLE ingest_file_quality DROP CONSTRAINT IF EXISTS ingest_file_quality_kind_check`);
    await queryRunner.query(
      `ALTER TABLE ingest_file_quality ADD CONSTRAINT ingest_file_quality_kind_check
         CHECK (kind IN ('finding', 'null_field'))`,
    );
    await queryRunner.query(`DROP TABLE IF EXISTS pend_day_histogram`);
    await queryRunner.query(`DROP TABLE IF EXISTS claim_pend`);
  }
}
