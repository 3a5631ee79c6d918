import type { DenialRateRow, DenialRootCauseRow, OpenPendByValue, PaymentRow, VolumeRow } from '@claims/kpi';
import PDFDocument from 'pdfkit';
import type { KpiReportData } from './kpi-report.service';
import { ReportCanvas, stampFooters, type TableColumn } from './report-canvas';
import { NONE, formatCount, formatMoney, formatShare, plainText } from './report-text';

export const REPORT_TITLE = 'Claims KPI report';

/** The denial source rules as the dashboard labels them. */
const DENIAL_SOURCE_LABELS: Readonly<Record<string, string>> = {
  carrier_lines: 'Carrier lines (DE-SynPUF, RIF)',
  billing_export: 'Billing export',
  remittance: '835 remittance claims',
  remittance_lines: '835 remittance service lines',
};

const count = <Row>(header: string, pick: (row: Row) => number | null, weight = 1): TableColumn<Row> => ({
  header,
  weight,
  align: 'right',
  cell: (row) => formatCount(pick(row)),
});
const money = <Row>(header: string, pick: (row: Row) => number | null, weight = 1.3): TableColumn<Row> => ({
  header,
  weight,
  align: 'right',
  cell: (row) => formatMoney(pick(row)),
});
const share = <Row>(header: string, pick: (row: Row) => number | null, weight = 1): TableColumn<Row> => ({
  header,
  weight,
  align: 'right',
  cell: (row) => formatShare(pick(row)),
});
const label = <Row>(header: string, pick: (row: Row) => string, weight = 2): TableColumn<Row> => ({
  header,
  weight,
  cell: (row) => plainText(pick(row)),
});

type SourceRow = Omit<DenialRateRow, 'value'> & { label: string; unit: string };

/**
 * Renders the report: a cover page, then the pended queue, its daily flow,
 * denials (by source and by root cause) and payments and volume, each
 * starting a page. Every figure is the KPI routes' (KpiReportService), shown
 * as the dashboard shows it; nothing in it identifies a member (no route it
 * reads returns one). The document is returned unended: the caller pipes it
 * and calls `end()`.
 */
export function renderKpiReport(data: KpiReportData): PDFKit.PDFDocument {
  const asOf = data.pendedQueue.asOf;
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: 54, bottom: 54, left: 54, right: 54 },
    bufferPages: true,
    info: {
      Title: `${REPORT_TITLE}${asOf === null ? '' : ` as of ${asOf}`}`,
      Author: 'claims-api',
      Subject: 'Pended queue, denials, payments and volume',
      CreationDate: data.generatedAt,
    },
  });
  let section = REPORT_TITLE;
  const canvas = new ReportCanvas(doc, () => section);
  const startSection = (name: string): void => {
    section = name;
    canvas.newPage();
    canvas.heading(name);
  };

  cover(canvas, data);

  startSection('Pended queue');
  const queue = data.pendedQueue;
  canvas.line(`As of ${queue.asOf ?? NONE}`, { colour: '#616e7c' });
  canvas.figures([
    ['Open claims', formatCount(queue.open.claims)],
    ['Open dollars', formatMoney(queue.open.amountCents)],
    ['Average age (days)', formatCount(queue.averageAgeDays)],
    ['Oldest (days)', formatCount(queue.oldestAgeDays)],
    ['Days to clear p50', formatCount(queue.daysToClear.p50)],
    ['Days to clear p90', formatCount(queue.daysToClear.p90)],
    ['Cleared within SLA', formatShare(queue.clearedWithinSla.share)],
    ['SLA (days)', formatCount(queue.clearedWithinSla.slaDays)],
  ]);
  canvas.barChart({
    caption: 'Open claims by age (days)',
    categories: queue.ageBuckets.map((bucket) => bucket.bucket),
    series: [{ name: 'open claims', values: queue.ageBuckets.map((bucket) => bucket.claims) }],
    format: formatCount,
  });
  canvas.table<OpenPendByValue>(
    'Top pend reasons (a claim with several reasons counts under each)',
    [
      label('Reason', (row) => row.value),
      count('Open claims', (row) => row.claims),
      money('Open dollars', (row) => row.amountCents),
      count('Avg. age (days)', (row) => row.averageAgeDays),
      count('Oldest (days)', (row) => row.oldestAgeDays),
    ],
    queue.byDimension,
    'No claim is open.',
  );

  startSection('Daily inflow and outflow');
  const flow = data.flow;
  canvas.figures([
    ['From', flow.from ?? NONE],
    ['To', flow.to ?? NONE],
    ['Inflow', formatCount(flow.totals.inflowClaims)],
    ['Outflow', formatCount(flow.totals.outflowClaims)],
    ['Net', formatCount(flow.totals.netClaims)],
    ['Net dollars', formatMoney(flow.totals.netAmountCents)],
  ]);
  canvas.barChart({
    caption: 'Claims pended (inflow) and cleared (outflow) a day',
    categories: flow.days.map((day) => day.day),
    series: [
      { name: 'inflow', values: flow.days.map((day) => day.inflowClaims) },
      { name: 'outflow', values: flow.days.map((day) => day.outflowClaims) },
    ],
    format: formatCount,
    height: 180,
  });

  startSection('Denials');
  const bySource: SourceRow[] = data.denials.map((answer) => ({
    ...answer.total,
    label: DENIAL_SOURCE_LABELS[answer.source] ?? answer.source,
    unit: answer.unit,
  }));
  canvas.table<SourceRow>(
    'Initial denial rate by source rule (each counts its own unit; never added together)',
    [
      label('Source', (row) => row.label, 2.2),
      label('Unit', (row) => row.unit, 0.6),
      count('Adjudicated', (row) => row.adjudicated),
      count('Denied', (row) => row.denied, 0.7),
      share('Rate (count)', (row) => row.denialRateByCount),
      money('Denied dollars', (row) => row.deniedAmountCents),
      share('Rate (dollars)', (row) => row.denialRateByAmount, 1.1),
    ],
    bySource,
    'No adjudicated claim yet.',
  );
  canvas.horizontalBarChart({
    caption: 'Initial denial rate by count, per source rule',
    categories: bySource.map((row) => row.label),
    series: [{ name: 'denial rate', values: bySource.map((row) => row.denialRateByCount ?? 0) }],
    format: formatShare,
  });
  const causes = data.rootCauses;
  canvas.subheading(`Denied ${causes.unit}s by root-cause category (835 CARCs)`);
  canvas.table<DenialRootCauseRow>(
    `A ${causes.unit} with two causes counts under both`,
    [
      label('Category', (row) => row.value),
      count(`Denied ${causes.unit}s`, (row) => row.denied),
      count('Adjustments', (row) => row.adjustments),
      money('Denied dollars', (row) => row.deniedAmountCents),
    ],
    causes.rows,
    'No denial on an 835 yet.',
  );
  canvas.horizontalBarChart({
    caption: `Denied ${causes.unit}s by root-cause category`,
    categories: causes.rows.map((row) => plainText(row.value)),
    series: [{ name: 'denied', values: causes.rows.map((row) => row.denied) }],
    format: formatCount,
  });
  if (causes.unknownCarcs.length > 0) {
    canvas.table<{ carc: string; denied: number; deniedAmountCents: number }>(
      'CARCs the root-cause mapping does not list (counted as other)',
      [
        label('CARC', (row) => row.carc),
        count(`Denied ${causes.unit}s`, (row) => row.denied),
        money('Denied dollars', (row) => row.deniedAmountCents),
      ],
      causes.unknownCarcs,
      'Every CARC seen is mapped.',
    );
  }

  startSection('Payments and volume');
  canvas.table<PaymentRow>(
    'Billed, allowed and paid by payer',
    [
      label('Payer', (row) => row.value),
      count('Claims', (row) => row.claims, 0.8),
      money('Billed', (row) => row.billedAmountCents),
      money('Allowed', (row) => row.allowedAmountCents),
      money('Paid', (row) => row.paidAmountCents),
      money('Patient resp.', (row) => row.patientResponsibilityAmountCents),
    ],
    data.payments.rows,
    'No claim yet.',
  );
  canvas.table<VolumeRow>(
    'Volume by claim type',
    [
      label('Claim type', (row) => row.value),
      count('Claims', (row) => row.claims),
      count('Lines', (row) => row.lines),
      money('Paid', (row) => row.paidAmountCents),
    ],
    data.volume.rows,
    'No claim yet.',
  );

  const stamp = `${REPORT_TITLE} · as of ${asOf ?? NONE} · generated ${data.generatedAt.toISOString()}`;
  stampFooters(doc, (page, pages) => `${stamp} · page ${page} of ${pages}`);
  return doc;
}

function cover(canvas: ReportCanvas, data: KpiReportData): void {
  const { filters, pendedQueue, flow } = data;
  canvas.gap(120);
  canvas.title(REPORT_TITLE);
  canvas.line('Pended queue, denials, payments and volume', { size: 13 });
  canvas.gap(24);
  canvas.figures(
    [
      ['As of', pendedQueue.asOf ?? NONE],
      ['Event-time watermark', pendedQueue.watermark ?? NONE],
      ['Generated at', data.generatedAt.toISOString()],
      ['Flow from', flow.from ?? NONE],
      ['Flow to', flow.to ?? NONE],
    ],
    1,
  );
  canvas.gap(12);
  canvas.subheading('Filters');
  canvas.line(`from: ${filters.from ?? 'not set (30 days to the end)'}`);
  canvas.line(`to: ${filters.to ?? 'not set (the watermark)'}`);
  canvas.line(`as of: ${filters.asOf ?? 'not set (the watermark)'}`);
  canvas.gap(12);
  canvas.line('Figures are in event time, as of the watermark unless a date is set. Denials, payments and', {
    size: 9,
    colour: '#616e7c',
  });
  canvas.line('volume are totals over all claims folded (their routes take no date filter).', {
    size: 9,
    colour: '#616e7c',
  });
  canvas.line('No member identifiers: aggregates only.', { size: 9, colour: '#616e7c' });
}
