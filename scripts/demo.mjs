// `npm run demo`: from a fresh clone, replay a mixed sample of claim sources
// (DE-SynPUF carrier, inpatient, outpatient, drug events and beneficiaries, a
// CMS RIF set, a billing export and a pended-queue export) through the five
// services (separate processes), and show each file's report next to the KPIs.
//   npm run demo               keeps serving the API until Ctrl-C
//   npm run demo -- --exit     stops everything and exits 0 after printing
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, ensureDependencies, onShutdown, repoRoot, say, startInfrastructure } from './lib/bootstrap.mjs';
import { removeStackState, writeStackState } from './lib/stack-state.mjs';

const exitAfterPrinting = process.argv.includes('--exit');
/** The mixed sample, relative to data/ (vendored public files and hand-written exports; see data/README.md). */
const SAMPLES = [
  'desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv',
  'desynpuf/sample2/DE1_0_2008_to_2010_Inpatient_Claims_Sample_2_part1.csv',
  'desynpuf/sample2/DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv',
  'desynpuf/sample2/DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_2_part1.csv',
  'desynpuf/sample2/DE1_0_2008_Beneficiary_Summary_File_Sample_2.csv',
  'rif/rif-synthea/carrier.csv',
  'rif/rif-synthea/inpatient.csv',
  'rif/rif-synthea/beneficiary_2015.csv',
  'billing/billing-export-2024-03.csv',
  'billing/billing-export-with-errors.csv',
  'pended/pended-queue-2024-03-15.csv',
];

ensureDependencies();
build();
const infrastructure = await startInfrastructure();
const harness = await import(pathToFileURL(join(repoRoot, 'dist', 'libs', 'harness', 'src', 'index.js')).href);
const { createDatabase, dropDatabase, databaseUrl } = await import('./postgres/postgres.mjs');

const runId = randomBytes(3).toString('hex');
const databaseName = `claims_demo_${runId}`;
await createDatabase(infrastructure.databaseUrl, databaseName);
const pipeline = await harness.LocalPipeline.create({
  brokers: infrastructure.brokers,
  databaseUrl: databaseUrl(infrastructure.databaseUrl, databaseName),
  topicNamespace: `demo-${runId}`,
  ingestRoot: join(repoRoot, 'data'),
  logDirectory: join(repoRoot, '.cache', 'demo-logs', runId),
  logLevel: 'warn',
  // A service that exits is restarted with backoff; say so where the user looks.
  report: (line) => say(line),
});
const shutdown = onShutdown(async () => {
  say('stopping the services, the demo database and what was started');
  removeStackState();
  await pipeline.stop();
  await dropDatabase(infrastructure.databaseUrl, databaseName).catch(() => undefined);
  await infrastructure.stop();
});

try {
  say('starting ingestor, normalizer, enricher, metrics and api');
  await pipeline.start();
  const reports = [];
  for (const sample of SAMPLES) {
    say(`replaying ${sample}`);
    reports.push(await pipeline.ingest(sample));
  }
  // Every record of every file must reach an end (folded, duplicate or dead-lettered) before the figures are read.
  const fileIds = new Set(reports.map((report) => report.fileId));
  const settled = (result) =>
    result.consistent &&
    [...fileIds].every((fileId) => result.files.some((file) => file.fileId === fileId && file.status === 'accounted'));
  const verification = await harness
    .waitFor('every record of every file to be accounted for', () => pipeline.api('/v1/kpis/verification'), settled, {
      timeoutMs: 180_000,
      intervalMs: 250,
    })
    .catch(() => pipeline.api('/v1/kpis/verification'));
  const summary = await pipeline.api('/v1/kpis/summary');
  printSummary(summary, verification);
  if (!verification.consistent) process.exitCode = 1;
} catch (error) {
  say(
    `demo failed: ${error instanceof Error ? error.message : String(error)} (service logs: .cache/demo-logs/${runId})`,
  );
  process.exitCode = 1;
}

if (exitAfterPrinting || process.exitCode) {
  await shutdown();
} else {
  const api = pipeline.services.api.baseUrl;
  writeStackState({ apiUrl: api, apiToken: pipeline.apiToken, ingestorUrl: pipeline.services.ingestor.baseUrl });
  process.stdout.write(
    `\nAPI: ${api}/v1/kpis/summary   (header  Authorization: Bearer ${pipeline.apiToken})\n` +
      `Try:  curl -H 'Authorization: Bearer ${pipeline.apiToken}' ${api}/v1/kpis/summary\n` +
      `Verify: npm run kpi -- verify\n` +
      `Metrics: ${api}/metrics   Health: ${api}/health   Service logs: .cache/demo-logs/${runId}\nServing until Ctrl-C.\n`,
  );
}

function printSummary(summary, verification) {
  const kpis = [
    ['Claims received (all sources)', summary.claimsReceived],
    ['Lines received', summary.linesReceived],
    ['Lines allowed (carrier LINE_PRCSG_IND_CD = A; export lines paid)', summary.linesAllowed],
    ['Lines not allowed (every line but the allowed)', summary.linesNotAllowed],
    ...Object.entries(summary.linesByProcessingCategory).map(([category, count]) => [
      `  by category: ${category}`,
      count,
    ]),
    ...Object.entries(summary.linesByProcessingIndicator).map(([code, count]) => [`  by indicator: ${code}`, count]),
    ['Line payments', `$${summary.medicarePaymentAmount}`],
    ['Line allowed charges', `$${summary.allowedAmount}`],
    ['Event-time watermark', summary.eventTimeWatermark ?? '-'],
    [
      'Streamed = batch SQL',
      verification.countersConsistent ? 'yes' : `NO: ${JSON.stringify(verification.mismatches)}`,
    ],
  ];
  const files = verification.files.map((file) => [
    file.source ?? file.fileId.slice(0, 12),
    file.layout ?? '?',
    file.recordsRead ?? '?',
    file.folded,
    file.duplicates,
    file.deadLettered,
    file.status,
  ]);
  process.stdout.write(`\n${table(['KPI', 'value'], kpis)}\n`);
  process.stdout.write(
    `\nEach file's records (read = folded + duplicate + dead-lettered):\n` +
      `${table(['file', 'layout', 'read', 'folded', 'duplicate', 'dead-lettered', 'status'], files)}\n`,
  );
}

function table(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`;
  const format = (row) => `| ${row.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  return [line, format(header), line, ...rows.map(format), line].join('\n');
}
