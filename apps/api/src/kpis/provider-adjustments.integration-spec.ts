import { providerAdjustmentReasonLabel } from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { startKpisApiUnderTest, type KpisApiUnderTest } from './__tests__/kpis-api-under-test';

const analystToken = 'analyst-token-for-the-provider-adjustments-spec';

/**
 * The provider-adjustment route over a migrated database seeded with rows as
 * the fold writes them: the HTTP edge, validation, auth and the figures (the
 * fold itself is held to the 835s in
 * apps/metrics/src/provider-adjustments/provider-adjustment.integration-spec.ts).
 */
describe('GET /v1/kpis/provider-adjustments against a real Postgres', () => {
  let api: KpisApiUnderTest;
  let dataSource: DataSource;
  const get = (path: string, token?: string | null) => api.get(path, token);

  beforeAll(async () => {
    api = await startKpisApiUnderTest({ label: 'provider_adjustments_api', analystToken });
    dataSource = api.dataSource;
    // ACME recouped 100.00 (WO) in January and paid 12.50 interest (L6) in February; OTHER withheld 30.00
    // under a code outside the list (ZZ) in February.
    await dataSource.query(`
      INSERT INTO provider_adjustment (event_id, occurred_on, payer_id, payer_name, payee_npi, payee_tax_id,
        trace_number, payment_date, production_date, provider_id, fiscal_period_date, reason_code, reference,
        amount_cents, layout, file_id, record_number, record_sha256, segment_number, element_position,
        kafka_partition)
      VALUES ('00000000-0000-4000-8000-000000000001', '2024-01-15', '999', 'ACME', '1234567893', NULL, 'T1',
              '2024-01-15', '2024-01-14', '1234567893', '2024-12-31', 'WO', 'CLM1', 10000, 'x12.835', 'f1', 1, 's1',
              20, 3, 0),
             ('00000000-0000-4000-8000-000000000002', '2024-02-10', '999', 'ACME', '1234567893', NULL, 'T2',
              '2024-02-10', NULL, '1234567893', NULL, 'L6', NULL, -1250, 'x12.835', 'f1', 2, 's2', 40, 3, 1),
             ('00000000-0000-4000-8000-000000000003', '2024-02-20', NULL, 'OTHER', NULL, '123456789', 'T3',
              '2024-02-20', NULL, 'P-9', NULL, 'ZZ', NULL, 3000, 'x12.835', 'f2', 1, 's3', 12, 5, 2)`);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('refuses a request without a token', async () => {
    expect((await get('/v1/kpis/provider-adjustments', null)).status).toBe(401);
  });

  it('serves totals and rows by reason, each with its label, and an unknown code as it came', async () => {
    const { status, body } = await get('/v1/kpis/provider-adjustments');
    expect(status).toBe(200);
    expect(body).toEqual({
      from: null,
      to: null,
      groupBy: 'reason',
      totals: { adjustments: 3, amountCents: 11750, withheldCents: 13000, addedCents: 1250 },
      rows: [
        {
          key: 'L6',
          label: providerAdjustmentReasonLabel('L6'),
          adjustments: 1,
          amountCents: -1250,
          withheldCents: 0,
          addedCents: 1250,
        },
        {
          key: 'WO',
          label: providerAdjustmentReasonLabel('WO'),
          adjustments: 1,
          amountCents: 10000,
          withheldCents: 10000,
          addedCents: 0,
        },
        { key: 'ZZ', label: 'ZZ', adjustments: 1, amountCents: 3000, withheldCents: 3000, addedCents: 0 },
      ],
    });
  });

  it('groups by payer (id, else name), payee (NPI, else tax id) and month', async () => {
    const keys = async (groupBy: string) =>
      (
        (await get(`/v1/kpis/provider-adjustments?groupBy=${groupBy}`)).body['rows'] as Array<Record<string, unknown>>
      ).map((row) => [row['key'], row['label'], row['amountCents']]);
    expect(await keys('payer')).toEqual([
      ['999', 'ACME', 8750],
      ['OTHER', 'OTHER', 3000],
    ]);
    expect(await keys('payee')).toEqual([
      ['123456789', null, 3000],
      ['1234567893', null, 8750],
    ]);
    expect(await keys('month')).toEqual([
      ['2024-01', null, 10000],
      ['2024-02', null, 1750],
    ]);
  });

  it('narrows totals and rows to the date range', async () => {
    const { body } = await get('/v1/kpis/provider-adjustments?from=2024-02-01&to=2024-02-15');
    expect(body).toMatchObject({
      from: '2024-02-01',
      to: '2024-02-15',
      totals: { adjustments: 1, amountCents: -1250 },
      rows: [{ key: 'L6', adjustments: 1 }],
    });
  });

  it('answers 400 naming a bad filter', async () => {
    expect(await get('/v1/kpis/provider-adjustments?groupBy=claim')).toMatchObject({
      status: 400,
      body: { code: 'REQUEST_INVALID', fields: ['groupBy'] },
    });
  });
});
