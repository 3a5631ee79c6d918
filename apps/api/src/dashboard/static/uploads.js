// The upload section (uploads:write): a claim file sent to the API's upload
// route as it is, the ingestion job followed while the ingestor reads it
// (GET /v1/ingestions/jobs/:ingestId), then the file's report as its records
// fold, duplicate or dead-letter downstream (GET /v1/ingestions/:fileId);
// and the files ingested lately, each a way to its report.

import { ApiProblem, apiUrl, describe, getJson, session, sleep } from './api.js';
import { $, FORMATS, NONE, countFormat, renderTable, rowButton, setFigure } from './dom.js';

/** How often an upload's job is asked after while the ingestor reads it. */
const JOB_POLL_MS = 1_000;
/** How often a file's report is read again until every record is accounted for, and for how long at most. */
const REPORT_POLL_MS = 2_000;
const REPORT_FOLLOW_MS = 15 * 60_000;
/** Ingested files listed beside the upload form, latest first. */
const RECENT_FILES = 10;

/** Bumped per upload or report followed: the previous one stops being followed. */
let follows = 0;

/** Stops following any upload or report, and clears what the last one showed (on sign-out). */
export function resetUploads() {
  follows += 1;
  for (const name of ['job', 'report']) uploadPart(name).hidden = true;
  showUploadProblem('');
}

const byteFormat = (bytes) => {
  if (bytes < 1024) return `${countFormat.format(bytes)} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
};

const uploadPart = (name) => $(`[data-upload="${name}"]`);

function showUploadProblem(text) {
  uploadPart('problem').textContent = text;
}

/**
 * Sends the file as the request body, as the API's upload route takes it.
 * XMLHttpRequest rather than fetch: it reports the bytes sent as they go.
 * Resolves with the API's answer, or rejects when the connection ends
 * without one (the API cuts an upload over its limit short).
 */
function sendFile(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('Authorization', `Bearer ${session.token}`);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.setRequestHeader('Accept', 'application/json');
    request.upload.addEventListener('progress', (event) => onProgress(event.loaded, event.total || file.size));
    request.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // Not JSON: the status says what happened.
      }
      resolve({ status: request.status, body });
    });
    request.addEventListener('error', () => reject(new Error('connection ended')));
    request.addEventListener('abort', () => reject(new Error('aborted')));
    request.send(file);
  });
}

export async function submitUpload(event) {
  event.preventDefault();
  const form = $('#upload-form');
  const file = form.elements.file.files[0];
  if (!file) return;
  const layout = form.elements.layout.value.trim();
  const dryRun = form.elements.dryRun.checked;
  follows += 1;
  const follow = follows;
  showUploadProblem('');
  uploadPart('report').hidden = true;
  uploadPart('job').hidden = false;
  uploadPart('job').dataset.state = 'sending';
  uploadPart('title').textContent = `${dryRun ? 'Checking' : 'Uploading'} ${file.name} (${byteFormat(file.size)})`;
  const progress = uploadPart('progress');
  progress.value = 0;
  for (const name of ['read', 'published', 'dead-lettered']) setFigure(`upload-records-${name}`, NONE);
  setFigure('upload-step', 'Sending the file…');
  const url = apiUrl('/v1/ingestions', { name: file.name, layout, dryRun: dryRun ? 'true' : '' });
  let answer;
  try {
    answer = await sendFile(url, file, (sent, total) => {
      progress.value = total > 0 ? sent / total : 0;
      setFigure('upload-step', `Sending: ${byteFormat(sent)} of ${byteFormat(total)}`);
    });
  } catch {
    if (follow !== follows) return;
    uploadPart('job').dataset.state = 'refused';
    setFigure('upload-step', 'Not sent');
    showUploadProblem(
      'The connection ended before the API answered: the file may be over its upload limit, or the API is unreachable.',
    );
    return;
  }
  if (follow !== follows) return;
  if (answer.status === 401) {
    session.expire(`Signed out: ${describe(new ApiProblem(401, answer.body))}`);
    return;
  }
  if (answer.status !== 202) {
    uploadPart('job').dataset.state = 'refused';
    setFigure('upload-step', `Refused (HTTP ${answer.status})`);
    showUploadProblem(describe(new ApiProblem(answer.status, answer.body)));
    if (answer.status === 403) session.refused.add('uploads:write');
    return;
  }
  form.reset();
  await followJob(follow, answer.body);
}

/** Follows an ingestion job until the ingestor is done with the file, then the file's report. */
async function followJob(follow, started) {
  const path = `/v1/ingestions/jobs/${encodeURIComponent(started.ingestId)}`;
  let job = started;
  const deadline = Date.now() + REPORT_FOLLOW_MS;
  for (;;) {
    if (follow !== follows || session.token === null) return;
    renderJob(job);
    if (job.state !== 'running') break;
    if (Date.now() > deadline) return;
    await sleep(JOB_POLL_MS);
    try {
      job = await getJson(path, {}, null, { remember: false });
    } catch (failure) {
      if (follow !== follows) return;
      if (failure instanceof ApiProblem && failure.status === 401) {
        session.expire(`Signed out: ${describe(failure)}`);
        return;
      }
      // The ingestor restarting, say: said, and asked again.
      showUploadProblem(`The job could not be read: ${describe(failure)}`);
    }
  }
  if (job.state === 'failed') {
    showUploadProblem(`The ingestion failed: ${job.error?.message ?? 'no reason given'} (${job.error?.code ?? '?'})`);
    return;
  }
  showUploadProblem('');
  if (job.duplicateOf) {
    await followReport(follow, job.duplicateOf.fileId, `Already ingested as ${job.duplicateOf.source}`);
  } else if (job.report?.dryRun) {
    renderDryRun(job.report);
  } else if (job.report?.fileId) {
    await followReport(follow, job.report.fileId, job.report.source);
  }
}

function renderJob(job) {
  const part = uploadPart('job');
  part.dataset.state = job.state;
  const progress = uploadPart('progress');
  const total = job.bytesTotal ?? 0;
  progress.value = job.state === 'completed' ? 1 : total > 0 ? (job.bytesRead ?? 0) / total : 0;
  const step =
    job.state === 'running'
      ? `${job.phase === 'hashing' ? 'Hashing' : 'Reading'}: ${byteFormat(job.bytesRead ?? 0)} of ${byteFormat(total)}`
      : job.state === 'completed'
        ? job.duplicateOf
          ? 'Done: the same bytes were ingested before, so nothing was published'
          : 'Read through: every record published or dead-lettered'
        : 'Failed';
  setFigure('upload-step', `${step} (layout ${job.layout ?? 'detected'})`);
  setFigure('upload-records-read', FORMATS.count(job.recordsRead));
  setFigure('upload-records-published', FORMATS.count(job.recordsPublished));
  setFigure('upload-records-dead-lettered', FORMATS.count(job.recordsDeadLettered));
}

function renderDryRun(report) {
  const part = uploadPart('report');
  part.hidden = false;
  part.dataset.status = 'dry-run';
  uploadPart('report-title').textContent = `Dry run of ${report.source}: nothing was published`;
  setFigure('report-records-read', FORMATS.count(report.recordsRead));
  setFigure('report-folded', `${FORMATS.count(report.recordsValid)} valid`);
  setFigure('report-duplicates', NONE);
  setFigure('report-dead-lettered', FORMATS.count(report.recordsDeadLettered));
  setFigure('report-unaccounted', NONE);
  setFigure('report-status', 'dry run');
  renderDeadLettersByReason(report.deadLettersByReason);
}

function renderDeadLettersByReason(rows) {
  renderTable($('[data-table="report-dead-letters"]'), {
    name: 'report-dead-letters',
    caption: 'Dead letters by stage and reason',
    rows,
    empty: 'No record was dead-lettered.',
    columns: [
      { key: 'stage', header: 'Stage', value: (row) => row.stage },
      { key: 'error_code', header: 'Code', value: (row) => row.errorCode },
      { key: 'records', header: 'Records', kind: 'count', value: (row) => row.records },
    ],
  });
}

/**
 * Reads a file's report again and again while its records fold downstream
 * (a 304 while nothing moved), until every record is accounted for.
 */
async function followReport(follow, fileId, label) {
  const part = uploadPart('report');
  part.hidden = false;
  part.dataset.status = 'waiting';
  part.dataset.fileId = fileId;
  uploadPart('report-title').textContent = `Report of ${label}`;
  const deadline = Date.now() + REPORT_FOLLOW_MS;
  for (;;) {
    if (follow !== follows || session.token === null) return;
    try {
      const report = await getJson(`/v1/ingestions/${encodeURIComponent(fileId)}`);
      if (follow !== follows || session.token === null) return;
      renderFileReport(report, label);
      if (report.status === 'accounted') return;
    } catch (failure) {
      if (follow !== follows) return;
      if (failure instanceof ApiProblem && failure.status === 401) {
        session.expire(`Signed out: ${describe(failure)}`);
        return;
      }
      if (!(failure instanceof ApiProblem && failure.status === 404)) showUploadProblem(describe(failure));
      else setFigure('report-status', 'waiting for the pipeline to report the file');
    }
    if (Date.now() > deadline) return;
    await sleep(REPORT_POLL_MS);
  }
}

const REPORT_STATUS = {
  accounted: 'every record accounted for',
  records_missing: 'records still on their way',
  more_records_than_read: 'more records than read (see the report)',
  no_ingest_report: 'records arriving; the ingest report is not in yet',
};

function renderFileReport(report, label) {
  const part = uploadPart('report');
  part.dataset.status = report.status;
  uploadPart('report-title').textContent = `Report of ${report.source ?? label} (${report.layout ?? 'layout unknown'})`;
  setFigure('report-records-read', FORMATS.count(report.recordsRead));
  setFigure('report-folded', FORMATS.count(report.folded));
  setFigure('report-duplicates', FORMATS.count(report.duplicates));
  setFigure('report-dead-lettered', FORMATS.count(report.deadLettered));
  setFigure('report-unaccounted', FORMATS.count(report.unaccounted));
  setFigure('report-status', REPORT_STATUS[report.status] ?? report.status);
  renderDeadLettersByReason(report.deadLettersByReason ?? []);
}

/** The files ingested lately, each a way to its report: what an upload client follows when it did not upload here. */
export async function loadIngestedFiles(read) {
  const files = await read.get('/v1/ingestions');
  if (!read.shows()) return;
  renderTable($('[data-table="ingested-files"]'), {
    name: 'ingested-files',
    caption: 'Files ingested lately: pick one to follow its report',
    rows: files.slice(-RECENT_FILES).reverse(),
    empty: 'No file has been ingested yet.',
    columns: [
      {
        key: 'source',
        header: 'File',
        value: (file) => file.source ?? file.fileId,
        control: (file, text) =>
          rowButton(text, 'Follow the report of this file', () => {
            follows += 1;
            showUploadProblem('');
            uploadPart('job').hidden = true;
            void followReport(follows, file.fileId, text);
          }),
      },
      { key: 'layout', header: 'Layout', value: (file) => file.layout },
      { key: 'records_read', header: 'Read', kind: 'count', value: (file) => file.recordsRead },
      { key: 'folded', header: 'Folded', kind: 'count', value: (file) => file.folded },
      { key: 'duplicates', header: 'Duplicates', kind: 'count', value: (file) => file.duplicates },
      { key: 'dead_lettered', header: 'Dead letters', kind: 'count', value: (file) => file.deadLettered },
      { key: 'unaccounted', header: 'Unaccounted', kind: 'count', value: (file) => file.unaccounted },
      { key: 'status', header: 'Status', value: (file) => file.status },
    ],
  });
}
