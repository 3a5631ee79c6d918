import { KPI_COUNTER_DAY_BY_KPI_SQL } from './day-counter-rows';
import { NO_PEND_REASON } from './pend-episode';

/**
 * The batch definition of every streamed KPI: plain SQL over the claim state.
 * The streamed counters must equal these after any replay, crash or
 * redelivery; tests and `kpi verify` hold them to it. The rows come out in
 * the same (kpi, dimension, value) shape as the counters.
 */
export const CLAIMS_RECEIVED_BATCH_SQL = `
SELECT kpi, dimension, value FROM (
  SELECT 'claims_received' AS kpi, '' AS dimension, count(*)::bigint AS value FROM claim_state
  UNION ALL
  SELECT 'lines_received', '', count(*)::bigint FROM claim_line_state
  UNION ALL
  SELECT 'lines_by_processing_category', processing_category, count(*)::bigint
    FROM claim_line_state GROUP BY processing_category
  UNION ALL
  SELECT 'lines_by_processing_indicator', coalesce(processing_indicator_code, '(blank)'), count(*)::bigint
    FROM claim_line_state GROUP BY processing_indicator_code
  UNION ALL
  SELECT 'line_payment_amount_cents', '', coalesce(sum(payment_amount_cents), 0)::bigint FROM claim_line_state
  UNION ALL
  SELECT 'line_allowed_amount_cents', '', coalesce(sum(allowed_amount_cents), 0)::bigint FROM claim_line_state
  UNION ALL
  SELECT 'line_payment_amount_cents_by_processing_category', processing_category, sum(payment_amount_cents)::bigint
    FROM claim_line_state GROUP BY processing_category
  UNION ALL
  SELECT 'line_allowed_amount_cents_by_processing_category', processing_category, sum(allowed_amount_cents)::bigint
    FROM claim_line_state GROUP BY processing_category
) AS batch_truth WHERE value <> 0
`;

/** The streamed counters, summed over the partitions that folded them. */
export const STREAMED_COUNTERS_SQL = `
  SELECT kpi, dimension, sum(value)::bigint AS value
    FROM kpi_counter GROUP BY kpi, dimension HAVING sum(value) <> 0
`;

/** STREAMED_COUNTERS_SQL as the counters stood at the end of event day $1: the day-keyed deltas summed up to it. */
export const STREAMED_COUNTERS_AS_OF_SQL = `
  SELECT kpi, dimension, sum(value)::bigint AS value
    FROM ${KPI_COUNTER_DAY_BY_KPI_SQL} AS day_counters
   WHERE event_day <= $1::date GROUP BY kpi, dimension HAVING sum(value) <> 0
`;

const clearedOnText = (column: string): string =>
  `CASE WHEN isfinite(${column}) THEN to_char(${column}, 'YYYY-MM-DD') ELSE 'infinity' END`;

/**
 * The batch truth of the pended-queue histogram: the same cells as
 * pend_day_histogram, computed from claim_pend alone (one row per claim that
 * pended). An episode counts once under `all`, once per distinct reason
 * ('(none)' when it lists none) and once under each other dimension.
 */
export const PEND_HISTOGRAM_BATCH_SQL = `
WITH episodes AS (
  SELECT pended_on, coalesce(cleared_on, 'infinity'::date) AS cleared_on, reasons, queue, provider_group,
         rendering_npi, payer, state, claim_type, amount_cents
    FROM claim_pend
), cells AS (
  SELECT 'all' AS dimension, '' AS dimension_value, pended_on, cleared_on, amount_cents FROM episodes
  UNION ALL
  SELECT 'reason', r.code, e.pended_on, e.cleared_on, e.amount_cents
    FROM episodes e
   CROSS JOIN LATERAL (
     SELECT DISTINCT code
       FROM unnest(CASE WHEN cardinality(e.reasons) = 0 THEN ARRAY['${NO_PEND_REASON}'] ELSE e.reasons END) AS u(code)
   ) AS r
  UNION ALL
  SELECT 'queue', queue, pended_on, cleared_on, amount_cents FROM episodes
  UNION ALL
  SELECT 'provider_group', provider_group, pended_on, cleared_on, amount_cents FROM episodes
  UNION ALL
  SELECT 'rendering_provider', rendering_npi, pended_on, cleared_on, amount_cents FROM episodes
  UNION ALL
  SELECT 'payer', payer, pended_on, cleared_on, amount_cents FROM episodes
  UNION ALL
  SELECT 'state', state, pended_on, cleared_on, amount_cents FROM episodes
  UNION ALL
  SELECT 'claim_type', claim_type, pended_on, cleared_on, amount_cents FROM episodes
)
SELECT dimension, dimension_value, to_char(pended_on, 'YYYY-MM-DD') AS pended_on,
       ${clearedOnText('cleared_on')} AS cleared_on,
       count(*)::bigint AS claims, sum(amount_cents)::bigint AS amount_cents
  FROM cells
 GROUP BY dimension, dimension_value, pended_on, cleared_on
`;

/** The streamed pend histogram, summed over the partitions that folded it; cells that net to zero left out. */
export const STREAMED_PEND_HISTOGRAM_SQL = `
SELECT dimension, dimension_value, to_char(pended_on, 'YYYY-MM-DD') AS pended_on,
       ${clearedOnText('cleared_on')} AS cleared_on,
       sum(claims)::bigint AS claims, sum(amount_cents)::bigint AS amount_cents
  FROM pend_day_histogram
 GROUP BY dimension, dimension_value, pended_on, cleared_on
HAVING sum(claims) <> 0 OR sum(amount_cents) <> 0
`;

/** One cell of the pend histogram as the two SQL texts above return it. */
export interface PendHistogramRow {
  dimension: string;
  dimension_value: string;
  pended_on: string;
  cleared_on: string;
  claims: string | number;
  amount_cents: string | number;
}

/**
 * The cells where the streamed pend histogram and its batch truth differ
 * (a cell on one side only is compared with zero), in dimension order, $1 at
 * most; each row also carries the number of differing cells in all.
 */
export const PEND_HISTOGRAM_DIFFERENCES_SQL = `
WITH streamed AS (${STREAMED_PEND_HISTOGRAM_SQL}), batch AS (${PEND_HISTOGRAM_BATCH_SQL})
SELECT dimension, dimension_value, pended_on, cleared_on,
       coalesce(s.claims, 0)::text AS streamed_claims, coalesce(b.claims, 0)::text AS batch_claims,
       coalesce(s.amount_cents, 0)::text AS streamed_amount_cents,
       coalesce(b.amount_cents, 0)::text AS batch_amount_cents,
       count(*) OVER () AS differences
  FROM streamed s FULL OUTER JOIN batch b USING (dimension, dimension_value, pended_on, cleared_on)
 WHERE s.claims IS DISTINCT FROM b.claims OR s.amount_cents IS DISTINCT FROM b.amount_cents
 ORDER BY dimension, dimension_value, pended_on, cleared_on
 LIMIT $1
`;

export interface PendHistogramDifferenceRow {
  dimension: string;
  dimension_value: string;
  pended_on: string;
  cleared_on: string;
  streamed_claims: string;
  batch_claims: string;
  streamed_amount_cents: string;
  batch_amount_cents: string;
  differences: string | number;
}

/** A pend histogram cell whose streamed value differs from the batch SQL, named by its dimension. */
export interface PendHistogramMismatch {
  dimension: string;
  dimensionValue: string;
  pendedOn: string;
  /** YYYY-MM-DD, or `infinity` for episodes still open. */
  clearedOn: string;
  streamed: { claims: string; amountCents: string };
  batch: { claims: string; amountCents: string };
}

export interface PendHistogramComparison {
  consistent: boolean;
  /** How many cells differ in all; `mismatches` lists the first of them. */
  differences: number;
  mismatches: PendHistogramMismatch[];
}

export function comparePendHistogram(rows: readonly PendHistogramDifferenceRow[]): PendHistogramComparison {
  const differences = Number(rows[0]?.differences ?? 0);
  return {
    consistent: differences === 0,
    differences,
    mismatches: rows.map((row) => ({
      dimension: row.dimension,
      dimensionValue: row.dimension_value,
      pendedOn: row.pended_on,
      clearedOn: row.cleared_on,
      streamed: { claims: row.streamed_claims, amountCents: row.streamed_amount_cents },
      batch: { claims: row.batch_claims, amountCents: row.batch_amount_cents },
    })),
  };
}
