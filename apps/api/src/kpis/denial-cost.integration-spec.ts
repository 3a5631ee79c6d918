import { claimFilterSql } from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { rebuildCountersFromClaims, seedDenialCostClaims } from '../__tests__/kpi-fixture';
import { familiesWithRows, familyRowsAloneAndAmongAll } from './__tests__/family-batch-rows';
import { startKpisApiUnderTest, type KpisApiUnderTest } from './__tests__/kpis-api-under-test';

const analystToken = 'analyst-token-for-the-denial-cost-spec';

interface Rows {
  rows: Array<{ value: string } & Record<string, unknown>>;
}

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
    await seedDenialCostClaims(dataSource);
    await rebuildCountersFromClaims(dataSource);
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

  describe('asOf: the counters at the end of a past event day', () => {
    // The seeded counters are carried in dated -infinity (as the migration carries in counters older than the
    // day-keyed tables); a change dated 2030-01-10 is then visible from that day on and on no day before.
    const dated = (sign: 1 | -1) =>
      dataSource.query(
        `INSERT INTO kpi_dimension_counter_day (family, dimension, dimension_value, event_day, kafka_partition, claims, lines, paid_amount_cents)
         VALUES ('claims', 'state', 'MD', '2030-01-10', 0, $1::bigint * 2, $1::bigint * 5, $1::bigint * 70000)
         ON CONFLICT (family, dimension, dimension_value, event_day, kafka_partition) DO UPDATE SET
           claims = kpi_dimension_counter_day.claims + EXCLUDED.claims,
           lines = kpi_dimension_counter_day.lines + EXCLUDED.lines,
           paid_amount_cents = kpi_dimension_counter_day.paid_amount_cents + EXCLUDED.paid_amount_cents`,
        [sign],
      );

    it('reads the day-keyed counters up to that day: a change counts from its day on, and never before', async () => {
      const live = (await get('/v1/kpis/volume?groupBy=state')).body;
      expect((await get('/v1/kpis/verification')).body).toMatchObject({
        dailyCountersConsistent: true,
        dailyCounterMismatches: [],
      });
      await dated(1);
      try {
        expect((await get('/v1/kpis/volume?groupBy=state&asOf=2030-01-09')).body).toEqual(live);
        const after = await get('/v1/kpis/volume?groupBy=state&asOf=2030-01-10');
        expect(after.status).toBe(200);
        expect(after.body['rows']).toContainEqual({ value: 'MD', claims: 5, lines: 9, paidAmountCents: 78000 });
        // The top lists' codes are not kept by day: asOf there is an unknown parameter.
        expect((await get('/v1/kpis/top?kind=hcpcs&asOf=2030-01-10')).body).toMatchObject({ fields: ['asOf'] });
        // Summed over every day the day-keyed counters no longer equal the live ones: verification names the cell.
        expect((await get('/v1/kpis/verification')).body).toMatchObject({
          consistent: false,
          dailyCountersConsistent: false,
          dailyCounterMismatches: expect.arrayContaining([
            { kpi: 'claims.claims', dimension: 'state=MD', live: '3', daily: '5' },
          ]),
        });
      } finally {
        await dated(-1);
      }
    });

    it('answers the first family at a past day: claims received dated after it are not yet counted', async () => {
      const live = (await get('/v1/kpis/summary')).body;
      expect(live['asOf']).toBeNull();
      const received = (sign: 1 | -1) =>
        dataSource.query(
          `INSERT INTO kpi_counter_day (dimension, dimension_value, event_day, kafka_partition, claims)
           VALUES ('', '', '2030-01-10', 0, $1::bigint * 4)
           ON CONFLICT (dimension, dimension_value, event_day, kafka_partition) DO UPDATE SET claims = kpi_counter_day.claims + EXCLUDED.claims`,
          [sign],
        );
      await received(1);
      try {
        const before = (await get('/v1/kpis/summary?asOf=2030-01-09')).body;
        expect(before).toEqual({ ...live, asOf: '2030-01-09' });
        const on = (await get('/v1/kpis/summary?asOf=2030-01-10')).body;
        expect(on).toMatchObject({ asOf: '2030-01-10', claimsReceived: Number(live['claimsReceived']) + 4 });
      } finally {
        await received(-1);
      }
      expect((await get('/v1/kpis/summary?asOf=yesterday')).body).toMatchObject({ fields: ['asOf'] });
    });

    it('answers every denial and cost route at a past day, and 400 naming both for asOf with a claim filter', async () => {
      for (const path of [
        '/v1/kpis/denials?source=billing_export&asOf=2024-03-31',
        '/v1/kpis/denials/root-causes?asOf=2024-03-31',
        '/v1/kpis/adjustments?asOf=2024-03-31',
        '/v1/kpis/payments?groupBy=payer&asOf=2024-03-31',
      ]) {
        const live = await get(path.replace(/[?&]asOf=[^&]*/, ''));
        const asOf = await get(path);
        expect([path, asOf.status, asOf.body]).toEqual([path, 200, live.body]);
      }
      for (const path of [
        '/v1/kpis/payments?asOf=2024-03-31&payer=Aetna',
        '/v1/kpis/volume?state=MD&asOf=2024-03-31',
      ]) {
        const { status, body } = await get(path);
        expect([path, status]).toEqual([path, 400]);
        expect((body['fields'] as string[]).sort()).toEqual(
          path.includes('payer') ? ['asOf', 'payer'] : ['asOf', 'state'],
        );
      }
      expect((await get('/v1/kpis/volume?asOf=2024-02-30')).body).toMatchObject({ fields: ['asOf'] });
    });
  });

  it('computes each family alone exactly as the all-family batch SQL does, with and without a claim filter', async () => {
    const unfiltered = await familyRowsAloneAndAmongAll(dataSource, '', []);
    expect(unfiltered.alone).toEqual(unfiltered.amongAll);
    expect(familiesWithRows(unfiltered.alone)).toEqual([
      'claims',
      'denials:carrier_lines',
      'denials:billing_export',
      'lines',
      'drug_fills',
    ]);
    // Maryland keeps B1, B2 and P1: no carrier claim.
    const { sql, parameters } = claimFilterSql({ state: 'MD' }, 1);
    const inMaryland = await familyRowsAloneAndAmongAll(dataSource, sql, parameters);
    expect(inMaryland.alone).toEqual(inMaryland.amongAll);
    expect(familiesWithRows(inMaryland.alone)).toEqual(['claims', 'denials:billing_export', 'lines', 'drug_fills']);
  });

  /**
   * The claim filters: a filtered answer is computed from the claims, so
   * where a filter keeps every claim of a cell, that cell must equal the
   * counters' own.
   */
  describe('with claim filters', () => {
    const rowsOf = async (path: string): Promise<Rows['rows']> => {
      const { status, body } = await get(path);
      expect([path, status]).toEqual([path, 200]);
      return (body as unknown as Rows).rows;
    };

    it('answers a filter on the grouped dimension with exactly the counters’ row for that value', async () => {
      // Each route grouped by a dimension, and the filter parameter of that dimension.
      const routes: Array<[string, string]> = [
        ['/v1/kpis/payments?groupBy=payer', 'payer'],
        ['/v1/kpis/payments?groupBy=provider_group', 'providerGroup'],
        ['/v1/kpis/payments?groupBy=claim_type', 'claimType'],
        ['/v1/kpis/volume?groupBy=state', 'state'],
        ['/v1/kpis/denials?source=billing_export&groupBy=payer', 'payer'],
        ['/v1/kpis/denials?source=carrier_lines&groupBy=provider_group', 'providerGroup'],
      ];
      let compared = 0;
      for (const [route, parameter] of routes) {
        for (const row of await rowsOf(route)) {
          const filtered = await rowsOf(`${route}&${parameter}=${encodeURIComponent(row.value)}`);
          expect([route, row.value, filtered]).toEqual([route, row.value, [row]]);
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(10);
    });

    it('counts only the claims a filter keeps: the billing-export denial rate of Maryland and of Virginia', async () => {
      expect(await rowsOf('/v1/kpis/denials?source=billing_export&groupBy=payer&state=MD')).toMatchObject([
        { value: 'Aetna', adjudicated: 2, denied: 1, adjudicatedAmountCents: 33300, deniedAmountCents: 23300 },
      ]);
      // B3 is pending: Virginia has nothing adjudicated.
      expect(await rowsOf('/v1/kpis/denials?source=billing_export&groupBy=payer&state=VA')).toEqual([]);
      const volume = await rowsOf('/v1/kpis/volume?groupBy=claim_type&state=VA');
      expect(volume).toMatchObject([{ value: 'professional', claims: 1 }]);
      // The rendering provider is a line's: B2's one line names it.
      await dataSource.query(
        `UPDATE claim_line_state SET rendering_npi = '1234567893' WHERE claim_id = 'B2' AND line_number = 1`,
      );
      expect(await rowsOf('/v1/kpis/payments?groupBy=payer&renderingProvider=1234567893')).toMatchObject([
        { value: 'Aetna', claims: 1, paidAmountCents: 8000 },
      ]);
    });

    it('combines filters with AND and reads the service-date range with both ends included', async () => {
      expect(await rowsOf('/v1/kpis/payments?groupBy=payer&payer=Aetna&state=VA')).toEqual([]);
      expect((await rowsOf('/v1/kpis/volume?groupBy=month&serviceFrom=2024-03-05')).map((row) => row.value)).toEqual([
        '2024-03',
      ]);
      expect(await rowsOf('/v1/kpis/volume?groupBy=month&serviceFrom=2024-03-05&serviceTo=2024-03-05')).toMatchObject([
        { value: '2024-03', claims: 1 },
      ]);
      expect((await rowsOf('/v1/kpis/volume?groupBy=month&serviceTo=2010-02-07')).map((row) => row.value)).toEqual([
        '2009-03',
        '2010-02',
      ]);
    });

    it('ranks the top codes among the filtered claims only', async () => {
      const { body } = await get('/v1/kpis/top?kind=hcpcs&by=count&payer=Aetna');
      expect((body as unknown as Rows).rows.map((row) => row.value)).toEqual(['99213', '83036']);
      const medicare = await get('/v1/kpis/top?kind=hcpcs&by=count&payer=MEDICARE');
      expect((medicare.body as unknown as Rows).rows.map((row) => row.value)).toEqual(['99213', '99214']);
    });

    it('ranks the top lists of a filter that keeps every claim as the counters rank them, ties and limits included', async () => {
      let compared = 0;
      for (const kind of ['hcpcs', 'diagnosis', 'ndc']) {
        for (const by of ['paid', 'count', 'cost']) {
          for (const limit of [1, 2, 10]) {
            const path = `/v1/kpis/top?kind=${kind}&by=${by}&limit=${limit}`;
            const counters = await get(path);
            const filtered = await get(`${path}&serviceFrom=2000-01-01`);
            expect([path, filtered.status, filtered.body]).toEqual([path, 200, counters.body]);
            compared += (counters.body as unknown as Rows).rows.length;
          }
        }
      }
      expect(compared).toBeGreaterThanOrEqual(20);
    });

    it('answers 400 naming the field for a pend-only filter, an empty or repeated value, a bad date or a range that ends before it starts', async () => {
      for (const [path, field] of [
        ['/v1/kpis/payments?reason=N01', 'reason'],
        ['/v1/kpis/volume?queue=coding', 'queue'],
        ['/v1/kpis/payments?payer=', 'payer'],
        ['/v1/kpis/payments?payer=Aetna&payer=Cigna', 'payer'],
        ['/v1/kpis/denials?source=remittance&serviceFrom=2024-02-30', 'serviceFrom'],
        ['/v1/kpis/volume?serviceFrom=2024-03-05&serviceTo=2024-03-04', 'serviceTo'],
        [`/v1/kpis/top?kind=hcpcs&state=${'x'.repeat(129)}`, 'state'],
      ] as const) {
        const { status, body } = await get(path);
        expect([path, status]).toEqual([path, 400]);
        expect(body).toMatchObject({ code: 'REQUEST_INVALID', fields: [field] });
      }
    });

    it('treats SQL in a filter value as a value: nothing matches and the claims stay', async () => {
      for (const injection of ["' OR '1'='1", "Aetna'; DROP TABLE claim_state; --", '1) OR (1=1']) {
        for (const parameter of ['payer', 'providerGroup', 'renderingProvider', 'state', 'claimType']) {
          const path = `/v1/kpis/payments?groupBy=payer&${parameter}=${encodeURIComponent(injection)}`;
          expect([path, await rowsOf(path)]).toEqual([path, []]);
        }
      }
      const [{ claims }] = await dataSource.query(`SELECT count(*)::int AS claims FROM claim_state`);
      expect(claims).toBeGreaterThanOrEqual(5);
    });
  });
});
