import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * kpi_counter_day kept as one wide row per dimension value, event day and
 * partition, with the first family's KPIs as measure columns, in place of one
 * row per KPI: a carrier claim-day upserts about four rows instead of six to
 * eight (@claims/kpi DAY_COUNTER_LAYOUT, docs/capacity-model.md). The rows already
 * there are pivoted into the new shape, so every sum is unchanged; `down`
 * unpivots them back.
 *
 * The layout is written out here rather than imported: a migration states the
 * schema as it was on its day, whatever the library's layout becomes.
 */
const LAYOUT = `(VALUES
  ('claims_received', '', 'claims'),
  ('lines_received', '', 'lines'),
  ('line_payment_amount_cents', '', 'payment_amount_cents'),
  ('line_allowed_amount_cents', '', 'allowed_amount_cents'),
  ('lines_by_processing_category', 'processing_category', 'lines'),
  ('line_payment_amount_cents_by_processing_category', 'processing_category', 'payment_amount_cents'),
  ('line_allowed_amount_cents_by_processing_category', 'processing_category', 'allowed_amount_cents'),
  ('lines_by_processing_indicator', 'processing_indicator', 'lines')
) AS layout(kpi, dimension, measure)`;
const MEASURES = ['claims', 'lines', 'payment_amount_cents', 'allowed_amount_cents'];
/** A wide row's (alias w) measure that a layout row names. */
const measureOfLayout = `CASE layout.measure ${MEASURES.map((measure) => `WHEN '${measure}' THEN w.${measure}`).join(' ')} END`;

/**
 * Upgrade order: a metrics instance of the version before upserts rows of the
 * old shape, which this table no longer takes, so its folds fail (and retry,
 * losing and counting nothing) until it is replaced: upgrade the metrics
 * instances with this migration, not after it.
 */
export class WideDayCounters1766100000000 implements MigrationInterface {
  name = 'WideDayCounters1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A KPI the layout has no column for would be dropped by the pivot: refuse instead.
    await queryRunner.query(`
      DO $$
      DECLARE unplaced text;
      BEGIN
        SELECT string_agg(DISTINCT d.kpi, ', ') INTO unplaced
          FROM kpi_counter_day d WHERE NOT EXISTS (SELECT 1 FROM ${LAYOUT} WHERE layout.kpi = d.kpi);
        IF unplaced IS NOT NULL THEN
          RAISE EXCEPTION 'kpi_counter_day holds KPIs without a wide column: %', unplaced;
        END IF;
      END $$`);
    await queryRunner.query(`ALTER TABLE kpi_counter_day RENAME TO kpi_counter_day_by_kpi`);
    await queryRunner.query(
      `ALTER TABLE kpi_counter_day_by_kpi RENAME CONSTRAINT kpi_counter_day_pkey TO kpi_counter_day_by_kpi_pkey`,
    );
    await queryRunner.query(`
      CREATE TABLE kpi_counter_day (
        dimension text NOT NULL,
        dimension_value text NOT NULL,
        event_day date NOT NULL,
        kafka_partition integer NOT NULL,
        ${MEASURES.map((measure) => `${measure} bigint NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (dimension, dimension_value, event_day, kafka_partition)
      ) WITH (fillfactor = 70)`);
    await queryRunner.query(`
      INSERT INTO kpi_counter_day (dimension, dimension_value, event_day, kafka_partition, ${MEASURES.join(', ')})
      SELECT layout.dimension, d.dimension, d.event_day, d.kafka_partition,
             ${MEASURES.map((measure) => `coalesce(sum(d.value) FILTER (WHERE layout.measure = '${measure}'), 0)`).join(', ')}
        FROM kpi_counter_day_by_kpi d JOIN ${LAYOUT} ON layout.kpi = d.kpi
       GROUP BY 1, 2, 3, 4`);
    await queryRunner.query(`DROP TABLE kpi_counter_day_by_kpi`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE kpi_counter_day RENAME TO kpi_counter_day_wide`);
    await queryRunner.query(
      `ALTER TABLE kpi_counter_day_wide RENAME CONSTRAINT kpi_counter_day_pkey TO kpi_counter_day_wide_pkey`,
    );
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
      SELECT layout.kpi, w.dimension_value, w.event_day, w.kafka_partition,
             ${measureOfLayout}
        FROM kpi_counter_day_wide w JOIN ${LAYOUT} ON layout.dimension = w.dimension
       WHERE ${measureOfLayout} <> 0`);
    await queryRunner.query(`DROP TABLE kpi_counter_day_wide`);
  }
}
