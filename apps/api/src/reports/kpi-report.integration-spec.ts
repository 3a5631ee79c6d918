import type { PaymentRow } from '@claims/kpi';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_MEMBER_TOKEN, FIXTURE_WATERMARK, seedFoldedKpis } from '../__tests__/kpi-fixture';
import { startKpisApiUnderTest, type KpisApiUnderTest } from '../kpis/__tests__/kpis-api-under-test';
import { ReportsModule } from './reports.module';

const analystToken = 'analyst-token-for-the-kpi-report-spec';
/** The report's pages: cover, pended queue, daily flow, denials, payments and volume. */
const PAGES = ['Claims KPI report', 'Pended queue', 'Daily inflow and outflow', 'Denials', 'Payments and volume'];

// The figures as the report writes them (the dashboard's formats), from the API's JSON.
const countFormat = new Intl.NumberFormat('en-US');
const moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const count = (value: number | null): string => (value === null ? '—' : countFormat.format(value));
const money = (cents: number): string => moneyFormat.format(cents / 100);
const share = (ratio: number | null): string => (ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`);

interface Pdf {
  pages: number;
  title: string;
  /** Each page's text as Poppler's pdftotext lays it out, runs of spaces made one. */
  text: string[];
  /** Each page's text in the order it is drawn (pdftotext -raw): a chart's value, then its label. */
  raw: string[];
}

/**
 * The report downloaded by an analyst and read back with Poppler (Debian's
 * poppler-utils: pdfinfo, pdftotext; `npm test` installs it when missing):
 * it opens, has the pages it should, and every figure on them is the one the
 * KPI routes answer for the same filters.
 */
describe('GET /v1/reports/kpis.pdf against a real Postgres', () => {
  let api: KpisApiUnderTest;
  let baseUrl: string;
  const folder = mkdtempSync(join(tmpdir(), 'kpi-report-spec-'));

  const json = async <Body>(path: string): Promise<Body> => {
    const { status, body } = await api.get(path);
    expect({ path, status }).toEqual({ path, status: 200 });
    return body as Body;
  };

  const download = async (query: string): Promise<{ response: Response; pdf: Pdf }> => {
    const response = await fetch(`${baseUrl}/v1/reports/kpis.pdf${query}`, {
      headers: { authorization: `Bearer ${analystToken}` },
    });
    expect(response.status).toBe(200);
    const file = join(folder, `report-${Math.random().toString(36).slice(2)}.pdf`);
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    // pdfinfo exits non-zero on a file that does not open as a PDF.
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1]);
    const title = /^Title:\s+(.*)$/m.exec(info)?.[1] ?? '';
    const pageText = (mode: '-layout' | '-raw'): string[] =>
      Array.from({ length: pages }, (_, index) =>
        execFileSync('pdftotext', [mode, '-f', String(index + 1), '-l', String(index + 1), file, '-'], {
          encoding: 'utf8',
        })
          .split('\n')
          .map((line) => line.replace(/\s+/g, ' ').trim())
          .join('\n'),
      );
    return { response, pdf: { pages, title, text: pageText('-layout'), raw: pageText('-raw') } };
  };

  beforeAll(async () => {
    api = await startKpisApiUnderTest({ label: 'kpi_report', analystToken, extraModules: [ReportsModule] });
    baseUrl = await api.app.getUrl();
    await seedFoldedKpis(api.database.url);
  });

  afterAll(async () => {
    await api?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a request without a token', async () => {
    const response = await fetch(`${baseUrl}/v1/reports/kpis.pdf`);
    expect(response.status).toBe(401);
  });

  it('answers 400 naming the parameter for a bad from, a range backwards or a filter it does not take', async () => {
    for (const [query, field] of [
      ['from=2024-02-30', 'from'],
      ['from=yesterday', 'from'],
      ['from=2024-03-01&to=2024-02-01', 'from'],
      ['asOf=2024-13-01', 'asOf'],
      ['payer=ACME', 'payer'],
    ] as const) {
      const { status, body } = await api.get(`/v1/reports/kpis.pdf?${query}`);
      expect({ query, status, body }).toMatchObject({
        query,
        status: 400,
        body: { code: 'REQUEST_INVALID', fields: [field] },
      });
    }
  });

  it('sends a PDF attachment that opens, with a cover and one page per dashboard section', async () => {
    const { response, pdf } = await download('');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="claims-kpi-report-${FIXTURE_WATERMARK}.pdf"`,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(pdf.pages).toBe(PAGES.length);
    expect(pdf.title).toBe(`Claims KPI report as of ${FIXTURE_WATERMARK}`);
    PAGES.forEach((heading, index) => {
      expect(pdf.text[index]).toContain(heading);
      expect(pdf.text[index]).toContain(`page ${index + 1} of ${PAGES.length}`);
      expect(pdf.text[index]).toContain(`as of ${FIXTURE_WATERMARK}`);
    });
    const cover = pdf.text[0] ?? '';
    expect(cover).toContain(`As of ${FIXTURE_WATERMARK}`);
    expect(cover).toContain(`Event-time watermark ${FIXTURE_WATERMARK}`);
    expect(cover).toMatch(/Generated at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/);
    expect(cover).toContain('from: not set');
  });

  it('shows the figures the KPI routes answer for the same filters', async () => {
    const [from, to, asOf] = ['2024-01-01', '2024-01-31', '2024-02-15'];
    const { pdf } = await download(`?from=${from}&to=${to}&asOf=${asOf}`);
    expect(pdf.pages).toBe(PAGES.length);
    const [cover = '', queuePage = '', flowPage = '', denialsPage = '', paymentsPage = ''] = pdf.text;
    expect(cover).toContain(`from: ${from}`);
    expect(cover).toContain(`to: ${to}`);
    expect(cover).toContain(`as of: ${asOf}`);
    expect(cover).toContain(`Event-time watermark ${FIXTURE_WATERMARK}`);

    const queue = await json<{
      asOf: string;
      open: { claims: number; amountCents: number };
      ageBuckets: Array<{ bucket: string; claims: number }>;
      averageAgeDays: number | null;
      oldestAgeDays: number | null;
      byDimension: Array<{
        value: string;
        claims: number;
        amountCents: number;
        averageAgeDays: number | null;
        oldestAgeDays: number | null;
      }>;
      daysToClear: { p50: number | null; p90: number | null };
      clearedWithinSla: { share: number | null };
    }>(`/v1/kpis/pended-queue?asOf=${asOf}&groupBy=reason`);
    expect(queue.open.claims).toBeGreaterThan(0);
    expect(queuePage).toContain(`As of ${asOf}`);
    expect(queuePage).toContain(
      `Open claims ${count(queue.open.claims)} Open dollars ${money(queue.open.amountCents)}`,
    );
    expect(queuePage).toContain(
      `Average age (days) ${count(queue.averageAgeDays)} Oldest (days) ${count(queue.oldestAgeDays)}`,
    );
    expect(queuePage).toContain(
      `Days to clear p50 ${count(queue.daysToClear.p50)} Days to clear p90 ${count(queue.daysToClear.p90)}`,
    );
    expect(queuePage).toContain(`Cleared within SLA ${share(queue.clearedWithinSla.share)}`);
    // The age chart: its bucket labels and each bar's value.
    for (const bucket of queue.ageBuckets) expect(queuePage).toContain(bucket.bucket);
    for (const bucket of queue.ageBuckets) expect(pdf.raw[1]).toContain(`${count(bucket.claims)}\n${bucket.bucket}\n`);
    expect(queue.byDimension.length).toBeGreaterThan(0);
    for (const row of queue.byDimension) {
      expect(queuePage).toContain(
        [
          row.value,
          count(row.claims),
          money(row.amountCents),
          count(row.averageAgeDays),
          count(row.oldestAgeDays),
        ].join(' '),
      );
    }

    const flow = await json<{
      from: string;
      to: string;
      totals: { inflowClaims: number; outflowClaims: number; netClaims: number; netAmountCents: number };
    }>(`/v1/kpis/pended-queue/flow?from=${from}&to=${to}`);
    expect(flowPage).toContain(`From ${flow.from} To ${flow.to}`);
    expect(flowPage).toContain(`Inflow ${count(flow.totals.inflowClaims)} Outflow ${count(flow.totals.outflowClaims)}`);
    expect(flowPage).toContain(`Net ${count(flow.totals.netClaims)} Net dollars ${money(flow.totals.netAmountCents)}`);

    for (const source of ['carrier_lines', 'billing_export', 'remittance', 'remittance_lines']) {
      const rates = await json<{
        unit: string;
        total: {
          adjudicated: number;
          denied: number;
          denialRateByCount: number | null;
          deniedAmountCents: number;
          denialRateByAmount: number | null;
        };
      }>(`/v1/kpis/denials?source=${source}`);
      const { total } = rates;
      expect(denialsPage).toContain(
        [
          rates.unit,
          count(total.adjudicated),
          count(total.denied),
          share(total.denialRateByCount),
          money(total.deniedAmountCents),
          share(total.denialRateByAmount),
        ].join(' '),
      );
    }
    const causes = await json<{
      unit: string;
      rows: Array<{ value: string; denied: number; adjustments: number; deniedAmountCents: number }>;
      unknownCarcs: Array<{ carc: string; denied: number; deniedAmountCents: number }>;
    }>('/v1/kpis/denials/root-causes');
    expect(causes.rows.length).toBeGreaterThan(0);
    for (const row of causes.rows) {
      expect(denialsPage).toContain(
        [row.value, count(row.denied), count(row.adjustments), money(row.deniedAmountCents)].join(' '),
      );
      // The bar chart's row: the category and its bar's value.
      expect(denialsPage).toMatch(new RegExp(`^${row.value} ${count(row.denied)}$`, 'm'));
    }
    for (const carc of causes.unknownCarcs) {
      expect(denialsPage).toContain([carc.carc, count(carc.denied), money(carc.deniedAmountCents)].join(' '));
    }

    const payments = await json<{ rows: PaymentRow[] }>('/v1/kpis/payments');
    expect(payments.rows.length).toBeGreaterThan(0);
    for (const row of payments.rows) {
      expect(paymentsPage).toContain(
        [
          row.value,
          count(row.claims),
          money(row.billedAmountCents),
          money(row.allowedAmountCents),
          money(row.paidAmountCents),
          money(row.patientResponsibilityAmountCents),
        ].join(' '),
      );
    }
    const volume = await json<{
      rows: Array<{ value: string; claims: number; lines: number; paidAmountCents: number }>;
    }>('/v1/kpis/volume');
    expect(volume.rows.length).toBeGreaterThan(0);
    for (const row of volume.rows) {
      expect(paymentsPage).toContain(
        [row.value, count(row.claims), count(row.lines), money(row.paidAmountCents)].join(' '),
      );
    }
  });

  it('holds no member identifier and no claim id', async () => {
    const { pdf } = await download('');
    const text = pdf.text.join('\n');
    expect(text).not.toContain(FIXTURE_MEMBER_TOKEN);
    expect(text).not.toMatch(/\b(PQ-\d|WQ-\d\d)\b/);
  });
});
