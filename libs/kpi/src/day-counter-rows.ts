import { KPI, parseCounterKey, type KpiContribution } from './claim-contribution';

/**
 * The first family's counters by event day, one wide row per dimension value
 * and day rather than one row per KPI. A claim moves eight `kpi|dimension`
 * counters, but only three values of what they are by: nothing (claims,
 * lines and their amounts), a line's processing category and its processing
 * indicator. Kept one row per KPI, a claim-day was six to eight upserted
 * rows in kpi_counter_day, part of the fold's largest step at every rate;
 * kept wide, a one-line claim-day is three rows, a carrier claim about four
 * (docs/capacity-model.md).
 *
 * The live counters (kpi_counter) stay one row per KPI: a batch sums them
 * into a few dozen rows whatever its size, while day rows grow with the days
 * a batch's claims fall on.
 */

/** A wide day row's measure columns, in order. */
export const DAY_COUNTER_MEASURES = ['claims', 'lines', 'payment_amount_cents', 'allowed_amount_cents'] as const;
export type DayCounterMeasure = (typeof DAY_COUNTER_MEASURES)[number];

/** What a wide day row is by: '' for the KPIs without a dimension. */
export const DAY_COUNTER_DIMENSION = {
  none: '',
  processingCategory: 'processing_category',
  processingIndicator: 'processing_indicator',
} as const;
export type DayCounterDimension = (typeof DAY_COUNTER_DIMENSION)[keyof typeof DAY_COUNTER_DIMENSION];

export type FirstFamilyKpi = (typeof KPI)[keyof typeof KPI];

/** Where each first-family KPI is kept: rows of which dimension, which measure column. */
export const DAY_COUNTER_LAYOUT: Readonly<
  Record<FirstFamilyKpi, { dimension: DayCounterDimension; measure: DayCounterMeasure }>
> = {
  [KPI.claimsReceived]: { dimension: DAY_COUNTER_DIMENSION.none, measure: 'claims' },
  [KPI.linesReceived]: { dimension: DAY_COUNTER_DIMENSION.none, measure: 'lines' },
  [KPI.paymentAmountCents]: { dimension: DAY_COUNTER_DIMENSION.none, measure: 'payment_amount_cents' },
  [KPI.allowedAmountCents]: { dimension: DAY_COUNTER_DIMENSION.none, measure: 'allowed_amount_cents' },
  [KPI.linesByProcessingCategory]: { dimension: DAY_COUNTER_DIMENSION.processingCategory, measure: 'lines' },
  [KPI.paymentAmountCentsByProcessingCategory]: {
    dimension: DAY_COUNTER_DIMENSION.processingCategory,
    measure: 'payment_amount_cents',
  },
  [KPI.allowedAmountCentsByProcessingCategory]: {
    dimension: DAY_COUNTER_DIMENSION.processingCategory,
    measure: 'allowed_amount_cents',
  },
  [KPI.linesByProcessingIndicator]: { dimension: DAY_COUNTER_DIMENSION.processingIndicator, measure: 'lines' },
};

const LAYOUT_ENTRIES = Object.entries(DAY_COUNTER_LAYOUT) as Array<
  [FirstFamilyKpi, { dimension: DayCounterDimension; measure: DayCounterMeasure }]
>;
const MEASURE_INDEX = new Map<string, { dimension: DayCounterDimension; index: number }>(
  LAYOUT_ENTRIES.map(([kpi, { dimension, measure }]) => [
    kpi,
    { dimension, index: DAY_COUNTER_MEASURES.indexOf(measure) },
  ]),
);

/** One wide row of kpi_counter_day: its key less the partition, and its measures in DAY_COUNTER_MEASURES order. */
export interface DayCounterRow {
  dimension: DayCounterDimension;
  dimensionValue: string;
  eventDay: string;
  measures: number[];
}

const SEPARATOR = '\u001f';

/**
 * The wide rows of a batch's first-family counters by event day
 * (`YYYY-MM-DD` → `kpi|dimension` counters), days in ascending order. A
 * counter of a KPI the layout does not place is a programming error, thrown
 * rather than dropped from the day-keyed counts.
 */
export function dayCounterRows(countersByDay: ReadonlyMap<string, { counters: KpiContribution }>): DayCounterRow[] {
  const rows: DayCounterRow[] = [];
  for (const eventDay of [...countersByDay.keys()].sort()) {
    const counters = countersByDay.get(eventDay)?.counters;
    if (counters === undefined) continue;
    const dayRows = new Map<string, DayCounterRow>();
    for (const key in counters) {
      const value = counters[key] ?? 0;
      if (value === 0) continue;
      const { kpi, dimension: dimensionValue } = parseCounterKey(key);
      const place = MEASURE_INDEX.get(kpi);
      if (place === undefined) throw new Error(`no day-counter column for the KPI ${JSON.stringify(kpi)}`);
      const rowKey = `${place.dimension}${SEPARATOR}${dimensionValue}`;
      let row = dayRows.get(rowKey);
      if (row === undefined) {
        row = { dimension: place.dimension, dimensionValue, eventDay, measures: DAY_COUNTER_MEASURES.map(() => 0) };
        dayRows.set(rowKey, row);
        rows.push(row);
      }
      row.measures[place.index] = (row.measures[place.index] ?? 0) + value;
    }
  }
  return rows;
}

/** The layout as SQL VALUES rows (dimension, kpi, measure value of `alias`): fixed words of this module, never input. */
const layoutValues = (alias: string): string =>
  LAYOUT_ENTRIES.map(([kpi, { dimension, measure }]) => `('${dimension}', '${kpi}', ${alias}.${measure})`).join(', ');

/**
 * kpi_counter_day in the counters' shape, one row per KPI, dimension value,
 * event day and partition: a derived table to select from wherever a reader
 * wants `(kpi, dimension, event_day, kafka_partition, value)` rows. A filter on
 * event_day outside it reaches the table's scan.
 */
export const KPI_COUNTER_DAY_BY_KPI_SQL = `(
  SELECT k.kpi, c.dimension_value AS dimension, c.event_day, c.kafka_partition, k.value
    FROM kpi_counter_day c
   CROSS JOIN LATERAL (VALUES ${layoutValues('c')}) AS k(dimension, kpi, value)
   WHERE k.dimension = c.dimension AND k.value <> 0
)`;

/**
 * Inserts rows of the counters' shape, `(kpi, dimension, event_day,
 * kafka_partition, value)` from `source`, into kpi_counter_day's wide rows:
 * for seeding and carrying in counters (a bench's history, a test's
 * fixture), not the fold's path. `source` is SQL the caller writes, never input.
 * A row of a KPI the layout does not place fails the insert (its dimension is
 * null) rather than go missing from the day-keyed counts.
 */
export function insertKpiCounterDayFromKpiRowsSql(source: string): string {
  const layout = LAYOUT_ENTRIES.map(([kpi, { dimension, measure }]) => `('${kpi}', '${dimension}', '${measure}')`);
  return `
    INSERT INTO kpi_counter_day (dimension, dimension_value, event_day, kafka_partition, ${DAY_COUNTER_MEASURES.join(', ')})
    SELECT l.dimension, s.dimension, s.event_day, s.kafka_partition,
           ${DAY_COUNTER_MEASURES.map((m) => `coalesce(sum(s.value) FILTER (WHERE l.measure = '${m}'), 0)`).join(', ')}
      FROM (${source}) AS s
      LEFT JOIN (VALUES ${layout.join(', ')}) AS l(kpi, dimension, measure) ON l.kpi = s.kpi
     GROUP BY 1, 2, 3, 4`;
}
