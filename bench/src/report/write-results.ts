import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './results';

/** bench/results/<timestamp>.json and latest.json (both gitignored; .gitkeep keeps the folder). */
export function writeResults(directory: string, results: BenchResults): { timestamped: string; latest: string } {
  mkdirSync(directory, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const timestamped = join(directory, `${stamp}.json`);
  const latest = join(directory, 'latest.json');
  const text = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(timestamped, text);
  writeFileSync(latest, text);
  return { timestamped, latest };
}
