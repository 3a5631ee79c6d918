import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counter families at the end of any past day: kpi_counter_day and
 * kpi_dimension_counter_day hold the same deltas as kpi_counter and
 * kpi_dimension_counter (less the high-cardinality dimensions), keyed also by the event day each change takes
 * effect on (the day of the claim version it leaves in place). A family as
 * it stood at the end of day D is the sum of its rows up to D, a range over
 * the primary key; summed over every day it is the live counter.
 * Counters folded before this migration have no day: they are carried in as
 * one row dated -infinity, so they count on every day and the two tables
 * keep summing to the live counters (docs/kpis/as-of.md).
 */
export class DailyCounters1765700000000 implements MigrationInterface {
  name = 'DailyCounters1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE kpi_counter_day (
        kpi text NOT NULL,
        dimension text NOT NULL,
        event_day date NOT NULL,
        kafka_partition integer NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (kpi, dimension, event_day, kafka_partition)
      ) WITH (fillfactor = 70)`);
    await queryRunner.query(`
      INSERT INTO kpi_counter_day (kpi, dimension, event_day, kafka_partition, value)
      SELECT kpi, dimension, '-infinity', kafka_partition, value FROM kpi_counter WHERE value <> 0`);
    await queryRunner.query(`
      CREATE TABLE kpi_dimension_counter_day (LIKE kpi_dimension_counter INCLUDING DEFAULTS)
        WITH (fillfactor = 70)`);
    await queryRunner.query(`ALTER TABLE kpi_dimension_counter_day ADD COLUMN event_day date NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE kpi_dimension_counter_day
        ADD PRIMARY KEY (family, dimension, dimension_value, event_day, kafka_partition)`);
    // The top lists' codes and the provider group are not kept by day: @claims/kpi UNDATED_DIMENSIONS.
    await queryRunner.query(`
      INSERT INTO kpi_dimension_counter_day
      SELECT *, '-infinity'::date FROM kpi_dimension_counter WHERE dimension NOT IN ('hcpcs', 'diagnosis', 'ndc', 'provider_group')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS kpi_dimension_counter_day`);
    await queryRunner.query(`DROP TABLE IF EXISTS kpi_counter_day`);
  }
}
