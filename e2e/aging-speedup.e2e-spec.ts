import { generateFile, type GeneratedFile } from '@claims/claims-generator';
import { join } from 'node:path';
import { startE2ePipeline, type E2ePipeline } from './e2e-pipeline';
import { settledVerification } from './verification';

const SEED = 4_242;
/** Event time runs this many times faster than the wall clock: about a year of pend dates in a few seconds. */
const SPEEDUP = 10_000_000;

interface PendedQueueAnswer {
  asOf: string | null;
  watermark: string | null;
  open: { claims: number; amountCents: number };
}

interface VolumeAnswer {
  rows: Array<{ claims: number }>;
}

/**
 * The figures at each date: the pended queue by reason (what aging at a
 * fixed `asOf` answers) and the volume and payment counters at the end of
 * that day.
 */
async function figuresAt(
  e2e: E2ePipeline,
  dates: readonly string[],
): Promise<Record<string, { pendedQueue: PendedQueueAnswer; volume: VolumeAnswer; payments: unknown }>> {
  const answers = await Promise.all(
    dates.map(async (asOf) => [
      asOf,
      {
        pendedQueue: await e2e.pipeline.api<PendedQueueAnswer>(`/v1/kpis/pended-queue?asOf=${asOf}&groupBy=reason`),
        volume: await e2e.pipeline.api<VolumeAnswer>(`/v1/kpis/volume?asOf=${asOf}&groupBy=month`),
        payments: await e2e.pipeline.api<unknown>(`/v1/kpis/payments?asOf=${asOf}&groupBy=payer`),
      },
    ]),
  );
  return Object.fromEntries(answers);
}

/** Replays the file into a pipeline of its own, paced as asked, and answers once every record is accounted for. */
async function replayInto(
  label: string,
  layoutFile: (root: string) => Promise<GeneratedFile>,
  pace: { speedup?: number },
) {
  const e2e = await startE2ePipeline(label);
  const file = await layoutFile(e2e.ingestRoot);
  const started = await e2e.pipeline.startIngestion({ file: file.name, ...pace });
  const job = await e2e.pipeline.waitForIngestion(started.ingestId);
  expect(job.state).toBe('completed');
  const fileId = job.report?.dryRun === undefined ? (job.report?.fileId ?? '') : '';
  const verification = await settledVerification(e2e.pipeline, { fileIds: [fileId], timeoutMs: 120_000 });
  expect(verification).toMatchObject({ consistent: true, mismatches: [] });
  return e2e;
}

describe('aging at a fixed asOf, whatever the replay speed', () => {
  const pendedQueueFile = (root: string): Promise<GeneratedFile> =>
    generateFile({ layout: 'pended-queue', seed: SEED, records: 500, claimIdStart: 1, path: join(root, 'pended.csv') });

  it('answers the same open counts, dollars, buckets, days-to-clear and counters at every date for a full-speed and a --speedup replay', async () => {
    const fullSpeed = await replayInto('aging-full-speed', pendedQueueFile, {});
    let dates: string[];
    let atFullSpeed: Awaited<ReturnType<typeof figuresAt>>;
    try {
      const { watermark } = await fullSpeed.pipeline.api<PendedQueueAnswer>('/v1/kpis/pended-queue');
      expect(watermark).not.toBeNull();
      // The watermark itself and dates inside the history, where claims are still open and some have cleared.
      dates = [0, 30, 90, 180].map((days) =>
        new Date(Date.parse(`${watermark}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10),
      );
      atFullSpeed = await figuresAt(fullSpeed, dates);
    } finally {
      await fullSpeed.stop();
    }
    const paced = await replayInto('aging-speedup', pendedQueueFile, { speedup: SPEEDUP });
    try {
      expect(await figuresAt(paced, dates)).toEqual(atFullSpeed);
      // Not vacuous: every date sees open claims, and the claim volume grows from the earliest date to the latest.
      for (const answer of Object.values(atFullSpeed)) expect(answer.pendedQueue.open.claims).toBeGreaterThan(0);
      const claimsAt = (date: string) =>
        (atFullSpeed[date]?.volume.rows ?? []).reduce((sum, row) => sum + row.claims, 0);
      expect(claimsAt(dates[dates.length - 1] ?? '')).toBeLessThan(claimsAt(dates[0] ?? ''));
      expect(claimsAt(dates[dates.length - 1] ?? '')).toBeGreaterThan(0);
    } finally {
      await paced.stop();
    }
  });
});
