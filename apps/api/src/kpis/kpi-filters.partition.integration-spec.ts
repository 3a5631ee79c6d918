import { seedFoldedKpis } from '../__tests__/kpi-fixture';
import { startKpisApiUnderTest, type KpisApiUnderTest } from './__tests__/kpis-api-under-test';

const analystToken = 'analyst-token-for-the-filter-partition-spec';
type Row = { value: string } & Record<string, unknown>;

/**
 * Properties over the whole dashboard fixture (kpi-fixture.ts): the claim
 * filters partition every grouped figure (the rows of each value of a filter
 * add up to the unfiltered rows, service months included), a pended-queue
 * filter answers its groupBy row at every as-of date around the fixture's pend
 * and clear days (histogram against claim_pend), the flow's open stock is the
 * summary's open queue each day, and the work queue pages through exactly the
 * open claims in either sort.
 */
describe('KPI filters and pages over the fixture', () => {
  let api: KpisApiUnderTest;
  const body = async (path: string): Promise<Record<string, unknown>> => {
    const answer = await api.get(path);
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const rowsOf = async (path: string): Promise<Row[]> => (await body(path))['rows'] as Row[];

  beforeAll(async () => {
    api = await startKpisApiUnderTest({ label: 'kpi_filter_partition', analystToken });
    await seedFoldedKpis(api.database.url);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const sumRows = (lists: Row[][]): Record<string, Record<string, number>> => {
    const out: Record<string, Record<string, number>> = {};
    for (const rows of lists)
      for (const row of rows) {
        const cell = (out[row.value] ??= {});
        for (const [k, v] of Object.entries(row))
          if (typeof v === 'number' && !/rate/i.test(k)) cell[k] = (cell[k] ?? 0) + v;
      }
    return out;
  };
  const asMap = (rows: Row[]) => sumRows([rows]);
  const canon = (value: unknown): string =>
    JSON.stringify(value, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
    );

  it('partitions every grouped denial, payment, volume and adjustment figure by each claim filter', async () => {
    const routes = [
      '/v1/kpis/payments?groupBy=payer',
      '/v1/kpis/payments?groupBy=claim_type',
      '/v1/kpis/payments?groupBy=month',
      '/v1/kpis/payments?groupBy=provider_group',
      '/v1/kpis/volume?groupBy=state',
      '/v1/kpis/volume?groupBy=month',
      '/v1/kpis/volume?groupBy=claim_type',
      '/v1/kpis/adjustments?groupBy=group_code',
      '/v1/kpis/adjustments?groupBy=carc',
      ...['carrier_lines', 'billing_export', 'remittance', 'remittance_lines'].flatMap((source) =>
        ['payer', 'claim_type', 'month', 'provider_group'].map((g) => `/v1/kpis/denials?source=${source}&groupBy=${g}`),
      ),
      ...['remittance', 'remittance_lines'].flatMap((source) =>
        ['scenario', 'category', 'carc'].map((g) => `/v1/kpis/denials/root-causes?source=${source}&groupBy=${g}`),
      ),
      '/v1/kpis/top?kind=hcpcs&limit=500',
      '/v1/kpis/top?kind=diagnosis&limit=500',
    ];
    const filters: Array<[string, string]> = [
      ['payer', 'payer'],
      ['claimType', 'claim_type'],
      ['providerGroup', 'provider_group'],
      ['state', 'state'],
    ];
    const failures: unknown[] = [];
    for (const [parameter, dimension] of filters) {
      const values = (
        await rowsOf(`/v1/kpis/${dimension === 'state' ? 'volume' : 'payments'}?groupBy=${dimension}`)
      ).map((row) => row.value);
      for (const route of routes) {
        const whole = asMap(await rowsOf(route));
        const parts: Row[][] = [];
        for (const value of values) parts.push(await rowsOf(`${route}&${parameter}=${encodeURIComponent(value)}`));
        const summed = sumRows(parts);
        if (canon(summed) !== canon(whole) && !route.includes('root-causes') && !route.includes('top'))
          failures.push({ route, parameter, whole, summed });
      }
    }
    // months
    const months = (await rowsOf('/v1/kpis/volume?groupBy=month')).map((row) => row.value);
    for (const route of routes) {
      const whole = asMap(await rowsOf(route));
      const parts: Row[][] = [];
      for (const month of months) {
        const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0))
          .toISOString()
          .slice(0, 10);
        parts.push(await rowsOf(`${route}${route.includes('?') ? '&' : '?'}serviceFrom=${month}-01&serviceTo=${last}`));
      }
      const summed = sumRows(parts);
      if (canon(summed) !== canon(whole) && !route.includes('root-causes') && !route.includes('top'))
        failures.push({ route, parameter: 'month', whole, summed });
    }
    expect(failures).toEqual([]);
  });

  it('answers each pended-queue filter with its groupBy row at every as-of date, and the flow summed over payers', async () => {
    const failures: unknown[] = [];
    const dims: Array<[string, string]> = [
      ['payer', 'payer'],
      ['providerGroup', 'provider_group'],
      ['renderingProvider', 'rendering_provider'],
      ['state', 'state'],
      ['claimType', 'claim_type'],
      ['queue', 'queue'],
      ['reason', 'reason'],
    ];
    for (const asOf of [
      '2024-01-01',
      '2024-01-09',
      '2024-01-10',
      '2024-01-19',
      '2024-01-20',
      '2024-02-15',
      '2024-03-01',
      '2024-03-31',
    ]) {
      for (const [parameter, dimension] of dims) {
        const whole = await body(`/v1/kpis/pended-queue?asOf=${asOf}&groupBy=${dimension}`);
        for (const row of whole['byDimension'] as Row[]) {
          const filtered = await body(
            `/v1/kpis/pended-queue?asOf=${asOf}&groupBy=${dimension}&${parameter}=${encodeURIComponent(row.value)}`,
          );
          const got = {
            claims: (filtered['open'] as { claims: number }).claims,
            amountCents: (filtered['open'] as { amountCents: number }).amountCents,
            ageBuckets: filtered['ageBuckets'],
            averageAgeDays: filtered['averageAgeDays'],
            oldestAgeDays: filtered['oldestAgeDays'],
          };
          const want = {
            claims: row['claims'],
            amountCents: row['amountCents'],
            ageBuckets: row['ageBuckets'],
            averageAgeDays: row['averageAgeDays'],
            oldestAgeDays: row['oldestAgeDays'],
          };
          if (JSON.stringify(got) !== JSON.stringify(want))
            failures.push({ asOf, parameter, value: row.value, got, want });
        }
      }
      // daysToClear summed over payers
      const whole = await body(`/v1/kpis/pended-queue?asOf=${asOf}`);
      let cleared = 0;
      for (const payer of ['MEDICARE', 'ACME', 'Aetna']) {
        const part = await body(`/v1/kpis/pended-queue?asOf=${asOf}&payer=${payer}`);
        cleared += (part['daysToClear'] as { clearedClaims: number }).clearedClaims;
      }
      if (cleared !== (whole['daysToClear'] as { clearedClaims: number }).clearedClaims)
        failures.push({ asOf, cleared, whole: whole['daysToClear'] });
    }
    // flow
    const flowWhole = await body('/v1/kpis/pended-queue/flow?from=2024-01-01&to=2024-03-31');
    const flows: Array<Record<string, unknown>> = [];
    for (const payer of ['MEDICARE', 'ACME', 'Aetna'])
      flows.push(await body(`/v1/kpis/pended-queue/flow?from=2024-01-01&to=2024-03-31&payer=${payer}`));
    const days = flowWhole['days'] as Array<Record<string, number | string>>;
    days.forEach((day, index) => {
      for (const key of Object.keys(day)) {
        if (key === 'day') continue;
        const sum = flows.reduce(
          (total, flow) => total + Number((flow['days'] as Array<Record<string, number>>)[index]?.[key]),
          0,
        );
        if (sum !== day[key]) failures.push({ day: day['day'], key, sum, whole: day[key] });
      }
    });
    // flow open vs summary open
    for (const day of days) {
      const summary = await body(`/v1/kpis/pended-queue?asOf=${day['day']}`);
      const open = summary['open'] as { claims: number; amountCents: number };
      if (open.claims !== day['openClaims'] || open.amountCents !== day['openAmountCents'])
        failures.push({ day: day['day'], open, flow: [day['openClaims'], day['openAmountCents']] });
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('pages the work queue through exactly the open claims, in either sort', async () => {
    const failures: unknown[] = [];
    for (const asOf of ['2024-01-15', '2024-02-15', '2024-03-31']) {
      for (const sort of ['age', 'amount']) {
        const all = (await body(`/v1/kpis/pended-queue/work-queue?asOf=${asOf}&sort=${sort}&limit=500`))[
          'items'
        ] as Array<{ claimId: string }>;
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Record<string, unknown> = await body(
            `/v1/kpis/pended-queue/work-queue?asOf=${asOf}&sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          );
          seen.push(...(page['items'] as Array<{ claimId: string }>).map((item) => item.claimId));
          cursor = page['nextCursor'] as string | null;
        } while (cursor);
        if (JSON.stringify(seen) !== JSON.stringify(all.map((item) => item.claimId)))
          failures.push({ asOf, sort, seen, all });
        const summary = await body(`/v1/kpis/pended-queue?asOf=${asOf}`);
        if ((summary['open'] as { claims: number }).claims !== all.length)
          failures.push({ asOf, sort, n: all.length, summary: summary['open'] });
      }
    }
    expect(failures).toEqual([]);
  });
});
