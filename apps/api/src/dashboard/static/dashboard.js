// The analyst dashboard: ES modules, no build step, no third-party code. Every
// figure on the page is read from the /v1 routes with the signed-in user's own
// token, so the page shows what the API lets that role see and nothing more
// (the API masks member identifiers and withholds small cells; the page adds
// no data of its own). Text reaches the DOM through textContent only, never
// as markup. This module holds the KPI panels, their loading and live
// refresh, and the session; claim.js the claim panel, uploads.js the upload
// section, api.js the calls, dom.js tables and charts.

import { ApiProblem, describe, may, problemOf, session, getJson } from './api.js';
import { claimHref, claimInLocation, closeClaim, forgetClaimInLocation, openClaim } from './claim.js';
import {
  $,
  FORMATS,
  NONE,
  countFormat,
  element,
  fillChoices,
  isWithheld,
  renderBarChart,
  renderTable,
  rowButton,
  saveFile,
  setFigure,
  showFigure,
  withholdsAny,
} from './dom.js';
import { loadIngestedFiles, resetUploads, submitUpload } from './uploads.js';

const TOKEN_KEY = 'claims-dashboard.token';

/** How often live refresh asks the panels' routes again (If-None-Match: an unchanged panel costs a 304). */
const LIVE_REFRESH_MS = 5_000;

/** The pended-queue routes' dimension filters: each filter-bar field under its own name. */
const PEND_FILTERS = {
  payer: 'payer',
  providerGroup: 'providerGroup',
  renderingProvider: 'renderingProvider',
  state: 'state',
  claimType: 'claimType',
  reason: 'reason',
  queue: 'queue',
};

/**
 * The denial, payment and volume routes' claim filters: the pended queue's
 * claim fields, and the date range read as the claims' service dates.
 */
const CLAIM_FILTERS = {
  from: 'serviceFrom',
  to: 'serviceTo',
  payer: 'payer',
  providerGroup: 'providerGroup',
  renderingProvider: 'renderingProvider',
  state: 'state',
  claimType: 'claimType',
};

/**
 * The filter-bar fields each route takes, as the query parameter it takes
 * them under. The routes refuse parameters they do not know (400), so a
 * filter is sent only where it is listed here; a panel says which of the set
 * filters its route does not offer. When a route gains a parameter, it is one
 * entry here.
 */
export const ROUTE_FILTERS = {
  '/v1/kpis/pended-queue': { asOf: 'asOf', ...PEND_FILTERS },
  '/v1/kpis/pended-queue/flow': { from: 'from', to: 'to', ...PEND_FILTERS },
  '/v1/kpis/pended-queue/work-queue': { asOf: 'asOf', ...PEND_FILTERS },
  '/v1/kpis/denials': CLAIM_FILTERS,
  '/v1/kpis/denials/root-causes': CLAIM_FILTERS,
  '/v1/kpis/payments': CLAIM_FILTERS,
  '/v1/kpis/volume': CLAIM_FILTERS,
  // The date range bounds the first submission (837 BHT04); the payer is the 837's.
  '/v1/kpis/claim-lifecycle': {
    from: 'from',
    to: 'to',
    payer: 'payer',
    providerGroup: 'providerGroup',
    renderingProvider: 'renderingProvider',
    state: 'state',
    claimType: 'claimType',
  },
  '/v1/reports/kpis.pdf': { from: 'from', to: 'to', asOf: 'asOf' },
};

const FILTER_LABELS = {
  from: 'from',
  to: 'to',
  asOf: 'as of',
  payer: 'payer',
  claimType: 'claim type',
  providerGroup: 'provider group',
  renderingProvider: 'rendering provider',
  state: 'state',
  reason: 'pend reason',
  queue: 'queue',
};

/** The denial source rules: each counts its own unit (lines or claims), so they are shown side by side, never summed. */
const DENIAL_SOURCES = [
  { source: 'carrier_lines', label: 'Carrier lines (DE-SynPUF, RIF)' },
  { source: 'billing_export', label: 'Billing export' },
  { source: 'remittance', label: '835 remittance claims' },
  { source: 'remittance_lines', label: '835 remittance service lines' },
];

const WORK_QUEUE_PAGE_SIZE = 25;

const state = {
  /** Each role's permissions, as the API's table has them (/dashboard/roles.json). */
  roles: /** @type {Record<string, string[]> | null} */ (null),
  filters: /** @type {Record<string, string>} */ ({}),
  /** Bumped on every load; a panel's answer is shown only if no later load of that panel began. */
  generation: 0,
  panelLoads: /** @type {Record<string, number>} */ ({}),
  /** Loads the user asked for that are still running: live refresh waits for them. */
  loadsRunning: 0,
  /** Cursors of the work-queue pages seen: [null] is the first page. */
  workQueuePages: /** @type {Array<string | null>} */ ([null]),
  workQueueNext: /** @type {string | null} */ (null),
  /** The age bucket the work queue was opened at (from the age chart), else null. */
  workQueueAge: /** @type {{ bucket: string, minAgeDays: number, maxAgeDays: number | null } | null} */ (null),
  live: { enabled: true, timer: /** @type {number | null} */ (null), loop: 0 },
  /** When a load last drew new figures, when one last found them unchanged, and how many panels failed. */
  updatedAt: /** @type {Date | null} */ (null),
  checkedAt: /** @type {Date | null} */ (null),
  failedPanels: 0,
  /** Panels a failed load emptied: drawn by the next answer, even a 304 of live refresh. */
  blankPanels: /** @type {Set<string>} */ (new Set()),
};

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

/**
 * The PDF report of the panels, for the filters applied. Fetched with the
 * token and saved from memory, as the CSV files are: a plain link could not
 * send the token.
 */
async function downloadReport() {
  const path = '/v1/reports/kpis.pdf';
  const url = new URL(path, window.location.origin);
  const { params, notOffered } = routeFilters(path);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  $('#report-status').textContent = 'Preparing the PDF report…';
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${session.token}`, Accept: 'application/pdf' },
  });
  if (!response.ok) throw await problemOf(response);
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([A-Za-z0-9._-]+)"/.exec(disposition)?.[1] ?? 'claims-kpi-report.pdf';
  saveFile(blob, filename);
  // The report takes the dates only: a payer or state set in the filter bar would pass for applied to its figures.
  const unapplied =
    notOffered.length > 0
      ? ` Not offered by the report, so not applied: ${notOffered.map((field) => FILTER_LABELS[field]).join(', ')}.`
      : '';
  $('#report-status').textContent = `PDF report downloaded (${filename}).${unapplied}`;
}

// ---------------------------------------------------------------- panels

/** The panel's notes: the filters its route does not take, and whether the API withheld small cells of it. */
function panelNotes(panel, notOffered, ...answers) {
  const notes = [];
  if (notOffered.length > 0) {
    notes.push(
      `Not offered by this route, so not applied: ${notOffered.map((field) => FILTER_LABELS[field]).join(', ')}.`,
    );
  }
  if (answers.some(withholdsAny)) notes.push('Figures of too few claims are withheld for your role.');
  $('.applied', panel).textContent = notes.join(' ');
}

async function loadPendedQueue(read) {
  const path = '/v1/kpis/pended-queue';
  const { params, notOffered } = routeFilters(path);
  const body = await read.get(path, { ...params, groupBy: 'reason' });
  if (!read.shows()) return;
  const panel = $('#panel-pended-queue');
  panelNotes(panel, notOffered, body);
  setFigure('as-of', FORMATS.text(body.asOf));
  showFigure('open-claims', body, 'open.claims', 'count');
  showFigure('open-amount', body, 'open.amountCents', 'money');
  showFigure('average-age', body, 'averageAgeDays', 'days');
  showFigure('oldest-age', body, 'oldestAgeDays', 'days');
  showFigure('days-to-clear-p50', body, 'daysToClear.p50', 'days');
  showFigure('days-to-clear-p90', body, 'daysToClear.p90', 'days');
  showFigure('within-sla-share', body, 'clearedWithinSla.share', 'share');
  renderBarChart($('[data-chart="age-buckets"]', panel), {
    categories: body.ageBuckets,
    series: [
      {
        name: 'open claims',
        value: (bucket) => bucket.claims,
        withheld: (bucket) => isWithheld(bucket, 'claims'),
        category: (bucket) => bucket.bucket,
      },
    ],
    onPick: (bucket) => openWorkQueueAtAge(bucket),
    pickLabel: (bucket) =>
      `Open the work queue at age ${bucket.bucket} days (${countFormat.format(bucket.claims)} open claims)`,
  });
  if (!state.filters.reason) fillChoices('pend-reasons', body.byDimension);
  renderTable($('[data-table="pended-by-reason"]', panel), {
    name: 'pended-by-reason',
    caption: 'Open claims by pend reason (a claim with several reasons counts under each): pick one for its work queue',
    rows: body.byDimension,
    columns: [
      {
        key: 'reason',
        header: 'Reason',
        value: (row) => row.value,
        control: (row, text) =>
          rowButton(text, `Open the work queue of the claims pended for ${text}`, () =>
            openWorkQueueForReason(row.value),
          ),
      },
      { key: 'claims', header: 'Open claims', kind: 'count', field: 'claims' },
      { key: 'amount', header: 'Open dollars', kind: 'money', field: 'amountCents' },
      { key: 'average_age_days', header: 'Average age (days)', kind: 'days', field: 'averageAgeDays' },
      { key: 'oldest_age_days', header: 'Oldest (days)', kind: 'days', field: 'oldestAgeDays' },
    ],
  });
}

async function loadFlow(read) {
  const path = '/v1/kpis/pended-queue/flow';
  const { params, notOffered } = routeFilters(path);
  const body = await read.get(path, params);
  if (!read.shows()) return;
  const panel = $('#panel-flow');
  panelNotes(panel, notOffered, body);
  setFigure('flow-from', FORMATS.text(body.from));
  setFigure('flow-to', FORMATS.text(body.to));
  showFigure('flow-inflow', body, 'totals.inflowClaims', 'count');
  showFigure('flow-outflow', body, 'totals.outflowClaims', 'count');
  showFigure('flow-net', body, 'totals.netClaims', 'count');
  renderBarChart($('[data-chart="flow"]', panel), {
    categories: body.days,
    labelEvery: Math.max(1, Math.ceil(body.days.length / 8)),
    series: [
      {
        name: 'inflow',
        value: (day) => day.inflowClaims,
        withheld: (day) => isWithheld(day, 'inflowClaims'),
        category: (day) => day.day,
      },
      {
        name: 'outflow',
        value: (day) => day.outflowClaims,
        withheld: (day) => isWithheld(day, 'outflowClaims'),
        category: (day) => day.day,
      },
    ],
  });
}

/** The work queue's order: oldest first is the route's default, so only another order is sent. */
function workQueueSort() {
  const sort = $('[name="workQueueSort"]').value;
  return sort === 'age' ? {} : { sort };
}

/** The age bucket the queue was opened at, as the route's age range (inclusive days at the as-of date). */
function workQueueAgeRange() {
  const age = state.workQueueAge;
  if (age === null) return {};
  return age.maxAgeDays === null
    ? { minAgeDays: age.minAgeDays }
    : { minAgeDays: age.minAgeDays, maxAgeDays: age.maxAgeDays };
}

/**
 * The work-queue query of a page: a cursor carries its as-of date, so asOf
 * goes with the first page only; the sort, filters and age range go with
 * every page (the route refuses a cursor used under others).
 */
function workQueueQuery(params, cursor, limit) {
  const { asOf, ...rest } = params;
  const query = { ...rest, ...workQueueSort(), ...workQueueAgeRange(), limit };
  return cursor === null ? { ...query, asOf } : { ...query, cursor };
}

async function loadWorkQueue(read) {
  const path = '/v1/kpis/pended-queue/work-queue';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-work-queue');
  const cursor = state.workQueuePages[state.workQueuePages.length - 1] ?? null;
  const body = await read.get(path, workQueueQuery(params, cursor, WORK_QUEUE_PAGE_SIZE));
  if (!read.shows()) return;
  panelNotes(panel, notOffered);
  state.workQueueNext = body.nextCursor;
  const byAmount = $('[name="workQueueSort"]', panel).value === 'amount';
  const claimLinks = may('claims:read');
  const where = [
    ...Object.entries(routeFilters(path).params)
      .filter(([name]) => name !== 'asOf')
      .map(([name, value]) => `${FILTER_LABELS[name] ?? name} ${value}`),
    ...(state.workQueueAge ? [`aged ${state.workQueueAge.bucket} days`] : []),
  ];
  renderTable($('[data-table="work-queue"]', panel), {
    name: 'work-queue',
    caption:
      `Claims open as of ${body.asOf ?? NONE}, ${byAmount ? 'largest amount first' : 'oldest first'}` +
      (where.length > 0 ? `: ${where.join(', ')}` : '') +
      (claimLinks ? '. Pick a claim for its detail and lineage.' : ''),
    rows: body.items,
    empty: state.workQueueAge ? `No open claim is aged ${state.workQueueAge.bucket} days.` : 'No claim is open.',
    columns: [
      {
        key: 'claim_id',
        header: 'Claim',
        value: (item) => item.claimId,
        control: claimLinks
          ? (item, text) => element('a', { href: claimHref(item.claimId), class: 'claim-link' }, text)
          : undefined,
      },
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
  if (!state.filters.queue) fillChoices('pend-queues', distinct(body.items.map((item) => item.queue)));
  setFigure(
    'work-queue-page',
    `Page ${state.workQueuePages.length}${state.workQueueAge ? ` of the claims aged ${state.workQueueAge.bucket} days` : ''}`,
  );
  $('[data-page="next"]', panel).disabled = body.nextCursor === null;
  $('[data-page="first"]', panel).disabled = state.workQueuePages.length === 1 && state.workQueueAge === null;
}

const distinct = (values) => [...new Set(values)].sort().map((value) => ({ value }));

/** The work queue from its first page, as the filters and order now say; the panel is brought into view. */
function showWorkQueue({ age = null } = {}) {
  state.workQueueAge = age;
  state.workQueuePages = [null];
  return load(['panel-work-queue']).then(() => $('#work-queue-title').focus());
}

/** Click-through from the pend-reason table: the filter bar's pend reason set to it, every panel reloaded. */
function openWorkQueueForReason(reason) {
  $('#filters [name="reason"]').value = reason;
  // What else is typed in the filter bar is applied with the reason, so it is held to Apply's check.
  const refusal = filtersRefusal();
  $('#filters-error').textContent = refusal ?? '';
  if (refusal !== null) return;
  state.filters = readFilters();
  state.workQueueAge = null;
  state.workQueuePages = [null];
  void load().then(() => $('#work-queue-title').focus());
}

/** Click-through from the age chart: the work queue of the claims of that age bucket, oldest first. */
function openWorkQueueAtAge(bucket) {
  $('[name="workQueueSort"]').value = 'age';
  void showWorkQueue({ age: { bucket: bucket.bucket, minAgeDays: bucket.minAgeDays, maxAgeDays: bucket.maxAgeDays } });
}

const denialColumns = (first) => [
  first,
  { key: 'adjudicated', header: 'Adjudicated', kind: 'count', field: 'adjudicated' },
  { key: 'denied', header: 'Denied', kind: 'count', field: 'denied' },
  { key: 'denial_rate_by_count', header: 'Denial rate (count)', kind: 'share', field: 'denialRateByCount' },
  { key: 'adjudicated_amount', header: 'Adjudicated dollars', kind: 'money', field: 'adjudicatedAmountCents' },
  { key: 'denied_amount', header: 'Denied dollars', kind: 'money', field: 'deniedAmountCents' },
  { key: 'denial_rate_by_amount', header: 'Denial rate (dollars)', kind: 'share', field: 'denialRateByAmount' },
];

async function loadDenials(read) {
  const path = '/v1/kpis/denials';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-denials');
  const groupBy = $('[name="denialsGroupBy"]', panel).value;
  const answers = await Promise.all(DENIAL_SOURCES.map(({ source }) => read.get(path, { ...params, source, groupBy })));
  if (!read.shows()) return;
  panelNotes(panel, notOffered, ...answers);
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

async function loadRootCauses(read) {
  const path = '/v1/kpis/denials/root-causes';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-root-causes');
  const body = await read.get(path, {
    ...params,
    groupBy: $('[name="rootCausesGroupBy"]', panel).value,
    source: $('[name="rootCausesSource"]', panel).value,
  });
  if (!read.shows()) return;
  panelNotes(panel, notOffered, body);
  renderTable($('[data-table="root-causes"]', panel), {
    name: `denial-root-causes-${body.source}-by-${body.groupBy}`,
    caption: `Denied ${body.unit}s by ${body.groupBy} (a ${body.unit} with two causes counts under both)`,
    rows: body.rows,
    empty: 'No denial on an 835 yet.',
    columns: [
      { key: body.groupBy, header: body.groupBy === 'carc' ? 'CARC' : body.groupBy, value: (row) => row.value },
      { key: 'denied', header: `Denied ${body.unit}s`, kind: 'count', field: 'denied' },
      { key: 'adjustments', header: 'Adjustments', kind: 'count', field: 'adjustments' },
      { key: 'denied_amount', header: 'Denied dollars', kind: 'money', field: 'deniedAmountCents' },
    ],
  });
  renderTable($('[data-table="unknown-carcs"]', panel), {
    name: `denial-unknown-carcs-${body.source}`,
    caption: 'CARCs the root-cause mapping does not list (counted as other)',
    rows: body.unknownCarcs,
    empty: 'Every CARC seen is mapped.',
    columns: [
      { key: 'carc', header: 'CARC', value: (row) => row.carc },
      { key: 'denied', header: `Denied ${body.unit}s`, kind: 'count', field: 'denied' },
      { key: 'denied_amount', header: 'Denied dollars', kind: 'money', field: 'deniedAmountCents' },
    ],
  });
}

async function loadPayments(read) {
  const path = '/v1/kpis/payments';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-payments');
  const body = await read.get(path, { ...params, groupBy: $('[name="paymentsGroupBy"]', panel).value });
  if (!read.shows()) return;
  panelNotes(panel, notOffered, body);
  if (body.groupBy === 'payer') fillChoices('payers', body.rows);
  if (body.groupBy === 'provider_group') fillChoices('provider-groups', body.rows);
  renderTable($('[data-table="payments"]', panel), {
    name: `payments-by-${body.groupBy}`,
    rows: body.rows,
    columns: [
      { key: body.groupBy, header: body.groupBy.replace('_', ' '), value: (row) => row.value },
      { key: 'claims', header: 'Claims', kind: 'count', field: 'claims' },
      { key: 'billed', header: 'Billed', kind: 'money', field: 'billedAmountCents' },
      { key: 'allowed', header: 'Allowed', kind: 'money', field: 'allowedAmountCents' },
      { key: 'paid', header: 'Paid', kind: 'money', field: 'paidAmountCents' },
      {
        key: 'patient_responsibility',
        header: 'Patient responsibility',
        kind: 'money',
        field: 'patientResponsibilityAmountCents',
      },
    ],
  });
}

async function loadVolume(read) {
  const path = '/v1/kpis/volume';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-volume');
  const body = await read.get(path, { ...params, groupBy: $('[name="volumeGroupBy"]', panel).value });
  if (!read.shows()) return;
  panelNotes(panel, notOffered, body);
  if (body.groupBy === 'claim_type') fillChoices('claim-types', body.rows);
  if (body.groupBy === 'state') fillChoices('states', body.rows);
  if (body.groupBy === 'provider_group') fillChoices('provider-groups', body.rows);
  renderTable($('[data-table="volume"]', panel), {
    name: `volume-by-${body.groupBy}`,
    rows: body.rows,
    columns: [
      { key: body.groupBy, header: body.groupBy.replace('_', ' '), value: (row) => row.value },
      { key: 'claims', header: 'Claims', kind: 'count', field: 'claims' },
      { key: 'lines', header: 'Lines', kind: 'count', field: 'lines' },
      { key: 'paid', header: 'Paid', kind: 'money', field: 'paidAmountCents' },
    ],
  });
}

async function loadLifecycle(read) {
  const path = '/v1/kpis/claim-lifecycle';
  const { params, notOffered } = routeFilters(path);
  const panel = $('#panel-lifecycle');
  const body = await read.get(path, params);
  if (!read.shows()) return;
  panelNotes(panel, notOffered, body);
  showFigure('first-pass-clean-rate', body.firstPassCleanClaimRate, 'rate', 'share');
  showFigure('claim-acknowledgement-rejection-rate', body.claimAcknowledgementRejectionRate, 'rate', 'share');
  showFigure('functional-acknowledgement-rejection-rate', body.functionalAcknowledgementRejectionRate, 'rate', 'share');
  showFigure('unmatched-adjudications', body, 'unmatched.adjudications', 'count');
  showFigure('unmatched-acknowledgements', body, 'unmatched.acknowledgements', 'count');
  renderBarChart($('[data-chart="payer-lag"]', panel), {
    categories: body.payerLag,
    series: ['p50Days', 'p90Days'].map((field) => ({
      name: field === 'p50Days' ? 'p50 days' : 'p90 days',
      value: (row) => row[field],
      withheld: (row) => isWithheld(row, field),
      category: (row) => row.payer,
    })),
  });
  renderTable($('[data-table="payer-lag"]', panel), {
    name: 'payer-lag',
    caption: 'Payer lag: claims paid, and days from first submission to first payment',
    rows: body.payerLag,
    empty: 'No 837 claim paid by an 835 yet.',
    columns: [
      { key: 'payer', header: 'Payer', value: (row) => row.payer },
      { key: 'paid_claims', header: 'Paid claims', kind: 'count', field: 'paidClaims' },
      { key: 'p50_days', header: 'p50 (days)', kind: 'days', field: 'p50Days' },
      { key: 'p90_days', header: 'p90 (days)', kind: 'days', field: 'p90Days' },
    ],
  });
}

// ---------------------------------------------------------------- loading and live refresh

const PANELS = {
  'panel-pended-queue': loadPendedQueue,
  'panel-flow': loadFlow,
  'panel-work-queue': loadWorkQueue,
  'panel-denials': loadDenials,
  'panel-root-causes': loadRootCauses,
  'panel-lifecycle': loadLifecycle,
  'panel-payments': loadPayments,
  'panel-volume': loadVolume,
  'panel-upload': loadIngestedFiles,
};

/** The panels the signed-in role may see. */
function shownPanels() {
  return Object.keys(PANELS).filter((id) => !document.getElementById(id).hidden);
}

/**
 * What one panel's load reads through: `shows()` says whether to draw (on a
 * refresh, only what changed, unless a failed load left the panel blank: a
 * 304 then still draws the kept answer).
 */
function panelRead(id, generation, refresh) {
  const read = {
    changed: false,
    current: () => state.panelLoads[id] === generation && session.token !== null,
    get: (path, params) => getJson(path, params, read),
    shows: () => read.current() && (!refresh || read.changed || state.blankPanels.has(id)),
  };
  return read;
}

/** Takes a panel's figures, tables, charts and notes away (its error stays), until a load draws it again. */
function blankPanel(panel, id) {
  state.blankPanels.add(id);
  $('.applied', panel)?.replaceChildren();
  for (const node of panel.querySelectorAll(':scope > dl.figures [data-figure]')) node.textContent = '';
  for (const node of panel.querySelectorAll(':scope > .table, :scope > [data-tables]')) node.replaceChildren();
  for (const node of panel.querySelectorAll(':scope > figure svg, :scope > figure .legend')) node.remove();
}

/**
 * Loads the named panels (all shown by default); a failing panel shows its
 * problem and the others carry on. A refresh (live refresh) draws only the
 * panels whose answers changed and leaves the page's load markers alone.
 */
async function load(panelIds = shownPanels(), { refresh = false } = {}) {
  if (session.token === null) return;
  state.generation += 1;
  const generation = state.generation;
  const main = $('#dashboard');
  if (!refresh) {
    state.loadsRunning += 1;
    main.dataset.state = 'loading';
    $('#status').textContent = 'Loading…';
  }
  let outcomes;
  try {
    outcomes = await Promise.allSettled(
      panelIds.map(async (id) => {
        const panel = document.getElementById(id);
        const error = $('.error', panel);
        state.panelLoads[id] = generation;
        const read = panelRead(id, generation, refresh);
        try {
          await PANELS[id](read);
          if (read.current()) {
            error.textContent = '';
            state.blankPanels.delete(id);
          }
          return read.changed;
        } catch (failure) {
          if (read.current()) {
            error.textContent = describe(failure);
            // A load the user asked for (filters, grouping, page) failed: what the panel shows was read
            // under the previous ones, so it goes rather than pass for the new answer. A live refresh
            // that fails leaves the figures of the same request in place.
            if (!refresh) blankPanel(panel, id);
          }
          throw failure;
        }
      }),
    );
  } finally {
    if (!refresh) state.loadsRunning -= 1;
  }
  if (generation !== state.generation || session.token === null) return;
  const unauthenticated = outcomes.find((outcome) => outcome.status === 'rejected' && outcome.reason?.status === 401);
  if (unauthenticated) {
    signOut(`Signed out: ${describe(unauthenticated.reason)}`);
    return;
  }
  const now = new Date();
  state.checkedAt = now;
  if (!refresh || outcomes.some((outcome) => outcome.status === 'fulfilled' && outcome.value)) state.updatedAt = now;
  state.failedPanels = outcomes.filter((outcome) => outcome.status === 'rejected').length;
  showStatus();
  if (refresh) {
    main.dataset.refreshes = String(Number(main.dataset.refreshes ?? '0') + 1);
  } else {
    main.dataset.generation = String(generation);
    main.dataset.state = 'ready';
  }
}

const clock = (date) => date.toLocaleTimeString('en-US');

function liveRunning() {
  return state.live.enabled && session.token !== null && !document.hidden;
}

/** The status line: when the figures last changed, when live refresh last found them unchanged, or why it waits. */
function showStatus() {
  const parts = [];
  if (state.failedPanels > 0) parts.push(`${state.failedPanels} panel(s) could not be loaded`);
  if (state.updatedAt) parts.push(`Figures updated ${clock(state.updatedAt)}`);
  if (!state.live.enabled) parts.push('live refresh off');
  else if (document.hidden) parts.push('live refresh paused while this tab is hidden');
  else if (state.checkedAt && state.updatedAt && state.checkedAt > state.updatedAt) {
    parts.push(`unchanged at ${clock(state.checkedAt)}`);
  }
  $('#status').textContent = parts.join(' · ');
  $('#dashboard').dataset.live = !state.live.enabled ? 'off' : document.hidden ? 'paused' : 'on';
}

/**
 * Live refresh: every LIVE_REFRESH_MS the shown panels are read again with
 * If-None-Match (a 304 draws nothing), while the tab is visible and no load
 * the user asked for is running. Each call starts a new loop and ends the
 * one before, so toggling or showing the tab never runs two.
 */
function scheduleRefresh(delayMs = LIVE_REFRESH_MS) {
  state.live.loop += 1;
  const loop = state.live.loop;
  clearTimeout(state.live.timer);
  state.live.timer = null;
  showStatus();
  if (!liveRunning()) return;
  state.live.timer = setTimeout(async () => {
    if (loop !== state.live.loop) return;
    if (state.loadsRunning === 0) await load(shownPanels(), { refresh: true });
    if (loop === state.live.loop) scheduleRefresh();
  }, delayMs);
}

// ---------------------------------------------------------------- session

/** What a signed token says about its holder (subject, role, expiry), for display only: the API checks the signature. */
function tokenClaims(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload === 'object' && payload !== null ? payload : null;
  } catch {
    return null;
  }
}

/** RFC 6750's b64token: what a bearer token is made of, and all the static and signed tokens here hold. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The token in what was pasted. A token holds no blank, so line breaks a
 * terminal or an e-mail put into a long one go, as does the scheme of an
 * Authorization header copied whole. Any other character no token has (a
 * typographic quote a word processor added) is refused here, named: a
 * browser cannot send it in a header at all, and every panel would
 * otherwise say the API could not be reached.
 */
function tokenFromInput(pasted) {
  const token = pasted
    .trim()
    .replace(/^Bearer\s+/i, '')
    .replace(/\s+/g, '');
  if (BEARER_TOKEN.test(token)) return token;
  // By code point too: a zero-width space or a non-breaking one looks like nothing at all.
  const foreign = [...new Set(token.replace(/[A-Za-z0-9\-._~+/=]/g, ''))].map(
    (character) => `${character} (U+${character.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')})`,
  );
  return {
    refusal:
      `This is not a token: a token is letters, digits and - . _ ~ + / only, and this holds ` +
      `${foreign.length > 0 ? foreign.join(', ') : '= before its end'}. Copy it again from where it was issued.`,
  };
}

function tokenHolder(claims) {
  if (claims === null) return 'signed in';
  const until = typeof claims.exp === 'number' ? `, until ${new Date(claims.exp * 1000).toLocaleString('en-US')}` : '';
  return `${claims.sub ?? 'someone'} (${claims.role ?? 'no role'})${until}`;
}

async function readRoles() {
  if (state.roles !== null) return;
  try {
    const response = await fetch('/dashboard/roles.json', { headers: { Accept: 'application/json' } });
    if (response.ok) state.roles = await response.json();
  } catch {
    // Without the table every section is offered, and the API's 403s say what the role may not do.
  }
}

/** Shows the sections the role may use; a token without a known role sees them all and learns from 403s. */
function showSectionsFor() {
  for (const node of document.querySelectorAll('#dashboard [data-permission]')) {
    node.hidden = !may(node.dataset.permission);
  }
}

async function signIn(token) {
  session.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  const claims = tokenClaims(token);
  await readRoles();
  if (session.token !== token) return;
  const role = typeof claims?.role === 'string' ? claims.role : null;
  session.permissions = role !== null && state.roles?.[role] ? new Set(state.roles[role]) : null;
  session.refused = new Set();
  $('#sign-in').hidden = true;
  $('#dashboard').hidden = false;
  $('#dashboard').dataset.role = role ?? 'unknown';
  $('#sign-out').hidden = false;
  $('#session').textContent = tokenHolder(claims);
  showSectionsFor();
  void load();
  scheduleRefresh();
  // A claim the address names at sign-in is opened: a link the holder followed or pasted, then signed in to
  // read. A previous holder's claim cannot pass for one, since signing out takes it out of the address.
  const claimId = claimInLocation();
  if (claimId !== null) void openClaim(claimId, claimOptions);
}

/**
 * Ends the session: nothing the holder could read stays on the page, and
 * nothing they set (filters, the work queue's page and order, the claim in
 * the address, a status line) is where the next holder of the tab starts.
 */
function signOut(reason = '') {
  session.token = null;
  session.permissions = null;
  state.generation += 1;
  session.answers.clear();
  state.blankPanels.clear();
  state.updatedAt = null;
  state.checkedAt = null;
  state.failedPanels = 0;
  state.filters = {};
  state.workQueuePages = [null];
  state.workQueueNext = null;
  state.workQueueAge = null;
  resetControls();
  state.live.enabled = $('#live-refresh').checked;
  scheduleRefresh();
  sessionStorage.removeItem(TOKEN_KEY);
  closeClaim();
  // A manager signing in next would otherwise open (and be audited for) this holder's claim.
  forgetClaimInLocation();
  for (const node of document.querySelectorAll('[data-figure]')) node.textContent = '';
  for (const node of document.querySelectorAll('.table, [data-tables]')) node.replaceChildren();
  for (const node of document.querySelectorAll('figure svg, figure .legend')) node.remove();
  for (const node of document.querySelectorAll('#filters datalist')) node.replaceChildren();
  for (const node of document.querySelectorAll('#dashboard .panel .error, #dashboard .panel .applied')) {
    node.textContent = '';
  }
  resetUploads();
  for (const line of ['#status', '#report-status', '#filters-error']) $(line).textContent = '';
  showSignIn(reason);
}

/** The dashboard's controls as the page is served: no filter, the first page, the default orders and groupings. */
function resetControls() {
  for (const control of document.querySelectorAll('#dashboard input, #dashboard select')) {
    if (control instanceof HTMLSelectElement) {
      const served = [...control.options].findIndex((option) => option.defaultSelected);
      control.selectedIndex = Math.max(0, served);
    } else if (control.type === 'checkbox') {
      control.checked = control.defaultChecked;
    } else {
      // A file input takes '' only, which is its default too: the last holder's file goes.
      control.value = control.type === 'file' ? '' : control.defaultValue;
    }
  }
}

/** The sign-in form, with why the last session ended (if it did). */
function showSignIn(reason = '') {
  $('#dashboard').hidden = true;
  $('#dashboard').dataset.state = 'signed-out';
  $('#sign-out').hidden = true;
  $('#session').textContent = '';
  $('#sign-in').hidden = false;
  $('#sign-in-error').textContent = reason;
  $('#token-input').value = '';
}

/**
 * Why the filter bar cannot be applied as it stands, or null: a from date
 * after the to date holds no day, and each route taking the two would
 * refuse it naming its own parameter (serviceTo), which no one typed. (A
 * date typed in part the browser's own form validation holds back.)
 */
function filtersRefusal() {
  const { from, to } = readFilters();
  // ISO dates: their text sorts as their days do.
  if (from && to && from > to) return `From (${from}) is after to (${to}): no day is in that range.`;
  return null;
}

function readFilters() {
  const form = $('#filters');
  const data = new FormData(form);
  const filters = {};
  for (const field of Object.keys(FILTER_LABELS)) filters[field] = String(data.get(field) ?? '').trim();
  return filters;
}

/** A claim the API refuses to this holder takes the claim links away: the work queue is drawn again without them. */
const claimOptions = { whenRefused: () => void load(['panel-work-queue']) };

function start() {
  session.expire = (reason) => signOut(reason);
  $('#sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const pasted = $('#token-input').value;
    if (pasted.trim() === '') return;
    const token = tokenFromInput(pasted);
    if (typeof token === 'string') void signIn(token);
    else $('#sign-in-error').textContent = token.refusal;
  });
  $('#sign-out').addEventListener('click', () => signOut());
  $('#pdf-report').addEventListener('click', () => {
    downloadReport().catch((failure) => {
      if (failure instanceof ApiProblem && failure.status === 401) signOut(`Signed out: ${describe(failure)}`);
      else $('#report-status').textContent = `The PDF report could not be made: ${describe(failure)}`;
    });
  });
  $('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const refusal = filtersRefusal();
    $('#filters-error').textContent = refusal ?? '';
    // The figures of the filters in force stay, as does live refresh of them.
    if (refusal !== null) return;
    state.filters = readFilters();
    state.workQueueAge = null;
    state.workQueuePages = [null];
    void load();
  });
  $('#filters').addEventListener('reset', () => {
    $('#filters-error').textContent = '';
    state.filters = {};
    state.workQueueAge = null;
    state.workQueuePages = [null];
    // The form clears its fields after this event; load once it has.
    setTimeout(() => void load(), 0);
  });
  $('#panel-work-queue [data-page="next"]').addEventListener('click', () => {
    if (state.workQueueNext === null) return;
    state.workQueuePages.push(state.workQueueNext);
    void load(['panel-work-queue']);
  });
  $('#panel-work-queue [data-page="first"]').addEventListener('click', () => void showWorkQueue());
  $('[name="workQueueSort"]').addEventListener('change', () => void showWorkQueue());
  for (const [name, panel] of [
    ['denialsGroupBy', 'panel-denials'],
    ['rootCausesGroupBy', 'panel-root-causes'],
    ['rootCausesSource', 'panel-root-causes'],
    ['paymentsGroupBy', 'panel-payments'],
    ['volumeGroupBy', 'panel-volume'],
  ]) {
    $(`[name="${name}"]`).addEventListener('change', () => void load([panel]));
  }
  // A claim link changes the location's hash; the same claim picked again changes nothing, so it is opened here.
  $('#panel-work-queue').addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a.claim-link') : null;
    if (link && link.getAttribute('href') === window.location.hash) {
      event.preventDefault();
      const claimId = claimInLocation();
      if (claimId !== null) void openClaim(claimId, claimOptions);
    }
  });
  window.addEventListener('hashchange', () => {
    if (session.token === null) return;
    const claimId = claimInLocation();
    if (claimId === null) closeClaim();
    else void openClaim(claimId, claimOptions);
  });
  $('#close-claim').addEventListener('click', () => {
    forgetClaimInLocation();
    closeClaim();
    $('#work-queue-title').focus();
  });
  $('#live-refresh').addEventListener('change', (event) => {
    state.live.enabled = event.target.checked;
    scheduleRefresh(0);
  });
  // Hidden, nothing is read; shown again, the panels are read at once.
  document.addEventListener('visibilitychange', () => scheduleRefresh(0));
  $('#upload-form').addEventListener('submit', (event) => void submitUpload(event));
  const kept = sessionStorage.getItem(TOKEN_KEY);
  // Not signOut: no session has ended, and a claim in the address is a link the user followed here.
  if (kept) void signIn(kept);
  else showSignIn();
}

start();
