import { waitFor, type LocalPipeline } from '@claims/harness';

/** GET /v1/kpis/verification, as the e2e tests read it. */
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
 * a test asserts on what it saw.
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
