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
