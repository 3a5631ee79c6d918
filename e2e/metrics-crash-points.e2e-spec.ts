// @long-running: twelve kills of about 12 s each; jest.sequencer.js starts it first.
import { SeededRandom, generateFile, type GeneratedFile, type GeneratedLayout } from '@claims/claims-generator';
import type { IngestReport } from '@claims/contracts';
import { foldedRecordCount, kpiSnapshot, waitFor, waitUntilQuiet } from '@claims/harness';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startE2ePipeline, type E2ePipeline, type KpiSummary } from './e2e-pipeline';
import { settledVerification } from './verification';

/** Fixed, so a failing run is replayed kill for kill. */
const SEED = 20_261_202;
/**
 * Twelve kills: half land inside a batch's life, half during the rejoin. Each
 * costs about 12 s (the restart, and the group waiting out the dead member's
 * session); twenty took 250 s of a suite that must stay under 25 minutes, and
 * `npm run chaos` has the long count (200 kills).
 */
const KILLS = 12;
/**
 * The kill made from inside: after the Postgres commit of a batch, before its Kafka offset commit. Early, so
 * that a fold commit is still to come when it is armed: on a slow machine the later kills may find the input
 * all folded, and an armed trigger with nothing left to fold would never fire.
 */
const KILL_BETWEEN_COMMITS = 3;

/** Three sources, so every KPI family folds while the service dies: a few thousand generated claims over about 67 s. */
const INPUTS: ReadonlyArray<{ layout: GeneratedLayout; records: number; claimIdStart: number; ratePerSecond: number }> =
  [
    { layout: 'carrier', records: 2_000, claimIdStart: 1_000_000, ratePerSecond: 30 },
    { layout: 'billing-export', records: 600, claimIdStart: 2_000_000, ratePerSecond: 9 },
    { layout: 'pended-queue', records: 400, claimIdStart: 3_000_000, ratePerSecond: 6 },
  ];

describe('the metrics service SIGKILLed at 12 seeded points of a replay of three sources', () => {
  const random = new SeededRandom(SEED);
  let e2e: E2ePipeline;
  let files: Array<GeneratedFile & { ratePerSecond: number }> = [];
  // Where the test asks the service to kill itself between its two commits; read by the service at start.
  const killTrigger = join(mkdtempSync(join(tmpdir(), 'claims-crash-points-')), 'kill-after-fold-commit');

  beforeAll(async () => {
    // A short, flat restart delay: a dozen crashes in a few minutes are the test, not a crash loop to back off from.
    e2e = await startE2ePipeline(
      'crash-points',
      // The broker's floor: each crash hands the partitions on sooner, and a dozen of them fit the suite's budget.
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
    const settled = await kpiSnapshot(e2e.pipeline);
    for (let round = 0; round < 2; round += 1) {
      const again = await Promise.all(files.map((file) => e2e.pipeline.ingest(file.name)));
      await waitUntilQuiet({ brokers: e2e.brokers, namespace: e2e.namespace, databaseUrl: e2e.database.url });
      const afterReplay = await settledVerification(e2e.pipeline, {
        fileIds: again.map((report) => report.fileId),
        timeoutMs: 120_000,
      });
      expect(afterReplay).toMatchObject({ consistent: true, mismatches: [] });
    }
    expect(await kpiSnapshot(e2e.pipeline)).toEqual(settled);
  });
});
