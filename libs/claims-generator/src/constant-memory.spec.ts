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
  it('writes a 50 MiB carrier file while the warmed-up process grows by less than 100 MiB', async () => {
    // The first megabytes grow V8's heap to its working size whatever the file's size (measured: ~90 MiB
    // cold for 50 and for 100 MiB alike, ~50 MiB once warm), so the bound is checked once warm. A writer
    // that held the file in memory grows by ~175 MiB for 50 MiB and ~330 MiB for 100 MiB.
    await generateFile({
      layout: 'carrier',
      seed: 2,
      minimumBytes: 5 * MEBIBYTE,
      path: join(directory, 'warm-up.csv'),
    });
    let contentBytes = 0;
    const growth = await peakRssGrowthBytes(async () => {
      const file = await generateFile({
        layout: 'carrier',
        seed: 1,
        minimumBytes: 50 * MEBIBYTE,
        path: join(directory, 'carrier-50mib.csv'),
      });
      contentBytes = file.contentBytes;
    });
    expect(contentBytes).toBeGreaterThanOrEqual(50 * MEBIBYTE);
    expect(growth).toBeLessThan(100 * MEBIBYTE);
  }, 30_000);
});
