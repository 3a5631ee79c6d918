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

/** The pended-queue figures at each date, by reason: what aging at a fixed `asOf` answers. */
async function agingAt(e2e: E2ePipeline, dates: readonly string[]): Promise<Record<string, unknown>> {
  const answers = await Promise.all(
    dates.map(async (asOf) => [
      asOf,
      await e2e.pipeline.api<unknown>(`/v1/kpis/pended-queue?asOf=${asOf}&groupBy=reason`),
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

  it('answers the same open counts, dollars, buckets and days-to-clear at every date for a full-speed and a --speedup replay', async () => {
    const fullSpeed = await replayInto('aging-full-speed', pendedQueueFile, {});
    let dates: string[];
    let atFullSpeed: Record<string, unknown>;
    try {
      const { watermark } = await fullSpeed.pipeline.api<PendedQueueAnswer>('/v1/kpis/pended-queue');
      expect(watermark).not.toBeNull();
      // The watermark itself and dates inside the history, where claims are still open and some have cleared.
      dates = [0, 30, 90, 180].map((days) =>
        new Date(Date.parse(`${watermark}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10),
      );
      atFullSpeed = await agingAt(fullSpeed, dates);
    } finally {
      await fullSpeed.stop();
    }
    const paced = await replayInto('aging-speedup', pendedQueueFile, { speedup: SPEEDUP });
    try {
      expect(await agingAt(paced, dates)).toEqual(atFullSpeed);
      // Not vacuous: every date sees open claims.
      for (const answer of Object.values(atFullSpeed))
        expect((answer as PendedQueueAnswer).open.claims).toBeGreaterThan(0);
    } finally {
      await paced.stop();
    }
  });
});
