import { Client } from 'pg';
import type {
  ExpectedCarrierKpis,
  ExpectedInstitutionalKpis,
  GeneratedCarrierFile,
  GeneratedFile,
} from '@claims/claims-generator';
import { figureDifferences, summaryDifferences, type KpiSummaryFigures } from './summary-differences';
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

/** A generated file a replay measures end to end: a layout whose KPIs the generator counts. */
export type ReplayedFile = GeneratedCarrierFile | GeneratedFile<'inpatient'> | GeneratedFile<'outpatient'>;

/** The API's own verification (every streamed counter against its batch SQL) beside the generator's differences. */
async function correctnessWith(pipeline: LocalPipeline, differences: readonly string[]): Promise<CorrectnessCheck> {
  const verification = await pipeline.api<KpiVerification>('/v1/kpis/verification');
  const verificationConsistent = verification.consistent && verification.mismatches.length === 0;
  return {
    passed: verificationConsistent && differences.length === 0,
    verificationConsistent,
    verificationMismatches: verification.mismatches.length,
    summaryMatchesGenerator: differences.length === 0,
    differences: differences.slice(0, 20),
  };
}

export async function checkCorrectness(
  pipeline: LocalPipeline,
  expected: ExpectedCarrierKpis,
): Promise<CorrectnessCheck> {
  const summary = await pipeline.api<KpiSummaryFigures>('/v1/kpis/summary');
  return correctnessWith(pipeline, summaryDifferences(summary, expected));
}

/**
 * An inpatient or outpatient file: the claims and their payer payments
 * (CLM_PMT_AMT) as the volume KPI serves them, summed over claim types,
 * against the generator's; lines are not checked (the generator does not
 * count an institutional claim's revenue lines).
 */
export async function checkInstitutionalCorrectness(
  pipeline: LocalPipeline,
  expected: ExpectedInstitutionalKpis,
): Promise<CorrectnessCheck> {
  const volume = await pipeline.api<{ rows: Array<{ claims: number; paidAmountCents: number }> }>(
    '/v1/kpis/volume?groupBy=claim_type',
  );
  const served = volume.rows.reduce(
    (sum, row) => ({ claims: sum.claims + row.claims, paidAmountCents: sum.paidAmountCents + row.paidAmountCents }),
    { claims: 0, paidAmountCents: 0 },
  );
  return correctnessWith(
    pipeline,
    figureDifferences([
      ['claims', served.claims, expected.claims],
      ['paidAmountCents', served.paidAmountCents, expected.claimPaymentAmountCents],
    ]),
  );
}

/** The check that fits the file's layout: what its generator counted. */
export function checkReplayedFile(pipeline: LocalPipeline, file: ReplayedFile): Promise<CorrectnessCheck> {
  return file.layout === 'carrier'
    ? checkCorrectness(pipeline, file.expected)
    : checkInstitutionalCorrectness(pipeline, file.expected);
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
