import { Client } from 'pg';
import type { ExpectedCarrierKpis, GeneratedCarrierFile } from '@claims/claims-generator';
import { summaryDifferences, type KpiSummaryFigures } from './summary-differences';
import type { LocalPipeline } from '@claims/harness';

/** A phase's correctness: the API's own verification and the served summary against the generator's figures. */
export interface CorrectnessCheck {
  passed: boolean;
  verificationConsistent: boolean;
  verificationMismatches: number;
  summaryMatchesGenerator: boolean;
  differences: string[];
}

interface KpiVerification {
  consistent: boolean;
  mismatches: unknown[];
}

export async function checkCorrectness(
  pipeline: LocalPipeline,
  expected: ExpectedCarrierKpis,
): Promise<CorrectnessCheck> {
  const verification = await pipeline.api<KpiVerification>('/v1/kpis/verification');
  const summary = await pipeline.api<KpiSummaryFigures>('/v1/kpis/summary');
  const differences = summaryDifferences(summary, expected);
  const verificationConsistent = verification.consistent && verification.mismatches.length === 0;
  return {
    passed: verificationConsistent && differences.length === 0,
    verificationConsistent,
    verificationMismatches: verification.mismatches.length,
    summaryMatchesGenerator: differences.length === 0,
    differences: differences.slice(0, 20),
  };
}

/** claims_received as a reader sees it: committed counters only, summed over partitions. */
export async function readableClaimsReceived(client: Client): Promise<number> {
  const { rows } = await client.query<{ total: string | null }>(
    `SELECT sum(value)::text AS total FROM kpi_counter WHERE kpi = 'claims_received' AND dimension = ''`,
  );
  return Number(rows[0]?.total ?? 0);
}

/** Polls until the readable claims_received reaches `target`; resolves to Date.now() when a poll first saw it. */
export async function waitForClaimsReceived(
  client: Client,
  target: number,
  timeoutMs: number,
  intervalMs = 10,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await readableClaimsReceived(client);
    const seenAt = Date.now();
    if (count >= target) return seenAt;
    if (seenAt > deadline)
      throw new Error(`claims_received reached ${count}, not ${target}, within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Source records with an outcome in the per-file accounting. */
export async function recordsAccounted(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ingest_record`);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/** How many of a generated file's claims the enricher filed in the pended queue (claim_pend rows); the rest are clean. */
export async function pendedClaimsOf(
  client: Client,
  file: Pick<GeneratedCarrierFile, 'claimIdStart' | 'records'>,
): Promise<number> {
  // Claim ids of one file have the same number of digits, so text order is numeric order.
  const { rows } = await client.query<{ pended: string }>(
    `SELECT count(*)::text AS pended FROM claim_pend WHERE claim_id BETWEEN $1 AND $2`,
    [String(file.claimIdStart), String(file.claimIdStart + file.records - 1)],
  );
  return Number(rows[0]?.pended ?? 0);
}
