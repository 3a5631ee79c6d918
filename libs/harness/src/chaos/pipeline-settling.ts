import type { LocalPipeline } from '../local-pipeline';
import { foldedRecordCount, topicRecordCount } from '../pipeline-progress';
import { waitFor } from '../wait-for';

/** GET /v1/kpis/verification (what `npm run kpi -- verify` prints), the fields the harness reads. */
export interface Verification {
  consistent: boolean;
  countersConsistent: boolean;
  filesConsistent: boolean;
  mismatches: unknown[];
  files: Array<{
    fileId: string;
    source: string | null;
    recordsRead: number | null;
    folded: number;
    duplicates: number;
    deadLettered: number;
    unaccounted: number | null;
    status: string;
  }>;
  untracedDeadLetters: number;
}

/**
 * Waits until the API verifies every counter against its batch SQL and every
 * ingested record as folded, duplicate or dead-lettered: dead letters and
 * ingest reports are accounted by their own consumers, a moment after the
 * fold has drained. A file whose report has not arrived yet is not listed at
 * all, so `fileIds` names the files that must be listed and accounted before
 * the answer counts as settled. Resolves with the last answer either way, so
 * a caller asserts on what it saw.
 */
export async function settledVerification(
  pipeline: LocalPipeline,
  options: { fileIds?: readonly string[]; timeoutMs?: number } | number = {},
): Promise<Verification> {
  const { fileIds = [], timeoutMs = 60_000 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const settled = (verification: Verification): boolean =>
    verification.consistent &&
    fileIds.every((fileId) => verification.files.some((file) => file.fileId === fileId && file.status === 'accounted'));
  try {
    return await waitFor(
      'the verification to account for every record',
      () => pipeline.api<Verification>('/v1/kpis/verification'),
      settled,
      { timeoutMs, intervalMs: 250 },
    );
  } catch {
    return pipeline.api<Verification>('/v1/kpis/verification');
  }
}

/** Every figure the API serves for the KPI families the generated sources feed: a replay must leave each as it was. */
export const KPI_SNAPSHOT_ROUTES: readonly string[] = [
  '/v1/kpis/summary',
  '/v1/kpis/pended-queue?groupBy=reason',
  '/v1/kpis/denials?source=carrier_lines&groupBy=payer',
  '/v1/kpis/denials?source=billing_export&groupBy=payer',
  '/v1/kpis/payments?groupBy=payer',
  '/v1/kpis/volume?groupBy=claim_type',
];

/** A KPI answer without the fields that move with the wall clock rather than with the claims. */
export function withoutClockFields(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(withoutClockFields);
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(
    Object.entries(body)
      .filter(([key]) => !/^(generatedAt|computedAt|servedAt|freshness)/.test(key))
      .map(([key, value]) => [key, withoutClockFields(value)]),
  );
}

/** Every KPI route's answer, clock fields aside: two snapshots are equal when no claim figure moved. */
export async function kpiSnapshot(
  pipeline: LocalPipeline,
  routes: readonly string[] = KPI_SNAPSHOT_ROUTES,
): Promise<Record<string, unknown>> {
  const entries = await Promise.all(routes.map(async (route) => [route, await pipeline.api<unknown>(route)] as const));
  return Object.fromEntries(entries.map(([route, body]) => [route, withoutClockFields(body)]));
}

/**
 * Resolves once a replay has gone all the way through: the fold has
 * committed everything enriched, and no stage has published anything for
 * `quietMs`. A replayed record's path ends in the fold as a duplicate, so no
 * KPI and no per-file count can tell that it has arrived.
 */
export async function waitUntilQuiet(
  target: { brokers: string; namespace: string; databaseUrl: string },
  options: { quietMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const topics = ['claims.raw.v1', 'claims.normalized.v1', 'claims.enriched.v1'].map(
    (topic) => `${target.namespace}.${topic}`,
  );
  const quietMs = options.quietMs ?? 5_000;
  let last = '';
  let quietSince = Date.now();
  await waitFor(
    'the replay to drain through every stage',
    async () => {
      const counts = await Promise.all(topics.map((topic) => topicRecordCount(target.brokers, topic)));
      const folded = await foldedRecordCount(target.databaseUrl);
      const state = JSON.stringify(counts);
      if (state !== last) quietSince = Date.now();
      last = state;
      return { caughtUp: folded >= (counts[2] ?? 0), quietMs: Date.now() - quietSince };
    },
    (progress) => progress.caughtUp && progress.quietMs >= quietMs,
    { timeoutMs: options.timeoutMs ?? 180_000, intervalMs: 500 },
  );
}
