import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import { KPI_COUNTER_DAY_BY_KPI_SQL, insertKpiCounterDayFromKpiRowsSql } from '@claims/kpi';
import type { DataSource } from 'typeorm';

/** Counters one row per KPI, as a history is seeded: two days, two partitions, every first-family KPI. */
const COUNTERS_BY_KPI: ReadonlyArray<readonly [string, string, string, number, number]> = [
  ['claims_received', '', '2024-01-04', 0, 2],
  ['claims_received', '', '2024-01-04', 1, 3],
  ['claims_received', '', '2024-01-05', 0, 1],
  ['lines_received', '', '2024-01-04', 0, 5],
  ['line_payment_amount_cents', '', '2024-01-04', 0, 1234],
  ['line_allowed_amount_cents', '', '2024-01-04', 0, 2345],
  ['lines_by_processing_category', 'allowed', '2024-01-04', 0, 4],
  ['lines_by_processing_category', 'not_allowed', '2024-01-04', 0, 1],
  ['line_payment_amount_cents_by_processing_category', 'allowed', '2024-01-04', 0, 1234],
  ['line_allowed_amount_cents_by_processing_category', 'allowed', '2024-01-04', 0, -45],
  ['lines_by_processing_indicator', 'A', '2024-01-04', 0, 4],
  ['lines_by_processing_indicator', '(blank)', '2024-01-04', 0, 1],
];

const valuesSource = (rows: ReadonlyArray<readonly [string, string, string, number, number]>) =>
  `SELECT kpi, dimension, event_day::date, kafka_partition::integer, value::bigint
     FROM (VALUES ${rows.map(([kpi, dimension, day, partition, value]) => `('${kpi}', '${dimension}', '${day}', ${partition}, ${value})`).join(', ')})
       AS s(kpi, dimension, event_day, kafka_partition, value)`;

describe('kpi_counter_day wide rows through their SQL against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createIsolatedDatabase('day-counter-rows');
    dataSource = createDataSource({ url: database.url, applicationName: 'claims-day-counter-rows', poolSize: 2 });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
  });
  afterEach(async () => {
    await dataSource.query('DELETE FROM kpi_counter_day');
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('pivots seeded counters into one row per dimension value, day and partition, and reads back every counter one row per KPI', async () => {
    await dataSource.query(insertKpiCounterDayFromKpiRowsSql(valuesSource(COUNTERS_BY_KPI)));
    const [{ rows }] = await dataSource.query(`SELECT count(*)::int AS rows FROM kpi_counter_day`);
    expect(rows).toBe(7);
    type CounterRow = { kpi: string; dimension: string; day: string; kafka_partition: number; value: number };
    const ordered = (rows: CounterRow[]) =>
      rows.map((row) => JSON.stringify([row.kpi, row.dimension, row.day, row.kafka_partition, row.value])).sort();
    const byKpi: CounterRow[] = await dataSource.query(
      `SELECT kpi, dimension, to_char(event_day, 'YYYY-MM-DD') AS day, kafka_partition, value::int
         FROM ${KPI_COUNTER_DAY_BY_KPI_SQL} AS d`,
    );
    const expected = COUNTERS_BY_KPI.map(([kpi, dimension, day, kafka_partition, value]) => ({
      kpi,
      dimension,
      day,
      kafka_partition,
      value,
    }));
    expect(ordered(byKpi)).toEqual(ordered(expected));
  });

  it('refuses seeded counters of a KPI the wide rows have no column for, rather than leave them out', async () => {
    await expect(
      dataSource.query(
        insertKpiCounterDayFromKpiRowsSql(
          valuesSource([
            ['claims_received', '', '2024-01-04', 0, 2],
            ['claims_on_the_moon', '', '2024-01-04', 0, 1],
          ]),
        ),
      ),
    ).rejects.toThrow(/null value in column "dimension"/);
    expect(await dataSource.query(`SELECT count(*)::int AS rows FROM kpi_counter_day`)).toEqual([{ rows: 0 }]);
  });
});
