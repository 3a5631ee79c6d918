// The claim panel: one claim's detail and lineage (GET /v1/claims/:claimId
// and its /lineage, claims:read), opened from a work-queue claim link: where
// the claim stands, why it pended, its timeline, the source records it came
// from (file, record, SHA-256, layout, outcome) and their dead letters.
// Member identifiers, which the detail carries, are never shown or kept.

import { ApiProblem, describe, getJson, may, session } from './api.js';
import { $, FORMATS, countFormat, renderFigures, renderTable } from './dom.js';

/** Bumped per claim opened: an answer for an earlier claim is dropped. */
let claimLoads = 0;

const CLAIM_HASH = /^#claim=(.+)$/;

export function claimHref(claimId) {
  return `#claim=${encodeURIComponent(claimId)}`;
}

export function claimInLocation() {
  const match = CLAIM_HASH.exec(window.location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/**
 * Takes a claim out of the address, replacing the history entry rather than
 * adding one, so Back does not bring it back (and no hashchange opens it).
 */
export function forgetClaimInLocation() {
  if (!CLAIM_HASH.test(window.location.hash)) return;
  history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
}

function clearClaimPanel() {
  const panel = $('#panel-claim');
  for (const node of panel.querySelectorAll('[data-figures], .table')) node.replaceChildren();
  $('.error', panel).textContent = '';
}

export function closeClaim() {
  claimLoads += 1;
  clearClaimPanel();
  $('#panel-claim').hidden = true;
}

/**
 * The claim panel: the claim's detail and lineage, read when it is opened
 * and never refreshed on its own, since each read of a claim is a PHI read
 * the API writes to its audit log.
 */
export async function openClaim(claimId, { whenRefused = () => undefined } = {}) {
  const panel = $('#panel-claim');
  if (!may('claims:read')) {
    closeClaim();
    return;
  }
  claimLoads += 1;
  const claimLoad = claimLoads;
  clearClaimPanel();
  panel.hidden = false;
  panel.dataset.state = 'loading';
  $('#claim-title').textContent = `Claim ${claimId}`;
  const path = `/v1/claims/${encodeURIComponent(claimId)}`;
  try {
    const [detail, lineage] = await Promise.all([
      getJson(path, {}, null, { remember: false }),
      getJson(`${path}/lineage`, {}, null, { remember: false }),
    ]);
    if (claimLoad !== claimLoads || session.token === null) return;
    renderClaim(detail, lineage);
  } catch (failure) {
    if (claimLoad !== claimLoads || session.token === null) return;
    if (failure instanceof ApiProblem && failure.status === 401) {
      session.expire(`Signed out: ${describe(failure)}`);
      return;
    }
    if (failure instanceof ApiProblem && failure.status === 403) {
      // Not this holder's to read: stop offering claim links.
      session.refused.add('claims:read');
      whenRefused();
    }
    $('.error', panel).textContent = describe(failure);
  }
  panel.dataset.state = 'ready';
  $('#claim-title').focus();
}

function renderClaim(detail, lineage) {
  const panel = $('#panel-claim');
  const claim = detail.state;
  renderFigures(
    $('[data-figures="claim-state"]', panel),
    claim === null
      ? [['Claim', 'no event of it folded (only refused)', 'claim-status']]
      : [
          ['Latest event', FORMATS.text(claim.eventType), 'claim-status'],
          ['Adjudication', FORMATS.text(claim.adjudicationStatus), 'claim-adjudication'],
          ['Claim type', FORMATS.text(claim.claimType), 'claim-type'],
          ['Payer', FORMATS.text(claim.payer), 'claim-payer'],
          ['Provider group', FORMATS.text(claim.providerGroup), 'claim-provider-group'],
          ['State', FORMATS.text(claim.state), 'claim-state'],
          ['Service dates', `${claim.serviceFromDate} to ${claim.serviceThroughDate}`, 'claim-service-dates'],
          ['Billed', FORMATS.money(claim.billedAmountCents), 'claim-billed'],
          ['Allowed', FORMATS.money(claim.allowedAmountCents), 'claim-allowed'],
          ['Paid', FORMATS.money(claim.paymentAmountCents), 'claim-paid'],
          ['Layout', FORMATS.text(claim.layout), 'claim-layout'],
        ],
  );
  const pend = detail.pend;
  renderFigures(
    $('[data-figures="claim-pend"]', panel),
    pend === null
      ? [['Pend', 'never pended', 'claim-pend']]
      : [
          ['Pend', pend.open ? 'open' : 'cleared', 'claim-pend'],
          ['Pend reasons', pend.reasons.join(', '), 'claim-pend-reasons'],
          ['Queue', FORMATS.text(pend.queue), 'claim-pend-queue'],
          ['Pended on', FORMATS.text(pend.pendedOn), 'claim-pended-on'],
          ['Cleared on', FORMATS.text(pend.clearedOn), 'claim-cleared-on'],
          ['Pended amount', FORMATS.money(pend.amountCents), 'claim-pend-amount'],
        ],
  );
  renderTable($('[data-table="claim-timeline"]', panel), {
    name: 'claim-timeline',
    caption: 'Timeline: every event folded for the claim, oldest first',
    rows: detail.timeline,
    csv: false,
    empty: 'No event of this claim folded.',
    columns: [
      { key: 'occurred_at', header: 'Event date', value: (event) => event.occurredAt },
      { key: 'event_type', header: 'Event', value: (event) => event.eventType },
      { key: 'layout', header: 'Layout', value: (event) => event.layout },
      { key: 'source', header: 'File', value: (event) => event.sourceFile.source },
      { key: 'record_number', header: 'Record', kind: 'count', value: (event) => event.sourceFile.recordNumber },
      { key: 'folded_at', header: 'Folded at', value: (event) => event.foldedAt.replace('T', ' ').slice(0, 19) },
    ],
  });
  renderTable($('[data-table="claim-records"]', panel), {
    name: 'claim-records',
    caption: 'Source records the claim came from, and where each ended',
    rows: lineage.records,
    csv: false,
    empty: 'No source record is known for this claim.',
    columns: [
      { key: 'source', header: 'File', value: (record) => record.source },
      { key: 'file_id', header: 'File id (SHA-256)', className: 'hash', value: (record) => record.fileId },
      {
        key: 'record_number',
        header: 'Record',
        value: (record) =>
          record.recordCount > 1
            ? `${record.recordNumber}-${record.recordNumber + record.recordCount - 1}`
            : String(record.recordNumber),
      },
      { key: 'record_sha256', header: 'Record SHA-256', className: 'hash', value: (record) => record.recordSha256 },
      { key: 'layout', header: 'Layout', value: (record) => record.layout },
      { key: 'outcome', header: 'Outcome', value: (record) => outcomeOf(record.ingest) },
      {
        key: 'events',
        header: 'Events',
        value: (record) =>
          record.events
            .map((event) => (event.refusedCode ? `${event.eventType} (refused ${event.refusedCode})` : event.eventType))
            .join(', '),
      },
    ],
  });
  renderTable($('[data-table="claim-dead-letters"]', panel), {
    name: 'claim-dead-letters',
    caption: `Dead letters of those records (${countFormat.format(lineage.deadLetters.length)})`,
    rows: lineage.deadLetters,
    csv: false,
    empty: 'No record of this claim was dead-lettered.',
    columns: [
      { key: 'failed_at', header: 'Failed at', value: (letter) => letter.failedAt.replace('T', ' ').slice(0, 19) },
      { key: 'stage', header: 'Stage', value: (letter) => letter.stage },
      { key: 'error_code', header: 'Code', value: (letter) => letter.errorCode },
      { key: 'reason', header: 'Reason', value: (letter) => letter.reason },
      { key: 'file_id', header: 'File id', className: 'hash', value: (letter) => letter.fileId },
      { key: 'record_number', header: 'Record', kind: 'count', value: (letter) => letter.recordNumber },
    ],
  });
  renderTable($('[data-table="claim-lines"]', panel), {
    name: 'claim-lines',
    caption: 'Lines of the latest version',
    rows: claim?.lines ?? [],
    csv: false,
    empty: 'No line is stored for this claim.',
    columns: [
      { key: 'line_number', header: 'Line', kind: 'count', value: (line) => line.lineNumber },
      { key: 'hcpcs_code', header: 'HCPCS', value: (line) => line.hcpcsCode },
      { key: 'rendering_npi', header: 'Rendering NPI', value: (line) => line.renderingNpi },
      { key: 'processing', header: 'Processing', value: (line) => line.processingCategory },
      { key: 'charge', header: 'Charge', kind: 'money', value: (line) => line.chargeAmountCents },
      { key: 'allowed', header: 'Allowed', kind: 'money', value: (line) => line.allowedAmountCents },
      { key: 'paid', header: 'Paid', kind: 'money', value: (line) => line.paymentAmountCents },
    ],
  });
}

/** Where a source record ended: folded, duplicate, or dead-lettered at a stage with a code; pending while not written. */
function outcomeOf(ingest) {
  if (ingest === null) return 'not accounted yet';
  if (ingest.outcome !== 'dead_lettered') return ingest.outcome;
  return `dead-lettered at ${ingest.stage ?? 'an unknown stage'} (${ingest.errorCode ?? 'no code'})`;
}
