import 'reflect-metadata';
// @long-running: a real browser through every page; jest.sequencer.js starts it first.
import { signApiToken, type ApiRole } from '@claims/contracts';
import { REPO_ROOT, createIsolatedDatabase, testInfrastructure, waitFor, type IsolatedDatabase } from '@claims/harness';
import { PEND_HISTOGRAM_BATCH_SQL } from '@claims/kpi';
import type { INestApplication } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { FIXTURE_MEMBER_TOKEN, seedFoldedKpis } from '../__tests__/kpi-fixture';
import type { ClaimDetail, ClaimLineage } from '../claims/claims.service';

/** Debian's chromium: `npm test` installs it when missing (playwright's own browser download is out of reach). */
const CHROMIUM = '/usr/bin/chromium';
/** Where the spec leaves its screenshots; `UPDATE_README_SCREENSHOT=1` also writes the README's. */
const SCREENSHOTS = join(REPO_ROOT, '.cache', 'test-output', 'dashboard');
const README_SCREENSHOT = join(REPO_ROOT, 'docs', 'images', 'dashboard.png');
/** A 1366×768 laptop, the screen the page is laid out for. */
const LAPTOP = { width: 1366, height: 768 };
const secret = randomBytes(32).toString('base64url');
const tokenFor = (role: ApiRole, sub: string): string =>
  signApiToken({ sub, role, ttlSeconds: 3600, nowSeconds: Date.now() / 1000 }, secret);
const analyst = tokenFor('analyst', 'dashboard-spec');
const manager = tokenFor('manager', 'max.manager');
const ingest = tokenFor('ingest', 'ivy.ingest');
/** The API's upload limit here: small, so a file over it is cheap to make. */
const MAX_UPLOAD_BYTES = 64 * 1024;

/** Files of the seeded lineage and accounting (a file id is the SHA-256 of its bytes: 64 hex digits). */
const SUBMISSION_FILE = '1'.repeat(64);
const PENDED_EXPORT_FILE = '2'.repeat(64);
const UPLOADED_FILE = '3'.repeat(64);

/** Applies a tab's filter bar and waits for the load it starts. */
async function appliedFilterBar(tab: Page): Promise<void> {
  const before = await tab.locator('#dashboard').getAttribute('data-generation');
  await tab.click('#filters button[type="submit"]');
  await tab.locator(`#dashboard[data-state="ready"]:not([data-generation="${before}"])`).waitFor({
    state: 'attached',
  });
}

/** A loopback port nothing listens on: the ingestor the API cannot reach. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Claim PQ-1 of the KPI fixture (open since 2024-01-01, the work queue's
 * oldest) with what the fold keeps of its history: submitted in a claim
 * file (record 4), pended by the pended-queue export (record 12), and a later
 * row of that export (record 13) Postgres refused, dead-lettered at the
 * metrics stage. Plus an uploaded file whose records are partly accounted for.
 */
async function seedLineageAndUploads(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
        service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source, lineage_file_id,
        lineage_record_number, kafka_partition, layout, provider_group, state, billed_amount_cents)
      VALUES ('PQ-1', gen_random_uuid(), 'pended', 'professional', 'MEDICARE', '2024-01-01', '2023-12-28',
              '2023-12-28', 1, 0, 0, 'pended-queue-2024-01.csv', '${PENDED_EXPORT_FILE}', 12, 0, 'pended.queue-export',
              'TIN-1', 'MD', 10000)`);
    await client.query(`
      INSERT INTO claim_line_state (claim_id, line_number, hcpcs_code, rendering_npi, processing_category,
        payment_amount_cents, allowed_amount_cents, charge_amount_cents, deductible_amount_cents,
        coinsurance_amount_cents)
      VALUES ('PQ-1', 1, '99213', '1234567893', 'unknown', 0, 0, 10000, 0, 0)`);
    await client.query(
      `INSERT INTO processed_event (event_id, claim_id, published_at, event_type, occurred_at, layout, lineage_source,
         lineage_file_id, lineage_record_number, lineage_record_count, lineage_record_sha256, refused_code)
       VALUES (gen_random_uuid(), 'PQ-1', now(), 'submitted', '2023-12-29', 'billing.claim-export', 'claims-2023-12.csv',
               $1, 4, 1, $3, NULL),
              (gen_random_uuid(), 'PQ-1', now(), 'pended', '2024-01-01', 'pended.queue-export', 'pended-queue-2024-01.csv',
               $2, 12, 1, $4, NULL),
              (gen_random_uuid(), 'PQ-1', now(), 'cleared', NULL, 'pended.queue-export', 'pended-queue-2024-01.csv',
               $2, 13, 1, $5, 'DATA_REFUSED')`,
      [SUBMISSION_FILE, PENDED_EXPORT_FILE, 'a4'.repeat(32), 'b12'.repeat(21) + 'b', 'c13'.repeat(21) + 'c'],
    );
    await client.query(
      `INSERT INTO ingest_record (file_id, record_number, outcome, stage, error_code)
       VALUES ($1, 4, 'folded', NULL, NULL), ($2, 12, 'folded', NULL, NULL),
              ($2, 13, 'dead_lettered', 'metrics', 'DATA_REFUSED')`,
      [SUBMISSION_FILE, PENDED_EXPORT_FILE],
    );
    await client.query(
      `INSERT INTO dead_letter (dead_letter_id, stage, error_code, reason, failed_at, file_id, record_number, source,
         dlq_partition, dlq_offset)
       VALUES ('metrics:claims.enriched.v1:0:7', 'metrics', 'DATA_REFUSED', 'Postgres refused a value of the record',
               '2024-01-02T09:00:00Z', $1, 13, 'pended-queue-2024-01.csv', 0, 7)`,
      [PENDED_EXPORT_FILE],
    );
    // The X12 lifecycle of 24 claims: MEDICARE paid 12 of them 3 to 14 days after submission (one after a
    // resubmission), AETNA 12 after 15 to 26 days; one 277CA rejection; a 999 per set, one rejecting; an 835 still
    // awaiting its 837.
    await client.query(`
      INSERT INTO x12_claim_lifecycle (patient_control_number, billing_npi, payer, submitted, first_submitted_on,
        submission_count, resubmitted, first_set_sender_id, first_set_group_control_number,
        first_set_transaction_control_number, pended, acknowledgement_count, latest_acknowledgement_status,
        ever_rejected_by_acknowledgement, adjudication_count, first_adjudicated_on, first_adjudication_status,
        first_paid_on, paid_amount_cents, reversal_count, kafka_partition)
      SELECT 'LC-' || n, '1234567893', CASE WHEN n <= 12 THEN 'MEDICARE' ELSE 'AETNA' END, true, '2024-01-02'::date,
             CASE WHEN n = 5 THEN 2 ELSE 1 END, n = 5, 'S', CASE WHEN n <= 7 THEN '1' ELSE '2' END, '0001', false, 1,
             CASE WHEN n = 9 THEN 'rejected' ELSE 'accepted' END, n = 9, 1, '2024-01-02'::date + n + 2, 'paid',
             '2024-01-02'::date + n + 2, 10000, 0, 0
        FROM generate_series(1, 24) AS n
      UNION ALL
      SELECT 'LC-835-ONLY', '', 'MEDICARE', false, NULL, 0, false, NULL, NULL, NULL, false, 0, NULL, false, 1,
             '2024-01-20'::date, 'paid', '2024-01-20'::date, 500, 0, 0`);
    await client.query(`
      INSERT INTO x12_transaction_set_verdict (event_id, sender_id, group_control_number, transaction_control_number,
        status, acknowledged_on, kafka_partition)
      VALUES (gen_random_uuid(), 'S', '1', '0001', 'accepted', '2024-01-03', 0),
             (gen_random_uuid(), 'S', '2', '0001', 'rejected', '2024-01-03', 0)`);
    // The upload: its ingest report says 6 records; two have folded and one was dead-lettered so far.
    await client.query(
      `INSERT INTO ingest_file (file_id, source, layout, records_read, records_published, records_dead_lettered,
         blank_lines_skipped, duration_seconds, completed_at)
       VALUES ($1, 'billing-2024-04.csv', 'billing.claim-export', 6, 6, 0, 0, 0.4, now())`,
      [UPLOADED_FILE],
    );
    await client.query(
      `INSERT INTO ingest_record (file_id, record_number, outcome, stage, error_code)
       VALUES ($1, 1, 'folded', NULL, NULL), ($1, 2, 'folded', NULL, NULL),
              ($1, 3, 'dead_lettered', 'normalizer', 'AMOUNT_INVALID')`,
      [UPLOADED_FILE],
    );
  } finally {
    await client.end();
  }
}

/**
 * Figures as the page writes them, read back: `1,234`, `$5,843.10`, `66.7%`;
 * `—` for none and `withheld` for a small cell the API withheld (null both).
 */
const NO_FIGURE = new Set(['—', 'withheld']);
const count = (text: string | null): number | null =>
  text === null || NO_FIGURE.has(text) ? null : Number(text.replace(/,/g, ''));
const cents = (text: string | null): number | null => {
  if (text === null || NO_FIGURE.has(text)) return null;
  const negative = text.startsWith('-');
  const dollars = Number(text.replace(/[-$,]/g, ''));
  return Math.round(dollars * 100) * (negative ? -1 : 1);
};
/** A count as the page writes it. */
const countFormatted = (value: number): string => new Intl.NumberFormat('en-US').format(value);
/** A share shown to 0.1 %: the ratio it stands for, to compare with the API's 4-place ratio. */
const percent = (text: string | null): number | null =>
  text === null || NO_FIGURE.has(text) ? null : Number(text.replace('%', ''));
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
  /** Each KPI answer the analyst's page got: its path, status and whether it was asked with If-None-Match. */
  const answers: Array<{ path: string; status: number; conditional: boolean }> = [];

  /** What the API answers a role, straight: the figures the page must show. */
  const api = async <Body>(path: string, token = analyst): Promise<Body> => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return (await response.json()) as Body;
  };
  const sql = async (statement: string, parameters: unknown[] = []): Promise<void> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(statement, parameters);
    } finally {
      await client.end();
    }
  };
  /** A new tab of its own (its own sessionStorage), 1366×768, signed in with `token` and loaded. */
  const signedInPage = async (token: string): Promise<Page> => {
    const tab = await (await browser.newContext({ viewport: LAPTOP })).newPage();
    await tab.goto(`${baseUrl}/dashboard`);
    await tab.fill('#token-input', token);
    await tab.click('#sign-in-form button[type="submit"]');
    await tab.locator('#dashboard[data-state="ready"]').waitFor({ state: 'attached' });
    return tab;
  };
  const screenshot = async (tab: Page, name: string): Promise<void> => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await tab.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  const text = (selector: string): Promise<string | null> => page.locator(selector).textContent();
  const figure = (name: string): Promise<string | null> => text(`[data-figure="${name}"]`);
  const column = (table: string, key: string): Promise<string[]> =>
    page.locator(`[data-table="${table}"] tbody td[data-column="${key}"]`).allTextContents();
  const bars = (chart: string, series: string): Promise<Array<[string, number | null]>> =>
    page
      .locator(`[data-chart="${chart}"] rect[data-series="${series}"]`)
      .evaluateAll((nodes) =>
        nodes.map((node) => [
          node.getAttribute('data-category') ?? '',
          node.hasAttribute('data-value') ? Number(node.getAttribute('data-value')) : null,
        ]),
      );
  /** Waits until a load that began after the one numbered `previous` has finished. */
  const loadedAfter = async (previous: string | null): Promise<void> => {
    const later = previous === null ? '' : `:not([data-generation="${previous}"])`;
    await page.locator(`#dashboard[data-state="ready"]${later}`).waitFor({ state: 'attached' });
  };
  /**
   * Runs `steps` with live refresh off: a refresh every 5 s reads the panels
   * again, and on a busy machine one lands among the requests a step counts.
   */
  const withLiveRefreshOff = async (steps: () => Promise<void>): Promise<void> => {
    await page.uncheck('#live-refresh');
    try {
      await steps();
    } finally {
      await page.check('#live-refresh');
    }
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
      // No ingestor runs beside this API: an upload it would take is answered 503 INGESTOR_UNAVAILABLE.
      env: {
        API_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
        INGESTOR_URL: `http://127.0.0.1:${await closedPort()}`,
        API_SMALL_CELL_THRESHOLD: '11',
      },
    }));
    await seedFoldedKpis(database.url);
    await seedLineageAndUploads(database.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-background-networking'],
    });
    page = await (await browser.newContext({ viewport: LAPTOP })).newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => requests.push(new URL(request.url())));
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (!url.pathname.startsWith('/v1/')) return;
      const conditional = response.request().headers()['if-none-match'] !== undefined;
      answers.push({ path: url.pathname, status: response.status(), conditional });
    });
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

  // Small-cell suppression (API_SMALL_CELL_THRESHOLD, default 11) withholds the fixture's reasons of 1 and 2 claims.
  it('shows a figure the API withholds from an analyst (a small cell) as withheld, not as no data', async () => {
    const queue = await api<{
      ageBuckets: Array<{ bucket: string; claims: number | null; suppressed?: string[] }>;
      byDimension: Array<{ value: string; claims: number | null; suppressed?: string[] }>;
    }>('/v1/kpis/pended-queue?groupBy=reason');
    const withheld = (row: { suppressed?: string[] }): boolean => row.suppressed?.includes('claims') ?? false;
    expect(await column('pended-by-reason', 'claims')).toEqual(
      queue.byDimension.map((row) => (withheld(row) ? 'withheld' : countFormatted(row.claims ?? 0))),
    );
    const marked = await page
      .locator('[data-chart="age-buckets"] rect[data-withheld="true"]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-category')));
    expect(marked).toEqual(queue.ageBuckets.filter(withheld).map((bucket) => bucket.bucket));
    const anyWithheld = [...queue.byDimension, ...queue.ageBuckets].some(withheld);
    expect(((await text('#panel-pended-queue .applied')) ?? '').includes('withheld for your role')).toBe(anyWithheld);
    // A withheld bar is no button: its claims are not counted for this role.
    for (const bucket of marked) {
      expect(
        await page.locator(`[data-chart="age-buckets"] rect[data-category="${bucket}"]`).getAttribute('role'),
      ).toBeNull();
    }
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

  it('shows an analyst the work-queue claim ids as text, with no link to claim detail, which needs claims:read', async () => {
    expect(await page.locator('#dashboard').getAttribute('data-role')).toBe('analyst');
    expect(await page.locator('#panel-work-queue tbody td[data-column="claim_id"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#panel-work-queue a').count()).toBe(0);
    // A claim named in the address opens nothing either: the page asks the API for no claim.
    await page.evaluate(`window.location.hash = '#claim=PQ-1'`);
    await page.evaluate(`new Promise((resolve) => setTimeout(resolve, 0))`);
    expect(await page.locator('#panel-claim').isHidden()).toBe(true);
    expect(requests.filter((url) => url.pathname.startsWith('/v1/claims'))).toEqual([]);
    await page.evaluate(`history.replaceState(null, '', window.location.pathname)`);
    // Nor is the upload form offered: uploads are the ingest role's.
    expect(await page.locator('#panel-upload').isHidden()).toBe(true);
  });

  it('opens the work queue of the claims of one age bucket, oldest first, when the analyst picks that age bar', async () => {
    const queue = await api<{ items: Array<{ claimId: string; ageDays: number }> }>(
      '/v1/kpis/pended-queue/work-queue?limit=500',
    );
    const aged = queue.items.filter((item) => item.ageDays >= 31 && item.ageDays <= 60);
    expect(aged.length).toBeGreaterThan(0);
    expect(aged.length).toBeLessThan(queue.items.length);
    const before = await page.locator('#dashboard').getAttribute('data-generation');
    await page.click('[data-chart="age-buckets"] rect[data-category="31-60"]');
    await loadedAfter(before);
    expect(await column('work-queue', 'claim_id')).toEqual(aged.slice(0, 25).map((item) => item.claimId));
    expect(await figure('work-queue-page')).toBe('Page 1 of the claims aged 31-60 days');
    expect(await text('#panel-work-queue caption')).toContain('aged 31-60 days');
    // The keyboard reaches the same bar, and the queue's heading takes the focus once it is shown.
    expect(await page.evaluate('document.activeElement.id')).toBe('work-queue-title');
    expect(await page.locator('[data-chart="age-buckets"] rect[data-category="31-60"]').getAttribute('role')).toBe(
      'button',
    );

    const back = await page.locator('#dashboard').getAttribute('data-generation');
    await page.click('#panel-work-queue [data-page="first"]');
    await loadedAfter(back);
    expect(await column('work-queue', 'claim_id')).toEqual(queue.items.slice(0, 25).map((item) => item.claimId));
    expect(await figure('work-queue-page')).toBe('Page 1');
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
    // The fixture's denial cells are small: the analyst sees them withheld (the manager's test reads their figures).
    expect(denials.every((answer) => answer.total.adjudicated === null || answer.total.adjudicated > 0)).toBe(true);
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

  it('shows the claim lifecycle rates and charts the payer lag the lifecycle route answers', async () => {
    type Rate = { rate: number | null };
    const lifecycle = await api<{
      firstPassCleanClaimRate: Rate;
      claimAcknowledgementRejectionRate: Rate;
      functionalAcknowledgementRejectionRate: Rate;
      unmatched: { adjudications: number | null; acknowledgements: number | null };
      payerLag: Array<{ payer: string; paidClaims: number | null; p50Days: number | null; p90Days: number | null }>;
    }>('/v1/kpis/claim-lifecycle');
    expect(lifecycle.payerLag.map((row) => row.payer)).toEqual(['AETNA', 'MEDICARE']);
    expect(percent(await figure('first-pass-clean-rate'))).toBe(asPercent(lifecycle.firstPassCleanClaimRate.rate));
    expect(percent(await figure('claim-acknowledgement-rejection-rate'))).toBe(
      asPercent(lifecycle.claimAcknowledgementRejectionRate.rate),
    );
    expect(percent(await figure('functional-acknowledgement-rejection-rate'))).toBe(50);
    expect(count(await figure('unmatched-adjudications'))).toBe(lifecycle.unmatched.adjudications);
    expect(await column('payer-lag', 'payer')).toEqual(['AETNA', 'MEDICARE']);
    expect((await column('payer-lag', 'paid_claims')).map(count)).toEqual(
      lifecycle.payerLag.map((row) => row.paidClaims),
    );
    expect((await column('payer-lag', 'p50_days')).map(count)).toEqual(lifecycle.payerLag.map((row) => row.p50Days));
    expect((await column('payer-lag', 'p90_days')).map(count)).toEqual(lifecycle.payerLag.map((row) => row.p90Days));
    // 12 paid claims a payer make cells an analyst may see: MEDICARE's lags 3 to 14 days, nearest-rank p50 8, p90 13.
    expect(lifecycle.payerLag).toEqual([
      { payer: 'AETNA', paidClaims: 12, p50Days: 20, p90Days: 25 },
      { payer: 'MEDICARE', paidClaims: 12, p50Days: 8, p90Days: 13 },
    ]);
    expect(await page.locator('[data-chart="payer-lag"] rect[data-series="p90 days"]').count()).toBe(2);
  });

  // Needs the pended-queue routes' dimension filters and the denial, payment and volume routes' claim filters.
  it('sends the filter bar to the routes that take each filter, and says where a filter is not offered', async () => {
    await withLiveRefreshOff(async () => {
      requests.length = 0;
      const before = await page.locator('#dashboard').getAttribute('data-generation');
      await page.fill('#filters [name="asOf"]', '2024-01-15');
      await page.fill('#filters [name="from"]', '2024-01-05');
      await page.fill('#filters [name="to"]', '2024-01-25');
      await page.fill('#filters [name="payer"]', 'MEDICARE');
      await page.fill('#filters [name="providerGroup"]', 'TIN-1');
      await page.fill('#filters [name="state"]', 'MD');
      await page.click('#filters button[type="submit"]');
      await loadedAfter(before);

      const sent = (path: string): URL[] => requests.filter((url) => url.pathname === path);
      const filters = (url: URL): Record<string, string | null> => ({
        payer: url.searchParams.get('payer'),
        providerGroup: url.searchParams.get('providerGroup'),
        state: url.searchParams.get('state'),
      });
      const chosen = { payer: 'MEDICARE', providerGroup: 'TIN-1', state: 'MD' };
      expect(sent('/v1/kpis/pended-queue').map((url) => url.searchParams.get('asOf'))).toEqual(['2024-01-15']);
      expect(sent('/v1/kpis/pended-queue/work-queue').map((url) => url.searchParams.get('asOf'))).toEqual([
        '2024-01-15',
      ]);
      const flowRequest = sent('/v1/kpis/pended-queue/flow');
      expect(flowRequest.map((url) => [url.searchParams.get('from'), url.searchParams.get('to')])).toEqual([
        ['2024-01-05', '2024-01-25'],
      ]);
      for (const path of ['/v1/kpis/pended-queue', '/v1/kpis/pended-queue/flow', '/v1/kpis/pended-queue/work-queue']) {
        expect({ path, filters: sent(path).map(filters) }).toEqual({ path, filters: [chosen] });
      }
      // The denial, payment and volume routes take the claim filters, the date range as service dates, no as-of date.
      const claimFilters = (url: URL): Record<string, string | null> => ({
        ...filters(url),
        serviceFrom: url.searchParams.get('serviceFrom'),
        serviceTo: url.searchParams.get('serviceTo'),
        asOf: url.searchParams.get('asOf'),
      });
      const chosenClaims = { ...chosen, serviceFrom: '2024-01-05', serviceTo: '2024-01-25', asOf: null };
      for (const path of ['/v1/kpis/denials', '/v1/kpis/denials/root-causes', '/v1/kpis/payments', '/v1/kpis/volume']) {
        const filtersSent = sent(path).map(claimFilters);
        expect({ path, sent: filtersSent.length > 0 }).toEqual({ path, sent: true });
        expect({ path, filters: filtersSent }).toEqual({ path, filters: filtersSent.map(() => chosenClaims) });
      }
      // The lifecycle route reads the date range as first submission dates, and its payer as the 837's.
      const lifecycleRequests = sent('/v1/kpis/claim-lifecycle');
      expect(lifecycleRequests.map((url) => [url.searchParams.get('from'), url.searchParams.get('to')])).toEqual([
        ['2024-01-05', '2024-01-25'],
      ]);
      expect(lifecycleRequests.map(filters)).toEqual([chosen]);
      expect(await text('#panel-lifecycle .applied')).toMatch(/^Not offered by this route, so not applied: as of\./);
      expect(await text('#panel-payments .applied')).toMatch(/^Not offered by this route, so not applied: as of\./);
      const payments = await api<{ rows: Array<{ value: string; claims: number }> }>(
        '/v1/kpis/payments?groupBy=payer&payer=MEDICARE&providerGroup=TIN-1&state=MD&serviceFrom=2024-01-05&serviceTo=2024-01-25',
      );
      expect(await column('payments', 'payer')).toEqual(payments.rows.map((row) => row.value));
      expect((await column('payments', 'claims')).map(count)).toEqual(payments.rows.map((row) => row.claims));
      expect(await text('#panel-pended-queue .applied')).toMatch(
        /^Not offered by this route, so not applied: from, to\./,
      );

      const asOf = await api<{
        open: { claims: number; amountCents: number };
      }>('/v1/kpis/pended-queue?asOf=2024-01-15&payer=MEDICARE&providerGroup=TIN-1&state=MD');
      expect(await figure('as-of')).toBe('2024-01-15');
      expect(count(await figure('open-claims'))).toBe(asOf.open.claims);
      expect(cents(await figure('open-amount'))).toBe(asOf.open.amountCents);
      const flow = await api<{
        totals: { inflowClaims: number };
        days: unknown[];
      }>('/v1/kpis/pended-queue/flow?from=2024-01-05&to=2024-01-25&payer=MEDICARE&providerGroup=TIN-1&state=MD');
      expect(count(await figure('flow-inflow'))).toBe(flow.totals.inflowClaims);
      expect(await page.locator('[data-chart="flow"] rect[data-series="inflow"]').count()).toBe(flow.days.length);
      expect(await page.locator('.panel .error:not(:empty)').count()).toBe(0);
    });
  });

  it('sends a rendering provider NPI to every KPI route that takes it, and shows the figures filtered by it', async () => {
    const reset = await page.locator('#dashboard').getAttribute('data-generation');
    await page.click('#filters button[type="reset"]');
    await loadedAfter(reset);
    requests.length = 0;
    const before = await page.locator('#dashboard').getAttribute('data-generation');
    await page.fill('#filters [name="renderingProvider"]', '1234567893');
    await page.click('#filters button[type="submit"]');
    await loadedAfter(before);
    const taking = [
      '/v1/kpis/pended-queue',
      '/v1/kpis/pended-queue/flow',
      '/v1/kpis/pended-queue/work-queue',
      '/v1/kpis/denials',
      '/v1/kpis/denials/root-causes',
      '/v1/kpis/claim-lifecycle',
      '/v1/kpis/payments',
      '/v1/kpis/volume',
    ];
    for (const path of taking) {
      const sentTo = requests.filter((url) => url.pathname === path);
      expect({ path, sent: sentTo.length > 0 }).toEqual({ path, sent: true });
      expect({ path, npi: [...new Set(sentTo.map((url) => url.searchParams.get('renderingProvider')))] }).toEqual({
        path,
        npi: ['1234567893'],
      });
    }
    const queue = await api<{ open: { claims: number | null } }>('/v1/kpis/pended-queue?renderingProvider=1234567893');
    expect(count(await figure('open-claims'))).toBe(queue.open.claims);
    const volume = await api<{ rows: Array<{ value: string }> }>(
      '/v1/kpis/volume?groupBy=claim_type&renderingProvider=1234567893',
    );
    expect(await column('volume', 'claim_type')).toEqual(volume.rows.map((row) => row.value));
    expect(await page.locator('.panel .error:not(:empty)').count()).toBe(0);
  });

  // Needs the pended-queue routes' `reason` filter.
  it('opens the work queue filtered by a pend reason when the analyst picks that reason in the breakdown', async () => {
    await withLiveRefreshOff(async () => {
      const reset = await page.locator('#dashboard').getAttribute('data-generation');
      await page.click('#filters button[type="reset"]');
      await loadedAfter(reset);
      requests.length = 0;
      const before = await page.locator('#dashboard').getAttribute('data-generation');
      await page.click('[data-table="pended-by-reason"] td[data-column="reason"] button:text-is("NPI_INVALID")');
      await loadedAfter(before);
      expect(await page.inputValue('#filters [name="reason"]')).toBe('NPI_INVALID');
      const workQueue = requests.filter((url) => url.pathname === '/v1/kpis/pended-queue/work-queue');
      expect(workQueue.map((url) => url.searchParams.get('reason'))).toEqual(['NPI_INVALID']);
      const filtered = await api<{ items: Array<{ claimId: string; reasons: string[] }> }>(
        '/v1/kpis/pended-queue/work-queue?limit=25&reason=NPI_INVALID',
      );
      expect(filtered.items.length).toBeGreaterThan(0);
      expect(filtered.items.every((item) => item.reasons.includes('NPI_INVALID'))).toBe(true);
      expect(await column('work-queue', 'claim_id')).toEqual(filtered.items.map((item) => item.claimId));
      expect(await text('#panel-work-queue caption')).toContain('pend reason NPI_INVALID');
      expect(await page.evaluate('document.activeElement.id')).toBe('work-queue-title');
      expect(await page.locator('.panel .error:not(:empty)').count()).toBe(0);
    });
  });

  // Needs the work queue's `sort=age|amount`.
  it('orders the work queue by amount, largest first, when the analyst picks that order', async () => {
    const reset = await page.locator('#dashboard').getAttribute('data-generation');
    await page.click('#filters button[type="reset"]');
    await loadedAfter(reset);
    const before = await page.locator('#dashboard').getAttribute('data-generation');
    await page.selectOption('[name="workQueueSort"]', 'amount');
    await loadedAfter(before);
    const byAmount = await api<{ items: Array<{ claimId: string; amountCents: number }> }>(
      '/v1/kpis/pended-queue/work-queue?limit=25&sort=amount',
    );
    const amounts = byAmount.items.map((item) => item.amountCents);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(await column('work-queue', 'claim_id')).toEqual(byAmount.items.map((item) => item.claimId));
    expect(requests.some((url) => url.searchParams.get('sort') === 'amount')).toBe(true);
    const back = await page.locator('#dashboard').getAttribute('data-generation');
    await page.selectOption('[name="workQueueSort"]', 'age');
    await loadedAfter(back);
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

  it('re-reads the panels every few seconds with If-None-Match and draws a change made in Postgres after the page loaded', async () => {
    const reset = await page.locator('#dashboard').getAttribute('data-generation');
    await page.click('#filters button[type="reset"]');
    await loadedAfter(reset);
    expect(await page.isChecked('#live-refresh')).toBe(true);
    const openBefore = count(await figure('open-claims')) ?? 0;
    const refreshes = Number((await page.locator('#dashboard').getAttribute('data-refreshes')) ?? '0');
    answers.length = 0;
    // Nothing changed yet: a refresh is answered 304 throughout and draws nothing.
    await page.locator(`#dashboard[data-refreshes="${refreshes + 1}"]`).waitFor({ state: 'attached', timeout: 15_000 });
    const refreshed = answers.filter((answer) => answer.path.startsWith('/v1/kpis/'));
    expect(refreshed.length).toBeGreaterThan(0);
    expect(refreshed.every((answer) => answer.conditional && answer.status === 304)).toBe(true);
    expect(await text('#status')).toMatch(/^Figures updated .* · unchanged at /);

    // A claim pends, as the metrics service would fold it: the claim and the histogram rebuilt, in one transaction.
    await sql(`
      BEGIN;
      INSERT INTO claim_pend (claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group,
                              rendering_npi, state, amount_cents, kafka_partition)
      VALUES ('LIVE-1', '2024-03-20', NULL, 'provider-data', '{PROVIDER_NOT_FOUND}', 'professional', 'MEDICARE',
              'TIN-1', '1234567893', 'MD', 4321, 0);
      DELETE FROM pend_day_histogram;
      INSERT INTO pend_day_histogram (dimension, dimension_value, pended_on, cleared_on, kafka_partition, claims,
                                      amount_cents)
      SELECT dimension, dimension_value, pended_on::date, cleared_on::date, 0, claims, amount_cents
        FROM (${PEND_HISTOGRAM_BATCH_SQL}) AS truth;
      COMMIT;`);
    const generation = await page.locator('#dashboard').getAttribute('data-generation');
    await page
      .locator(`[data-figure="open-claims"]:text-is("${countFormatted(openBefore + 1)}")`)
      .waitFor({ state: 'attached', timeout: 20_000 });
    const queue = await api<{ open: { claims: number; amountCents: number } }>('/v1/kpis/pended-queue?groupBy=reason');
    expect(count(await figure('open-claims'))).toBe(queue.open.claims);
    expect(cents(await figure('open-amount'))).toBe(queue.open.amountCents);
    expect(await text('#status')).toMatch(/^Figures updated \d{1,2}:\d{2}:\d{2} [AP]M/);
    // A refresh, not a load the analyst asked for: the page's load marker did not move.
    expect(await page.locator('#dashboard').getAttribute('data-generation')).toBe(generation);
    expect(answers.some((answer) => answer.path === '/v1/kpis/pended-queue' && answer.status === 200)).toBe(true);
  });

  it('pauses live refresh while the tab is hidden or the toggle is off, and reads at once when shown again', async () => {
    await page.evaluate(`
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));`);
    expect(await page.locator('#dashboard').getAttribute('data-live')).toBe('paused');
    expect(await text('#status')).toContain('live refresh paused while this tab is hidden');
    answers.length = 0;
    // The absence of a request can only be watched for a while: longer than one refresh period.
    await page.waitForTimeout(6_500);
    expect(answers).toEqual([]);

    const refreshes = Number((await page.locator('#dashboard').getAttribute('data-refreshes')) ?? '0');
    await page.evaluate(`
      delete document.hidden;
      delete document.visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));`);
    await page.locator(`#dashboard[data-refreshes="${refreshes + 1}"]`).waitFor({ state: 'attached', timeout: 3_000 });
    expect(await page.locator('#dashboard').getAttribute('data-live')).toBe('on');

    await page.uncheck('#live-refresh');
    expect(await page.locator('#dashboard').getAttribute('data-live')).toBe('off');
    expect(await text('#status')).toContain('live refresh off');
    await page.check('#live-refresh');
    expect(await page.locator('#dashboard').getAttribute('data-live')).toBe('on');
    await screenshot(page, 'analyst');
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
  it('takes a manager from a work-queue claim to its state, pend reasons, timeline, source records and dead letters', async () => {
    const tab = await signedInPage(manager);
    const claimReads: string[] = [];
    tab.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/v1/claims/')) claimReads.push(path);
    });
    const links = tab.locator('#panel-work-queue a.claim-link');
    expect(await links.count()).toBeGreaterThan(0);
    await tab.click('#panel-work-queue a.claim-link:text-is("PQ-1")');
    await tab.locator('#panel-claim[data-state="ready"]').waitFor({ state: 'visible' });
    expect(new URL(tab.url()).hash).toBe('#claim=PQ-1');
    expect(await tab.evaluate('document.activeElement.id')).toBe('claim-title');

    const detail = await api<ClaimDetail>('/v1/claims/PQ-1', manager);
    const lineage = await api<ClaimLineage>('/v1/claims/PQ-1/lineage', manager);
    const claimFigure = (name: string): Promise<string | null> =>
      tab.locator(`#panel-claim [data-figure="${name}"]`).textContent();
    const claimColumn = (table: string, key: string): Promise<string[]> =>
      tab.locator(`[data-table="${table}"] tbody td[data-column="${key}"]`).allTextContents();
    expect(await tab.locator('#claim-title').textContent()).toBe('Claim PQ-1');
    expect(await claimFigure('claim-status')).toBe(detail.state?.eventType);
    expect(await claimFigure('claim-payer')).toBe(detail.state?.payer);
    expect(await claimFigure('claim-pend')).toBe('open');
    expect(await claimFigure('claim-pend-reasons')).toBe(detail.pend?.reasons.join(', '));
    expect(await claimFigure('claim-pend-queue')).toBe(detail.pend?.queue);
    expect(await claimColumn('claim-timeline', 'event_type')).toEqual(detail.timeline.map((event) => event.eventType));
    expect(await claimColumn('claim-timeline', 'source')).toEqual(
      detail.timeline.map((event) => event.sourceFile.source),
    );
    expect(lineage.records).toHaveLength(3);
    expect(await claimColumn('claim-records', 'file_id')).toEqual(lineage.records.map((record) => record.fileId));
    expect(await claimColumn('claim-records', 'record_number')).toEqual(
      lineage.records.map((record) => String(record.recordNumber)),
    );
    expect(await claimColumn('claim-records', 'record_sha256')).toEqual(
      lineage.records.map((record) => record.recordSha256),
    );
    expect(await claimColumn('claim-records', 'layout')).toEqual(lineage.records.map((record) => record.layout));
    expect(await claimColumn('claim-records', 'outcome')).toEqual([
      'folded',
      'folded',
      'dead-lettered at metrics (DATA_REFUSED)',
    ]);
    expect(await claimColumn('claim-dead-letters', 'error_code')).toEqual(['DATA_REFUSED']);
    expect(await claimColumn('claim-dead-letters', 'reason')).toEqual(
      lineage.deadLetters.map((letter) => letter.reason),
    );
    expect(await tab.locator('body').innerText()).not.toMatch(/ptk_/);
    await screenshot(tab, 'manager-claim');

    // A manager reads small cells as they are: the denial figures the analyst saw withheld.
    const denials = await Promise.all(
      ['carrier_lines', 'billing_export', 'remittance', 'remittance_lines'].map((source) =>
        api<{ total: { adjudicated: number; denied: number; denialRateByCount: number | null } }>(
          `/v1/kpis/denials?source=${source}`,
          manager,
        ),
      ),
    );
    expect(denials.some((answer) => answer.total.denied > 0)).toBe(true);
    const managerColumn = (table: string, key: string): Promise<string[]> =>
      tab.locator(`[data-table="${table}"] tbody td[data-column="${key}"]`).allTextContents();
    expect((await managerColumn('denials-by-source', 'denied')).map(count)).toEqual(
      denials.map((answer) => answer.total.denied),
    );
    expect((await managerColumn('denials-by-source', 'denial_rate_by_count')).map(percent)).toEqual(
      denials.map((answer) => asPercent(answer.total.denialRateByCount)),
    );
    expect(await tab.locator('.withheld').count()).toBe(0);
    if (process.env['UPDATE_README_SCREENSHOT'] === '1') {
      await tab.setViewportSize({ width: 1400, height: 1000 });
      await tab.click('#close-claim');
      await tab.evaluate('window.scrollTo(0, 0)');
      await tab.screenshot({ path: README_SCREENSHOT });
      await tab.setViewportSize(LAPTOP);
    }

    // The claim is read once: live refresh re-reads the KPI panels, never a claim (each read is audited).
    const refreshes = Number((await tab.locator('#dashboard').getAttribute('data-refreshes')) ?? '0');
    await tab.locator(`#dashboard[data-refreshes="${refreshes + 1}"]`).waitFor({ state: 'attached', timeout: 15_000 });
    expect(claimReads).toEqual(['/v1/claims/PQ-1', '/v1/claims/PQ-1/lineage']);
    await tab.context().close();
  });

  describe('when a route fails', () => {
    let tab: Page;
    const tabErrors: string[] = [];
    const PAYMENTS = '**/v1/kpis/payments?*';
    /** A problem detail as the API writes one: a database outage behind the route. */
    const outage = {
      status: 503,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'Postgres did not answer',
        code: 'DATABASE_UNAVAILABLE',
      }),
    };
    const paymentsError = (): Promise<string | null> => tab.locator('#panel-payments .error').textContent();
    const paymentsPayers = (): Promise<string[]> =>
      tab.locator('[data-table="payments"] tbody td[data-column="payer"]').allTextContents();
    const apply = (): Promise<void> => appliedFilterBar(tab);

    beforeAll(async () => {
      tab = await signedInPage(analyst);
      tab.on('pageerror', (error) => tabErrors.push(error.message));
      await tab.uncheck('#live-refresh');
    });
    afterAll(async () => {
      await tab?.context().close();
    });

    it('empties a panel whose route fails once the filters change, so no figure of the previous filters passes for the new ones', async () => {
      const everyPayer = await api<{ rows: Array<{ value: string }> }>('/v1/kpis/payments?groupBy=payer');
      expect(await paymentsPayers()).toEqual(everyPayer.rows.map((row) => row.value));
      expect(everyPayer.rows.length).toBeGreaterThan(1);

      await tab.route(PAYMENTS, (route) => route.fulfill(outage));
      await tab.fill('#filters [name="payer"]', 'Aetna');
      await apply();
      expect(await paymentsError()).toBe('Service Unavailable: Postgres did not answer (DATABASE_UNAVAILABLE)');
      // Not the unfiltered rows under the payer filter: nothing, and no download of them.
      expect(await paymentsPayers()).toEqual([]);
      expect(await tab.locator('#panel-payments [data-csv]').count()).toBe(0);
      // The panels whose routes answered show the filtered figures.
      const aetnaVolume = await api<{ rows: Array<{ value: string }> }>(
        '/v1/kpis/volume?payer=Aetna&groupBy=claim_type',
      );
      expect(await tab.locator('[data-table="volume"] tbody td[data-column="claim_type"]').allTextContents()).toEqual(
        aetnaVolume.rows.map((row) => row.value),
      );

      // The route answers again: the figures of the filters in force are drawn, and the error goes.
      await tab.unroute(PAYMENTS);
      await apply();
      expect(await paymentsPayers()).toEqual(['Aetna']);
      expect(await paymentsError()).toBe('');
    });

    it('draws a panel a failed load emptied at the next live refresh, even when the route answers 304 (nothing changed)', async () => {
      await tab.route(PAYMENTS, (route) => route.fulfill(outage));
      await apply();
      expect(await paymentsPayers()).toEqual([]);
      await tab.unroute(PAYMENTS);
      const conditional: number[] = [];
      const onResponse = (response: { url(): string; status(): number }): void => {
        if (new URL(response.url()).pathname === '/v1/kpis/payments') conditional.push(response.status());
      };
      tab.on('response', onResponse);
      try {
        const refreshes = Number((await tab.locator('#dashboard').getAttribute('data-refreshes')) ?? '0');
        await tab.check('#live-refresh');
        await tab
          .locator(`#dashboard[data-refreshes="${refreshes + 1}"]`)
          .waitFor({ state: 'attached', timeout: 15_000 });
        await tab.uncheck('#live-refresh');
      } finally {
        tab.off('response', onResponse);
      }
      expect(conditional[0]).toBe(304);
      expect(await paymentsPayers()).toEqual(['Aetna']);
      expect(await paymentsError()).toBe('');
    });

    it("says what failed when the answer is no problem detail: a gateway's JSON, an HTML error page, or no connection", async () => {
      await tab.route('**/v1/kpis/volume?*', (route) =>
        route.fulfill({ status: 502, contentType: 'application/json', body: '{"message":"Bad Gateway"}' }),
      );
      await tab.route(PAYMENTS, (route) =>
        route.fulfill({ status: 500, contentType: 'text/html', body: '<html><body><h1>500</h1></body></html>' }),
      );
      await tab.route('**/v1/kpis/claim-lifecycle?*', (route) => route.abort('connectionrefused'));
      try {
        await apply();
        expect(await tab.locator('#panel-volume .error').textContent()).toBe(
          'The API answered HTTP 502 with no problem detail.',
        );
        expect(await paymentsError()).toBe('The API answered HTTP 500 with no problem detail.');
        expect(await tab.locator('#panel-lifecycle .error').textContent()).toBe('The API could not be reached.');
        expect(await tab.locator('#status').textContent()).toMatch(/^3 panel\(s\) could not be loaded/);
        // The lifecycle rates of the filters before are gone too: no figure stands beside the error.
        expect(await tab.locator('[data-figure="first-pass-clean-rate"]').textContent()).toBe('');
      } finally {
        await tab.unrouteAll();
      }
      await apply();
      expect(await tab.locator('.panel .error:not(:empty)').count()).toBe(0);
      expect(tabErrors).toEqual([]);
    });
  });

  describe('as an ingest user', () => {
    let tab: Page;
    const tabErrors: string[] = [];

    beforeAll(async () => {
      tab = await signedInPage(ingest);
      tab.on('pageerror', (error) => tabErrors.push(error.message));
    });
    afterAll(async () => {
      await tab?.context().close();
    });

    const uploadFile = async (name: string, buffer: Buffer): Promise<void> => {
      await tab.setInputFiles('#upload-file', { name, mimeType: 'application/octet-stream', buffer });
      await tab.click('#upload-form button[type="submit"]');
      await tab.locator('[data-upload="job"][data-state="refused"]').waitFor({ state: 'visible', timeout: 15_000 });
    };

    it('shows the upload form and the files ingested lately, and no KPI panel, which the ingest role may not read', async () => {
      expect(await tab.locator('#dashboard').getAttribute('data-role')).toBe('ingest');
      expect(await tab.locator('#panel-upload').isVisible()).toBe(true);
      for (const id of ['filters', 'panel-pended-queue', 'panel-work-queue', 'panel-denials', 'panel-volume']) {
        expect({ id, hidden: await tab.locator(`#${id}`).isHidden() }).toEqual({ id, hidden: true });
      }
      const files = await api<Array<{ fileId: string; source: string | null }>>('/v1/ingestions', ingest);
      expect(
        await tab.locator('[data-table="ingested-files"] tbody td[data-column="source"]').allTextContents(),
      ).toEqual(
        files
          .slice(-10)
          .reverse()
          .map((file) => file.source ?? file.fileId),
      );
      expect(await tab.locator('.panel .error:not(:empty)').count()).toBe(0);
    });

    it("follows a file's report as its records are accounted for, with its dead letters by reason", async () => {
      await tab.click('[data-table="ingested-files"] button:text-is("billing-2024-04.csv")');
      await tab.locator('[data-upload="report"][data-status="records_missing"]').waitFor({ state: 'visible' });
      const reportFigure = (name: string): Promise<string | null> =>
        tab.locator(`[data-figure="${name}"]`).textContent();
      expect(await reportFigure('report-records-read')).toBe('6');
      expect(await reportFigure('report-folded')).toBe('2');
      expect(await reportFigure('report-dead-lettered')).toBe('1');
      expect(await reportFigure('report-unaccounted')).toBe('3');
      expect(
        await tab.locator('[data-table="report-dead-letters"] tbody td[data-column="error_code"]').allTextContents(),
      ).toEqual(['AMOUNT_INVALID']);

      // The rest of the records reach their end downstream: the report fills in without a click.
      await sql(
        `INSERT INTO ingest_record (file_id, record_number, outcome, stage, error_code)
         VALUES ($1, 4, 'folded', NULL, NULL), ($1, 5, 'duplicate', NULL, NULL),
                ($1, 6, 'dead_lettered', 'enricher', 'REFERENCE_INVALID')`,
        [UPLOADED_FILE],
      );
      await tab
        .locator('[data-upload="report"][data-status="accounted"]')
        .waitFor({ state: 'visible', timeout: 15_000 });
      const report = await api<{ folded: number; duplicates: number; deadLettered: number }>(
        `/v1/ingestions/${UPLOADED_FILE}`,
        ingest,
      );
      expect(await reportFigure('report-folded')).toBe(String(report.folded));
      expect(await reportFigure('report-duplicates')).toBe(String(report.duplicates));
      expect(await reportFigure('report-dead-lettered')).toBe(String(report.deadLettered));
      expect(await reportFigure('report-unaccounted')).toBe('0');
      expect(await reportFigure('report-status')).toBe('every record accounted for');
      await screenshot(tab, 'ingest-report');
    });

    it("shows the API's 415 problem when the file is neither text nor gzip", async () => {
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2048)]);
      await uploadFile('scan.png', png);
      expect(await tab.locator('[data-upload="problem"]').textContent()).toMatch(/UPLOAD_TYPE_UNSUPPORTED\)$/);
      expect(await tab.locator('[data-figure="upload-step"]').textContent()).toBe('Refused (HTTP 415)');
    });

    it("shows the API's 413 problem, naming its limit, when the file is over API_MAX_UPLOAD_BYTES", async () => {
      const large = Buffer.from('CLAIM_ID,AMOUNT\n'.padEnd(MAX_UPLOAD_BYTES + 1024, '1'));
      await uploadFile('too-large.csv', large);
      const problem = await tab.locator('[data-upload="problem"]').textContent();
      expect(problem).toContain(`${MAX_UPLOAD_BYTES}-byte limit`);
      expect(problem).toMatch(/UPLOAD_TOO_LARGE\)$/);
      await screenshot(tab, 'ingest-413');
    });

    it('names the layouts the API knows when the ingest user types one it does not', async () => {
      await tab.fill('#upload-form [name="layout"]', 'no.such-layout');
      await uploadFile('claims.csv', Buffer.from('CLM_ID,AMOUNT\nC-1,100\n'));
      expect(await tab.locator('[data-upload="problem"]').textContent()).toMatch(/layout.*REQUEST_INVALID\)$/s);
      await tab.fill('#upload-form [name="layout"]', '');
    });

    it('says the ingestor cannot be reached (503) when the API takes the file but has no ingestor to send it to', async () => {
      await uploadFile('claims.csv', Buffer.from('CLM_ID,AMOUNT\nC-1,100\n'));
      expect(await tab.locator('[data-upload="problem"]').textContent()).toMatch(/INGESTOR_UNAVAILABLE\)$/);
      expect(tabErrors).toEqual([]);
    });
  });

  describe('at the edges of what a user pastes, types and downloads', () => {
    let tab: Page;
    const tabErrors: string[] = [];
    /** Each /v1 request the tab makes, by path. */
    const calls: string[] = [];
    const apply = (): Promise<void> => appliedFilterBar(tab);
    /** The filter bar refused from 2024-03-01 to 2024-01-01, saying why, and asked the API nothing. */
    const expectReversedRangeRefused = async (): Promise<void> => {
      await tab.locator('#filters-error:not(:empty)').waitFor({ state: 'attached' });
      expect(await tab.locator('#filters-error').textContent()).toBe(
        'From (2024-03-01) is after to (2024-01-01): no day is in that range.',
      );
      expect(calls).toEqual([]);
    };

    beforeAll(async () => {
      tab = await signedInPage(analyst);
      tab.on('pageerror', (error) => tabErrors.push(error.message));
      tab.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (path.startsWith('/v1/')) calls.push(path);
      });
    });
    afterAll(async () => {
      await tab?.context().close();
    });

    it('signs in with a token pasted broken over lines or with its Bearer scheme, and refuses one holding a character no token has', async () => {
      const fresh = await (await browser.newContext({ viewport: LAPTOP })).newPage();
      try {
        await fresh.goto(`${baseUrl}/dashboard`);
        // As a terminal or an e-mail wraps it, and as an Authorization header is copied whole.
        await fresh.fill(
          '#token-input',
          `Bearer ${analyst.slice(0, 50)}\n${analyst.slice(50, 120)}\r\n ${analyst.slice(120)}`,
        );
        await fresh.click('#sign-in-form button[type="submit"]');
        await fresh.locator('#dashboard[data-state="ready"]').waitFor({ state: 'attached' });
        expect(await fresh.locator('#session').textContent()).toMatch(/^dashboard-spec \(analyst\)/);
        expect(await fresh.locator('.panel .error:not(:empty)').count()).toBe(0);
        expect(await fresh.evaluate(`sessionStorage.getItem('claims-dashboard.token')`)).toBe(analyst);

        await fresh.click('#sign-out');
        const sent: string[] = [];
        fresh.on('request', (request) => sent.push(new URL(request.url()).pathname));
        // A typographic quote a word processor added: no browser can send it in a header.
        await fresh.fill('#token-input', `${analyst}\u201d`);
        await fresh.click('#sign-in-form button[type="submit"]');
        await fresh.locator('#sign-in-error:not(:empty)').waitFor({ state: 'attached' });
        expect(await fresh.locator('#sign-in-error').textContent()).toMatch(
          /^This is not a token: .* \u201d \(U\+201D\)\. /,
        );
        expect(await fresh.locator('#dashboard').isHidden()).toBe(true);
        expect(sent.filter((path) => path.startsWith('/v1/'))).toEqual([]);
        expect(await fresh.evaluate(`sessionStorage.getItem('claims-dashboard.token')`)).toBeNull();
      } finally {
        await fresh.context().close();
      }
    });

    it('refuses a from date after the to date at the filter bar, saying so, and keeps the figures of the filters in force', async () => {
      await tab.uncheck('#live-refresh');
      const payers = (): Promise<string[]> =>
        tab.locator('[data-table="payments"] tbody td[data-column="payer"]').allTextContents();
      const shown = await payers();
      expect(shown.length).toBeGreaterThan(1);
      calls.length = 0;
      await tab.fill('#filters [name="from"]', '2024-03-01');
      await tab.fill('#filters [name="to"]', '2024-01-01');
      await tab.fill('#filters [name="payer"]', 'Aetna');
      await tab.click('#filters button[type="submit"]');
      await expectReversedRangeRefused();
      expect(await payers()).toEqual(shown);
      expect(await tab.locator('.panel .error:not(:empty)').count()).toBe(0);

      await tab.click('#filters button[type="reset"]');
      await tab.fill('#filters [name="payer"]', 'Aetna');
      await apply();
      expect(await tab.locator('#filters-error').textContent()).toBe('');
      expect(await payers()).toEqual(['Aetna']);
    });

    it('says which filters the PDF report does not take, and keeps saying it while live refresh runs', async () => {
      const download = tab.waitForEvent('download');
      await tab.click('#pdf-report');
      expect((await download).suggestedFilename()).toMatch(/^claims-kpi-report-\d{4}-\d{2}-\d{2}\.pdf$/);
      const said =
        /^PDF report downloaded \(claims-kpi-report-[\d-]+\.pdf\)\. Not offered by the report, so not applied: payer\.$/;
      await tab.locator('#report-status:not(:empty)').waitFor({ state: 'attached' });
      expect(await tab.locator('#report-status').textContent()).toMatch(said);
      const refreshes = Number((await tab.locator('#dashboard').getAttribute('data-refreshes')) ?? '0');
      await tab.check('#live-refresh');
      await tab
        .locator(`#dashboard[data-refreshes="${refreshes + 1}"]`)
        .waitFor({ state: 'attached', timeout: 15_000 });
      await tab.uncheck('#live-refresh');
      expect(await tab.locator('#report-status').textContent()).toMatch(said);
    });

    it('refuses a from date after the to date when the analyst picks a pend reason, as Apply does, and keeps the figures in force', async () => {
      await tab.uncheck('#live-refresh');
      await tab.click('#filters button[type="reset"]');
      await tab.locator('#filters [name="payer"]:text-is("")').waitFor({ state: 'attached' });
      await apply();
      const reasons = (): Promise<string[]> =>
        tab.locator('[data-table="pended-by-reason"] td[data-column="reason"]').allTextContents();
      const shown = await reasons();
      expect(shown).toContain('NPI_INVALID');
      calls.length = 0;
      await tab.fill('#filters [name="from"]', '2024-03-01');
      await tab.fill('#filters [name="to"]', '2024-01-01');
      await tab.click('[data-table="pended-by-reason"] td[data-column="reason"] button:text-is("NPI_INVALID")');
      await expectReversedRangeRefused();
      expect(await reasons()).toEqual(shown);
      expect(await tab.locator('.panel .error:not(:empty)').count()).toBe(0);

      // With the dates put right, the same pick applies them and the reason.
      await tab.fill('#filters [name="from"]', '2024-01-01');
      const before = await tab.locator('#dashboard').getAttribute('data-generation');
      await tab.click('[data-table="pended-by-reason"] td[data-column="reason"] button:text-is("NPI_INVALID")');
      await tab.locator(`#dashboard[data-state="ready"]:not([data-generation="${before}"])`).waitFor({
        state: 'attached',
      });
      expect(await tab.locator('#filters-error').textContent()).toBe('');
      expect(await tab.locator('#panel-work-queue caption').textContent()).toContain('pend reason NPI_INVALID');
      await tab.click('#filters button[type="reset"]');
      await tab.locator('#filters [name="reason"]:text-is("")').waitFor({ state: 'attached' });
      await apply();
    });

    it("names the cells withheld from the analyst in the table's CSV download, as the API's exports do, rather than leave them blank like no data", async () => {
      await tab.click('#filters button[type="reset"]');
      await tab.locator('#filters [name="payer"]:text-is("")').waitFor({ state: 'attached' });
      await apply();
      const table = tab.locator('[data-table="denials-by-source"]');
      const download = tab.waitForEvent('download');
      await table.locator('[data-csv]').click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('denials-by-source.csv');
      const lines = readFileSync((await file.path()) ?? '', 'utf8')
        .trimEnd()
        .split('\r\n');
      const header = (lines[0] ?? '').split(',').map((cell) => cell.replace(/"/g, ''));
      expect(header[header.length - 1]).toBe('suppressed');
      // Every withheld cell on the page is empty in the file and named in its row's suppressed column.
      const keys = await table.locator('thead th').count();
      const rows = await table
        .locator('tbody tr')
        .evaluateAll((nodes) =>
          nodes.map((row) =>
            [...row.querySelectorAll('td')]
              .filter((cell) => cell.classList.contains('withheld'))
              .map((cell) => cell.getAttribute('data-column')),
          ),
        );
      expect(rows.flat().length).toBeGreaterThan(0);
      expect(lines).toHaveLength(rows.length + 1);
      rows.forEach((withheldKeys, index) => {
        // Split at the commas outside quotes.
        const cells = (lines[index + 1] ?? '').split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
        expect(cells).toHaveLength(keys + 1);
        expect(cells[keys]).toBe(withheldKeys.length === 0 ? '""' : `"${withheldKeys.join(';')}"`);
        for (const key of withheldKeys) expect(cells[header.indexOf(key ?? '')]).toBe('');
      });
    });

    it('draws a negative payer lag below the axis, and keeps the axis labels of a huge one inside the chart', async () => {
      // Bad dates as feeds carry them: an 835 dated before its claim's 837, and (below) one millennia later.
      const paid = (payer: string, paidOn: string): Promise<void> =>
        sql(
          `INSERT INTO x12_claim_lifecycle (patient_control_number, billing_npi, payer, submitted, first_submitted_on,
             submission_count, resubmitted, first_set_sender_id, first_set_group_control_number,
             first_set_transaction_control_number, pended, acknowledgement_count, latest_acknowledgement_status,
             ever_rejected_by_acknowledgement, adjudication_count, first_adjudicated_on, first_adjudication_status,
             first_paid_on, paid_amount_cents, reversal_count, kafka_partition)
           SELECT 'EDGE-' || $1 || n, '1234567893', $1, true, '2024-01-10'::date, 1, false, 'S', '9', '0001', false,
                  1, 'accepted', false, 1, '2024-01-02'::date, 'paid', $2::date, 100, 0, 0
             FROM generate_series(1, 2) AS n`,
          [payer, paidOn],
        );
      await paid('PAID EARLY', '2024-01-02');
      const fresh = await signedInPage(manager);
      try {
        const boxOf = async (selector: string): Promise<{ x: number; y: number; width: number; height: number }> => {
          const box = await fresh.locator(`[data-chart="payer-lag"] ${selector}`).first().boundingBox();
          if (box === null) throw new Error(`${selector} is not drawn`);
          return box;
        };
        const early = '[data-category="PAID EARLY"][data-series="p50 days"]';
        expect(await fresh.locator(`[data-chart="payer-lag"] rect${early}`).getAttribute('data-value')).toBe('-8');
        const svg = await boxOf('svg');
        const zero = await boxOf('[aria-label="rule"] line');
        const bar = await boxOf(`rect${early}`);
        // The bar hangs from the zero line, with a height, inside the chart.
        expect(bar.y).toBeCloseTo(zero.y, 0);
        expect(bar.height).toBeGreaterThan(1);
        expect(bar.y + bar.height).toBeLessThan(svg.y + svg.height);
        const ticks = fresh.locator('[data-chart="payer-lag"] [aria-label="y-axis tick label"] text');
        expect((await ticks.allTextContents()).some((tick) => /^[-−]/.test(tick))).toBe(true);

        await paid('PAID LATE', '9999-12-31');
        const before = await fresh.locator('#dashboard').getAttribute('data-generation');
        await fresh.click('#filters button[type="submit"]');
        await fresh
          .locator(`#dashboard[data-state="ready"]:not([data-generation="${before}"])`)
          .waitFor({ state: 'attached' });
        const late = fresh.locator('[data-chart="payer-lag"] rect[data-category="PAID LATE"][data-series="p50 days"]');
        expect(await late.getAttribute('data-value')).toBe('2913164');
        expect(await ticks.allTextContents()).toContain('3,000,000');
        const redrawn = await boxOf('svg');
        for (const tick of await ticks.all()) expect((await tick.boundingBox())?.x).toBeGreaterThanOrEqual(redrawn.x);
        await screenshot(fresh, 'payer-lag-edges');
      } finally {
        await fresh.context().close();
        await sql(`DELETE FROM x12_claim_lifecycle WHERE patient_control_number LIKE 'EDGE-%'`);
      }
      expect(tabErrors).toEqual([]);
    });
  });

  describe('when one holder signs out and the next signs in on the same tab', () => {
    const nextManager = tokenFor('manager', 'mia.manager');
    /** What a tab asks the API for from now on: the claims it reads and its work-queue requests. */
    const watch = (tab: Page): { claimReads: string[]; workQueue: URL[] } => {
      const seen = { claimReads: [] as string[], workQueue: [] as URL[] };
      tab.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname.startsWith('/v1/claims/')) seen.claimReads.push(url.pathname);
        if (url.pathname === '/v1/kpis/pended-queue/work-queue') seen.workQueue.push(url);
      });
      return seen;
    };
    const settle = (tab: Page): Promise<unknown> => tab.evaluate(`new Promise((resolve) => setTimeout(resolve, 200))`);
    const loadedAfterIn = async (tab: Page, previous: string | null): Promise<void> => {
      await tab.locator(`#dashboard[data-state="ready"]:not([data-generation="${previous}"])`).waitFor({
        state: 'attached',
      });
    };
    /**
     * A manager's own state on a tab: Aetna's work queue (two pages) applied, ordered by amount, on its second
     * page, claim PQ-1 open from the address, and more typed into the filter bar than Apply accepts.
     */
    const leaveState = async (tab: Page): Promise<void> => {
      await tab.fill('#filters [name="payer"]', 'Aetna');
      await appliedFilterBar(tab);
      let before = await tab.locator('#dashboard').getAttribute('data-generation');
      await tab.selectOption('[name="workQueueSort"]', 'amount');
      await loadedAfterIn(tab, before);
      before = await tab.locator('#dashboard').getAttribute('data-generation');
      await tab.click('#panel-work-queue [data-page="next"]');
      await loadedAfterIn(tab, before);
      expect(await tab.locator('[data-figure="work-queue-page"]').textContent()).toBe('Page 2');
      await tab.evaluate(`window.location.hash = '#claim=PQ-1'`);
      await tab.locator('#panel-claim[data-state="ready"]').waitFor({ state: 'visible' });
      await tab.fill('#filters [name="state"]', 'VA');
      await tab.fill('#filters [name="from"]', '2024-03-01');
      await tab.fill('#filters [name="to"]', '2024-01-01');
      await tab.click('#filters button[type="submit"]');
      await tab.locator('#filters-error:not(:empty)').waitFor({ state: 'attached' });
    };
    /** Nothing of the last holder's state is left on the signed-out tab. */
    const expectNothingLeft = async (tab: Page): Promise<void> => {
      expect(new URL(tab.url()).hash).toBe('');
      expect(await tab.locator('#panel-claim').isHidden()).toBe(true);
      const filled = `[...document.querySelectorAll('#filters input')].filter((input) => input.value !== '').map((input) => input.name)`;
      expect(await tab.evaluate(filled)).toEqual([]);
      expect(await tab.inputValue('[name="workQueueSort"]')).toBe('age');
      for (const line of ['#filters-error', '#status', '#report-status']) {
        expect({ line, text: await tab.locator(line).textContent() }).toEqual({ line, text: '' });
      }
    };
    /** The next holder signs in and starts from nothing the last one left: no claim read, the first page, oldest first. */
    const expectFreshStart = async (tab: Page, token: string): Promise<void> => {
      const seen = watch(tab);
      await tab.fill('#token-input', token);
      await tab.click('#sign-in-form button[type="submit"]');
      await tab.locator('#dashboard[data-state="ready"]').waitFor({ state: 'attached' });
      await settle(tab);
      expect(seen.claimReads).toEqual([]);
      expect(await tab.locator('#panel-claim').isHidden()).toBe(true);
      expect(seen.workQueue.map((url) => [...url.searchParams.keys()])).toEqual([['limit']]);
      expect(await tab.locator('[data-figure="work-queue-page"]').textContent()).toBe('Page 1');
      expect(await tab.locator('#panel-work-queue caption').textContent()).toMatch(/oldest first\. Pick a claim/);
      // Back does not bring the last holder's claim into the address: it was replaced, not left behind.
      await tab.goBack();
      await settle(tab);
      expect(new URL(tab.url()).hash).toBe('');
      expect(seen.claimReads).toEqual([]);
    };

    it("clears the filter bar, the work queue's page and order, the claim and its #claim= address at sign-out, so the next manager starts from none of them", async () => {
      const tab = await signedInPage(manager);
      try {
        await leaveState(tab);
        const pages = await tab.evaluate('history.length');
        await tab.click('#sign-out');
        await tab.locator('#sign-in').waitFor({ state: 'visible' });
        await expectNothingLeft(tab);
        expect(await tab.evaluate('history.length')).toBe(pages);
        await expectFreshStart(tab, nextManager);
      } finally {
        await tab.context().close();
      }
    });

    it("clears the same at the sign-out the API's refusal of an expired token causes", async () => {
      // Expires (past the API's 30 s of leeway) 20 s from now: long enough to leave the state, then live refresh meets it.
      const expiring = signApiToken(
        { sub: 'max.manager', role: 'manager', ttlSeconds: 20, nowSeconds: Date.now() / 1000 - 30 },
        secret,
      );
      const tab = await signedInPage(expiring);
      try {
        await leaveState(tab);
        expect(await tab.locator('#dashboard').isVisible()).toBe(true);
        await tab.locator('#sign-in').waitFor({ state: 'visible', timeout: 60_000 });
        expect(await tab.locator('#sign-in-error').textContent()).toContain('TOKEN_EXPIRED');
        await expectNothingLeft(tab);
        await expectFreshStart(tab, nextManager);
      } finally {
        await tab.context().close();
      }
    });

    it('opens the claim a link named before the manager signed in: a deep link followed to the sign-in page', async () => {
      const tab = await (await browser.newContext({ viewport: LAPTOP })).newPage();
      try {
        const seen = watch(tab);
        await tab.goto(`${baseUrl}/dashboard#claim=PQ-1`);
        await tab.fill('#token-input', manager);
        await tab.click('#sign-in-form button[type="submit"]');
        await tab.locator('#panel-claim[data-state="ready"]').waitFor({ state: 'visible' });
        expect(await tab.locator('#claim-title').textContent()).toBe('Claim PQ-1');
        expect(seen.claimReads).toEqual(['/v1/claims/PQ-1', '/v1/claims/PQ-1/lineage']);
      } finally {
        await tab.context().close();
      }
    });
  });
});
