import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFile } from './generate-file';

const MEBIBYTE = 1024 * 1024;

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'claims-generator-memory-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Runs `work` while sampling the resident set size, and returns the largest growth seen. */
async function peakRssGrowthBytes(work: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 10);
  try {
    await work();
  } finally {
    clearInterval(sampler);
    sample();
  }
  return peak - before;
}

describe('generateFile memory', () => {
  it('grows the process no more for a 120 MiB carrier file than for a 40 MiB one (the file is never held whole)', async () => {
    // A bound on one file's growth alone is at the mercy of the heap's working size and of whatever else the
    // worker holds (a 50 MiB file grows a warm process by ~50 MiB, a cold one by ~90 MiB). Comparing two sizes in
    // one warmed-up process cancels that out: a writer that held the file in memory grows by ~3.5x the file's
    // size, so tripling the file would add ~280 MiB; a streaming writer adds next to nothing.
    await generateFile({
      layout: 'carrier',
      seed: 2,
      minimumBytes: 5 * MEBIBYTE,
      path: join(directory, 'warm-up.csv'),
    });
    const growthFor = async (mebibytes: number): Promise<number> => {
      let contentBytes = 0;
      const growth = await peakRssGrowthBytes(async () => {
        const file = await generateFile({
          layout: 'carrier',
          seed: mebibytes,
          minimumBytes: mebibytes * MEBIBYTE,
          path: join(directory, `carrier-${mebibytes}mib.csv`),
        });
        contentBytes = file.contentBytes;
      });
      expect(contentBytes).toBeGreaterThanOrEqual(mebibytes * MEBIBYTE);
      return growth;
    };
    const small = await growthFor(40);
    const large = await growthFor(120);
    expect(large - small).toBeLessThan(100 * MEBIBYTE);
  }, 60_000);
});
