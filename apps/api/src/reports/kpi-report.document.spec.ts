import type { PaymentRow } from '@claims/kpi';
import { renderKpiReport } from './kpi-report.document';
import type { KpiReportData } from './kpi-report.service';

/** A report over an empty store: what the routes answer before any event is folded. */
const emptyReport = (payments: PaymentRow[] = []): KpiReportData => ({
  filters: { from: null, to: null, asOf: null },
  generatedAt: new Date('2024-04-01T06:00:00Z'),
  smallCellThreshold: null,
  pendedQueue: {
    asOf: null,
    watermark: null,
    groupBy: 'reason',
    open: { claims: 0, amountCents: 0 },
    ageBuckets: [],
    averageAgeDays: null,
    oldestAgeDays: null,
    byDimension: [],
    daysToClear: { p50: null, p90: null, clearedClaims: 0 },
    clearedWithinSla: { slaDays: 30, clearedClaims: 0, clearedWithinSlaClaims: 0, share: null },
  },
  flow: {
    from: null,
    to: null,
    watermark: null,
    days: [],
    totals: { inflowClaims: 0, outflowClaims: 0, netClaims: 0, netAmountCents: 0 },
  },
  denials: [],
  rootCauses: {
    source: 'remittance',
    groupBy: 'category',
    unit: 'claim',
    counts: 'claims',
    rows: [],
    unknownCarcs: [],
  },
  payments: { groupBy: 'payer', rows: payments },
  volume: { groupBy: 'claim_type', rows: [] },
});

const payer = (index: number, value = `Payer ${index}`): PaymentRow => ({
  value,
  claims: index,
  billedAmountCents: 100 * index,
  allowedAmountCents: 90 * index,
  paidAmountCents: 80 * index,
  patientResponsibilityAmountCents: 10 * index,
});

/** The finished document's bytes and its page count. */
async function render(data: KpiReportData): Promise<{ bytes: Buffer; pages: number }> {
  const doc = renderKpiReport(data);
  const pages = doc.bufferedPageRange().count;
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  doc.end();
  await ended;
  return { bytes: Buffer.concat(chunks), pages };
}

describe('the KPI report document', () => {
  it('has a cover and one page per section even before any event is folded', async () => {
    const { bytes, pages } = await render(emptyReport());
    expect(pages).toBe(5);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.subarray(-6).toString('latin1')).toContain('%%EOF');
  });

  it('carries a table longer than a page onto the next', async () => {
    const { pages } = await render(emptyReport(Array.from({ length: 120 }, (_, index) => payer(index + 1))));
    expect(pages).toBeGreaterThan(5);
  });

  it('draws a long value with control characters and characters its fonts lack without breaking the page', async () => {
    const hostile = `${'Very long payer name '.repeat(40)}\r\n=HYPERLINK("x")\u0000 医保`;
    const { pages } = await render(emptyReport([payer(1, hostile)]));
    expect(pages).toBe(5);
  });
});
