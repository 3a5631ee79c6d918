import { CLAIMS_RECEIVED_BATCH_SQL, insertKpiCounterDayFromKpiRowsSql } from '@claims/kpi';
import type { Client } from 'pg';
import { emptyCarrierKpis, type ExpectedCarrierKpis } from '@claims/claims-generator';
import { processingCategoryValues } from './carrier-batch-sql';

/**
 * A large already-folded history written straight into claim_state,
 * claim_line_state, processed_event and kpi_counter (and its day-keyed twin) by SQL generate_series:
 * streaming two million claims first would take most of the run's time and
 * measure nothing new. Each claim's shape is a fixed arithmetic function of
 * its number, computed twice, in SQL here and in TypeScript below, so the
 * expected figures do not come from the database being checked.
 */

/** Lines per claim: 1 (56 %), 2 (23.5 %), 3 (9 %), 4 (4.5 %), 6 (2.5 %), 9 (2 %), 13 (2.5 %), like the carrier sample. */
const LINE_COUNT_SQL = `CASE WHEN (i * 7919) % 1000 < 560 THEN 1 WHEN (i * 7919) % 1000 < 795 THEN 2
  WHEN (i * 7919) % 1000 < 885 THEN 3 WHEN (i * 7919) % 1000 < 930 THEN 4 WHEN (i * 7919) % 1000 < 955 THEN 6
  WHEN (i * 7919) % 1000 < 975 THEN 9 ELSE 13 END`;
const INDICATOR_SQL = `CASE WHEN (i * 104729) % 1000 < 840 THEN 'A' WHEN (i * 104729) % 1000 < 920 THEN 'O'
  WHEN (i * 104729) % 1000 < 950 THEN 'C' WHEN (i * 104729) % 1000 < 970 THEN 'S' WHEN (i * 104729) % 1000 < 980 THEN 'M'
  WHEN (i * 104729) % 1000 < 990 THEN 'R' ELSE '@' END`;

function lineCountOf(i: number): number {
  const u = (i * 7919) % 1000;
  if (u < 560) return 1;
  if (u < 795) return 2;
  if (u < 885) return 3;
  if (u < 930) return 4;
  if (u < 955) return 6;
  if (u < 975) return 9;
  return 13;
}

function indicatorOf(i: number): string {
  const v = (i * 104729) % 1000;
  if (v < 840) return 'A';
  if (v < 920) return 'O';
  if (v < 950) return 'C';
  if (v < 970) return 'S';
  if (v < 980) return 'M';
  if (v < 990) return 'R';
  return '@';
}

/** Every line of claim i pays the same: (i·31 mod 30 + 1) × $10 when allowed; allowed adds (i·17 mod 5) × $10. */
function linePaymentCents(i: number, indicator: string): number {
  return indicator === 'A' ? (((i * 31) % 30) + 1) * 1000 : 0;
}

function lineAllowedCents(i: number, indicator: string): number {
  return linePaymentCents(i, indicator) + ((i * 17) % 5) * 1000;
}

export function expectedHistoryKpis(claims: number): ExpectedCarrierKpis {
  const expected = emptyCarrierKpis();
  for (let i = 1; i <= claims; i += 1) {
    const lines = lineCountOf(i);
    const indicator = indicatorOf(i);
    expected.claims += 1;
    expected.lines += lines;
    if (indicator === 'A') expected.linesAllowed += lines;
    expected.linesByProcessingIndicator[indicator] = (expected.linesByProcessingIndicator[indicator] ?? 0) + lines;
    expected.paymentAmountCents += lines * linePaymentCents(i, indicator);
    expected.allowedAmountCents += lines * lineAllowedCents(i, indicator);
  }
  return expected;
}

function claimShapeSql(claims: number, firstClaimId: number): string {
  return `
    SELECT i, (${firstClaimId}::bigint + i)::text AS claim_id, ${LINE_COUNT_SQL} AS line_count,
           ${INDICATOR_SQL} AS indicator, ((i * 31) % 30 + 1) * 1000 AS paid_if_allowed, ((i * 17) % 5) * 1000 AS allowed_extra,
           date '2008-01-01' + (i % 1096)::integer AS service_date
      FROM generate_series(1::bigint, ${claims}) AS i`;
}

/** Loads the history and its counters; returns the seconds it took. */
export async function loadFoldedHistory(client: Client, claims: number, firstClaimId: number): Promise<number> {
  const started = process.hrtime.bigint();
  const shape = `WITH shape AS (${claimShapeSql(claims, firstClaimId)}),
    priced AS (SELECT shape.*, category.name AS category,
                      CASE WHEN indicator = 'A' THEN paid_if_allowed ELSE 0 END AS line_payment,
                      CASE WHEN indicator = 'A' THEN paid_if_allowed ELSE 0 END + allowed_extra AS line_allowed
                 FROM shape JOIN (VALUES ${processingCategoryValues()}) AS category(code, name) ON category.code = shape.indicator)`;
  await client.query('BEGIN');
  await client.query(`${shape}
    INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
      service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source, lineage_file_id,
      lineage_record_number, kafka_partition)
    SELECT claim_id, md5(claim_id)::uuid, 'adjudicated', 'professional', 'MEDICARE', service_date, service_date, service_date,
           line_count, line_count * line_payment, line_count * line_allowed, 'history.csv', repeat('0', 64), i, 0
      FROM priced`);
  await client.query(`${shape}
    INSERT INTO claim_line_state (claim_id, line_number, hcpcs_code, rendering_npi, rendering_provider_found, tax_id,
      processing_indicator_code, processing_category, payment_amount_cents, allowed_amount_cents)
    SELECT claim_id, n, '99213', '1234567890', false, '123456789', indicator, category, line_payment, line_allowed
      FROM priced CROSS JOIN LATERAL generate_series(1, line_count) AS n`);
  await client.query(`
    INSERT INTO processed_event (event_id, claim_id, published_at, processed_at)
    SELECT md5('history' || i)::uuid, (${firstClaimId}::bigint + i)::text, now(), now() FROM generate_series(1::bigint, ${claims}) AS i`);
  await client.query(`
    INSERT INTO kpi_counter (kpi, dimension, kafka_partition, value)
    SELECT kpi, dimension, 0, value FROM (${CLAIMS_RECEIVED_BATCH_SQL}) AS history_totals`);
  // Undated, as the migration carries in counters older than the day-keyed tables: they count on every day.
  await client.query(
    insertKpiCounterDayFromKpiRowsSql(
      `SELECT kpi, dimension, '-infinity'::date AS event_day, kafka_partition, value FROM kpi_counter`,
    ),
  );
  await client.query('COMMIT');
  // Fresh statistics, and no autovacuum pass starting in the middle of the measurement.
  await client.query('VACUUM (ANALYZE) claim_state, claim_line_state, processed_event, kpi_counter, kpi_counter_day');
  return Number(process.hrtime.bigint() - started) / 1e9;
}
