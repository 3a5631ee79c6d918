import type { DenialRateRow, DenialRootCauseRow, OpenPendByValue, PaymentRow, VolumeRow } from '@claims/kpi';
import PDFDocument from 'pdfkit';
import type { Withheld } from '../privacy/small-cell';
import type { KpiReportData } from './kpi-report.service';
import { ReportCanvas, stampFooters, type TableColumn } from './report-canvas';
import { NONE, WITHHELD, formatCount, formatMoney, formatShare, plainText } from './report-text';

export const REPORT_TITLE = 'Claims KPI report';

/** The denial source rules as the dashboard labels them. */
const DENIAL_SOURCE_LABELS: Readonly<Record<string, string>> = {
  carrier_lines: 'Carrier lines (DE-SynPUF, RIF)',
  billing_export: 'Billing export',
  remittance: '835 remittance claims',
  remittance_lines: '835 remittance service lines',
};

/** Anything that may carry withheld figures: an object of a small-cell-suppressed answer. */
interface Figures {
  suppressed?: string[];
}

/**
 * A figure as printed: WITHHELD where small-cell suppression withheld it
 * (the object names it in `suppressed`), else formatted (a null that was
 * not withheld is "no figure", NONE).
 */
function shown<Row extends Figures>(
  row: Row,
  field: keyof Row & string,
  format: (value: number | null) => string,
): string {
  if (row.suppressed?.includes(field)) return WITHHELD;
  const value: unknown = row[field];
  return format(typeof value === 'number' ? value : null);
}

/** A chart's value: null (no bar, WITHHELD) where withheld, else the figure (0 for no figure). */
function plotted<Row extends Figures>(row: Row, field: keyof Row & string): number | null {
  if (row.suppressed?.includes(field)) return null;
  const value: unknown = row[field];
  return typeof value === 'number' ? value : 0;
}

const count = <Row extends Figures>(header: string, field: keyof Row & string, weight = 1): TableColumn<Row> => ({
  header,
  weight,
  align: 'right',
  cell: (row) => shown(row, field, formatCount),
});
const money = <Row extends Figures>(header: string, field: keyof Row & string, weight = 1.3): TableColumn<Row> => ({
  header,
  weight,
  align: 'right',
  cell: (row) => shown(row, field, formatMoney),
});
const share = <Row extends Figures>(header: string, field: keyof Row & string, weight = 1): TableColumn<Row> => ({
  header,
  weight,
  align: 'right',
  cell: (row) => shown(row, field, formatShare),
});
const label = <Row>(header: string, pick: (row: Row) => string | null, weight = 2): TableColumn<Row> => ({
  header,
  weight,
  cell: (row) => plainText(pick(row)),
});

type SourceRow = Omit<Withheld<DenialRateRow>, 'value'> & { label: string; unit: string };

/**
 * Renders the report: a cover page, then the pended queue, its daily flow,
 * denials (by source and by root cause) and payments and volume, each
 * starting a page. Every figure is the KPI routes' (KpiReportService), shown
 * as the dashboard shows it; nothing in it identifies a member (no route it
 * reads returns one), and a figure small-cell suppression withheld from the
 * caller is printed WITHHELD, explained on the cover. The document is returned unended: the caller pipes it
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
  // The queue's own figures are withheld by their dotted paths (`open.claims`), named on the answer itself.
  const withheldInQueue = (path: string, text: string): string => (queue.suppressed?.includes(path) ? WITHHELD : text);
  canvas.figures([
    ['Open claims', withheldInQueue('open.claims', formatCount(queue.open.claims))],
    ['Open dollars', withheldInQueue('open.amountCents', formatMoney(queue.open.amountCents))],
    ['Average age (days)', shown(queue, 'averageAgeDays', formatCount)],
    ['Oldest (days)', shown(queue, 'oldestAgeDays', formatCount)],
    ['Days to clear p50', withheldInQueue('daysToClear.p50', formatCount(queue.daysToClear.p50))],
    ['Days to clear p90', withheldInQueue('daysToClear.p90', formatCount(queue.daysToClear.p90))],
    ['Cleared within SLA', withheldInQueue('clearedWithinSla.share', formatShare(queue.clearedWithinSla.share))],
    ['SLA (days)', formatCount(queue.clearedWithinSla.slaDays)],
  ]);
  canvas.barChart({
    caption: 'Open claims by age (days)',
    categories: queue.ageBuckets.map((bucket) => bucket.bucket),
    series: [{ name: 'open claims', values: queue.ageBuckets.map((bucket) => plotted(bucket, 'claims')) }],
    format: formatCount,
  });
  canvas.table<Withheld<OpenPendByValue>>(
    'Top pend reasons (a claim with several reasons counts under each)',
    [
      label('Reason', (row) => row.value),
      count('Open claims', 'claims'),
      money('Open dollars', 'amountCents'),
      count('Avg. age (days)', 'averageAgeDays'),
      count('Oldest (days)', 'oldestAgeDays'),
    ],
    queue.byDimension,
    'No claim is open.',
  );

  startSection('Daily inflow and outflow');
  const flow = data.flow;
  const withheldInFlow = (path: string, text: string): string => (flow.suppressed?.includes(path) ? WITHHELD : text);
  canvas.figures([
    ['From', flow.from ?? NONE],
    ['To', flow.to ?? NONE],
    ['Inflow', withheldInFlow('totals.inflowClaims', formatCount(flow.totals.inflowClaims))],
    ['Outflow', withheldInFlow('totals.outflowClaims', formatCount(flow.totals.outflowClaims))],
    ['Net', withheldInFlow('totals.netClaims', formatCount(flow.totals.netClaims))],
    ['Net dollars', withheldInFlow('totals.netAmountCents', formatMoney(flow.totals.netAmountCents))],
  ]);
  canvas.barChart({
    caption: 'Claims pended (inflow) and cleared (outflow) a day',
    categories: flow.days.map((day) => day.day ?? NONE),
    series: [
      { name: 'inflow', values: flow.days.map((day) => plotted(day, 'inflowClaims')) },
      { name: 'outflow', values: flow.days.map((day) => plotted(day, 'outflowClaims')) },
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
      count('Adjudicated', 'adjudicated'),
      count('Denied', 'denied', 0.7),
      share('Rate (count)', 'denialRateByCount'),
      money('Denied dollars', 'deniedAmountCents'),
      share('Rate (dollars)', 'denialRateByAmount', 1.1),
    ],
    bySource,
    'No adjudicated claim yet.',
  );
  canvas.horizontalBarChart({
    caption: 'Initial denial rate by count, per source rule',
    categories: bySource.map((row) => row.label),
    series: [{ name: 'denial rate', values: bySource.map((row) => plotted(row, 'denialRateByCount')) }],
    format: formatShare,
  });
  const causes = data.rootCauses;
  canvas.subheading(`Denied ${causes.unit}s by root-cause category (835 CARCs)`);
  canvas.table<Withheld<DenialRootCauseRow>>(
    `A ${causes.unit} with two causes counts under both`,
    [
      label('Category', (row) => row.value),
      count(`Denied ${causes.unit}s`, 'denied'),
      count('Adjustments', 'adjustments'),
      money('Denied dollars', 'deniedAmountCents'),
    ],
    causes.rows,
    'No denial on an 835 yet.',
  );
  canvas.horizontalBarChart({
    caption: `Denied ${causes.unit}s by root-cause category`,
    categories: causes.rows.map((row) => plainText(row.value)),
    series: [{ name: 'denied', values: causes.rows.map((row) => plotted(row, 'denied')) }],
    format: formatCount,
  });
  if (causes.unknownCarcs.length > 0) {
    canvas.table<(typeof causes.unknownCarcs)[number]>(
      'CARCs the root-cause mapping does not list (counted as other)',
      [
        label('CARC', (row) => row.carc),
        count(`Denied ${causes.unit}s`, 'denied'),
        money('Denied dollars', 'deniedAmountCents'),
      ],
      causes.unknownCarcs,
      'Every CARC seen is mapped.',
    );
  }

  startSection('Payments and volume');
  canvas.table<Withheld<PaymentRow>>(
    'Billed, allowed and paid by payer',
    [
      label('Payer', (row) => row.value),
      count('Claims', 'claims', 0.8),
      money('Billed', 'billedAmountCents'),
      money('Allowed', 'allowedAmountCents'),
      money('Paid', 'paidAmountCents'),
      money('Patient resp.', 'patientResponsibilityAmountCents'),
    ],
    data.payments.rows,
    'No claim yet.',
  );
  canvas.table<Withheld<VolumeRow>>(
    'Volume by claim type',
    [
      label('Claim type', (row) => row.value),
      count('Claims', 'claims'),
      count('Lines', 'lines'),
      money('Paid', 'paidAmountCents'),
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
  if (data.smallCellThreshold !== null) {
    const fewest = data.smallCellThreshold - 1;
    canvas.line(
      `${WITHHELD} withheld (small-cell suppression): a figure counting 1 to ${fewest} claims or members, its`,
      {
        size: 9,
        colour: '#616e7c',
      },
    );
    canvas.line('dollars and rates, and the next smallest figure where it alone would give one back.', {
      size: 9,
      colour: '#616e7c',
    });
  }
}
