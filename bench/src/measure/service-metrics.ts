/** What a stage's own Prometheus metrics say about its batches: how many, how big, how long. */
export interface StageBatchStats {
  batches: number;
  recordsPerBatch: number;
  secondsPerBatch: number;
}

function sumOf(text: string, metric: string, stage: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) || !line.includes(`stage="${stage}"`)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Reads claims_stage_batch_duration_seconds and claims_stage_records_total from a service's /metrics. */
export async function scrapeStageBatchStats(baseUrl: string, stage: string): Promise<StageBatchStats | null> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const batches = sumOf(text, 'claims_stage_batch_duration_seconds_count', stage);
    const seconds = sumOf(text, 'claims_stage_batch_duration_seconds_sum', stage);
    const records = sumOf(text, 'claims_stage_records_total', stage);
    if (batches === 0) return null;
    return { batches, recordsPerBatch: records / batches, secondsPerBatch: seconds / batches };
  } catch {
    return null;
  }
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sortedAscending: readonly number[], fraction: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.min(sortedAscending.length - 1, Math.max(0, Math.ceil(fraction * sortedAscending.length) - 1));
  return sortedAscending[rank] ?? Number.NaN;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((left, right) => left - right);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}
