import { CLAIMS_RECEIVED_BATCH_SQL, DIMENSION_COUNTER_BATCH_SQL, DIMENSION_COUNTER_MEASURES } from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { startKpisApiUnderTest, type KpisApiUnderTest } from './__tests__/kpis-api-under-test';

const analystToken = 'analyst-token-for-the-denial-cost-spec';

/**
 * The denial, payment, volume and top routes over a migrated database seeded
 * with a few claims by hand, their counters rebuilt from them by the batch SQL
 * (what the fold keeps equal to it): the HTTP edge, validation, auth, labels
 * and verification.
 *
 *   C1  DE-SynPUF carrier, MEDICARE, 2009-03, group TIN-1: line A 99213 allowed $100 paid $80 (deductible $10,
 *       coinsurance $10); line O 99214 allowed $30; line S (MSP/COB) allowed $20
 *   B1  billing export, Aetna, 2024-03, GRP-1, MD: denied; lines 99213 $185, 83036 $48 (no stated total)
 *   B2  billing export, Aetna, 2024-03, GRP-1, MD: paid $80 of a stated $100 billed; line 99213
 *   B3  billing export, Cigna, 2024-03, GRP-2, VA: pending; line 99203 $240
 *   P1  Part D fill of NDC 00093505698, 2010-02, MD: total drug cost $42, 30 days supply
 */
describe('GET /v1/kpis/denials, payments, volume and top against a real Postgres', () => {
  let api: KpisApiUnderTest;
  let dataSource: DataSource;
  const get = (path: string, token?: string | null) => api.get(path, token);

  beforeAll(async () => {
    api = await startKpisApiUnderTest({ label: 'denial_cost_api', analystToken });
    dataSource = api.dataSource;
    await dataSource.query(`
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
    await dataSource.query(`
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
    // The counters as the fold would have left them: the batch truth pivoted back into cells.
    const measures = DIMENSION_COUNTER_MEASURES;
    await dataSource.query(`
      INSERT INTO kpi_dimension_counter (family, dimension, dimension_value, kafka_partition, ${measures.join(', ')})
      SELECT split_part(kpi, '.', 1), split_part(dimension, '=', 1), substr(dimension, strpos(dimension, '=') + 1), 0,
             ${measures.map((m) => `coalesce(sum(value) FILTER (WHERE split_part(kpi, '.', 2) = '${m}'), 0)`).join(', ')}
        FROM (${DIMENSION_COUNTER_BATCH_SQL}) AS truth
       GROUP BY 1, 2, 3`);
    await dataSource.query(
      `INSERT INTO kpi_counter (kpi, dimension, kafka_partition, value)
       SELECT kpi, dimension, 0, value FROM (${CLAIMS_RECEIVED_BATCH_SQL}) AS truth`,
    );
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('refuses a request without a token', async () => {
    expect((await get('/v1/kpis/denials?source=carrier_lines', null)).status).toBe(401);
  });

  it('answers the carrier line denial rate, MSP/COB lines out of the denominator, labelled in lines', async () => {
    const { status, body } = await get('/v1/kpis/denials?source=carrier_lines&groupBy=month');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      source: 'carrier_lines',
      groupBy: 'month',
      unit: 'line',
      total: {
        adjudicated: 2,
        denied: 1,
        denialRateByCount: 0.5,
        adjudicatedAmountCents: 13000,
        deniedAmountCents: 3000,
        denialRateByAmount: 0.2308,
      },
      rows: [{ value: '2009-03', adjudicated: 2, denied: 1 }],
    });
    expect(body['counts']).toContain('MSP/COB');
  });

  it('answers the billing-export denial rate by payer, pending claims out, at billed dollars', async () => {
    const { body } = await get('/v1/kpis/denials?source=billing_export&groupBy=payer');
    expect(body).toMatchObject({
      unit: 'claim',
      // B1 denied at $233 (its lines' charges), B2 paid at its stated $100; B3 pending is in neither.
      rows: [
        {
          value: 'Aetna',
          adjudicated: 2,
          denied: 1,
          denialRateByCount: 0.5,
          adjudicatedAmountCents: 33300,
          deniedAmountCents: 23300,
          denialRateByAmount: 0.6997,
        },
      ],
    });
    const remittance = await get('/v1/kpis/denials?source=remittance');
    expect(remittance.body).toMatchObject({
      unit: 'claim',
      rows: [],
      total: { adjudicated: 0, denialRateByCount: null },
    });
  });

  it('answers billed, allowed, paid and patient responsibility by provider group', async () => {
    const { body } = await get('/v1/kpis/payments?groupBy=provider_group');
    expect(body).toEqual({
      groupBy: 'provider_group',
      rows: [
        {
          value: '(unknown)',
          claims: 1,
          billedAmountCents: 4200,
          allowedAmountCents: 0,
          paidAmountCents: 0,
          patientResponsibilityAmountCents: 0,
        },
        {
          value: 'GRP-1',
          claims: 2,
          billedAmountCents: 33300,
          allowedAmountCents: 0,
          paidAmountCents: 8000,
          patientResponsibilityAmountCents: 0,
        },
        {
          value: 'GRP-2',
          claims: 1,
          billedAmountCents: 24000,
          allowedAmountCents: 0,
          paidAmountCents: 0,
          patientResponsibilityAmountCents: 0,
        },
        {
          value: 'TIN-1',
          claims: 1,
          billedAmountCents: 0,
          allowedAmountCents: 15000,
          paidAmountCents: 8000,
          patientResponsibilityAmountCents: 2000,
        },
      ],
    });
  });

  it('answers claims, lines and paid dollars by state', async () => {
    const { body } = await get('/v1/kpis/volume?groupBy=state');
    expect(body).toEqual({
      groupBy: 'state',
      rows: [
        { value: '(unknown)', claims: 1, lines: 3, paidAmountCents: 8000 },
        { value: 'MD', claims: 3, lines: 4, paidAmountCents: 8000 },
        { value: 'VA', claims: 1, lines: 1, paidAmountCents: 0 },
      ],
    });
  });

  it('answers the top HCPCS codes by lines and by paid, and the top drugs by cost', async () => {
    const byLines = await get('/v1/kpis/top?kind=hcpcs&by=count&limit=2');
    expect(byLines.body).toMatchObject({
      kind: 'hcpcs',
      by: 'count',
      counts: 'lines with this HCPCS code',
      rows: [
        { value: '99213', count: 3, paidAmountCents: 16000, billedAmountCents: 27500 },
        { value: '83036', count: 1 },
      ],
    });
    const byPaid = await get('/v1/kpis/top?kind=hcpcs');
    expect((byPaid.body['rows'] as Array<{ value: string }>).map((row) => row.value)).toEqual(['99213']);
    const drugs = await get('/v1/kpis/top?kind=ndc&by=cost');
    expect(drugs.body).toMatchObject({
      rows: [{ value: '00093505698', count: 1, billedAmountCents: 4200, daysSupply: 30 }],
    });
    const diagnoses = await get('/v1/kpis/top?kind=diagnosis&by=count&limit=10');
    expect((diagnoses.body['rows'] as Array<{ value: string }>).map((row) => row.value)).toEqual([
      '4019',
      'E11.9',
      'I10',
      'J06.9',
    ]);
  });

  it('answers 400 naming the parameter for a missing source, a bad dimension, kind, order, limit or parameter', async () => {
    for (const [path, field] of [
      ['/v1/kpis/denials', 'source'],
      ['/v1/kpis/denials?source=carrier_lines&groupBy=state', 'groupBy'],
      ['/v1/kpis/denials?source=claims', 'source'],
      ['/v1/kpis/payments?groupBy=state', 'groupBy'],
      ['/v1/kpis/volume?groupBy=payer', 'groupBy'],
      ['/v1/kpis/top?kind=drg', 'kind'],
      ['/v1/kpis/top?kind=hcpcs&by=allowed', 'by'],
      ['/v1/kpis/top?kind=hcpcs&limit=0', 'limit'],
      ['/v1/kpis/top?kind=hcpcs&colour=blue', 'colour'],
    ] as const) {
      const { status, body } = await get(path);
      expect([path, status]).toEqual([path, 400]);
      expect(body).toMatchObject({ code: 'REQUEST_INVALID', fields: [field] });
    }
  });

  it('verifies the denial and cost counters against their batch SQL, naming the KPI and dimension of a difference', async () => {
    expect((await get('/v1/kpis/verification')).body).toMatchObject({ countersConsistent: true, mismatches: [] });
    await dataSource.query(
      `UPDATE kpi_dimension_counter SET denied_count = denied_count + 1
        WHERE family = 'denials:billing_export' AND dimension = 'payer' AND dimension_value = 'Aetna'`,
    );
    try {
      expect((await get('/v1/kpis/verification')).body).toMatchObject({
        consistent: false,
        countersConsistent: false,
        mismatches: [
          { kpi: 'denials:billing_export.denied_count', dimension: 'payer=Aetna', streamed: '2', batch: '1' },
        ],
      });
    } finally {
      await dataSource.query(
        `UPDATE kpi_dimension_counter SET denied_count = denied_count - 1
          WHERE family = 'denials:billing_export' AND dimension = 'payer' AND dimension_value = 'Aetna'`,
      );
    }
  });
});
