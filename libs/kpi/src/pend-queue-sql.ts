import { PEND_AGE_BUCKETS } from './pend-aging';

/**
 * The pended-queue KPIs at an as-of date, read from the exact day histogram
 * (pend_day_histogram, summed over partitions): every figure is a range sum
 * over (dimension, value, pend day, clear day) cells, never a rescan of
 * claims. An episode is open at the end of day D when pended_on <= D and
 * cleared_on > D (cleared_on is 'infinity' while open). Parameters only:
 * callers never splice values into this text. docs/kpis/pended-queue.md
 * gives each definition.
 */

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

/**
 * Open episodes at $1 (as-of date) by value of dimension $2 ('all' for the
 * queue as a whole): count and dollars, total and oldest age, and the age
 * buckets; the $3 largest values by open count.
 */
export const PEND_OPEN_BY_DIMENSION_SQL = `
WITH open_days AS (
  SELECT dimension_value, $1::date - pended_on AS age_days,
         sum(claims) AS claims, sum(amount_cents) AS amount_cents
    FROM pend_day_histogram
   WHERE dimension = $2 AND pended_on <= $1::date AND cleared_on > $1::date
   GROUP BY dimension_value, pended_on
  HAVING sum(claims) <> 0 OR sum(amount_cents) <> 0
)
SELECT dimension_value,
       sum(claims)::bigint AS claims,
       sum(amount_cents)::bigint AS amount_cents,
       sum(claims * age_days)::bigint AS age_days_total,
       max(age_days) FILTER (WHERE claims > 0) AS oldest_age_days,
       ${bucketColumns}
  FROM open_days
 GROUP BY dimension_value
 ORDER BY sum(claims) DESC, dimension_value
 LIMIT $3
`;

export type PendOpenRow = {
  dimension_value: string;
  claims: string | number;
  amount_cents: string | number;
  age_days_total: string | number;
  oldest_age_days: number | null;
} & Record<`claims_bucket_${number}` | `amount_cents_bucket_${number}`, string | number>;

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

/**
 * Daily flow from $1 to $2 inclusive: inflow (episodes pended that day),
 * outflow (cleared that day), net, and the claims open at the end of each
 * day (open at the end of the day before $1, plus the running net).
 */
export const PEND_DAILY_FLOW_SQL = `
WITH days AS (
  SELECT day::date AS day FROM generate_series($1::date, $2::date, interval '1 day') AS day
), inflow AS (
  SELECT pended_on AS day, sum(claims) AS claims, sum(amount_cents) AS amount_cents
    FROM pend_day_histogram
   WHERE dimension = 'all' AND dimension_value = '' AND pended_on BETWEEN $1::date AND $2::date
   GROUP BY pended_on
), outflow AS (
  SELECT cleared_on AS day, sum(claims) AS claims, sum(amount_cents) AS amount_cents
    FROM pend_day_histogram
   WHERE dimension = 'all' AND dimension_value = '' AND cleared_on BETWEEN $1::date AND $2::date
   GROUP BY cleared_on
), open_before AS (
  SELECT coalesce(sum(claims), 0) AS claims, coalesce(sum(amount_cents), 0) AS amount_cents
    FROM pend_day_histogram
   WHERE dimension = 'all' AND dimension_value = '' AND pended_on < $1::date AND cleared_on >= $1::date
)
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
 * The work queue: claims open at $1, oldest first (pend date, then claim
 * id), after the cursor ($2 pend date, $3 claim id; '-infinity' and '' for
 * the first page), $4 at most. Reads claim_pend through the two indexes
 * of migration 1765400000000, never past the cleared pends.
 */
export const PEND_WORK_QUEUE_SQL = `
SELECT claim_id,
       to_char(pended_on, 'YYYY-MM-DD') AS pended_on,
       $1::date - pended_on AS age_days,
       queue, reasons, claim_type, payer, provider_group, rendering_npi, state,
       amount_cents::text AS amount_cents
  FROM (
        -- Open at asOf is one of two disjoint index ranges, each read in queue order up to
        -- the page's length (migration 1765400000000): not cleared, or cleared after asOf.
        (SELECT * FROM claim_pend
          WHERE cleared_on IS NULL
            AND pended_on <= $1::date
            AND (pended_on, claim_id) > ($2::date, $3::text)
          ORDER BY pended_on, claim_id
          LIMIT $4)
        UNION ALL
        (SELECT * FROM claim_pend
          WHERE cleared_on > $1::date
            AND pended_on <= $1::date
            AND (pended_on, claim_id) > ($2::date, $3::text)
          ORDER BY pended_on, claim_id
          LIMIT $4)
       ) open_at_as_of
 ORDER BY pended_on, claim_id
 LIMIT $4
`;

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
