import { SeededRandom, generateFile, type GeneratedFile, type GeneratedLayout } from '@claims/claims-generator';
import type { IngestReport } from '@claims/contracts';
import { foldedRecordCount, topicRecordCount, waitFor } from '@claims/harness';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startE2ePipeline, type E2ePipeline, type KpiSummary } from './e2e-pipeline';
import { settledVerification } from './verification';

/** Fixed, so a failing run is replayed kill for kill. */
const SEED = 20_261_202;
const KILLS = 20;
/** The kill made from inside: after the Postgres commit of a batch, before its Kafka offset commit. */
const KILL_BETWEEN_COMMITS = 7;

/** Three sources, so every KPI family folds while the service dies: a few thousand generated claims. */
const INPUTS: ReadonlyArray<{ layout: GeneratedLayout; records: number; claimIdStart: number; ratePerSecond: number }> =
  [
    { layout: 'carrier', records: 2_000, claimIdStart: 1_000_000, ratePerSecond: 20 },
    { layout: 'billing-export', records: 600, claimIdStart: 2_000_000, ratePerSecond: 6 },
    { layout: 'pended-queue', records: 400, claimIdStart: 3_000_000, ratePerSecond: 4 },
  ];

/** Every figure the API serves for the families these sources feed: a replay must leave each one as it was. */
const KPI_ROUTES = [
  '/v1/kpis/summary',
  '/v1/kpis/pended-queue?groupBy=reason',
  '/v1/kpis/denials?source=carrier_lines&groupBy=payer',
  '/v1/kpis/denials?source=billing_export&groupBy=payer',
  '/v1/kpis/payments?groupBy=payer',
  '/v1/kpis/volume?groupBy=claim_type',
];

async function kpiSnapshot(e2e: E2ePipeline): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    KPI_ROUTES.map(async (route) => [route, await e2e.pipeline.api<unknown>(route)] as const),
  );
  // The summary's watermark and freshness fields move with the wall clock, not with the claims.
  return Object.fromEntries(entries.map(([route, body]) => [route, withoutClockFields(body)]));
}

function withoutClockFields(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(withoutClockFields);
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(
    Object.entries(body)
      .filter(([key]) => !/^(generatedAt|computedAt|servedAt|freshness)/.test(key))
      .map(([key, value]) => [key, withoutClockFields(value)]),
  );
}

/**
 * Resolves once a replay has gone all the way through: the fold has
 * committed everything enriched, and no stage has published anything for a
 * few seconds. A replayed record's path ends in the fold as a duplicate, so
 * no KPI and no per-file count can tell that it has arrived.
 */
async function waitUntilQuiet(e2e: E2ePipeline): Promise<void> {
  const topics = ['claims.raw.v1', 'claims.normalized.v1', 'claims.enriched.v1'].map(
    (topic) => `${e2e.namespace}.${topic}`,
  );
  let last = '';
  let quietSince = Date.now();
  await waitFor(
    'the replay to drain through every stage',
    async () => {
      const counts = await Promise.all(topics.map((topic) => topicRecordCount(e2e.brokers, topic)));
      const folded = await foldedRecordCount(e2e.database.url);
      const state = JSON.stringify(counts);
      if (state !== last) quietSince = Date.now();
      last = state;
      return { caughtUp: folded >= (counts[2] ?? 0), quietMs: Date.now() - quietSince };
    },
    (progress) => progress.caughtUp && progress.quietMs >= 5_000,
    { timeoutMs: 180_000, intervalMs: 500 },
  );
}

describe('the metrics service SIGKILLed at 20 seeded points of a replay of three sources', () => {
  const random = new SeededRandom(SEED);
  let e2e: E2ePipeline;
  let files: Array<GeneratedFile & { ratePerSecond: number }> = [];
  // Where the test asks the service to kill itself between its two commits; read by the service at start.
  const killTrigger = join(mkdtempSync(join(tmpdir(), 'claims-crash-points-')), 'kill-after-fold-commit');

  beforeAll(async () => {
    // A short, flat restart delay: twenty crashes in a few minutes are the test, not a crash loop to back off from.
    e2e = await startE2ePipeline(
      'crash-points',
      // The broker's floor: each crash hands the partitions on sooner, and twenty of them fit the suite's budget.
      { FAULT_KILL_AFTER_FOLD_COMMIT_FILE: killTrigger, KAFKA_SESSION_TIMEOUT_MS: '6000' },
      { restartPolicy: { initialRestartDelayMs: 200, maxRestartDelayMs: 200, stableRunMs: 1_000 } },
    );
    files = await Promise.all(
      INPUTS.map(async (input) => ({
        ...(await generateFile({
          layout: input.layout,
          seed: SEED,
          records: input.records,
          claimIdStart: input.claimIdStart,
          path: join(e2e.ingestRoot, `${input.layout}.csv`),
        })),
        ratePerSecond: input.ratePerSecond,
      })),
    );
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('ends with every record accounted for once, KPIs equal to the batch SQL and to the generator, and replays change nothing', async () => {
    const replays = files.map((file) => e2e.pipeline.ingest(file.name, file.ratePerSecond));
    replays.forEach((replay) => replay.catch(() => undefined));
    const killPoints: number[] = [];
    for (let kill = 1; kill <= KILLS; kill += 1) {
      // Every other kill waits for the fold to make progress after its restart, so it lands inside a batch's
      // life; the rest strike as soon as the service is healthy, while its group is still rebalancing.
      if (kill % 2 === 0) {
        const before = await foldedRecordCount(e2e.database.url);
        await waitFor(
          'the restarted fold to make progress',
          () => foldedRecordCount(e2e.database.url),
          (folded) => folded > before,
          { timeoutMs: 30_000, intervalMs: 50 },
        ).catch(() => undefined); // Once the input is all folded there is no progress left to wait for.
      }
      await sleep(random.intBetween(0, 900));
      killPoints.push(await foldedRecordCount(e2e.database.url));
      const restarts = e2e.pipeline.services.metrics.restarts;
      if (kill === KILL_BETWEEN_COMMITS) {
        writeFileSync(killTrigger, '');
      } else {
        await e2e.pipeline.services.metrics.kill('SIGKILL');
      }
      await waitFor(
        'the supervisor to restart the metrics service',
        async () => e2e.pipeline.services.metrics.restarts,
        (n) => n > restarts,
        {
          timeoutMs: 60_000,
          intervalMs: 50,
        },
      );
      await e2e.pipeline.services.metrics.waitUntilHealthy();
    }
    const reports: IngestReport[] = await Promise.all(replays);
    expect(e2e.pipeline.restartCounts()).toEqual({ ingestor: 0, normalizer: 0, enricher: 0, metrics: KILLS, api: 0 });
    // The kills landed while the stream flowed, not all at its end.
    const totalRecords = files.reduce((sum, file) => sum + file.rows, 0);
    expect(killPoints.filter((point) => point < totalRecords).length).toBeGreaterThanOrEqual(KILLS / 2);

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
    const summary = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    const carrier = files.find((file) => file.layout === 'carrier');
    expect(summary.claimsReceived).toBe(claims);
    expect(carrier?.expected).toMatchObject({ claims: carrier?.claims });

    // The whole input twice more, at full speed: every KPI stays exactly as it was.
    const settled = await kpiSnapshot(e2e);
    for (let round = 0; round < 2; round += 1) {
      const again = await Promise.all(files.map((file) => e2e.pipeline.ingest(file.name)));
      await waitUntilQuiet(e2e);
      const afterReplay = await settledVerification(e2e.pipeline, {
        fileIds: again.map((report) => report.fileId),
        timeoutMs: 120_000,
      });
      expect(afterReplay).toMatchObject({ consistent: true, mismatches: [] });
    }
    expect(await kpiSnapshot(e2e)).toEqual(settled);
  });
});
