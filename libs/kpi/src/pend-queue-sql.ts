import { PEND_AGE_BUCKETS } from './pend-aging';
import { NO_PEND_REASON } from './pend-episode';
import type { PendDimension } from './pend-histogram';
import {
  hasPendQueueFilter,
  pendQueueFilterSql,
  type PendQueueFilter,
  type PendWorkQueueSort,
} from './pend-queue-filter';

/**
 * The pended-queue KPIs at an as-of date, read from the exact day histogram
 * (pend_day_histogram, summed over partitions): every figure is a range sum
 * over (dimension, value, pend day, clear day) cells, never a rescan of
 * claims. An episode is open at the end of day D when pended_on <= D and
 * cleared_on > D (cleared_on is 'infinity' while open). Parameters only:
 * callers never splice values into this text. docs/kpis/pended-queue.md
 * gives each definition.
 *
 * The histogram holds one dimension per cell, so a filter (payer, provider
 * group, …; pend-queue-filter.ts), which crosses dimensions, is answered from
 * claim_pend instead: the rows the histogram is the sum of (the fold writes
 * both from the same episodes, and PEND_HISTOGRAM_BATCH_SQL rebuilds one from
 * the other), so a filtered figure equals the histogram's for the same claims.
 * The *Query functions pick the source: the histogram without a filter, the
 * claims with one.
 */

/** A SQL text and its parameters, $1 first. */
export interface PendSqlQuery {
  text: string;
  parameters: Array<string | number>;
}

const bucketColumns = PEND_AGE_BUCKETS.map((bucket, index) => {
  const range =
    bucket.maxAgeDays === null
      ? `age_days >= ${bucket.minAgeDays}`
      : `age_days BETWEEN ${bucket.minAgeDays} AND ${bucket.maxAgeDays}`;
  return (
    `coalesce(sum(claims) FILTER (WHERE ${range}), 0)::bigint AS claims_bucket_${index},\n` +
    `       coalesce(sum(amount_cents) FILTER (WHERE ${range}), 0)::bigint AS amount_cents_bucket_${index}`
  );
}).join(',\n       ');

/** The open figures by dimension value, from `open_days` rows (dimension_value, age_days, claims, amount_cents). */
const openFiguresSql = (openDays: string, limitPlaceholder: string): string => `
WITH open_days AS (${openDays})
SELECT dimension_value,
       sum(claims)::bigint AS claims,
       sum(amount_cents)::bigint AS amount_cents,
       sum(claims * age_days)::bigint AS age_days_total,
       max(age_days) FILTER (WHERE claims > 0) AS oldest_age_days,
       ${bucketColumns}
  FROM open_days
 GROUP BY dimension_value
 ORDER BY sum(claims) DESC, dimension_value
 LIMIT ${limitPlaceholder}
`;

/**
 * Open episodes at $1 (as-of date) by value of dimension $2 ('all' for the
 * queue as a whole): count and dollars, total and oldest age, and the age
 * buckets; the $3 largest values by open count.
 */
export const PEND_OPEN_BY_DIMENSION_SQL = openFiguresSql(
  `
  SELECT dimension_value, $1::date - pended_on AS age_days,
         sum(claims) AS claims, sum(amount_cents) AS amount_cents
    FROM pend_day_histogram
   WHERE dimension = $2 AND pended_on <= $1::date AND cleared_on > $1::date
   GROUP BY dimension_value, pended_on
  HAVING sum(claims) <> 0 OR sum(amount_cents) <> 0
`,
  '$3',
);

export type PendOpenRow = {
  dimension_value: string;
  claims: string | number;
  amount_cents: string | number;
  age_days_total: string | number;
  oldest_age_days: number | null;
} & Record<`claims_bucket_${number}` | `amount_cents_bucket_${number}`, string | number>;

const claimColumnValue = (column: string): string => `CROSS JOIN LATERAL (SELECT p.${column}) AS d(dimension_value)`;

/**
 * The value(s) a claim_pend row `p` counts under in each histogram
 * dimension, as PEND_HISTOGRAM_BATCH_SQL counts it: once per distinct reason
 * ('(none)' when it lists none), once under every other dimension.
 */
const CLAIM_PEND_DIMENSION_VALUES: Readonly<Record<PendDimension, string>> = {
  all: `CROSS JOIN LATERAL (SELECT ''::text) AS d(dimension_value)`,
  reason: `CROSS JOIN LATERAL (
           SELECT DISTINCT code
             FROM unnest(CASE WHEN cardinality(p.reasons) = 0 THEN ARRAY['${NO_PEND_REASON}'] ELSE p.reasons END)
                  AS u(code)
         ) AS d(dimension_value)`,
  queue: claimColumnValue('queue'),
  provider_group: claimColumnValue('provider_group'),
  rendering_provider: claimColumnValue('rendering_npi'),
  payer: claimColumnValue('payer'),
  state: claimColumnValue('state'),
  claim_type: claimColumnValue('claim_type'),
};

/**
 * PEND_OPEN_BY_DIMENSION_SQL's rows for the claims that pass `filter`:
 * without one, that query over the histogram; with one, the same figures
 * over the claim_pend rows that pass it, open at the as-of date.
 */
export function pendOpenByDimensionQuery(
  asOf: string,
  dimension: PendDimension,
  limit: number,
  filter: PendQueueFilter,
): PendSqlQuery {
  if (!hasPendQueueFilter(filter)) return { text: PEND_OPEN_BY_DIMENSION_SQL, parameters: [asOf, dimension, limit] };
  const where = pendQueueFilterSql(filter, 3);
  const text = openFiguresSql(
    `
  SELECT d.dimension_value, $1::date - p.pended_on AS age_days, 1 AS claims, p.amount_cents
    FROM claim_pend p
    ${CLAIM_PEND_DIMENSION_VALUES[dimension]}
   WHERE p.pended_on <= $1::date AND (p.cleared_on IS NULL OR p.cleared_on > $1::date)${where.sql}
`,
    '$2',
  );
  return { text, parameters: [asOf, limit, ...where.parameters] };
}

/**
 * Days-to-clear of the episodes cleared on or before $1: episodes by whole
 * days from pend to clear, the distribution the percentiles and the SLA share
 * are read from.
 */
export const PEND_DAYS_TO_CLEAR_SQL = `
SELECT cleared_on - pended_on AS days, sum(claims)::bigint AS claims
  FROM pend_day_histogram
 WHERE dimension = 'all' AND dimension_value = '' AND cleared_on <= $1::date
 GROUP BY cleared_on - pended_on
HAVING sum(claims) <> 0
 ORDER BY days
`;

export interface PendDaysToClearRow {
  days: number;
  claims: string | number;
}

/** PEND_DAYS_TO_CLEAR_SQL's rows for the claims that pass `filter` (claim_pend keeps cleared episodes). */
export function pendDaysToClearQuery(asOf: string, filter: PendQueueFilter): PendSqlQuery {
  if (!hasPendQueueFilter(filter)) return { text: PEND_DAYS_TO_CLEAR_SQL, parameters: [asOf] };
  const where = pendQueueFilterSql(filter, 2);
  const text = `
SELECT cleared_on - pended_on AS days, count(*)::bigint AS claims
  FROM claim_pend
 WHERE cleared_on <= $1::date${where.sql}
 GROUP BY cleared_on - pended_on
 ORDER BY days
`;
  return { text, parameters: [asOf, ...where.parameters] };
}

/**
 * The daily flow from three CTE bodies: inflow and outflow by day (day,
 * claims, amount_cents) and what was open before $1; `source`, when given,
 * is a first CTE the three may read.
 */
const dailyFlowSql = (parts: { source?: string; inflow: string; outflow: string; openBefore: string }): string => `
WITH ${parts.source === undefined ? '' : `${parts.source}, `}days AS (
  SELECT day::date AS day FROM generate_series($1::date, $2::date, interval '1 day') AS day
), inflow AS (${parts.inflow}), outflow AS (${parts.outflow}), open_before AS (${parts.openBefore})
SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
       coalesce(i.claims, 0)::bigint AS inflow_claims,
       coalesce(i.amount_cents, 0)::bigint AS inflow_amount_cents,
       coalesce(o.claims, 0)::bigint AS outflow_claims,
       coalesce(o.amount_cents, 0)::bigint AS outflow_amount_cents,
       (coalesce(i.claims, 0) - coalesce(o.claims, 0))::bigint AS net_claims,
       (coalesce(i.amount_cents, 0) - coalesce(o.amount_cents, 0))::bigint AS net_amount_cents,
       (b.claims + sum(coalesce(i.claims, 0) - coalesce(o.claims, 0)) OVER (ORDER BY d.day))::bigint AS open_claims,
       (b.amount_cents + sum(coalesce(i.amount_cents, 0) - coalesce(o.amount_cents, 0)) OVER (ORDER BY d.day))::bigint
         AS open_amount_cents
  FROM days d
  CROSS JOIN open_before b
  LEFT JOIN inflow i ON i.day = d.day
  LEFT JOIN outflow o ON o.day = d.day
 ORDER BY d.day
`;

/**
 * Daily flow from $1 to $2 inclusive: inflow (episodes pended that day),
 * outflow (cleared that day), net, and the claims open at the end of each
 * day (open at the end of the day before $1, plus the running net).
 */
export const PEND_DAILY_FLOW_SQL = dailyFlowSql({
  inflow: `
  SELECT pended_on AS day, sum(claims) AS claims, sum(amount_cents) AS amount_cents
    FROM pend_day_histogram
   WHERE dimension = 'all' AND dimension_value = '' AND pended_on BETWEEN $1::date AND $2::date
   GROUP BY pended_on
`,
  outflow: `
  SELECT cleared_on AS day, sum(claims) AS claims, sum(amount_cents) AS amount_cents
    FROM pend_day_histogram
   WHERE dimension = 'all' AND dimension_value = '' AND cleared_on BETWEEN $1::date AND $2::date
   GROUP BY cleared_on
`,
  openBefore: `
  SELECT coalesce(sum(claims), 0) AS claims, coalesce(sum(amount_cents), 0) AS amount_cents
    FROM pend_day_histogram
   WHERE dimension = 'all' AND dimension_value = '' AND pended_on < $1::date AND cleared_on >= $1::date
`,
});

export interface PendDailyFlowRow {
  day: string;
  inflow_claims: string | number;
  inflow_amount_cents: string | number;
  outflow_claims: string | number;
  outflow_amount_cents: string | number;
  net_claims: string | number;
  net_amount_cents: string | number;
  open_claims: string | number;
  open_amount_cents: string | number;
}

/**
 * PEND_DAILY_FLOW_SQL's rows for the claims that pass `filter`. Inflow,
 * outflow and open-before are all episodes pended by $2 and not cleared
 * before $1, so claim_pend is read once for the three.
 */
export function pendDailyFlowQuery(from: string, to: string, filter: PendQueueFilter): PendSqlQuery {
  if (!hasPendQueueFilter(filter)) return { text: PEND_DAILY_FLOW_SQL, parameters: [from, to] };
  const where = pendQueueFilterSql(filter, 3);
  const text = dailyFlowSql({
    source: `in_range AS MATERIALIZED (
  SELECT pended_on, cleared_on, amount_cents
    FROM claim_pend
   WHERE pended_on <= $2::date AND (cleared_on IS NULL OR cleared_on >= $1::date)${where.sql}
)`,
    inflow: `
  SELECT pended_on AS day, count(*) AS claims, sum(amount_cents) AS amount_cents
    FROM in_range
   WHERE pended_on >= $1::date
   GROUP BY pended_on
`,
    outflow: `
  SELECT cleared_on AS day, count(*) AS claims, sum(amount_cents) AS amount_cents
    FROM in_range
   WHERE cleared_on <= $2::date
   GROUP BY cleared_on
`,
    openBefore: `
  SELECT count(*) AS claims, coalesce(sum(amount_cents), 0) AS amount_cents
    FROM in_range
   WHERE pended_on < $1::date
`,
  });
  return { text, parameters: [from, to, ...where.parameters] };
}

/**
 * The order of each work-queue sort, and "after the cursor" in it ($2 the
 * sort key, $3 the claim id). Amount runs largest first, then claim id: a
 * mixed direction a row comparison cannot say, so the bound is spelled out
 * (`amount_cents <= $2` keeps it an index range).
 */
const WORK_QUEUE_ORDERS: Readonly<Record<PendWorkQueueSort, { after: string; orderBy: (table: string) => string }>> = {
  age: {
    after: '(pended_on, claim_id) > ($2::date, $3::text)',
    orderBy: (table) => `${table}pended_on, ${table}claim_id`,
  },
  amount: {
    after: 'amount_cents <= $2::bigint AND (amount_cents < $2::bigint OR claim_id > $3::text)',
    orderBy: (table) => `${table}amount_cents DESC, ${table}claim_id`,
  },
};

/** Where the first page of each sort starts: before every claim. */
const WORK_QUEUE_START: Readonly<Record<PendWorkQueueSort, string>> = {
  age: '-infinity',
  amount: '9223372036854775807',
};

/** The columns a work item shows: never the episode's free text (claim_pend.comments, PHI). */
const WORK_QUEUE_COLUMNS =
  'claim_id, pended_on, queue, reasons, claim_type, payer, provider_group, rendering_npi, state, amount_cents';

const workQueueSql = (sort: PendWorkQueueSort, filterSql: string): string => {
  const order = WORK_QUEUE_ORDERS[sort];
  // The outer ORDER BY names the subquery's columns: the output's pended_on and amount_cents are text.
  return `
SELECT claim_id,
       to_char(pended_on, 'YYYY-MM-DD') AS pended_on,
       $1::date - pended_on AS age_days,
       queue, reasons, claim_type, payer, provider_group, rendering_npi, state,
       amount_cents::text AS amount_cents
  FROM (
        -- Open at asOf is one of two disjoint index ranges, each read in queue order up to
        -- the page's length: not cleared (by age: migration 1765400000000, by amount:
        -- 1765450000000), or cleared after asOf.
        (SELECT ${WORK_QUEUE_COLUMNS} FROM claim_pend
          WHERE cleared_on IS NULL
            AND pended_on <= $1::date
            AND ${order.after}${filterSql}
          ORDER BY ${order.orderBy('')}
          LIMIT $4)
        UNION ALL
        -- The second range is empty whenever nothing cleared after asOf (always at the
        -- watermark): the max(cleared_on) check, one index probe, is a one-time filter that
        -- then skips the scan. Without it a planner lacking statistics (autovacuum off or
        -- behind a bulk load) walked every pend of the table in queue order: 3 s on 195,000.
        (SELECT ${WORK_QUEUE_COLUMNS} FROM claim_pend
          WHERE cleared_on > $1::date
            AND $1::date < (SELECT max(cleared_on) FROM claim_pend)
            AND pended_on <= $1::date
            AND ${order.after}${filterSql}
          ORDER BY ${order.orderBy('')}
          LIMIT $4)
       ) open_at_as_of
 ORDER BY ${order.orderBy('open_at_as_of.')}
 LIMIT $4
`;
};

/**
 * The work queue: claims open at $1, oldest first (pend date, then claim
 * id), after the cursor ($2 pend date, $3 claim id; '-infinity' and '' for
 * the first page), $4 at most. Reads claim_pend through the two indexes
 * of migration 1765400000000, never past the cleared pends.
 */
export const PEND_WORK_QUEUE_SQL = workQueueSql('age', '');

/** Where a work-queue page starts: after this claim, whose sort key (pend date or amount in cents) is `key`. */
export interface PendWorkQueueAfter {
  key: string;
  claimId: string;
}

/**
 * The work queue in either sort, for the claims that pass `filter`, after
 * `after` (null: the first page), `limit` at most; without a filter, oldest
 * first, it is PEND_WORK_QUEUE_SQL.
 */
export function pendWorkQueueQuery(options: {
  asOf: string;
  sort: PendWorkQueueSort;
  filter: PendQueueFilter;
  after: PendWorkQueueAfter | null;
  limit: number;
  /** Claims aged from `min` to `max` days at asOf, inclusive; a null side is unbounded. */
  ageDays?: { min: number | null; max: number | null };
}): PendSqlQuery {
  const where = pendQueueFilterSql(options.filter, 5);
  // An age range is a pend-date range (age = asOf - pended_on), so it narrows the same index ranges.
  const ageBounds: Array<{ sql: (placeholder: string) => string; days: number }> = [];
  if (options.ageDays?.max != null) {
    ageBounds.push({
      sql: (placeholder) => `pended_on >= $1::date - ${placeholder}::integer`,
      days: options.ageDays.max,
    });
  }
  if (options.ageDays?.min != null) {
    ageBounds.push({
      sql: (placeholder) => `pended_on <= $1::date - ${placeholder}::integer`,
      days: options.ageDays.min,
    });
  }
  const firstAgeParameter = 5 + where.parameters.length;
  const ageSql = ageBounds.map((bound, index) => ` AND ${bound.sql(`$${firstAgeParameter + index}`)}`).join('');
  return {
    text: workQueueSql(options.sort, `${where.sql}${ageSql}`),
    parameters: [
      options.asOf,
      options.after?.key ?? WORK_QUEUE_START[options.sort],
      options.after?.claimId ?? '',
      options.limit,
      ...where.parameters,
      ...ageBounds.map((bound) => bound.days),
    ],
  };
}

export interface PendWorkQueueRow {
  claim_id: string;
  pended_on: string;
  age_days: number;
  queue: string;
  reasons: string[];
  claim_type: string;
  payer: string;
  provider_group: string;
  rendering_npi: string;
  state: string;
  amount_cents: string;
}
