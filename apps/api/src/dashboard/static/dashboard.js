// The analyst dashboard: one module, no build step, no third-party code. Every
// figure on the page is read from the /v1 KPI routes with the analyst's own
// token, so the page shows what the API lets that role see and nothing more
// (the API masks member identifiers; the page adds no data of its own).
// Text reaches the DOM through textContent only, never as markup.

const TOKEN_KEY = 'claims-dashboard.token';
const SVG = 'http://www.w3.org/2000/svg';

/**
 * The filter-bar fields each route takes, as the query parameter it takes
 * them under. The routes refuse parameters they do not know (400), so a
 * filter is sent only where it is listed here; a panel says which of the set
 * filters its route does not offer. When a route gains a parameter (payer,
 * claim type), it is one entry here.
 */
export const ROUTE_FILTERS = {
  '/v1/kpis/pended-queue': { asOf: 'asOf' },
  '/v1/kpis/pended-queue/flow': { from: 'from', to: 'to' },
  '/v1/kpis/pended-queue/work-queue': { asOf: 'asOf' },
  '/v1/kpis/denials': {},
  '/v1/kpis/denials/root-causes': {},
  '/v1/kpis/payments': {},
  '/v1/kpis/volume': {},
  '/v1/reports/kpis.pdf': { from: 'from', to: 'to', asOf: 'asOf' },
};

const FILTER_LABELS = { from: 'from', to: 'to', asOf: 'as of', payer: 'payer', claimType: 'claim type' };

/** The denial source rules: each counts its own unit (lines or claims), so they are shown side by side, never summed. */
const DENIAL_SOURCES = [
  { source: 'carrier_lines', label: 'Carrier lines (DE-SynPUF, RIF)' },
  { source: 'billing_export', label: 'Billing export' },
  { source: 'remittance', label: '835 remittance claims' },
  { source: 'remittance_lines', label: '835 remittance service lines' },
];

const WORK_QUEUE_PAGE_SIZE = 25;

const state = {
  token: /** @type {string | null} */ (null),
  filters: /** @type {Record<string, string>} */ ({}),
  /** Bumped on every load; a panel's answer is shown only if no later load of that panel began. */
  generation: 0,
  panelLoads: /** @type {Record<string, number>} */ ({}),
  /** Cursors of the work-queue pages seen: [null] is the first page. */
  workQueuePages: /** @type {Array<string | null>} */ ([null]),
  workQueueNext: /** @type {string | null} */ (null),
};

// ---------------------------------------------------------------- formatting

const countFormat = new Intl.NumberFormat('en-US');
const moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const NONE = '—';

const FORMATS = {
  text: (value) => (value === null || value === undefined || value === '' ? NONE : String(value)),
  count: (value) => (value === null || value === undefined ? NONE : countFormat.format(value)),
  days: (value) => (value === null || value === undefined ? NONE : countFormat.format(value)),
  money: (cents) => (cents === null || cents === undefined ? NONE : moneyFormat.format(cents / 100)),
  share: (ratio) => (ratio === null || ratio === undefined ? NONE : `${(ratio * 100).toFixed(1)}%`),
};

/** A cell as a CSV file holds it: numbers bare (dollars for cents), text as text. */
function csvValueOf(kind, value) {
  if (value === null || value === undefined) return null;
  if (kind === 'money') return (value / 100).toFixed(2);
  if (kind === 'text') return String(value);
  return value;
}

/**
 * One CSV cell, safe to open in a spreadsheet: the rule of the API's own
 * exports (OWASP "CSV Injection"): text quoted with inner quotes doubled, and
 * text starting with = + - @ tab or carriage return prefixed with a quote.
 */
function csvCell(value, isText) {
  if (value === null) return '';
  if (!isText) return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

// ---------------------------------------------------------------- the API

class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** The filters a route takes, as its query parameters, and the set filters it does not take. */
function routeFilters(path) {
  const offered = ROUTE_FILTERS[path] ?? {};
  const params = {};
  const notOffered = [];
  for (const [field, value] of Object.entries(state.filters)) {
    if (!value) continue;
    if (offered[field]) params[offered[field]] = value;
    else notOffered.push(field);
  }
  return { params, notOffered };
}

async function getJson(path, params) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${state.token}`, Accept: 'application/json' },
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new ApiProblem(response.status, problem);
  }
  return response.json();
}

// ---------------------------------------------------------------- DOM helpers

const $ = (selector, root = document) => root.querySelector(selector);

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function svgElement(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

function setFigure(name, text) {
  const node = $(`[data-figure="${name}"]`);
  if (node) node.textContent = text;
}

/**
 * A table with a CSV download of the same rows. `columns`: key, header,
 * kind (text, count, days, money, share) and value(row).
 */
function renderTable(container, { name, caption, columns, rows, empty = 'Nothing to show.' }) {
  container.replaceChildren();
  const table = element('table', { 'data-name': name });
  if (caption) table.append(element('caption', {}, caption));
  const head = element('tr');
  for (const column of columns) head.append(element('th', { scope: 'col' }, column.header));
  const thead = element('thead');
  thead.append(head);
  table.append(thead);
  const body = element('tbody');
  for (const row of rows) {
    const line = element('tr');
    for (const column of columns) {
      const kind = column.kind ?? 'text';
      const cell = element('td', { 'data-column': column.key, class: kind === 'text' ? 'text' : 'number' });
      cell.textContent = FORMATS[kind](column.value(row));
      line.append(cell);
    }
    body.append(line);
  }
  table.append(body);
  container.append(table);
  if (rows.length === 0) container.append(element('p', { class: 'empty' }, empty));
  const download = element('button', { type: 'button', class: 'csv', 'data-csv': name }, 'Download CSV');
  download.addEventListener('click', () => downloadCsv(name, columns, rows));
  container.append(download);
}

function downloadCsv(name, columns, rows) {
  const lines = [columns.map((column) => csvCell(column.key, true)).join(',')];
  for (const row of rows) {
    lines.push(
      columns
        .map((column) => {
          const kind = column.kind ?? 'text';
          return csvCell(csvValueOf(kind, column.value(row)), kind === 'text');
        })
        .join(','),
    );
  }
  const blob = new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
  const link = element('a', { href: URL.createObjectURL(blob), download: `${name}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

/**
 * The PDF report of the panels, for the filters applied. Fetched with the
 * token and saved from memory, as the CSV files are: a plain link could not
 * send the token.
 */
async function downloadReport() {
  const path = '/v1/reports/kpis.pdf';
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(routeFilters(path).params)) url.searchParams.set(name, value);
  $('#status').textContent = 'Preparing the PDF report…';
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${state.token}`, Accept: 'application/pdf' },
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new ApiProblem(response.status, problem);
  }
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([A-Za-z0-9._-]+)"/.exec(disposition)?.[1] ?? 'claims-kpi-report.pdf';
  const link = element('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
  $('#status').textContent = `PDF report downloaded (${filename})`;
}

/**
 * A bar chart in inline SVG: one group of bars per category, one bar per
 * series. Each bar carries its value (data-value) and a tooltip.
 */
function renderBarChart(figure, { series, categories, labelEvery = 1 }) {
  for (const old of figure.querySelectorAll('svg, .legend')) old.remove();
  const width = 640;
  const height = 220;
  const margin = { top: 10, right: 10, bottom: 30, left: 44 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const max = Math.max(1, ...categories.flatMap((category) => series.map((line) => line.value(category))));
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'bars' });
  const band = plotWidth / Math.max(1, categories.length);
  const barWidth = Math.max(1, (band * 0.8) / series.length);
  svg.append(
    svgElement('line', {
      x1: margin.left,
      x2: width - margin.right,
      y1: margin.top + plotHeight,
      y2: margin.top + plotHeight,
      class: 'axis',
    }),
  );
  const top = svgElement('text', { x: margin.left - 6, y: margin.top + 10, class: 'tick', 'text-anchor': 'end' });
  top.textContent = countFormat.format(max);
  svg.append(top);
  categories.forEach((category, index) => {
    series.forEach((line, position) => {
      const value = line.value(category);
      const barHeight = (value / max) * plotHeight;
      const bar = svgElement('rect', {
        x: margin.left + index * band + band * 0.1 + position * barWidth,
        y: margin.top + plotHeight - barHeight,
        width: barWidth,
        height: barHeight,
        class: `series-${position}`,
        'data-series': line.name,
        'data-category': line.category(category),
        'data-value': value,
      });
      const tooltip = svgElement('title');
      tooltip.textContent = `${line.name}, ${line.category(category)}: ${countFormat.format(value)}`;
      bar.append(tooltip);
      svg.append(bar);
    });
    if (index % labelEvery === 0) {
      const label = svgElement('text', {
        x: margin.left + index * band + band / 2,
        y: height - 10,
        class: 'tick',
        'text-anchor': 'middle',
      });
      label.textContent = series[0]?.category(category) ?? '';
      svg.append(label);
    }
  });
  figure.append(svg);
  const legend = element('p', { class: 'legend' });
  series.forEach((line, position) => legend.append(element('span', { class: `key series-${position}` }, line.name)));
  figure.append(legend);
}

// ---------------------------------------------------------------- panels

function panelNotes(panel, notOffered) {
  const applied = $('.applied', panel);
  applied.textContent =
    notOffered.length === 0
      ? ''
      : `Not offered by this route, so not applied: ${notOffered.map((field) => FILTER_LABELS[field]).join(', ')}.`;
}

async function loadPendedQueue(current) {
  const path = '/v1/kpis/pended-queue';
  const { params, notOffered } = routeFilters(path);
  const body = await getJson(path, { ...params, groupBy: 'reason' });
  if (!current()) return;
  const panel = $('#panel-pended-queue');
  panelNotes(panel, notOffered);
  setFigure('as-of', FORMATS.text(body.asOf));
  setFigure('open-claims', FORMATS.count(body.open.claims));
  setFigure('open-amount', FORMATS.money(body.open.amountCents));
  setFigure('average-age', FORMATS.days(body.averageAgeDays));
  setFigure('oldest-age', FORMATS.days(body.oldestAgeDays));
  setFigure('days-to-clear-p50', FORMATS.days(body.daysToClear.p50));
  setFigure('days-to-clear-p90', FORMATS.days(body.daysToClear.p90));
  setFigure('within-sla-share', FORMATS.share(body.clearedWithinSla.share));
  renderBarChart($('[data-chart="age-buckets"]', panel), {
    categories: body.ageBuckets,
    series: [{ name: 'open claims', value: (bucket) => bucket.claims, category: (bucket) => bucket.bucket }],
  });
  renderTable($('[data-table="pended-by-reason"]', panel), {
    name: 'pended-by-reason',
    caption: 'Open claims by pend reason (a claim with several reasons counts under each)',
    rows: body.byDimension,
    columns: [
      { key: 'reason', header: 'Reason', value: (row) => row.value },
      { key: 'claims', header: 'Open claims', kind: 'count', value: (row) => row.claims },
      { key: 'amount', header: 'Open dollars', kind: 'money', value: (row) => row.amountCents },
      { key: 'average_age_days', header: 'Average age (days)', kind: 'days', value: (row) => row.averageAgeDays },
      { key: 'oldest_age_days', header: 'Oldest (days)', kind: 'days', value: (row) => row.oldestAgeDays },
    ],
  });
}

async function loadFlow(current) {
  const path = '/v1/kpis/pended-queue/flow';
  const { params, notOffered } = routeFilters(path);
  const body = await getJson(path, params);
  if (!current()) return;
  const panel = $('#panel-flow');
  panelNotes(panel, notOffered);
  setFigure('flow-from', FORMATS.text(body.from));
  setFigure('flow-to', FORMATS.text(body.to));
  setFigure('flow-inflow', FORMATS.count(body.totals.inflowClaims));
  setFigure('flow-outflow', FORMATS.count(body.totals.outflowClaims));
  setFigure('flow-net', FORMATS.count(body.totals.netClaims));
  renderBarChart($('[data-chart="flow"]', panel), {
    categories: body.days,
    labelEvery: Math.max(1, Math.ceil(body.days.length / 8)),
    series: [
      { name: 'inflow', value: (day) => day.inflowClaims, category: (day) => day.day },
      { name: 'outflow', value: (day) => day.outflowClaims, category: (day) => day.day },
    ],
  });
}

async function loadWorkQueue(current) {
  const path = '/v1/kpis/pended-queue/work-queue';
  const { params, notOffered } = routeFilters(path);
  const cursor = state.workQueuePages[state.workQueuePages.length - 1] ?? null;
  // A cursor belongs to the queue as of one date, which it carries: asOf goes with the first page only.
  const query = cursor === null ? { ...params, limit: WORK_QUEUE_PAGE_SIZE } : { limit: WORK_QUEUE_PAGE_SIZE, cursor };
  const body = await getJson(path, query);
  if (!current()) return;
  const panel = $('#panel-work-queue');
  panelNotes(panel, notOffered);
  state.workQueueNext = body.nextCursor;
  renderTable($('[data-table="work-queue"]', panel), {
    name: 'work-queue',
    caption: `Claims open as of ${body.asOf ?? NONE}`,
    rows: body.items,
    empty: 'No claim is open.',
    columns: [
      { key: 'claim_id', header: 'Claim', value: (item) => item.claimId },
      { key: 'pended_on', header: 'Pended on', value: (item) => item.pendedOn },
      { key: 'age_days', header: 'Age (days)', kind: 'days', value: (item) => item.ageDays },
      { key: 'queue', header: 'Queue', value: (item) => item.queue },
      { key: 'reasons', header: 'Reasons', value: (item) => item.reasons.join(', ') },
      { key: 'claim_type', header: 'Claim type', value: (item) => item.claimType },
      { key: 'payer', header: 'Payer', value: (item) => item.payer },
      { key: 'provider_group', header: 'Provider group', value: (item) => item.providerGroup },
      { key: 'rendering_npi', header: 'Rendering NPI', value: (item) => item.renderingNpi },
      { key: 'state', header: 'State', value: (item) => item.state },
      { key: 'amount', header: 'Amount', kind: 'money', value: (item) => item.amountCents },
    ],
  });
  setFigure('work-queue-page', `Page ${state.workQueuePages.length}`);
  $('[data-page="next"]', panel).disabled = body.nextCursor === null;
  $('[data-page="first"]', panel).disabled = state.workQueuePages.length === 1;
}

const denialColumns = (first) => [
  first,
  { key: 'adjudicated', header: 'Adjudicated', kind: 'count', value: (row) => row.adjudicated },
  { key: 'denied', header: 'Denied', kind: 'count', value: (row) => row.denied },
  { key: 'denial_rate_by_count', header: 'Denial rate (count)', kind: 'share', value: (row) => row.denialRateByCount },
  {
    key: 'adjudicated_amount',
    header: 'Adjudicated dollars',
    kind: 'money',
    value: (row) => row.adjudicatedAmountCents,
  },
  { key: 'denied_amount', header: 'Denied dollars', kind: 'money', value: (row) => row.deniedAmountCents },
  {
    key: 'denial_rate_by_amount',
    header: 'Denial rate (dollars)',
    kind: 'share',
    value: (row) => row.denialRateByAmount,
  },
];

async function loadDenials(current) {
  const path = '/v1/kpis/denials';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-denials');
  const groupBy = $('[name="denialsGroupBy"]', panel).value;
  const answers = await Promise.all(DENIAL_SOURCES.map(({ source }) => getJson(path, { ...params, source, groupBy })));
  if (!current()) return;
  panelNotes(panel, notOffered);
  const bySource = answers.map((answer, index) => ({
    ...answer.total,
    label: DENIAL_SOURCES[index].label,
    source: answer.source,
    unit: answer.unit,
  }));
  renderTable($('[data-table="denials-by-source"]', panel), {
    name: 'denials-by-source',
    caption: 'By source rule (each counts its own unit; never added together)',
    rows: bySource,
    columns: [
      { key: 'source', header: 'Source', value: (row) => row.label },
      { key: 'unit', header: 'Unit', value: (row) => row.unit },
      ...denialColumns({ key: 'source_rule', header: 'Rule', value: (row) => row.source }).slice(1),
    ],
  });
  const holder = $('[data-tables="denials-by-dimension"]', panel);
  holder.replaceChildren();
  answers.forEach((answer) => {
    const container = element('div', { class: 'table', 'data-table': `denials-${answer.source}` });
    holder.append(container);
    renderTable(container, {
      name: `denials-${answer.source}-by-${answer.groupBy}`,
      caption: `${DENIAL_SOURCES.find((entry) => entry.source === answer.source)?.label ?? answer.source} by ${answer.groupBy.replace('_', ' ')} (${answer.unit}s)`,
      rows: answer.rows,
      columns: denialColumns({
        key: answer.groupBy,
        header: answer.groupBy.replace('_', ' '),
        value: (row) => row.value,
      }),
    });
  });
}

async function loadRootCauses(current) {
  const path = '/v1/kpis/denials/root-causes';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-root-causes');
  const body = await getJson(path, {
    ...params,
    groupBy: $('[name="rootCausesGroupBy"]', panel).value,
    source: $('[name="rootCausesSource"]', panel).value,
  });
  if (!current()) return;
  panelNotes(panel, notOffered);
  renderTable($('[data-table="root-causes"]', panel), {
    name: `denial-root-causes-${body.source}-by-${body.groupBy}`,
    caption: `Denied ${body.unit}s by ${body.groupBy} (a ${body.unit} with two causes counts under both)`,
    rows: body.rows,
    empty: 'No denial on an 835 yet.',
    columns: [
      { key: body.groupBy, header: body.groupBy === 'carc' ? 'CARC' : body.groupBy, value: (row) => row.value },
      { key: 'denied', header: `Denied ${body.unit}s`, kind: 'count', value: (row) => row.denied },
      { key: 'adjustments', header: 'Adjustments', kind: 'count', value: (row) => row.adjustments },
      { key: 'denied_amount', header: 'Denied dollars', kind: 'money', value: (row) => row.deniedAmountCents },
    ],
  });
  renderTable($('[data-table="unknown-carcs"]', panel), {
    name: `denial-unknown-carcs-${body.source}`,
    caption: 'CARCs the root-cause mapping does not list (counted as other)',
    rows: body.unknownCarcs,
    empty: 'Every CARC seen is mapped.',
    columns: [
      { key: 'carc', header: 'CARC', value: (row) => row.carc },
      { key: 'denied', header: `Denied ${body.unit}s`, kind: 'count', value: (row) => row.denied },
      { key: 'denied_amount', header: 'Denied dollars', kind: 'money', value: (row) => row.deniedAmountCents },
    ],
  });
}

async function loadPayments(current) {
  const path = '/v1/kpis/payments';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-payments');
  const body = await getJson(path, { ...params, groupBy: $('[name="paymentsGroupBy"]', panel).value });
  if (!current()) return;
  panelNotes(panel, notOffered);
  if (body.groupBy === 'payer') fillChoices('payers', body.rows);
  renderTable($('[data-table="payments"]', panel), {
    name: `payments-by-${body.groupBy}`,
    rows: body.rows,
    columns: [
      { key: body.groupBy, header: body.groupBy.replace('_', ' '), value: (row) => row.value },
      { key: 'claims', header: 'Claims', kind: 'count', value: (row) => row.claims },
      { key: 'billed', header: 'Billed', kind: 'money', value: (row) => row.billedAmountCents },
      { key: 'allowed', header: 'Allowed', kind: 'money', value: (row) => row.allowedAmountCents },
      { key: 'paid', header: 'Paid', kind: 'money', value: (row) => row.paidAmountCents },
      {
        key: 'patient_responsibility',
        header: 'Patient responsibility',
        kind: 'money',
        value: (row) => row.patientResponsibilityAmountCents,
      },
    ],
  });
}

async function loadVolume(current) {
  const path = '/v1/kpis/volume';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-volume');
  const body = await getJson(path, { ...params, groupBy: $('[name="volumeGroupBy"]', panel).value });
  if (!current()) return;
  panelNotes(panel, notOffered);
  if (body.groupBy === 'claim_type') fillChoices('claim-types', body.rows);
  renderTable($('[data-table="volume"]', panel), {
    name: `volume-by-${body.groupBy}`,
    rows: body.rows,
    columns: [
      { key: body.groupBy, header: body.groupBy.replace('_', ' '), value: (row) => row.value },
      { key: 'claims', header: 'Claims', kind: 'count', value: (row) => row.claims },
      { key: 'lines', header: 'Lines', kind: 'count', value: (row) => row.lines },
      { key: 'paid', header: 'Paid', kind: 'money', value: (row) => row.paidAmountCents },
    ],
  });
}

function fillChoices(listId, rows) {
  const list = document.getElementById(listId);
  list?.replaceChildren(...rows.map((row) => element('option', { value: row.value })));
}

const PANELS = {
  'panel-pended-queue': loadPendedQueue,
  'panel-flow': loadFlow,
  'panel-work-queue': loadWorkQueue,
  'panel-denials': loadDenials,
  'panel-root-causes': loadRootCauses,
  'panel-payments': loadPayments,
  'panel-volume': loadVolume,
};

/** Loads the named panels (all by default); a failing panel shows its problem and the others carry on. */
async function load(panelIds = Object.keys(PANELS)) {
  state.generation += 1;
  const generation = state.generation;
  const main = $('#dashboard');
  main.dataset.state = 'loading';
  $('#status').textContent = 'Loading…';
  const outcomes = await Promise.allSettled(
    panelIds.map(async (id) => {
      const panel = document.getElementById(id);
      const error = $('.error', panel);
      state.panelLoads[id] = generation;
      const current = () => state.panelLoads[id] === generation && state.token !== null;
      try {
        await PANELS[id](current);
        if (current()) error.textContent = '';
      } catch (failure) {
        if (current()) error.textContent = describe(failure);
        throw failure;
      }
    }),
  );
  if (generation !== state.generation) return;
  const unauthenticated = outcomes.find((outcome) => outcome.status === 'rejected' && outcome.reason?.status === 401);
  if (unauthenticated) {
    signOut(`Signed out: ${describe(unauthenticated.reason)}`);
    return;
  }
  const failed = outcomes.filter((outcome) => outcome.status === 'rejected').length;
  $('#status').textContent =
    failed === 0 ? `Updated ${new Date().toLocaleTimeString('en-US')}` : `${failed} panel(s) could not be loaded`;
  main.dataset.generation = String(generation);
  main.dataset.state = 'ready';
}

function describe(failure) {
  if (failure instanceof ApiProblem) {
    const problem = failure.problem;
    return problem ? `${problem.title}: ${problem.detail} (${problem.code})` : failure.message;
  }
  return 'The API could not be reached.';
}

// ---------------------------------------------------------------- session

/** What a signed token says about its holder, for display only: the API checks the signature, not the page. */
function tokenHolder(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return 'signed in';
  try {
    const payload = JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')));
    const until =
      typeof payload.exp === 'number' ? `, until ${new Date(payload.exp * 1000).toLocaleString('en-US')}` : '';
    return `${payload.sub ?? 'someone'} (${payload.role ?? 'no role'})${until}`;
  } catch {
    return 'signed in';
  }
}

function signIn(token) {
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('#sign-in').hidden = true;
  $('#dashboard').hidden = false;
  $('#sign-out').hidden = false;
  $('#session').textContent = tokenHolder(token);
  void load();
}

function signOut(reason = '') {
  state.token = null;
  state.generation += 1;
  sessionStorage.removeItem(TOKEN_KEY);
  // Nothing the last holder could read stays on the page.
  for (const node of document.querySelectorAll('[data-figure]')) node.textContent = '';
  for (const node of document.querySelectorAll('.table, [data-tables]')) node.replaceChildren();
  for (const node of document.querySelectorAll('figure svg, figure .legend')) node.remove();
  $('#dashboard').hidden = true;
  $('#dashboard').dataset.state = 'signed-out';
  $('#sign-out').hidden = true;
  $('#session').textContent = '';
  $('#sign-in').hidden = false;
  $('#sign-in-error').textContent = reason;
  $('#token-input').value = '';
}

function readFilters() {
  const form = $('#filters');
  const data = new FormData(form);
  const filters = {};
  for (const field of Object.keys(FILTER_LABELS)) filters[field] = String(data.get(field) ?? '').trim();
  return filters;
}

function start() {
  $('#sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('#token-input').value.trim();
    if (token) signIn(token);
  });
  $('#sign-out').addEventListener('click', () => signOut());
  $('#pdf-report').addEventListener('click', () => {
    downloadReport().catch((failure) => {
      if (failure instanceof ApiProblem && failure.status === 401) signOut(`Signed out: ${describe(failure)}`);
      else $('#status').textContent = `The PDF report could not be made: ${describe(failure)}`;
    });
  });
  $('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    state.filters = readFilters();
    state.workQueuePages = [null];
    void load();
  });
  $('#filters').addEventListener('reset', () => {
    state.filters = {};
    state.workQueuePages = [null];
    // The form clears its fields after this event; load once it has.
    setTimeout(() => void load(), 0);
  });
  $('#panel-work-queue [data-page="next"]').addEventListener('click', () => {
    if (state.workQueueNext === null) return;
    state.workQueuePages.push(state.workQueueNext);
    void load(['panel-work-queue']);
  });
  $('#panel-work-queue [data-page="first"]').addEventListener('click', () => {
    state.workQueuePages = [null];
    void load(['panel-work-queue']);
  });
  for (const [name, panel] of [
    ['denialsGroupBy', 'panel-denials'],
    ['rootCausesGroupBy', 'panel-root-causes'],
    ['rootCausesSource', 'panel-root-causes'],
    ['paymentsGroupBy', 'panel-payments'],
    ['volumeGroupBy', 'panel-volume'],
  ]) {
    $(`[name="${name}"]`).addEventListener('change', () => void load([panel]));
  }
  const kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) signIn(kept);
  else signOut();
}

start();
