import { waitFor, type LocalPipeline } from '@claims/harness';

/** GET /v1/kpis/verification, as the e2e tests read it. */
export interface Verification {
  consistent: boolean;
  countersConsistent: boolean;
  filesConsistent: boolean;
  mismatches: unknown[];
  files: Array<{
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
 * ingested record as folded, duplicate or dead-lettered: dead letters are
 * accounted by their own consumer, a moment after the fold has drained.
 * Resolves with the last answer either way, so a test asserts on what it saw.
 */
export async function settledVerification(pipeline: LocalPipeline, timeoutMs = 60_000): Promise<Verification> {
  try {
    return await waitFor(
      'the verification to account for every record',
      () => pipeline.api<Verification>('/v1/kpis/verification'),
      (verification) => verification.consistent,
      { timeoutMs, intervalMs: 250 },
    );
  } catch {
    return pipeline.api<Verification>('/v1/kpis/verification');
  }
}
