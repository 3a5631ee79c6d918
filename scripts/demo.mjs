// `npm run demo`: from a fresh clone, replay the DE-SynPUF carrier sample
// through the five services (separate processes) and show the KPIs.
//   npm run demo               keeps serving the API until Ctrl-C
//   npm run demo -- --exit     stops everything and exits 0 after printing
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, ensureDependencies, onShutdown, repoRoot, say, startInfrastructure } from './lib/bootstrap.mjs';
import { removeStackState, writeStackState } from './lib/stack-state.mjs';

const exitAfterPrinting = process.argv.includes('--exit');
const SAMPLE = 'DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv';

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
  ingestRoot: join(repoRoot, 'data', 'desynpuf', 'sample2'),
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
  say(`replaying ${SAMPLE}`);
  const report = await pipeline.ingest(SAMPLE);
  const enrichedTopic = `demo-${runId}.claims.enriched.v1`;
  await harness.waitFor(
    'every record to be enriched',
    () => harness.topicRecordCount(infrastructure.brokers, enrichedTopic),
    (n) => n >= report.recordsRead,
    { timeoutMs: 120_000 },
  );
  await harness.waitFor(
    'every record to be folded',
    () => harness.foldedRecordCount(databaseUrl(infrastructure.databaseUrl, databaseName)),
    (n) => n >= report.recordsRead,
    { timeoutMs: 120_000 },
  );
  // Dead letters are accounted by their own consumer: wait until every record of the file has an end.
  const verification = await harness
    .waitFor(
      'every record of the file to be accounted for',
      () => pipeline.api('/v1/kpis/verification'),
      (result) => result.consistent,
      { timeoutMs: 60_000 },
    )
    .catch(() => pipeline.api('/v1/kpis/verification'));
  const summary = await pipeline.api('/v1/kpis/summary');
  printSummary(report, summary, verification);
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

function printSummary(report, summary, verification) {
  const rows = [
    ['File', `${report.source} (${report.recordsRead} records, sha256 ${report.fileId.slice(0, 12)}…)`],
    ['Claims received', summary.claimsReceived],
    ['Lines received', summary.linesReceived],
    ['Lines allowed (LINE_PRCSG_IND_CD = A)', summary.linesAllowed],
    ['Lines not allowed', summary.linesNotAllowed],
    ...Object.entries(summary.linesByProcessingCategory).map(([category, count]) => [
      `  by category: ${category}`,
      count,
    ]),
    ...Object.entries(summary.linesByProcessingIndicator).map(([code, count]) => [`  by indicator: ${code}`, count]),
    ['Medicare line payments', `$${summary.medicarePaymentAmount}`],
    ['Line allowed charges', `$${summary.allowedAmount}`],
    ['Event-time watermark', summary.eventTimeWatermark ?? '-'],
    [
      'Streamed = batch SQL',
      verification.countersConsistent ? 'yes' : `NO: ${JSON.stringify(verification.mismatches)}`,
    ],
    ...verification.files.map((file) => [
      `Records of ${file.source ?? file.fileId.slice(0, 12)}`,
      `${file.recordsRead ?? '?'} read = ${file.folded} folded + ${file.duplicates} duplicate + ${file.deadLettered} dead-lettered` +
        (file.status === 'accounted' ? '' : ` (${file.status}: ${file.unaccounted ?? '?'} unaccounted)`),
    ]),
  ];
  const width = Math.max(...rows.map(([label]) => String(label).length));
  const valueWidth = Math.max(...rows.map(([, value]) => String(value).length));
  const line = `+${'-'.repeat(width + 2)}+${'-'.repeat(valueWidth + 2)}+`;
  const out = [line, `| ${'KPI'.padEnd(width)} | ${'value'.padEnd(valueWidth)} |`, line];
  for (const [label, value] of rows)
    out.push(`| ${String(label).padEnd(width)} | ${String(value).padEnd(valueWidth)} |`);
  out.push(line);
  process.stdout.write(`\n${out.join('\n')}\n`);
}
