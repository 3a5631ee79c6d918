// @long-running: private brokers and Postgres servers, a 30 s freeze; jest.sequencer.js starts it first.
import { createHash } from 'node:crypto';
import {
  PrivateKafkaBroker,
  PrivatePostgres,
  foldedRecordCount,
  waitFor,
  type IngestReport,
  type ServiceProcess,
} from '@claims/harness';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateCarrierFile } from '@claims/claims-generator';
import { carrierCsvTruth, type CarrierCsvTruth } from './carrier-csv-truth';
import { e2eLogDirectory, e2eNamespace, startE2ePipeline, type E2ePipeline, type KpiSummary } from './e2e-pipeline';
import { settledVerification } from './verification';

/**
 * Infrastructure faults in the middle of a paced replay, against the five
 * services as real processes: the broker crashes, the database goes away, the
 * consumers freeze. The harness supervises the services as a deployment
 * would; the tests never restart one themselves. After each fault every claim
 * of the file must be counted exactly once, checked against figures computed
 * straight from the file.
 */

const NO_RESTARTS = { ingestor: 0, normalizer: 0, enricher: 0, metrics: 0, api: 0 };

interface CarrierClaimsFile {
  name: string;
  path: string;
  truth: CarrierCsvTruth;
}

/** A seeded synthetic carrier file (the bench's generator) and its figures, read back from the file itself. */
async function writeCarrierClaims(
  directory: string,
  request: { records: number; seed: number; claimIdStart: number },
): Promise<CarrierClaimsFile> {
  const file = await generateCarrierFile({ directory, ...request });
  const truth = carrierCsvTruth(file.path);
  expect(truth.claims).toBe(request.records);
  return { name: file.name, path: file.path, truth };
}

/** A replay in flight: its report once every record is published, and whether it is still running. */
interface Replay {
  report: Promise<IngestReport>;
  isRunning: () => boolean;
}

/**
 * The paced rate of a replay a fault is injected into once its fold is under
 * way: the file must still be read then. 9,000 records take 18 s at this
 * rate; at 1,000 records/s (9 s) a cold pipeline on a busy 2-core machine
 * once had not folded 1,500 of them before the file was read.
 */
const FAULT_REPLAY_RATE = 500;

function startReplay(e2e: E2ePipeline, file: string, ratePerSecond: number): Replay {
  let running = true;
  const report = e2e.pipeline.ingest(file, ratePerSecond).finally(() => (running = false));
  // Awaited by the test; this only keeps an early rejection from being reported as unhandled.
  report.catch(() => undefined);
  return { report, isRunning: () => running };
}

/** Resolves once records flow through every stage into the fold: the moment to inject a fault. */
async function waitUntilFoldUnderWay(e2e: E2ePipeline, foldedRecords: number): Promise<void> {
  await waitFor(
    `${foldedRecords} records to be folded`,
    () => foldedRecordCount(e2e.database.url),
    (folded) => folded >= foldedRecords,
    { timeoutMs: 120_000, intervalMs: 100 },
  );
}

async function expectEveryClaimFoldedOnce(e2e: E2ePipeline, file: CarrierClaimsFile): Promise<void> {
  const { truth } = file;
  await e2e.waitUntilClaimsFolded(truth.claims);
  const summary = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
  expect(summary.claimsReceived).toBe(truth.claims);
  expect(summary.linesReceived).toBe(truth.lines);
  expect(summary.linesAllowed).toBe(truth.linesAllowed);
  expect(summary.linesNotAllowed).toBe(truth.lines - truth.linesAllowed);
  expect(summary.medicarePaymentAmountCents).toBe(truth.paymentCents);
  expect(summary.allowedAmountCents).toBe(truth.allowedCents);
  expect(summary.linesByProcessingIndicator).toEqual(truth.linesByIndicator);
  // The file id is the SHA-256 of its bytes: wait until that file's report and records are all accounted.
  const fileId = createHash('sha256').update(readFileSync(file.path)).digest('hex');
  const verification = await settledVerification(e2e.pipeline, { fileIds: [fileId] });
  expect(verification).toMatchObject({ consistent: true, mismatches: [] });
  // Redelivered records end as duplicates; each of the file's records is folded once.
  expect(verification.files.find((entry) => entry.source === file.name)).toMatchObject({
    recordsRead: truth.claims,
    folded: truth.claims,
    deadLettered: 0,
    unaccounted: 0,
    status: 'accounted',
  });
}

/** Freezes a service with SIGSTOP after `afterMs` and lets it run again `forMs` later. */
async function pauseFor(service: ServiceProcess, afterMs: number, forMs: number): Promise<void> {
  await sleep(afterMs);
  service.pause();
  // The freeze's length is the fault being injected, not a wait for some state.
  await sleep(forMs);
  service.resume();
}

describe('a private Kafka broker SIGKILLed in the middle of a replay and started again on its data', () => {
  const namespace = e2eNamespace('broker-kill');
  let broker: PrivateKafkaBroker | undefined;
  let e2e: E2ePipeline | undefined;

  beforeAll(async () => {
    broker = await PrivateKafkaBroker.start(join(e2eLogDirectory(namespace), 'kafka'));
    e2e = await startE2ePipeline('broker-kill', {}, { brokers: broker.brokers }, namespace);
  });

  afterAll(async () => {
    await e2e?.stop();
    await broker?.destroy();
  });

  it('folds every claim of the file exactly once, with no service restarted', async () => {
    const pipeline = e2e!;
    const file = await writeCarrierClaims(pipeline.ingestRoot, {
      records: 9_000,
      seed: 2101,
      claimIdStart: 710_000_000_000_000,
    });
    const replay = startReplay(pipeline, file.name, FAULT_REPLAY_RATE);
    await waitUntilFoldUnderWay(pipeline, 1_500);
    expect(replay.isRunning()).toBe(true);

    await broker!.kill();
    await broker!.startAgain();

    expect((await replay.report).recordsPublished).toBe(file.truth.claims);
    await expectEveryClaimFoldedOnce(pipeline, file);
    expect(pipeline.pipeline.restartCounts()).toEqual(NO_RESTARTS);
  });
});

describe('a private Postgres stopped with pg_ctl -m immediate for 10 s in the middle of a replay', () => {
  const namespace = e2eNamespace('postgres-outage');
  let postgres: PrivatePostgres | undefined;
  let e2e: E2ePipeline | undefined;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start(join(e2eLogDirectory(namespace), 'postgres'));
    e2e = await startE2ePipeline('postgres-outage', {}, { adminDatabaseUrl: postgres.adminUrl }, namespace);
  });

  afterAll(async () => {
    await e2e?.stop();
    await postgres?.destroy();
  });

  it('folds every claim of the file exactly once once the database is back, with no service restarted', async () => {
    const pipeline = e2e!;
    const file = await writeCarrierClaims(pipeline.ingestRoot, {
      records: 9_000,
      seed: 2102,
      claimIdStart: 720_000_000_000_000,
    });
    const replay = startReplay(pipeline, file.name, FAULT_REPLAY_RATE);
    await waitUntilFoldUnderWay(pipeline, 1_500);
    expect(replay.isRunning()).toBe(true);

    await postgres!.stopImmediately();
    // The outage's length is the fault being injected, not a wait for some state.
    await sleep(10_000);
    await postgres!.startAgain();

    expect((await replay.report).recordsPublished).toBe(file.truth.claims);
    await expectEveryClaimFoldedOnce(pipeline, file);
    expect(pipeline.pipeline.restartCounts()).toEqual(NO_RESTARTS);
  });
});

describe('the normalizer, enricher and metrics each frozen with SIGSTOP for 30 s in the middle of a replay', () => {
  let e2e: E2ePipeline | undefined;

  beforeAll(async () => {
    e2e = await startE2ePipeline('consumers-frozen');
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('folds every claim of the file exactly once after they resume, with no service restarted', async () => {
    const pipeline = e2e!;
    const { normalizer, enricher, metrics } = pipeline.pipeline.services;
    const file = await writeCarrierClaims(pipeline.ingestRoot, {
      records: 10_000,
      seed: 2103,
      claimIdStart: 730_000_000_000_000,
    });
    const replay = startReplay(pipeline, file.name, 800);
    await waitUntilFoldUnderWay(pipeline, 1_000);
    expect(replay.isRunning()).toBe(true);

    // Staggered and overlapping, to keep the test short: each freeze outlasts the
    // consumer group session timeout, so each service comes back to a group that
    // has dropped it, while the stages around it keep going or are frozen too.
    await Promise.all([
      pauseFor(normalizer, 0, 30_000),
      pauseFor(enricher, 4_000, 30_000),
      pauseFor(metrics, 8_000, 30_000),
    ]);

    expect((await replay.report).recordsPublished).toBe(file.truth.claims);
    await expectEveryClaimFoldedOnce(pipeline, file);
    expect(pipeline.pipeline.restartCounts()).toEqual(NO_RESTARTS);
  });
});

describe('two pipelines with different topic namespaces on one broker', () => {
  let first: E2ePipeline | undefined;
  let second: E2ePipeline | undefined;

  beforeAll(async () => {
    [first, second] = await Promise.all([startE2ePipeline('namespace-a'), startE2ePipeline('namespace-b')]);
  });

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('each drain the same file fully, every claim folded exactly once in each', async () => {
    const pipelines = [first!, second!];
    const file = await writeCarrierClaims(pipelines[0]!.ingestRoot, {
      records: 6_000,
      seed: 2104,
      claimIdStart: 740_000_000_000_000,
    });
    copyFileSync(file.path, join(pipelines[1]!.ingestRoot, file.name));

    const replays = pipelines.map((pipeline) => startReplay(pipeline, file.name, 1_500));
    for (const replay of replays) expect((await replay.report).recordsPublished).toBe(file.truth.claims);
    for (const pipeline of pipelines) {
      await expectEveryClaimFoldedOnce(pipeline, file);
      expect(pipeline.pipeline.restartCounts()).toEqual(NO_RESTARTS);
    }
  });
});
