import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { BenchContext, progress } from './bench-context';
import { parseBenchOptions, USAGE, type PhaseName } from './cli-options';
import { FileCatalog } from './generator/file-catalog';
import { dropLeftoverBenchDatabases } from './infra/bench-database';
import { BENCH_NAMESPACE_PREFIX, TopicAdmin } from './infra/kafka-topics';
import { runApiLoadPhase } from './phases/api-load.phase';
import { runBatchPhase } from './phases/batch-load.phase';
import { runEdiPhase } from './phases/edi.phase';
import { runEndToEndPhase } from './phases/end-to-end.phase';
import { runFreshnessPhase } from './phases/freshness.phase';
import { runIncrementalPhase } from './phases/incremental.phase';
import { runIngestorMemoryPhase } from './phases/ingestor-memory.phase';
import { runRawTransportPhase } from './phases/raw-transport.phase';
import { runRecordCostPhase } from './phases/record-cost.phase';
import { runScaleOutPhase } from './phases/scale-out.phase';
import { describeEnvironment } from './report/environment';
import { printResultsTable } from './report/print-table';
import {
  correctnessFailures,
  rawOneHopRate,
  targetChecks,
  transportFloorsOf,
  type BenchResults,
} from './report/results';
import { writeResults } from './report/write-results';
import { REPO_ROOT } from '@claims/harness';

/**
 * `npm run bench`: scripts/bench.mjs builds, provides Kafka and Postgres
 * (KAFKA_BROKERS, DATABASE_URL) and runs this file from dist/. Phases run one
 * after another, each on its own database and topic namespace, so one
 * phase's load never overlaps another's measurement.
 */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const options = parseBenchOptions(argv);
  const brokers = process.env['KAFKA_BROKERS'];
  const adminDatabaseUrl = process.env['DATABASE_URL'];
  if (!brokers || !adminDatabaseUrl) throw new Error('KAFKA_BROKERS and DATABASE_URL must be set: run `npm run bench`');

  const topics = new TopicAdmin(brokers);
  const context = new BenchContext(options, brokers, adminDatabaseUrl, topics);
  const interrupted = handleInterrupts(context);
  const startedAt = new Date();
  try {
    await removeLeftovers(context);
    const catalog = new FileCatalog(context.ingestRoot, options);
    const environment = await describeEnvironment(adminDatabaseUrl);
    const results: BenchResults = {
      schemaVersion: 1,
      runId: context.runId,
      startedAt: startedAt.toISOString(),
      finishedAt: '',
      status: 'passed',
      mode: options.quick ? 'quick' : 'default',
      options,
      environment,
      generatedFiles: catalog.generated,
      phaseSeconds: {},
      failures: [],
    };
    const timed = async <T>(phase: PhaseName, body: () => Promise<T>): Promise<T | undefined> => {
      if (!options.phases.includes(phase)) return undefined;
      const started = Date.now();
      try {
        return await body();
      } catch (error) {
        if (interrupted.value) throw error;
        results.failures.push(`${phase}: ${error instanceof Error ? error.message : String(error)}`);
        progress(`${phase} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return undefined;
      } finally {
        results.phaseSeconds[phase] = (Date.now() - started) / 1000;
      }
    };

    results.rawTransport = await timed('transport', async () => {
      const carrier = await catalog.endToEnd();
      const files = [carrier, await catalog.institutional('inpatient'), await catalog.institutional('outpatient')];
      return runRawTransportPhase(context, files);
    });
    results.recordCost = await timed('record-cost', async () =>
      runRecordCostPhase(context, await catalog.recordCost()),
    );
    results.endToEnd = await timed('e2e', async () => runEndToEndPhase(context, await catalog.endToEnd()));
    const rawOneHop = rawOneHopRate(results);
    if (results.endToEnd && rawOneHop) results.endToEndShareOfRawOneHop = results.endToEnd.recordsPerSecond / rawOneHop;
    // The inpatient file of the raw-transport phase: its one-hop rate is that phase's inpatient row.
    results.endToEndInpatient = await timed('e2e-inpatient', async () =>
      runEndToEndPhase(context, await catalog.institutional('inpatient'), {
        phase: 'e2e-inpatient',
        label: 'end to end, inpatient',
      }),
    );
    results.transportFloors = transportFloorsOf(results, availableParallelism());
    results.edi = await timed('edi', () => runEdiPhase(context, options.ediClaims));
    results.freshness = await timed('freshness', () => runFreshnessPhase(context, catalog, results.endToEnd));
    results.apiLoad = await timed('api-load', () => runApiLoadPhase(context, catalog));
    results.ingestorMemory = await timed('ingestor-memory', () => runIngestorMemoryPhase(context, catalog));
    results.batch = await timed('batch', async () => runBatchPhase(context, await catalog.endToEnd()));
    results.incremental = await timed('incremental', () => runIncrementalPhase(context, catalog));
    results.scaleOut = await timed('scale-out', async () => runScaleOutPhase(context, await catalog.scaleOut()));

    results.targets = targetChecks(results);
    results.notes = runNotes(results);

    results.failures.push(...correctnessFailures(results));
    results.status = results.failures.length === 0 ? 'passed' : 'failed';
    results.finishedAt = new Date().toISOString();
    const written = writeResults(join(REPO_ROOT, 'bench', 'results'), results);
    printResultsTable(results);
    progress(`results written to ${written.timestamped} and ${written.latest}`);
    return results.status === 'passed' ? 0 : 1;
  } finally {
    await context.cleanup.unwindTo(0, (description) => progress(`cleanup "${description}" failed`));
    // A client still refreshing metadata can re-create a just-deleted topic (the broker auto-creates): sweep once more.
    await topics.deleteTopicsWithPrefix(context.topicPrefix).catch(() => undefined);
  }
}

/** What a reader of the figures must know about how they were taken. */
function runNotes(results: BenchResults): string[] {
  const notes = [
    'The end-to-end, freshness, batch and incremental phases use carrier files; the e2e-inpatient phase replays the ' +
      "raw-transport phase's inpatient file end to end (its claims and payments held to the generator); the edi phase " +
      'replays a generated EDI scenario (837P, then its 999, 277CA and 835) and holds the claim lifecycle figures to ' +
      'the generator; outpatient files are measured in the raw-transport phase.',
    'Per-stage figures come from one run with all five services sharing the cores: CPU per record is each service process ' +
      '(/proc/<pid>/stat utime+stime) plus the Postgres backends serving it (by application_name).',
  ];
  if (results.mode === 'quick')
    notes.push(
      "--quick: sizes are far below the issue's (1 M records, 1 GiB, 2 M claims); figures are for developing the benchmark only.",
    );
  if (results.environment.versions.librdkafka === null)
    notes.push(
      'librdkafka rows skipped: run `npm run bench -- --with-librdkafka` to install the client outside the product.',
    );
  return notes;
}

/** Drops databases and topics an interrupted earlier run left behind. */
async function removeLeftovers(context: BenchContext): Promise<void> {
  const databases = await dropLeftoverBenchDatabases(context.adminDatabaseUrl);
  const topics = await context.topics.deleteTopicsWithPrefix(BENCH_NAMESPACE_PREFIX);
  if (databases.length + topics.length > 0) {
    progress(`removed leftovers of an earlier run: ${databases.length} databases, ${topics.length} topics`);
  }
}

/** Ctrl-C or SIGTERM: stop every process this run started, delete its topics, drop its databases, then exit. */
function handleInterrupts(context: BenchContext): { value: boolean } {
  const interrupted = { value: false };
  const stop = (signal: NodeJS.Signals): void => {
    if (interrupted.value) return;
    interrupted.value = true;
    progress(`${signal}: cleaning up`);
    void context.cleanup
      .unwindTo(0, (description) => progress(`cleanup "${description}" failed`))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return interrupted;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
