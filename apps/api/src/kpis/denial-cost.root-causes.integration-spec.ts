import { claimFilterSql, seedCarcRootCauses, shippedCarcRootCauses } from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { rebuildCountersFromClaims, seedRemittanceDenial } from '../__tests__/kpi-fixture';
import { familiesWithRows, familyRowsAloneAndAmongAll } from './__tests__/family-batch-rows';
import { startKpisApiUnderTest, type KpisApiUnderTest } from './__tests__/kpis-api-under-test';

const analystToken = 'analyst-token-for-the-root-causes-spec';

/**
 * GET /v1/kpis/denials/root-causes over two 835 claim payments written by
 * hand as the fold stores them, their counters rebuilt from them by the batch
 * SQL with the shipped CARC mapping (what the fold keeps equal to it):
 *
 *   R1  ACME, CLP02 4, billed $300: line 1 $200 paid 0, CO-16 $200; line 2 $100 paid 0, CO-ZZ9 $50 (a CARC the
 *       mapping lacks) and PR-1 $50
 *   R2  ACME, CLP02 1, billed $100, paid 0: line 1 $100, CO-45 $80 and PR-1 $20 (written off: not a denial)
 */
describe('GET /v1/kpis/denials/root-causes against a real Postgres', () => {
  let api: KpisApiUnderTest;
  let dataSource: DataSource;
  const get = (path: string, token?: string | null) => api.get(path, token);

  beforeAll(async () => {
    api = await startKpisApiUnderTest({ label: 'denial_root_causes_api', analystToken });
    dataSource = api.dataSource;
    await seedCarcRootCauses(dataSource, shippedCarcRootCauses());
    const cas = (lineNumber: number, groupCode: string, carc: string, amountCents: number) => ({
      lineNumber,
      groupCode,
      carc,
      amountCents,
    });
    await seedRemittanceDenial(dataSource);
    await dataSource.query(
      `INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
         service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source, lineage_file_id,
         lineage_record_number, kafka_partition, layout, provider_group, state, billed_amount_cents,
         adjudication_status, adjustments)
       VALUES ('R2', gen_random_uuid(), 'adjudicated', 'professional', 'ACME', '2024-05-20', '2024-05-02', '2024-05-02',
          1, 0, 0, 'r.835', repeat('d', 64), 2, 0, 'x12.835', '(unknown)', '(unknown)', 10000, 'paid', $1::jsonb)`,
      [JSON.stringify([cas(1, 'CO', '45', 8000), cas(1, 'PR', '1', 2000)])],
    );
    await dataSource.query(`
      INSERT INTO claim_line_state (claim_id, line_number, hcpcs_code, processing_category, payment_amount_cents,
        allowed_amount_cents, charge_amount_cents, deductible_amount_cents, coinsurance_amount_cents)
      VALUES ('R2', 1, '99213', 'unknown', 0, 2000, 10000, 2000, 0)`);
    await rebuildCountersFromClaims(dataSource);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('refuses a request without a token', async () => {
    expect((await get('/v1/kpis/denials/root-causes', null)).status).toBe(401);
  });

  it('answers denied claims by category, with the denial cents of each cause and the CARCs the mapping lacks', async () => {
    const { status, body } = await get('/v1/kpis/denials/root-causes');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      source: 'remittance',
      groupBy: 'category',
      unit: 'claim',
      rows: [
        { value: 'missing_information', denied: 1, adjustments: 1, deniedAmountCents: 20000 },
        { value: 'other', denied: 1, adjustments: 1, deniedAmountCents: 5000 },
      ],
      unknownCarcs: [{ carc: 'ZZ9', denied: 1, deniedAmountCents: 5000 }],
    });
  });

  it('answers denied lines by CAQH CORE scenario: both zero-paid lines of R1, none of the written-off R2', async () => {
    const { body } = await get('/v1/kpis/denials/root-causes?source=remittance_lines&groupBy=scenario');
    expect(body).toMatchObject({
      unit: 'line',
      rows: [
        { value: 'missing_claim_data', denied: 1, adjustments: 1, deniedAmountCents: 20000 },
        { value: 'other', denied: 1, adjustments: 1, deniedAmountCents: 5000 },
      ],
    });
  });

  it('counts the written-off claim adjudicated but not denied, for claims and for lines', async () => {
    expect((await get('/v1/kpis/denials?source=remittance')).body).toMatchObject({
      total: { adjudicated: 2, denied: 1, adjudicatedAmountCents: 40000, deniedAmountCents: 30000 },
    });
    expect((await get('/v1/kpis/denials?source=remittance_lines')).body).toMatchObject({
      unit: 'line',
      total: { adjudicated: 3, denied: 2, adjudicatedAmountCents: 40000, deniedAmountCents: 30000 },
    });
  });

  it('answers a filter that keeps every claim as the counters do, and one that keeps none with nothing', async () => {
    for (const source of ['remittance', 'remittance_lines']) {
      for (const groupBy of ['scenario', 'category', 'carc']) {
        const path = `/v1/kpis/denials/root-causes?source=${source}&groupBy=${groupBy}`;
        const counters = await get(path);
        expect((counters.body['rows'] as unknown[]).length).toBeGreaterThan(0);
        const everyClaim = await get(`${path}&payer=ACME`);
        expect([path, everyClaim.status, everyClaim.body]).toEqual([path, 200, counters.body]);
        const noClaim = await get(`${path}&payer=Aetna`);
        expect([path, noClaim.body]).toMatchObject([path, { rows: [], unknownCarcs: [] }]);
      }
    }
  });

  it('computes each family alone exactly as the all-family batch SQL does, with and without a claim filter', async () => {
    const unfiltered = await familyRowsAloneAndAmongAll(dataSource, '', []);
    expect(unfiltered.alone).toEqual(unfiltered.amongAll);
    expect(familiesWithRows(unfiltered.alone)).toEqual([
      'claims',
      'denials:remittance',
      'denials:remittance_lines',
      'lines',
      'adjustments',
    ]);
    // Served by 2024-05-01: R1 alone.
    const { sql, parameters } = claimFilterSql({ serviceTo: '2024-05-01' }, 1);
    const r1 = await familyRowsAloneAndAmongAll(dataSource, sql, parameters);
    expect(r1.alone).toEqual(r1.amongAll);
    expect(r1.alone).not.toEqual(unfiltered.alone);
    expect(familiesWithRows(r1.alone)).toEqual(familiesWithRows(unfiltered.alone));
  });

  it('answers the CAS adjustments by group code and by group code and CARC, denials and write-offs alike', async () => {
    const byGroup = await get('/v1/kpis/adjustments');
    expect(byGroup.status).toBe(200);
    // CO: R1's CO-16 $200 and CO-ZZ9 $50, R2's CO-45 $80; PR: R1's PR-1 $50 and R2's PR-1 $20.
    expect(byGroup.body).toEqual({
      groupBy: 'group_code',
      filter: {},
      rows: [
        { value: 'CO', adjustments: 3, adjustmentAmountCents: 33_000 },
        { value: 'PR', adjustments: 2, adjustmentAmountCents: 7_000 },
      ],
    });
    const byCarc = await get('/v1/kpis/adjustments?groupBy=carc');
    expect(byCarc.body['rows']).toEqual([
      { value: 'CO-16', adjustments: 1, adjustmentAmountCents: 20_000 },
      { value: 'CO-45', adjustments: 1, adjustmentAmountCents: 8_000 },
      { value: 'CO-ZZ9', adjustments: 1, adjustmentAmountCents: 5_000 },
      { value: 'PR-1', adjustments: 2, adjustmentAmountCents: 7_000 },
    ]);
    // Served by 2024-05-01: R1 alone; a filter that keeps every claim answers as the counters do.
    const r1 = await get('/v1/kpis/adjustments?serviceTo=2024-05-01');
    expect(r1.body['rows']).toEqual([
      { value: 'CO', adjustments: 2, adjustmentAmountCents: 25_000 },
      { value: 'PR', adjustments: 1, adjustmentAmountCents: 5_000 },
    ]);
    expect((await get('/v1/kpis/adjustments?groupBy=carc&payer=ACME')).body['rows']).toEqual(byCarc.body['rows']);
    expect((await get('/v1/kpis/adjustments?groupBy=payer')).status).toBe(400);
  });

  it('answers 400 naming the parameter for a source without CARCs, an unknown grouping or asOf with a filter', async () => {
    for (const path of [
      '/v1/kpis/denials/root-causes?source=carrier_lines',
      '/v1/kpis/denials/root-causes?groupBy=payer',
      '/v1/kpis/denials/root-causes?asOf=2024-05-01&payer=ACME',
    ]) {
      const { status } = await get(path);
      expect([path, status]).toEqual([path, 400]);
    }
  });

  it('verifies the root-cause counters against the batch SQL, naming a difference by family, measure and CARC', async () => {
    expect((await get('/v1/kpis/verification')).body).toMatchObject({ countersConsistent: true, mismatches: [] });
    const nudge = (by: number) =>
      dataSource.query(
        `UPDATE kpi_dimension_counter SET adjustment_amount_cents = adjustment_amount_cents + $1
          WHERE family = 'denials:remittance' AND dimension = 'carc' AND dimension_value = '16'`,
        [by],
      );
    await nudge(1);
    try {
      expect((await get('/v1/kpis/verification')).body).toMatchObject({
        countersConsistent: false,
        mismatches: [
          {
            kpi: 'denials:remittance.adjustment_amount_cents',
            dimension: 'carc=16',
            streamed: '20001',
            batch: '20000',
          },
        ],
      });
    } finally {
      await nudge(-1);
    }
  });
});
