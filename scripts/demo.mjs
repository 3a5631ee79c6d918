// `npm run demo`: from a fresh clone, replay a mixed sample of claim sources
// (DE-SynPUF carrier, inpatient, outpatient, drug events and beneficiaries, a
// CMS RIF set, a billing export, a pended-queue export, X12 837 and 835 files,
// and a seeded EDI scenario: an 837P with its 999, 277CA and 835 answers)
// through the five services (separate processes), and show each file's report
// next to the KPIs.
//   npm run demo               keeps serving the API until Ctrl-C
//   npm run demo -- --exit     stops everything and exits 0 after printing
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, ensureDependencies, onShutdown, repoRoot, say, startInfrastructure } from './lib/bootstrap.mjs';
import { demoLoginLines } from './lib/demo-logins.mjs';
import { removeStackState, writeStackState } from './lib/stack-state.mjs';

const exitAfterPrinting = process.argv.includes('--exit');
/** The seed of the demo's provider directory: the same seed, the same directory, the same pends. */
const DIRECTORY_SEED = 2026;
/** The seed and size of the generated EDI scenario: the same seed, the same files and answers. */
const EDI_SEED = 2026;
const EDI_CLAIMS = 400;
/** The scenario's files in the order a clearinghouse sees them: the claims, then each answer. */
const EDI_FILES = ['claims.837', 'functional-acknowledgements.999', 'claim-acknowledgements.277', 'remittances.835'];
/** The mixed sample, relative to data/ (vendored public files and hand-written exports; see data/README.md). */
const SAMPLES = [
  // Members first: the enricher judges a claim's coverage against its member's year.
  'desynpuf/sample2/DE1_0_2008_Beneficiary_Summary_File_Sample_2.csv',
  'desynpuf/sample2/DE1_0_2009_Beneficiary_Summary_File_Sample_2.csv',
  'desynpuf/sample2/DE1_0_2010_Beneficiary_Summary_File_Sample_2.csv',
  'rif/rif-synthea/beneficiary_2015.csv',
  'desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv',
  'desynpuf/sample2/DE1_0_2008_to_2010_Inpatient_Claims_Sample_2_part1.csv',
  'desynpuf/sample2/DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv',
  'desynpuf/sample2/DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_2_part1.csv',
  'rif/rif-synthea/carrier.csv',
  'rif/rif-synthea/inpatient.csv',
  'billing/billing-export-2024-03.csv',
  'billing/billing-export-with-errors.csv',
  'pended/pended-queue-2024-03-15.csv',
  // X12 005010 from the implementation-guide examples: professional and institutional claims, a remittance.
  'x12/linuxforhealth/837_005010X222A2/demo.example1.837',
  'x12/linuxforhealth/837_005010X223A3/two-claims-single-provider.837i',
  'x12/linuxforhealth/835_005010X221A1/medicare-part-a.835',
];

ensureDependencies();
build();
const infrastructure = await startInfrastructure();
const harness = await import(pathToFileURL(join(repoRoot, 'dist', 'libs', 'harness', 'src', 'index.js')).href);
const generator = await import(
  pathToFileURL(join(repoRoot, 'dist', 'libs', 'claims-generator', 'src', 'index.js')).href
);
const { createDatabase, dropDatabase, databaseUrl } = await import('./postgres/postgres.mjs');

const runId = randomBytes(3).toString('hex');
const databaseName = `claims_demo_${runId}`;
// The demo's own inbox: the vendored samples under their data/ paths, and the generated scenario beside them.
const ingestRoot = join(repoRoot, '.cache', 'demo-ingest', runId);
for (const sample of SAMPLES) {
  mkdirSync(dirname(join(ingestRoot, sample)), { recursive: true });
  cpSync(join(repoRoot, 'data', sample), join(ingestRoot, sample));
}
// Patient control numbers of their own, apart from every sample's claim ids.
const edi = await generator.generateEdiScenario({
  seed: EDI_SEED,
  claims: EDI_CLAIMS,
  claimIdStart: 700_000_001,
  directory: join(ingestRoot, 'edi'),
});
await createDatabase(infrastructure.databaseUrl, databaseName);
// The API's signing secret for people's tokens (the demo users' below): yours from API_TOKEN_SECRET, else one per run.
const tokenSecret = process.env.API_TOKEN_SECRET ?? randomBytes(32).toString('base64url');
const pipeline = await harness.LocalPipeline.create({
  brokers: infrastructure.brokers,
  databaseUrl: databaseUrl(infrastructure.databaseUrl, databaseName),
  topicNamespace: `demo-${runId}`,
  ingestRoot,
  logDirectory: join(repoRoot, '.cache', 'demo-logs', runId),
  logLevel: 'warn',
  serviceEnv: { api: { API_TOKEN_SECRET: tokenSecret } },
  // A service that exits is restarted with backoff; say so where the user looks.
  report: (line) => say(line),
});
const shutdown = onShutdown(async () => {
  say('stopping the services, the demo database and what was started');
  removeStackState();
  await pipeline.stop();
  await dropDatabase(infrastructure.databaseUrl, databaseName).catch(() => undefined);
  rmSync(ingestRoot, { recursive: true, force: true });
  await infrastructure.stop();
});

try {
  say('starting ingestor, normalizer, enricher, metrics and api');
  await pipeline.start();
  // DE-SynPUF and RIF providers, groups and facilities are synthetic: nothing real matches them. A seeded
  // directory stands in, with a share of flawed entries fixed 1-90 days later in event time (and some never),
  // so the pended queue fills and clears from the data itself.
  const directory = await harness.synthesizeDirectoryForFiles(
    // The delimited files name providers by column, the scenario's 837 by NPI (the vendored X12 samples carry
    // real-looking NPIs the directory leaves out: their claims pend as providers not found).
    [
      ...SAMPLES.filter((sample) => sample.endsWith('.csv')).map((sample) => join(ingestRoot, sample)),
      join(ingestRoot, 'edi', 'claims.837'),
    ],
    { seed: DIRECTORY_SEED },
  );
  await harness.publishReferenceEvents(directory.events, infrastructure.brokers.split(','), `demo-${runId}`);
  const { flawed } = directory.summary;
  say(
    `published a seeded directory (seed ${DIRECTORY_SEED}): ${directory.summary.providers} providers, ` +
      `${directory.summary.groups} groups, ${directory.summary.locations} locations; flawed: ${flawed.missing} missing, ` +
      `${flawed.incomplete} incomplete, ${flawed.lateEffectiveDate} late effective date (${directory.summary.neverFixed} never fixed)`,
  );
  const reports = [];
  for (const sample of [...SAMPLES, ...EDI_FILES.map((file) => `edi/${file}`)]) {
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
  const pendedQueue = await pipeline.api('/v1/kpis/pended-queue?groupBy=reason').catch(() => null);
  const denials = await Promise.all(
    ['carrier_lines', 'billing_export', 'remittance'].map((source) =>
      pipeline.api(`/v1/kpis/denials?source=${source}&groupBy=payer`).catch(() => null),
    ),
  );
  const lifecycle = await pipeline.api('/v1/kpis/claim-lifecycle').catch(() => null);
  const rootCauses = await pipeline
    .api('/v1/kpis/denials/root-causes?source=remittance&groupBy=category')
    .catch(() => null);
  printSummary(summary, verification, pendedQueue, denials);
  printEdiScenario(edi.expected, lifecycle, rootCauses);
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
  writeStackState({
    apiUrl: api,
    apiToken: pipeline.apiToken,
    apiTokenSecret: tokenSecret,
    ingestorUrl: pipeline.services.ingestor.baseUrl,
  });
  const logins = await demoLoginLines(harness, { apiUrl: api, secret: tokenSecret });
  process.stdout.write(
    `\n${logins.join('\n')}\n` +
      `API: ${api}/v1/kpis/summary   (header  Authorization: Bearer ${pipeline.apiToken})\n` +
      `Try:  curl -H 'Authorization: Bearer ${pipeline.apiToken}' ${api}/v1/kpis/summary\n` +
      `Verify: npm run kpi -- verify\n` +
      `Metrics: ${api}/metrics   Health: ${api}/health   Service logs: .cache/demo-logs/${runId}\nServing until Ctrl-C.\n`,
  );
}

function printSummary(summary, verification, pendedQueue, denials = []) {
  // Each label says exactly what its figure counts: "not allowed" lines are
  // split by why, so cost-avoided (MSP/COB) and reprocessed lines are never
  // read as denials.
  const kpis = [
    ['Claims (distinct claim ids folded, latest version, all sources)', summary.claimsReceived],
    ['Claim lines (of those claims)', summary.linesReceived],
    ['Lines allowed (carrier processing indicator A; export lines paid)', summary.linesAllowed],
    ['Lines denied (processing indicator not allowed)', summary.linesDenied],
    ['Lines cost-avoided (MSP/COB: another payer primary)', summary.linesCostAvoidedMspCob],
    ['Lines reprocessed (adjustments of earlier lines)', summary.linesReprocessed],
    ['Lines whose processing is not known (no indicator, no status)', summary.linesProcessingUnknown],
    ...Object.entries(summary.linesByProcessingIndicator).map(([code, count]) => [
      code === '(blank)'
        ? '  lines without a processing indicator (exports, institutional)'
        : `  lines with processing indicator ${code}`,
      count,
    ]),
    ['Line payment amount (payer paid, all lines)', `$${summary.medicarePaymentAmount}`],
    ['Line allowed amount (all lines)', `$${summary.allowedAmount}`],
    ['Event-time watermark (latest event date folded)', summary.eventTimeWatermark ?? '-'],
    ...pendedQueueRows(pendedQueue),
    ...denialRows(denials),
    [
      'Counters streamed = batch SQL',
      verification.countersConsistent ? 'yes' : `NO: ${JSON.stringify(verification.mismatches)}`,
    ],
    [
      'Pend histogram streamed = batch SQL',
      verification.pendHistogramConsistent === false
        ? `NO: ${verification.pendHistogramDifferences} cell(s), first ${JSON.stringify(verification.pendHistogramMismatches[0])}`
        : 'yes',
    ],
    [
      'Day-keyed counters (asOf) summed = live counters',
      verification.dailyCountersConsistent === false
        ? `NO: first ${JSON.stringify(verification.dailyCounterMismatches[0])}`
        : 'yes',
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

/**
 * The X12 claim lifecycle next to what the EDI scenario's generator counted
 * while writing its files (the vendored 837 and 835 samples add their own
 * claims, so only figures the scenario alone feeds are compared).
 */
function printEdiScenario(expected, lifecycle, rootCauses) {
  if (!lifecycle) return;
  const percent = (rate) => (rate.rate === null ? '-' : `${(rate.rate * 100).toFixed(1)}%`);
  const ofRate = (rate) => `${percent(rate)} (${rate.numerator} of ${rate.denominator})`;
  const dollars = (cents) => `$${Math.trunc(cents / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
  const rows = [
    [
      'First-pass clean claim rate (paid on first submission: no pend, rejection or resubmission)',
      ofRate(lifecycle.firstPassCleanClaimRate),
      '-',
    ],
    [
      '999 rejection rate (837 transaction sets rejected / acknowledged)',
      ofRate(lifecycle.functionalAcknowledgementRejectionRate),
      `${expected.transactionSetsRejectedBy999} rejected`,
    ],
    [
      '277CA rejection rate (claims rejected / acknowledged)',
      ofRate(lifecycle.claimAcknowledgementRejectionRate),
      `${expected.claimsRejectedBy277ca} rejected`,
    ],
    ...lifecycle.payerLag.map((row) => {
      const payer = expected.byPayer[row.payer];
      return [
        `  payer lag, submission to payment, ${row.payer}: p50 / p90 days`,
        `${row.p50Days} / ${row.p90Days} (${row.paidClaims} paid)`,
        payer
          ? `mean ${(payer.paymentLagDaysTotal / payer.remittedClaims).toFixed(1)} (${payer.remittedClaims} remitted)`
          : '-',
      ];
    }),
    [
      '835s and 277CAs waiting for their 837 (unmatched)',
      `${lifecycle.unmatched.adjudications} / ${lifecycle.unmatched.acknowledgements}`,
      '-',
    ],
    // A claim denied for two causes counts under both: these rows may add up to more than the denied claims.
    ...(rootCauses?.rows ?? []).map((row) => [
      `  835 claims denied for root cause ${row.value}`,
      `${row.denied} (${row.adjustments} CAS, ${dollars(row.deniedAmountCents)})`,
      '-',
    ]),
    ...(rootCauses?.unknownCarcs.length
      ? [
          [
            '  CARCs the root-cause file does not list',
            rootCauses.unknownCarcs.map((entry) => entry.carc).join(', '),
            '-',
          ],
        ]
      : []),
  ];
  process.stdout.write(
    `\nThe EDI scenario (seed ${EDI_SEED}, ${expected.claimsSubmitted} claims submitted) and the X12 claim lifecycle:\n` +
      `${table(['KPI', 'served', 'generator counted'], rows)}\n`,
  );
}

/** The pended-queue KPIs as of the watermark, as table rows; none when the API did not answer them. */
function pendedQueueRows(queue) {
  if (!queue || queue.asOf === null) return [];
  const dollars = (cents) => {
    const absolute = Math.abs(cents);
    return `${cents < 0 ? '-' : ''}$${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
  };
  const orDash = (value) => value ?? '-';
  return [
    [`Pended claims open at ${queue.asOf}`, `${queue.open.claims} (${dollars(queue.open.amountCents)})`],
    ...queue.ageBuckets.map((bucket) => [
      `  open pended claims aged ${bucket.bucket} days`,
      `${bucket.claims} (${dollars(bucket.amountCents)})`,
    ]),
    [
      'Open pended claims: average / oldest age (days)',
      `${orDash(queue.averageAgeDays)} / ${orDash(queue.oldestAgeDays)}`,
    ],
    [
      'Pended claims cleared: days to clear p50 / p90',
      `${orDash(queue.daysToClear.p50)} / ${orDash(queue.daysToClear.p90)} (${queue.daysToClear.clearedClaims} cleared)`,
    ],
    [
      `Pended claims cleared within ${queue.clearedWithinSla.slaDays} days (share of cleared)`,
      queue.clearedWithinSla.share === null ? '-' : `${(queue.clearedWithinSla.share * 100).toFixed(1)}%`,
    ],
    // A claim with several reasons counts under each: these rows may add up to more than the open total.
    ...(queue.byDimension ?? []).map((row) => [
      `  open pended claims with reason ${row.value}`,
      `${row.claims} (${dollars(row.amountCents)})`,
    ]),
  ];
}

/** The initial denial rate of each source rule that adjudicated anything, in its own unit; none when the API did not answer. */
function denialRows(denials) {
  const percent = (rate) => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);
  const dollars = (cents) => `$${Math.trunc(cents / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
  const units = { line: 'carrier lines', claim: 'claims' };
  const names = { carrier_lines: 'carrier line indicator', billing_export: 'billing-export status', remittance: '835' };
  return denials
    .filter((rates) => rates && rates.total.adjudicated > 0)
    .flatMap((rates) => [
      [
        `Initial denial rate by count (${names[rates.source]}: ${units[rates.unit]} denied / adjudicated)`,
        `${percent(rates.total.denialRateByCount)} (${rates.total.denied} of ${rates.total.adjudicated})`,
      ],
      [
        `Initial denial rate by dollars (${names[rates.source]}: ${rates.unit === 'line' ? 'line charges' : 'billed'})`,
        `${percent(rates.total.denialRateByAmount)} (${dollars(rates.total.deniedAmountCents)} of ${dollars(rates.total.adjudicatedAmountCents)})`,
      ],
    ]);
}

function table(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`;
  const format = (row) => `| ${row.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  return [line, format(header), line, ...rows.map(format), line].join('\n');
}
