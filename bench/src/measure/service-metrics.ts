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

/**
 * The seconds a fold spent in each step, summed, from the text of the
 * metrics service's /metrics (claims_fold_step_duration_seconds_sum); null
 * when it holds none.
 */
export function foldStepSecondsOf(metricsText: string): Record<string, number> | null {
  const seconds: Record<string, number> = {};
  // Labels in any order: the registry adds its default `service` label.
  for (const [, labels, value] of metricsText.matchAll(/^claims_fold_step_duration_seconds_sum\{([^}]*)\} (\S+)$/gm)) {
    const step = /(?:^|,)step="(\w+)"/.exec(labels ?? '')?.[1];
    if (step !== undefined) seconds[step] = Number(value);
  }
  return Object.keys(seconds).length > 0 ? seconds : null;
}

/** foldStepSecondsOf the metrics service's /metrics; null when it cannot be read. */
export async function scrapeFoldStepSeconds(baseUrl: string): Promise<Record<string, number> | null> {
  try {
    return foldStepSecondsOf(await (await fetch(`${baseUrl}/metrics`)).text());
  } catch {
    return null;
  }
}

/**
 * Each fold step's milliseconds per 1,000 folded records and its share of
 * the steps' sum, largest first.
 */
export function foldStepCosts(
  seconds: Readonly<Record<string, number>>,
  foldedRecords: number,
): Array<{ step: string; msPer1000: number; share: number }> {
  const total = Object.values(seconds).reduce((sum, value) => sum + value, 0);
  return Object.entries(seconds)
    .map(([step, value]) => ({ step, msPer1000: (value * 1e6) / foldedRecords, share: total > 0 ? value / total : 0 }))
    .sort((left, right) => right.msPer1000 - left.msPer1000);
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
