import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Claim state, the fold's bookkeeping (processed event ids, consumed offsets)
 * and the KPI counters. Counters are kept per Kafka partition so instances
 * folding different partitions never contend for a row; readers sum them.
 */
export class ClaimState1763900000000 implements MigrationInterface {
  name = 'ClaimState1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE claim_state (
        claim_id text PRIMARY KEY,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        claim_type text NOT NULL,
        payer text NOT NULL,
        occurred_at date NOT NULL,
        service_from_date date NOT NULL,
        service_through_date date NOT NULL,
        line_count integer NOT NULL,
        payment_amount_cents bigint NOT NULL,
        allowed_amount_cents bigint NOT NULL,
        lineage_source text NOT NULL,
        lineage_file_id text NOT NULL,
        lineage_record_number integer NOT NULL,
        kafka_partition integer NOT NULL,
        kpi_contribution jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE claim_line_state (
        claim_id text NOT NULL REFERENCES claim_state (claim_id) ON DELETE CASCADE,
        line_number smallint NOT NULL,
        hcpcs_code text,
        rendering_npi text,
        rendering_provider_found boolean,
        tax_id text,
        processing_indicator_code text,
        processing_category text NOT NULL,
        payment_amount_cents bigint NOT NULL,
        allowed_amount_cents bigint NOT NULL,
        PRIMARY KEY (claim_id, line_number)
      )`);
    await queryRunner.query(`
      CREATE TABLE processed_event (
        event_id uuid PRIMARY KEY,
        claim_id text NOT NULL,
        -- When the source record was published and when its fold committed:
        -- the difference is the pipeline's freshness, measured per record.
        published_at timestamptz NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE TABLE consumer_offset (
        consumer_group text NOT NULL,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        next_offset bigint NOT NULL,
        PRIMARY KEY (consumer_group, topic, kafka_partition)
      )`);
    await queryRunner.query(`
      CREATE TABLE kpi_counter (
        kpi text NOT NULL,
        dimension text NOT NULL,
        kafka_partition integer NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (kpi, dimension, kafka_partition)
      )`);
    await queryRunner.query(`
      CREATE TABLE kpi_watermark (
        kafka_partition integer PRIMARY KEY,
        event_time_watermark date NOT NULL,
        committed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE reference_provider (
        npi text PRIMARY KEY,
        entity_type text NOT NULL,
        display_name text NOT NULL,
        taxonomy_code text,
        practice_state text,
        source text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'reference_provider',
      'kpi_watermark',
      'kpi_counter',
      'consumer_offset',
      'processed_event',
      'claim_line_state',
      'claim_state',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
