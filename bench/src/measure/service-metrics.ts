/** What a stage's own Prometheus metrics say about its batches: how many, how big, how long. */
export interface StageBatchStats {
  batches: number;
  recordsPerBatch: number;
  secondsPerBatch: number;
}

/**
 * The samples of `metric` in a Prometheus text exposition, summed by the
 * value of their `label` (in any place among the labels: registries add
 * default ones such as `service`).
 */
function sumsByLabel(text: string, metric: string, label: string): Map<string, number> {
  const sums = new Map<string, number>();
  const labelPattern = new RegExp(`(?:^|,)${label}="([^"]*)"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const value = labelPattern.exec(line.slice(metric.length + 1, line.lastIndexOf('}')))?.[1];
    if (value === undefined) continue;
    sums.set(value, (sums.get(value) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return sums;
}

/** A service's /metrics text; null when it cannot be read. */
export async function metricsTextOf(baseUrl: string): Promise<string | null> {
  try {
    return await (await fetch(`${baseUrl}/metrics`)).text();
  } catch {
    return null;
  }
}

/** claims_stage_batch_duration_seconds and claims_stage_records_total of one stage, from its service's /metrics text. */
export function stageBatchStatsOf(metricsText: string, stage: string): StageBatchStats | null {
  const sumOf = (metric: string): number => sumsByLabel(metricsText, metric, 'stage').get(stage) ?? 0;
  const batches = sumOf('claims_stage_batch_duration_seconds_count');
  if (batches === 0) return null;
  return {
    batches,
    recordsPerBatch: sumOf('claims_stage_records_total') / batches,
    secondsPerBatch: sumOf('claims_stage_batch_duration_seconds_sum') / batches,
  };
}

/**
 * The seconds a service's main thread has stood still for garbage collection
 * since it started, every kind summed (prom-client's default
 * nodejs_gc_duration_seconds, which the services export with the
 * claims_process_ prefix); null when the text holds none. What V8's helper
 * threads spend beside the pause is not in it.
 */
export function gcPauseSecondsOf(metricsText: string): number | null {
  const byKind = sumsByLabel(metricsText, 'claims_process_nodejs_gc_duration_seconds_sum', 'kind');
  return byKind.size > 0 ? [...byKind.values()].reduce((sum, seconds) => sum + seconds, 0) : null;
}

/** claims_kafka_requests_total of a service, by API (Produce, Fetch, OffsetCommit…), from its /metrics text. */
export function kafkaRequestsOf(metricsText: string): Record<string, number> {
  return Object.fromEntries(sumsByLabel(metricsText, 'claims_kafka_requests_total', 'api'));
}

/**
 * The requests per 1,000 records a service sent between two readings of
 * kafkaRequestsOf, by API, largest first; APIs it sent none of are left out.
 */
export function kafkaRequestsPer1000Between(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
  records: number,
): Array<{ api: string; per1000: number }> {
  if (records <= 0) return [];
  return Object.entries(after)
    .map(([api, count]) => ({ api, per1000: ((count - (before[api] ?? 0)) * 1000) / records }))
    .filter((entry) => entry.per1000 > 0)
    .sort((left, right) => right.per1000 - left.per1000 || (left.api < right.api ? -1 : 1));
}

/**
 * The batches a stage handled between two readings of its counters: their
 * count, mean size and mean time. Null when it handled none, or when it
 * cannot be read; a first reading that found nothing counts from zero.
 */
export function stageBatchesBetween(
  before: StageBatchStats | null | undefined,
  after: StageBatchStats | null | undefined,
): StageBatchStats | null {
  if (!after) return null;
  const earlier = before ?? { batches: 0, recordsPerBatch: 0, secondsPerBatch: 0 };
  const batches = after.batches - earlier.batches;
  if (batches <= 0) return null;
  const records = after.recordsPerBatch * after.batches - earlier.recordsPerBatch * earlier.batches;
  const seconds = after.secondsPerBatch * after.batches - earlier.secondsPerBatch * earlier.batches;
  return { batches, recordsPerBatch: records / batches, secondsPerBatch: seconds / batches };
}

/**
 * What the services' own metrics say at one moment: each stage's batches,
 * its service's garbage-collection pauses, and the fold's seconds by step.
 */
export interface ServiceCounters<Stage extends string = string> {
  batches: Partial<Record<Stage, StageBatchStats | null>>;
  gcPauseSeconds: Partial<Record<Stage, number | null>>;
  foldStepSeconds: Record<string, number> | null;
  /** The seconds of the fold's write statements, by the table each writes (claims_fold_write_duration_seconds). */
  foldWriteSeconds: Record<string, number> | null;
}

/** The counters' growth between two readings: the batches handled, the GC pauses and the fold's seconds in between. */
export function serviceCountersBetween<Stage extends string>(
  before: ServiceCounters<Stage>,
  after: ServiceCounters<Stage>,
): ServiceCounters<Stage> {
  const batches: Partial<Record<Stage, StageBatchStats | null>> = {};
  for (const stage of Object.keys(after.batches) as Stage[]) {
    batches[stage] = stageBatchesBetween(before.batches[stage], after.batches[stage]);
  }
  const gcPauseSeconds: Partial<Record<Stage, number | null>> = {};
  for (const stage of Object.keys(after.gcPauseSeconds) as Stage[]) {
    const pausedAfter = after.gcPauseSeconds[stage];
    gcPauseSeconds[stage] = pausedAfter == null ? null : pausedAfter - (before.gcPauseSeconds[stage] ?? 0);
  }
  return {
    batches,
    gcPauseSeconds,
    foldStepSeconds: secondsBetween(before.foldStepSeconds, after.foldStepSeconds),
    foldWriteSeconds: secondsBetween(before.foldWriteSeconds, after.foldWriteSeconds),
  };
}

/** Each label's seconds grown between two readings of a sum; null when the later reading has none. */
function secondsBetween(
  before: Readonly<Record<string, number>> | null,
  after: Readonly<Record<string, number>> | null,
): Record<string, number> | null {
  return after
    ? Object.fromEntries(Object.entries(after).map(([label, seconds]) => [label, seconds - (before?.[label] ?? 0)]))
    : null;
}

/**
 * The seconds a fold spent in each step, summed, from the text of the
 * metrics service's /metrics (claims_fold_step_duration_seconds_sum); null
 * when it holds none.
 */
export function foldStepSecondsOf(metricsText: string): Record<string, number> | null {
  const seconds = sumsByLabel(metricsText, 'claims_fold_step_duration_seconds_sum', 'step');
  return seconds.size > 0 ? Object.fromEntries(seconds) : null;
}

/**
 * The seconds the fold's write statements took, summed by the table each
 * writes, from the text of the metrics service's /metrics
 * (claims_fold_write_duration_seconds_sum); null when it holds none.
 */
export function foldWriteSecondsOf(metricsText: string): Record<string, number> | null {
  const seconds = sumsByLabel(metricsText, 'claims_fold_write_duration_seconds_sum', 'table');
  return seconds.size > 0 ? Object.fromEntries(seconds) : null;
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
