import { createIsolatedDatabase, undoMigrationsThrough, type IsolatedDatabase } from '@claims/harness';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateDatabase } from '../data-source';

/** Counters one row per KPI, as migration 1766100000000 finds them: two days, two partitions, and a carried-in total. */
const COUNTERS_BY_KPI = [
  ['claims_received', '', '-infinity', 0, 10],
  ['claims_received', '', '2024-01-04', 0, 2],
  ['claims_received', '', '2024-01-04', 1, 3],
  ['lines_received', '', '2024-01-04', 0, 5],
  ['line_payment_amount_cents', '', '2024-01-04', 0, 1234],
  ['line_allowed_amount_cents', '', '2024-01-04', 0, 2345],
  ['lines_by_processing_category', 'allowed', '2024-01-04', 0, 4],
  ['lines_by_processing_category', 'denied', '2024-01-04', 0, 1],
  ['line_payment_amount_cents_by_processing_category', 'allowed', '2024-01-04', 0, 1234],
  ['line_allowed_amount_cents_by_processing_category', 'allowed', '2024-01-04', 0, 2345],
  ['lines_by_processing_indicator', 'A', '2024-01-04', 0, 4],
  ['lines_by_processing_indicator', '(blank)', '2024-01-04', 0, 1],
  // A correction that netted a day's cell to zero: kept by the old table, dropped by both directions.
  ['lines_by_processing_indicator', 'R', '2024-01-05', 0, 0],
] as const;

const byKpi = (rows: ReadonlyArray<Record<string, unknown>>) =>
  rows
    .map((row) => [
      row['kpi'],
      row['dimension'],
      row['event_day'],
      Number(row['kafka_partition']),
      Number(row['value']),
    ])
    .filter((row) => row[4] !== 0)
    .sort((left, right) => JSON.stringify(left).localeCompare(JSON.stringify(right)));

describe('migration 1766100000000: kpi_counter_day from one row per KPI to wide day rows', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createIsolatedDatabase('wide-day-counters');
    dataSource = createDataSource({ url: database.url, applicationName: 'claims-migration-probe', poolSize: 2 });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const insertByKpi = async (rows: ReadonlyArray<readonly [string, string, string, number, number]>) => {
    for (const row of rows) {
      await dataSource.query(
        `INSERT INTO kpi_counter_day (kpi, dimension, event_day, kafka_partition, value) VALUES ($1, $2, $3, $4, $5)`,
        [...row],
      );
    }
  };
  const dateText = `CASE WHEN isfinite(event_day) THEN to_char(event_day, 'YYYY-MM-DD') ELSE '-infinity' END`;

  it('pivots every counter into wide rows, one per dimension value, day and partition, and unpivots them on the way down', async () => {
    await undoMigrationsThrough(dataSource, 'WideDayCounters1766100000000');
    await insertByKpi(COUNTERS_BY_KPI);
    await migrateDatabase(dataSource);

    const wide = await dataSource.query(
      `SELECT dimension, dimension_value, ${dateText} AS event_day, kafka_partition,
              claims::int, lines::int, payment_amount_cents::int, allowed_amount_cents::int
         FROM kpi_counter_day ORDER BY 1, 2, 3, 4`,
    );
    const row = (
      dimension: string,
      dimension_value: string,
      event_day: string,
      kafka_partition: number,
      [claims, lines, payment_amount_cents, allowed_amount_cents]: readonly number[],
    ) => ({
      dimension,
      dimension_value,
      event_day,
      kafka_partition,
      claims,
      lines,
      payment_amount_cents,
      allowed_amount_cents,
    });
    // Thirteen rows by KPI became eight wide ones; the cell netted to zero is carried as a row of zeros.
    expect(wide).toEqual([
      row('', '', '-infinity', 0, [10, 0, 0, 0]),
      row('', '', '2024-01-04', 0, [2, 5, 1234, 2345]),
      row('', '', '2024-01-04', 1, [3, 0, 0, 0]),
      row('processing_category', 'allowed', '2024-01-04', 0, [0, 4, 1234, 2345]),
      row('processing_category', 'denied', '2024-01-04', 0, [0, 1, 0, 0]),
      row('processing_indicator', '(blank)', '2024-01-04', 0, [0, 1, 0, 0]),
      row('processing_indicator', 'A', '2024-01-04', 0, [0, 4, 0, 0]),
      row('processing_indicator', 'R', '2024-01-05', 0, [0, 0, 0, 0]),
    ]);

    await undoMigrationsThrough(dataSource, 'WideDayCounters1766100000000');
    expect(
      byKpi(
        await dataSource.query(
          `SELECT kpi, dimension, ${dateText} AS event_day, kafka_partition, value FROM kpi_counter_day`,
        ),
      ),
    ).toEqual(
      byKpi(
        COUNTERS_BY_KPI.map(([kpi, dimension, event_day, kafka_partition, value]) => ({
          kpi,
          dimension,
          event_day,
          kafka_partition,
          value,
        })),
      ),
    );
    await dataSource.query('DELETE FROM kpi_counter_day');
    await migrateDatabase(dataSource);
  });

  it('refuses to migrate counters of a KPI the wide rows have no column for, and leaves them where they were', async () => {
    await undoMigrationsThrough(dataSource, 'WideDayCounters1766100000000');
    await insertByKpi([
      ['claims_received', '', '2024-01-04', 0, 2],
      ['claims_on_the_moon', '', '2024-01-04', 0, 1],
    ]);
    await expect(migrateDatabase(dataSource)).rejects.toThrow(/without a wide column: claims_on_the_moon/);
    expect(await dataSource.query(`SELECT kpi FROM kpi_counter_day ORDER BY kpi`)).toEqual([
      { kpi: 'claims_on_the_moon' },
      { kpi: 'claims_received' },
    ]);
    await dataSource.query('DELETE FROM kpi_counter_day');
    await migrateDatabase(dataSource);
  });
});
