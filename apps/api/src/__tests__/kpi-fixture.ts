import {
  CLAIMS_RECEIVED_BATCH_SQL,
  DIMENSION_COUNTER_BATCH_SQL,
  DIMENSION_COUNTER_MEASURES,
  UNDATED_DIMENSIONS,
  insertKpiCounterDayFromKpiRowsSql,
  PEND_HISTOGRAM_BATCH_SQL,
  seedCarcRootCauses,
  shippedCarcRootCauses,
} from '@claims/kpi';
import { Client } from 'pg';

/** A pg client or a TypeORM data source: what the seeding helpers write through. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** When the fixture's last fold committed: what Last-Modified of a KPI route says. */
export const FIXTURE_COMMITTED_AT = new Date('2024-04-01T06:00:00Z');
/** The event-time watermark the fixture's figures are as of by default. */
export const FIXTURE_WATERMARK = '2024-03-31';
/** A member's patient token, held in reference_member: no route an analyst calls may hand it out. */
export const FIXTURE_MEMBER_TOKEN = 'ptk_fixture_member_7f3a9c';

/**
 * Folded KPI state written straight into a migrated database, as the metrics
 * service leaves it: claims and their pend episodes by hand, the counters and
 * the pend histogram rebuilt from them by the batch SQL (which the fold is
 * held equal to). Enough for every panel of the dashboard to show figures:
 *
 *   pended queue  PQ-1 open since 01-01 ($100, two reasons), PQ-2 pended 01-10 and cleared 01-20,
 *                 PQ-3 open since 03-01 ($5), WQ-01..WQ-30 open since 02-01..03-01 (a second work-queue page)
 *   claims        C1 DE-SynPUF carrier (a line allowed, a line denied, an MSP line), B1 billing export denied,
 *                 B2 paid, B3 pending, P1 a Part D fill (the rows of the denial-cost spec), R1 an 835 claim
 *                 payment denied (CO-16 on line 1, CO-ZZ9, a CARC the shipped mapping lacks, and PR-1 on line 2)
 */
export async function seedFoldedKpis(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO claim_pend (claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group,
                              rendering_npi, state, amount_cents, kafka_partition)
      VALUES ('PQ-1', '2024-01-01', NULL, 'provider-data', '{NPI_INVALID,PROVIDER_NOT_FOUND}', 'professional',
              'MEDICARE', 'TIN-1', '1234567893', 'MD', 10000, 0),
             ('PQ-2', '2024-01-10', '2024-01-20', 'eligibility', '{MEMBER_NOT_COVERED}', 'professional',
              'MEDICARE', 'TIN-2', '(unknown)', 'VA', 2000, 0),
             ('PQ-3', '2024-03-01', NULL, 'provider-data', '{PROVIDER_NOT_FOUND}', 'dme',
              'ACME', 'TIN-1', '1234567893', 'MD', 500, 1)`);
    await client.query(`
      INSERT INTO claim_pend (claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group,
                              rendering_npi, state, amount_cents, kafka_partition)
      SELECT 'WQ-' || lpad(n::text, 2, '0'), date '2024-02-01' + n, NULL, 'eligibility', '{MEMBER_NOT_COVERED}',
             'institutional', 'Aetna', 'GRP-1', '1003000126', 'VA', 1234 * n, n % 3
        FROM generate_series(1, 30) AS n`);
    await client.query(
      `INSERT INTO pend_day_histogram (dimension, dimension_value, pended_on, cleared_on, kafka_partition, claims,
                                       amount_cents)
       SELECT dimension, dimension_value, pended_on::date, cleared_on::date, 0, claims, amount_cents
         FROM (${PEND_HISTOGRAM_BATCH_SQL}) AS truth`,
    );
    await seedDenialCostClaims(client);
    await seedRemittanceDenial(client);
    await seedCarcRootCauses(client, shippedCarcRootCauses());
    await rebuildCountersFromClaims(client);
    await client.query(
      `INSERT INTO reference_member (patient_token, reference_period, birth_date, sex, chronic_conditions, layout,
                                     event_id, lineage_file_id, lineage_record_number)
       VALUES ($1, '2024', '1940-05-01', '2', '{}', 'desynpuf.beneficiary-summary', gen_random_uuid(), $2, 1)`,
      [FIXTURE_MEMBER_TOKEN, 'd'.repeat(64)],
    );
    await client.query(
      `INSERT INTO kpi_watermark (kafka_partition, event_time_watermark, committed_at) VALUES (0, $1, $2)`,
      [FIXTURE_WATERMARK, FIXTURE_COMMITTED_AT],
    );
  } finally {
    await client.end();
  }
}

/** The denial-cost claims, as the fold stores them: C1 (DE-SynPUF carrier), B1-B3 (billing export), P1 (Part D). */
export async function seedDenialCostClaims(db: SqlRunner): Promise<void> {
  await db.query(`
      INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
        service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source, lineage_file_id,
        lineage_record_number, kafka_partition, layout, provider_group, state, billed_amount_cents,
        adjudication_status, first_diagnosis_code, drug_ndc_code, drug_days_supply)
      VALUES
        ('C1', gen_random_uuid(), 'adjudicated', 'professional', 'MEDICARE', '2009-03-14', '2009-03-14', '2009-03-14',
         3, 8000, 15000, 'carrier.csv', repeat('a', 64), 1, 0, 'desynpuf.carrier', 'TIN-1', '(unknown)', NULL, NULL,
         '4019', NULL, NULL),
        ('B1', gen_random_uuid(), 'adjudicated', 'professional', 'Aetna', '2024-03-04', '2024-03-04', '2024-03-04',
         2, 0, 0, 'billing.csv', repeat('b', 64), 1, 1, 'billing.claim-export', 'GRP-1', 'MD', NULL, 'denied',
         'E11.9', NULL, NULL),
        ('B2', gen_random_uuid(), 'adjudicated', 'professional', 'Aetna', '2024-03-05', '2024-03-05', '2024-03-05',
         1, 8000, 0, 'billing.csv', repeat('b', 64), 3, 0, 'billing.claim-export', 'GRP-1', 'MD', 10000, 'paid',
         'I10', NULL, NULL),
        ('B3', gen_random_uuid(), 'pended', 'professional', 'Cigna', '2024-03-07', '2024-03-07', '2024-03-07',
         1, 0, 0, 'billing.csv', repeat('b', 64), 4, 1, 'billing.claim-export', 'GRP-2', 'VA', NULL, 'pending',
         'J06.9', NULL, NULL),
        ('P1', gen_random_uuid(), 'adjudicated', 'pharmacy', 'MEDICARE PART D', '2010-02-07', '2010-02-07',
         '2010-02-07', 1, 0, 0, 'pde.csv', repeat('c', 64), 1, 0, 'desynpuf.prescription-drug-events', '(unknown)',
         'MD', 4200, NULL, NULL, '00093505698', 30)`);
  await db.query(`
      INSERT INTO claim_line_state (claim_id, line_number, hcpcs_code, processing_indicator_code, processing_category,
        payment_amount_cents, allowed_amount_cents, charge_amount_cents, deductible_amount_cents,
        coinsurance_amount_cents)
      VALUES ('C1', 1, '99213', 'A', 'allowed', 8000, 10000, NULL, 1000, 1000),
             ('C1', 2, '99214', 'O', 'not_allowed', 0, 3000, NULL, 0, 0),
             ('C1', 3, NULL, 'S', 'msp_cob', 0, 2000, NULL, 0, 0),
             ('B1', 1, '99213', NULL, 'not_allowed', 0, 0, 18500, 0, 0),
             ('B1', 2, '83036', NULL, 'not_allowed', 0, 0, 4800, 0, 0),
             ('B2', 1, '99213', NULL, 'allowed', 8000, 0, 9000, 0, 0),
             ('B3', 1, '99203', NULL, 'unknown', 0, 0, 24000, 0, 0),
             ('P1', 1, NULL, NULL, 'allowed', 0, 0, 4200, 0, 0)`);
}

/** R1, an 835 claim payment denied (CO-16 on line 1, CO-ZZ9, a CARC the shipped mapping lacks, and PR-1 on line 2). */
export async function seedRemittanceDenial(db: SqlRunner): Promise<void> {
  await db.query(
    `INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
         service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source, lineage_file_id,
         lineage_record_number, kafka_partition, layout, provider_group, state, billed_amount_cents,
         adjudication_status, adjustments)
       VALUES ('R1', gen_random_uuid(), 'adjudicated', 'professional', 'ACME', '2024-05-20', '2024-05-01',
               '2024-05-01', 2, 0, 0, 'r.835', repeat('e', 64), 1, 0, 'x12.835', '(unknown)', '(unknown)', 30000,
               'denied', $1::jsonb)`,
    [
      JSON.stringify([
        { lineNumber: 1, groupCode: 'CO', carc: '16', amountCents: 20000 },
        { lineNumber: 2, groupCode: 'CO', carc: 'ZZ9', amountCents: 5000 },
        { lineNumber: 2, groupCode: 'PR', carc: '1', amountCents: 5000 },
      ]),
    ],
  );
  await db.query(`
      INSERT INTO claim_line_state (claim_id, line_number, hcpcs_code, processing_category, payment_amount_cents,
        allowed_amount_cents, charge_amount_cents, deductible_amount_cents, coinsurance_amount_cents)
      VALUES ('R1', 1, '99213', 'unknown', 0, 0, 20000, 0, 0), ('R1', 2, '99214', 'unknown', 0, 0, 10000, 5000, 0)`);
}

/**
 * The counters as the fold would have left them over the seeded claims: the
 * batch truth pivoted back into cells, in place of any counters stored before.
 */
export async function rebuildCountersFromClaims(db: SqlRunner): Promise<void> {
  const measures = DIMENSION_COUNTER_MEASURES;
  // A rebuild replaces whatever counters a spec seeded before.
  for (const table of ['kpi_dimension_counter', 'kpi_counter', 'kpi_dimension_counter_day', 'kpi_counter_day']) {
    await db.query(`DELETE FROM ${table}`);
  }
  await db.query(`
      INSERT INTO kpi_dimension_counter (family, dimension, dimension_value, kafka_partition, ${measures.join(', ')})
      SELECT split_part(kpi, '.', 1), split_part(dimension, '=', 1), substr(dimension, strpos(dimension, '=') + 1), 0,
             ${measures.map((m) => `coalesce(sum(value) FILTER (WHERE split_part(kpi, '.', 2) = '${m}'), 0)`).join(', ')}
        FROM (${DIMENSION_COUNTER_BATCH_SQL}) AS truth
       GROUP BY 1, 2, 3`);
  await db.query(
    `INSERT INTO kpi_counter (kpi, dimension, kafka_partition, value)
       SELECT kpi, dimension, 0, value FROM (${CLAIMS_RECEIVED_BATCH_SQL}) AS truth`,
  );
  // The day-keyed twins as the migration carries in counters folded before them: dated -infinity, so they
  // count on every day and sum to the live counters (the fold's own dating is tested in the metrics service).
  await db.query(
    `INSERT INTO kpi_dimension_counter_day SELECT *, '-infinity'::date FROM kpi_dimension_counter
      WHERE dimension <> ALL($1::text[])`,
    [[...UNDATED_DIMENSIONS]],
  );
  await db.query(
    insertKpiCounterDayFromKpiRowsSql(
      `SELECT kpi, dimension, '-infinity'::date AS event_day, kafka_partition, value FROM kpi_counter`,
    ),
  );
}
