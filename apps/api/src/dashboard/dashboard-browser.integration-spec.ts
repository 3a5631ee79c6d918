import 'reflect-metadata';
import { signApiToken } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, waitFor, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { FIXTURE_MEMBER_TOKEN, seedFoldedKpis } from '../__tests__/kpi-fixture';

/** Debian's chromium: `npm test` installs it when missing (playwright's own browser download is out of reach). */
const CHROMIUM = '/usr/bin/chromium';
const secret = randomBytes(32).toString('base64url');
const analyst = signApiToken(
  { sub: 'dashboard-spec', role: 'analyst', ttlSeconds: 3600, nowSeconds: Date.now() / 1000 },
  secret,
);

/** Figures as the page writes them, read back: `1,234`, `$5,843.10`, `66.7%`, `—` for none. */
const count = (text: string | null): number | null => (text === '—' ? null : Number(text?.replace(/,/g, '')));
const cents = (text: string | null): number | null => {
  if (text === '—' || text === null) return null;
  const negative = text.startsWith('-');
  const dollars = Number(text.replace(/[-$,]/g, ''));
  return Math.round(dollars * 100) * (negative ? -1 : 1);
};
/** A share shown to 0.1 %: the ratio it stands for, to compare with the API's 4-place ratio. */
const percent = (text: string | null): number | null =>
  text === '—' || text === null ? null : Number(text.replace('%', ''));
const asPercent = (ratio: unknown): number | null => (ratio === null ? null : Math.round(Number(ratio) * 1000) / 10);

/**
 * The dashboard in a real browser (Debian's chromium driven by
 * playwright-core) against the whole API over a real Postgres holding folded
 * KPIs: an analyst signs in with a token, every panel shows the figures the
 * API answers for that token (read from the DOM and compared with the JSON),
 * the filter bar changes the requests, the page logs no error (a policy
 * violation would be one) and shows no member identifier.
 */
describe('the analyst dashboard in a browser', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: URL[] = [];

  /** What the API answers the analyst, straight: the figures the page must show. */
  const api = async <Body>(path: string): Promise<Body> => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${analyst}` } });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return (await response.json()) as Body;
  };
  const text = (selector: string): Promise<string | null> => page.locator(selector).textContent();
  const figure = (name: string): Promise<string | null> => text(`[data-figure="${name}"]`);
  const column = (table: string, key: string): Promise<string[]> =>
    page.locator(`[data-table="${table}"] tbody td[data-column="${key}"]`).allTextContents();
  const bars = (chart: string, series: string): Promise<Array<[string, number]>> =>
    page
      .locator(`[data-chart="${chart}"] rect[data-series="${series}"]`)
      .evaluateAll((nodes) =>
        nodes.map((node) => [node.getAttribute('data-category') ?? '', Number(node.getAttribute('data-value'))]),
      );
  /** Waits until a load that began after the one numbered `previous` has finished. */
  const loadedAfter = async (previous: string | null): Promise<void> => {
    const later = previous === null ? '' : `:not([data-generation="${previous}"])`;
    await page.locator(`#dashboard[data-state="ready"]${later}`).waitFor({ state: 'attached' });
  };
  // Passed as text, not a function: this project compiles without the DOM library.
  const storedToken = (): Promise<unknown> => page.evaluate(`sessionStorage.getItem('claims-dashboard.token')`);

  beforeAll(async () => {
    // apt may still be installing it on a fresh machine.
    await waitFor('Debian chromium at /usr/bin/chromium', async () => existsSync(CHROMIUM), Boolean, {
      timeoutMs: 600_000,
      intervalMs: 2_000,
    });
    database = await createIsolatedDatabase('api_dashboard');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokenSecret: secret,
    }));
    await seedFoldedKpis(database.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-background-networking'],
    });
    page = await (await browser.newContext()).newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => requests.push(new URL(request.url())));
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.drop();
  });

  it('asks for a token, then signs the analyst in and keeps the token for the tab only', async () => {
    await page.goto(`${baseUrl}/dashboard`);
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    await page.fill('#token-input', analyst);
    await page.click('#sign-in-form button[type="submit"]');
    await loadedAfter(null);
    expect(await text('#session')).toMatch(/^dashboard-spec \(analyst\)/);
    expect(await storedToken()).toBe(analyst);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    // Every KPI call carried the token as a bearer credential, and went to this API only.
    expect(requests.every((url) => url.origin === new URL(baseUrl).origin)).toBe(true);
  });

  it('shows the pended queue the API answers: open claims and dollars, ages, days to clear, SLA, buckets, reasons', async () => {
    const queue = await api<{
      asOf: string;
      open: { claims: number; amountCents: number };
      averageAgeDays: number | null;
      oldestAgeDays: number | null;
      daysToClear: { p50: number | null; p90: number | null };
      clearedWithinSla: { share: number | null };
      ageBuckets: Array<{ bucket: string; claims: number }>;
      byDimension: Array<{ value: string; claims: number; amountCents: number }>;
    }>('/v1/kpis/pended-queue?groupBy=reason');
    expect(queue.open.claims).toBeGreaterThan(0);
    expect(await figure('as-of')).toBe(queue.asOf);
    expect(count(await figure('open-claims'))).toBe(queue.open.claims);
    expect(cents(await figure('open-amount'))).toBe(queue.open.amountCents);
    expect(count(await figure('average-age'))).toBe(queue.averageAgeDays);
    expect(count(await figure('oldest-age'))).toBe(queue.oldestAgeDays);
    expect(count(await figure('days-to-clear-p50'))).toBe(queue.daysToClear.p50);
    expect(count(await figure('days-to-clear-p90'))).toBe(queue.daysToClear.p90);
    expect(percent(await figure('within-sla-share'))).toBe(asPercent(queue.clearedWithinSla.share));
    expect(await bars('age-buckets', 'open claims')).toEqual(
      queue.ageBuckets.map((bucket) => [bucket.bucket, bucket.claims]),
    );
    expect(await column('pended-by-reason', 'reason')).toEqual(queue.byDimension.map((row) => row.value));
    expect((await column('pended-by-reason', 'claims')).map(count)).toEqual(queue.byDimension.map((row) => row.claims));
    expect((await column('pended-by-reason', 'amount')).map(cents)).toEqual(
      queue.byDimension.map((row) => row.amountCents),
    );
  });

  it('charts the daily inflow and outflow the flow route answers, with its totals', async () => {
    const flow = await api<{
      from: string;
      to: string;
      days: Array<{ day: string; inflowClaims: number; outflowClaims: number }>;
      totals: { inflowClaims: number; outflowClaims: number; netClaims: number };
    }>('/v1/kpis/pended-queue/flow');
    expect(flow.days.length).toBeGreaterThan(0);
    expect([await figure('flow-from'), await figure('flow-to')]).toEqual([flow.from, flow.to]);
    expect(count(await figure('flow-inflow'))).toBe(flow.totals.inflowClaims);
    expect(count(await figure('flow-outflow'))).toBe(flow.totals.outflowClaims);
    expect(count(await figure('flow-net'))).toBe(flow.totals.netClaims);
    expect(await bars('flow', 'inflow')).toEqual(flow.days.map((day) => [day.day, day.inflowClaims]));
    expect(await bars('flow', 'outflow')).toEqual(flow.days.map((day) => [day.day, day.outflowClaims]));
  });

  it("pages the work queue oldest first with the route's cursor", async () => {
    const first = await api<{
      items: Array<{ claimId: string; ageDays: number; amountCents: number }>;
      nextCursor: string | null;
    }>('/v1/kpis/pended-queue/work-queue?limit=25');
    expect(first.nextCursor).not.toBeNull();
    expect(await column('work-queue', 'claim_id')).toEqual(first.items.map((item) => item.claimId));
    expect((await column('work-queue', 'age_days')).map(count)).toEqual(first.items.map((item) => item.ageDays));
    expect((await column('work-queue', 'amount')).map(cents)).toEqual(first.items.map((item) => item.amountCents));

    const before = await page.locator('#dashboard').getAttribute('data-generation');
    await page.click('#panel-work-queue [data-page="next"]');
    await loadedAfter(before);
    const second = await api<{ items: Array<{ claimId: string }>; nextCursor: string | null }>(
      `/v1/kpis/pended-queue/work-queue?limit=25&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(await column('work-queue', 'claim_id')).toEqual(second.items.map((item) => item.claimId));
    expect(await figure('work-queue-page')).toBe('Page 2');
    expect(await page.locator('#panel-work-queue [data-page="next"]').isDisabled()).toBe(second.nextCursor === null);
    expect(requests.some((url) => url.searchParams.get('cursor') === first.nextCursor)).toBe(true);
  });

  it('shows the initial denial rate by count and by dollars for each source, and the payment and volume rows', async () => {
    const sources = ['carrier_lines', 'billing_export', 'remittance', 'remittance_lines'];
    const denials = await Promise.all(
      sources.map((source) =>
        api<{
          total: {
            adjudicated: number;
            denied: number;
            denialRateByCount: number | null;
            denialRateByAmount: number | null;
          };
          rows: Array<{ value: string }>;
        }>(`/v1/kpis/denials?source=${source}`),
      ),
    );
    expect(denials.some((answer) => answer.total.denied > 0)).toBe(true);
    expect((await column('denials-by-source', 'adjudicated')).map(count)).toEqual(
      denials.map((answer) => answer.total.adjudicated),
    );
    expect((await column('denials-by-source', 'denied')).map(count)).toEqual(
      denials.map((answer) => answer.total.denied),
    );
    expect((await column('denials-by-source', 'denial_rate_by_count')).map(percent)).toEqual(
      denials.map((answer) => asPercent(answer.total.denialRateByCount)),
    );
    expect((await column('denials-by-source', 'denial_rate_by_amount')).map(percent)).toEqual(
      denials.map((answer) => asPercent(answer.total.denialRateByAmount)),
    );
    for (const [index, source] of sources.entries()) {
      expect(await column(`denials-${source}`, 'payer')).toEqual(denials[index]?.rows.map((row) => row.value));
    }

    const rootCauses = await api<{
      rows: Array<{ value: string; denied: number; adjustments: number; deniedAmountCents: number }>;
      unknownCarcs: Array<{ carc: string; denied: number }>;
    }>('/v1/kpis/denials/root-causes?groupBy=category&source=remittance');
    expect(rootCauses.rows.length).toBeGreaterThan(0);
    expect(await column('root-causes', 'category')).toEqual(rootCauses.rows.map((row) => row.value));
    expect((await column('root-causes', 'denied')).map(count)).toEqual(rootCauses.rows.map((row) => row.denied));
    expect((await column('root-causes', 'denied_amount')).map(cents)).toEqual(
      rootCauses.rows.map((row) => row.deniedAmountCents),
    );
    expect(await column('unknown-carcs', 'carc')).toEqual(rootCauses.unknownCarcs.map((row) => row.carc));

    const payments = await api<{
      rows: Array<{ value: string; claims: number; billedAmountCents: number; paidAmountCents: number }>;
    }>('/v1/kpis/payments?groupBy=payer');
    expect(payments.rows.length).toBeGreaterThan(0);
    expect(await column('payments', 'payer')).toEqual(payments.rows.map((row) => row.value));
    expect((await column('payments', 'claims')).map(count)).toEqual(payments.rows.map((row) => row.claims));
    expect((await column('payments', 'billed')).map(cents)).toEqual(payments.rows.map((row) => row.billedAmountCents));
    expect((await column('payments', 'paid')).map(cents)).toEqual(payments.rows.map((row) => row.paidAmountCents));

    const volume = await api<{
      rows: Array<{ value: string; claims: number; lines: number }>;
    }>('/v1/kpis/volume?groupBy=claim_type');
    expect(await column('volume', 'claim_type')).toEqual(volume.rows.map((row) => row.value));
    expect((await column('volume', 'lines')).map(count)).toEqual(volume.rows.map((row) => row.lines));
  });

  it('sends the filter bar to the routes that take each filter, and says where a filter is not offered', async () => {
    requests.length = 0;
    const before = await page.locator('#dashboard').getAttribute('data-generation');
    await page.fill('#filters [name="asOf"]', '2024-01-15');
    await page.fill('#filters [name="from"]', '2024-01-05');
    await page.fill('#filters [name="to"]', '2024-01-25');
    await page.fill('#filters [name="payer"]', 'MEDICARE');
    await page.click('#filters button[type="submit"]');
    await loadedAfter(before);

    const sent = (path: string): URL[] => requests.filter((url) => url.pathname === path);
    expect(sent('/v1/kpis/pended-queue').map((url) => url.searchParams.get('asOf'))).toEqual(['2024-01-15']);
    expect(sent('/v1/kpis/pended-queue/work-queue').map((url) => url.searchParams.get('asOf'))).toEqual(['2024-01-15']);
    const flowRequest = sent('/v1/kpis/pended-queue/flow');
    expect(flowRequest.map((url) => [url.searchParams.get('from'), url.searchParams.get('to')])).toEqual([
      ['2024-01-05', '2024-01-25'],
    ]);
    // No route takes a payer filter yet: sending one would be refused, so none is sent and each panel says so.
    expect(requests.filter((url) => url.searchParams.has('payer'))).toEqual([]);
    expect(await text('#panel-payments .applied')).toContain('payer');

    const asOf = await api<{
      open: { claims: number; amountCents: number };
    }>('/v1/kpis/pended-queue?asOf=2024-01-15');
    expect(await figure('as-of')).toBe('2024-01-15');
    expect(count(await figure('open-claims'))).toBe(asOf.open.claims);
    expect(cents(await figure('open-amount'))).toBe(asOf.open.amountCents);
    const flow = await api<{
      totals: { inflowClaims: number };
      days: unknown[];
    }>('/v1/kpis/pended-queue/flow?from=2024-01-05&to=2024-01-25');
    expect(count(await figure('flow-inflow'))).toBe(flow.totals.inflowClaims);
    expect(await page.locator('[data-chart="flow"] rect[data-series="inflow"]').count()).toBe(flow.days.length);
    expect(await page.locator('.panel .error:not(:empty)').count()).toBe(0);
  });

  it('asks the root-cause route for CARCs when the analyst picks that grouping', async () => {
    const before = await page.locator('#dashboard').getAttribute('data-generation');
    await page.selectOption('[name="rootCausesGroupBy"]', 'carc');
    await loadedAfter(before);
    const byCarc = await api<{ rows: Array<{ value: string; deniedAmountCents: number }> }>(
      '/v1/kpis/denials/root-causes?groupBy=carc&source=remittance',
    );
    expect(
      requests.some((url) => url.pathname.endsWith('/root-causes') && url.searchParams.get('groupBy') === 'carc'),
    ).toBe(true);
    expect(await column('root-causes', 'carc')).toEqual(byCarc.rows.map((row) => row.value));
    expect((await column('root-causes', 'denied_amount')).map(cents)).toEqual(
      byCarc.rows.map((row) => row.deniedAmountCents),
    );
  });

  it('logged no console error and shows no member identifier anywhere in the page', async () => {
    expect(consoleErrors).toEqual([]);
    const html = await page.content();
    expect(html).not.toContain(FIXTURE_MEMBER_TOKEN);
    expect(await page.locator('body').innerText()).not.toMatch(/ptk_|member id/i);
  });

  it('forgets the token and every figure on sign-out', async () => {
    await page.click('#sign-out');
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    expect(await storedToken()).toBeNull();
    expect(await figure('open-claims')).toBe('');
    expect(await page.locator('[data-table] tbody tr').count()).toBe(0);
  });

  // After the console check: the browser logs each refused request as an error.
  it("sends a holder of a refused token back to sign-in with the API's reason, keeping nothing", async () => {
    await page.fill('#token-input', 'not-a-token-this-api-issued');
    await page.click('#sign-in-form button[type="submit"]');
    await page.locator('#sign-in-error:not(:empty)').waitFor({ state: 'attached' });
    expect(await text('#sign-in-error')).toContain('TOKEN_INVALID');
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    expect(await storedToken()).toBeNull();
  });
});
