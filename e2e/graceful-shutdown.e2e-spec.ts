import { generateFile, type GeneratedFile, type GeneratedLayout } from '@claims/claims-generator';
import type { IngestReport } from '@claims/contracts';
import {
  foldedRecordCount,
  queryRows,
  topicRecordCount,
  waitFor,
  type IngestJobStatus,
  type ServiceName,
} from '@claims/harness';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startE2ePipeline, type E2ePipeline, type KpiSummary } from './e2e-pipeline';
import { settledVerification } from './verification';

const SEED = 20_261_203;
/** The services' bound (SHUTDOWN_TIMEOUT_MS), below Kubernetes' 30-second termination grace period. */
const SHUTDOWN_TIMEOUT_MS = 25_000;
/**
 * Each consuming stage twice, one after another, each restarted before the
 * next is stopped. Every round starts a paced replay of a file of its own, so
 * the stage struck has a stream flowing through it however long the restarts
 * before took (a minute each on a crowded machine).
 */
const ROUNDS: ReadonlyArray<{ service: ServiceName; layout: GeneratedLayout; records: number; ratePerSecond: number }> =
  [
    { service: 'normalizer', layout: 'carrier', records: 400, ratePerSecond: 40 },
    { service: 'enricher', layout: 'pended-queue', records: 200, ratePerSecond: 20 },
    { service: 'metrics', layout: 'carrier', records: 400, ratePerSecond: 40 },
    { service: 'normalizer', layout: 'pended-queue', records: 200, ratePerSecond: 20 },
    { service: 'enricher', layout: 'carrier', records: 400, ratePerSecond: 40 },
    { service: 'metrics', layout: 'carrier', records: 400, ratePerSecond: 40 },
  ];

/** What a drained service answered on /health/ready and /health/live between its SIGTERM and its exit. */
interface DrainObservation {
  ready: Array<{ status: number; body: unknown }>;
  live: number[];
}

/** Polls both probes every few milliseconds until `exited` settles: what a kubelet would have seen. */
async function observeDrain(baseUrl: string, exited: Promise<unknown>): Promise<DrainObservation> {
  const seen: DrainObservation = { ready: [], live: [] };
  let done = false;
  void exited.finally(() => (done = true));
  while (!done) {
    try {
      const ready = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      seen.ready.push({ status: ready.status, body: await ready.json().catch(() => null) });
      const live = await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(2_000) });
      await live.body?.cancel();
      seen.live.push(live.status);
    } catch {
      // Refused: the HTTP server has closed, the last step before the exit.
    }
    // A poll interval, not a synchronisation: the loop ends on the exit itself.
    await sleep(10);
  }
  return seen;
}

/** The progress a stage shows from outside: its output topic grows, or, for the fold, its committed offsets. */
function stageProgress(e2e: E2ePipeline, service: ServiceName): () => Promise<number> {
  const topic = (name: string) => `${e2e.namespace}.${name}`;
  switch (service) {
    case 'normalizer':
      return () => topicRecordCount(e2e.brokers, topic('claims.normalized.v1'));
    case 'enricher':
      return () => topicRecordCount(e2e.brokers, topic('claims.enriched.v1'));
    default:
      return () => foldedRecordCount(e2e.database.url);
  }
}

function logLines(e2e: E2ePipeline, service: ServiceName): Array<Record<string, unknown>> {
  return readFileSync(join(e2e.logDirectory, `${service}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return []; // A line cut short by the process's end.
      }
    });
}

describe('SIGTERM to each consuming service in the middle of a paced replay', () => {
  let e2e: E2ePipeline;
  let files: Array<GeneratedFile & { ratePerSecond: number }> = [];

  beforeAll(async () => {
    e2e = await startE2ePipeline(
      'graceful-shutdown',
      { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
      { restartPolicy: { initialRestartDelayMs: 200, maxRestartDelayMs: 200, stableRunMs: 1_000 } },
    );
    files = await Promise.all(
      ROUNDS.map(async (round, index) => ({
        ...(await generateFile({
          layout: round.layout,
          seed: SEED + index,
          records: round.records,
          claimIdStart: 4_000_000 + index * 100_000,
          path: join(e2e.ingestRoot, `round-${index + 1}-${round.layout}.csv`),
        })),
        ratePerSecond: round.ratePerSecond,
      })),
    );
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('drains each one (readiness 503 first, exit 0 within the bound) and ends with every record accounted for exactly once', async () => {
    const replays: Array<Promise<IngestReport>> = [];
    for (const [index, { service: name }] of ROUNDS.entries()) {
      const file = files[index];
      if (!file) throw new Error(`no file for round ${index + 1}`);
      const replay = e2e.pipeline.ingest(file.name, file.ratePerSecond);
      replay.catch(() => undefined);
      replays.push(replay);
      const service = e2e.pipeline.services[name];
      // Struck while the stage is moving, so a batch is on its way through it.
      const progress = stageProgress(e2e, name);
      const before = await progress();
      await waitFor(`the ${name} to make progress`, progress, (count) => count > before, {
        timeoutMs: 120_000,
        intervalMs: 50,
      });
      const restarts = service.restarts;
      const signalledAt = Date.now();
      const exited = service.kill('SIGTERM');
      const observed = await observeDrain(service.baseUrl, exited);
      await exited;
      const drainMs = Date.now() - signalledAt;

      expect(drainMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
      expect(service.restartHistory[restarts]?.exit).toBe('with code 0');
      // Readiness never came back once it went false, and whenever the poller caught the drain it
      // answered 503 with the reason. A drain of a few milliseconds may end between two polls, so
      // the order itself is read from the log below: readiness false before the consumer stops.
      const firstDraining = observed.ready.findIndex((answer) => answer.status === 503);
      const whileDraining = firstDraining < 0 ? [] : observed.ready.slice(firstDraining);
      expect(whileDraining.every((answer) => answer.status === 503)).toBe(true);
      for (const answer of whileDraining) {
        expect(answer.body).toMatchObject({ status: 'draining', reason: 'shutting down on SIGTERM' });
      }
      expect(observed.live.every((status) => status === 200)).toBe(true);

      await waitFor(
        'the supervisor to restart it',
        async () => service.restarts,
        (n) => n > restarts,
        {
          timeoutMs: 30_000,
          intervalMs: 50,
        },
      );
      await service.waitUntilHealthy();
    }

    const reports: IngestReport[] = await Promise.all(replays);
    expect(e2e.pipeline.restartCounts()).toEqual({ ingestor: 0, normalizer: 2, enricher: 2, metrics: 2, api: 0 });

    const claims = files.reduce((sum, file) => sum + file.claims, 0);
    await e2e.waitUntilClaimsFolded(claims);
    const verification = await settledVerification(e2e.pipeline, {
      fileIds: reports.map((report) => report.fileId),
      timeoutMs: 120_000,
    });
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    for (const [index, report] of reports.entries()) {
      expect(verification.files.find((file) => file.fileId === report.fileId)).toMatchObject({
        recordsRead: files[index]?.rows,
        unaccounted: 0,
        status: 'accounted',
      });
    }
    // Nothing doubled: a drain commits its batch in flight, so no batch went through the normalizer
    // or the enricher twice, and the enriched topic holds each event once (one processed_event row
    // each). Only a group session that expired on its own (a machine too starved to heartbeat) may
    // redeliver a batch; the fold then recognises the copies, and the log says so.
    const commitsLost = (['normalizer', 'enricher'] as const)
      .flatMap((name) => logLines(e2e, name))
      .filter((line) => String(line['msg']).startsWith('offset commit lost to a rebalance')).length;
    if (commitsLost === 0) {
      const [processed] = await queryRows<{ events: string }>(
        e2e.database.url,
        'SELECT count(*)::text AS events FROM processed_event',
      );
      expect(await topicRecordCount(e2e.brokers, `${e2e.namespace}.claims.enriched.v1`)).toBe(
        Number(processed?.events),
      );
    }
    const summary = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    expect(summary.claimsReceived).toBe(claims);

    // Each drain ran to its end, in order, and none hit the bound.
    for (const name of ['normalizer', 'enricher', 'metrics'] as const) {
      const lines = logLines(e2e, name);
      const messages = lines.map((line) => String(line['msg']));
      expect(messages.filter((message) => message === 'shutdown complete')).toHaveLength(2);
      expect(messages.filter((message) => message.startsWith('shutdown did not end'))).toHaveLength(0);
      expect(messages.filter((message) => message === 'consumer stopped and left its group').length).toBeGreaterThan(0);
      // Each drain turned readiness false before any of its consumers stopped fetching.
      let draining = false;
      const stopsBeforeDrain: string[] = [];
      for (const message of messages) {
        if (message === 'Starting Nest application...') draining = false;
        if (message.startsWith('shutdown: readiness is false')) draining = true;
        if (message.startsWith('consumer stopping') && !draining) stopsBeforeDrain.push(message);
      }
      expect(messages.filter((message) => message.startsWith('shutdown: readiness is false'))).toHaveLength(2);
      expect(stopsBeforeDrain).toEqual([]);
    }
  }, 900_000);

  it('stops an ingestion at a record boundary on SIGTERM and exits 0; the file ingested again is accounted for once', async () => {
    const claimsBefore = (await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary')).claimsReceived;
    const file = await generateFile({
      layout: 'carrier',
      seed: SEED + 100,
      records: 1_200,
      claimIdStart: 9_000_000,
      path: join(e2e.ingestRoot, 'ingestor-sigterm-carrier.csv'),
    });
    const job = await e2e.pipeline.startIngestion({ file: file.name, ratePerSecond: 40 });
    const jobStatus = async () => (await e2e.pipeline.ingestor<IngestJobStatus>(`/v1/ingestions/${job.ingestId}`)).body;
    const publishedBefore = (
      await waitFor('the job to publish records', jobStatus, (status) => status.recordsPublished > 0, {
        timeoutMs: 60_000,
        intervalMs: 50,
      })
    ).recordsPublished;

    const service = e2e.pipeline.services.ingestor;
    const restarts = service.restarts;
    const signalledAt = Date.now();
    await service.kill('SIGTERM');
    expect(Date.now() - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(service.restartHistory[restarts]?.exit).toBe('with code 0');
    const messages = logLines(e2e, 'ingestor').map((line) => String(line['msg']));
    expect(messages).toContain('ingestions stopped by the shutdown; ingest their files again');
    await waitFor(
      'the supervisor to restart it',
      async () => service.restarts,
      (n) => n > restarts,
      {
        timeoutMs: 30_000,
        intervalMs: 50,
      },
    );
    await service.waitUntilHealthy();

    // Resumed by ingesting the same bytes again: what was published before folds as duplicates.
    const report = await e2e.pipeline.ingest(file.name);
    expect(report.recordsRead).toBe(file.rows);
    const verification = await settledVerification(e2e.pipeline, { fileIds: [report.fileId], timeoutMs: 120_000 });
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    const accounted = verification.files.find((candidate) => candidate.fileId === report.fileId);
    // Every record once: those published before the SIGTERM were recognised, not counted again.
    expect(accounted).toMatchObject({ recordsRead: file.rows, unaccounted: 0, status: 'accounted' });
    expect(publishedBefore).toBeLessThan(file.rows);
    await e2e.waitUntilClaimsFolded(claimsBefore + file.claims);
    expect((await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary')).claimsReceived).toBe(claimsBefore + file.claims);
  }, 600_000);
});
