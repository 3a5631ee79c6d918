import { EDI_SCENARIO_FILES, generateEdiScenario, type EdiScenarioManifest } from '@claims/claims-generator';
import { waitFor, type IngestReport, type ServiceName } from '@claims/harness';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { progress, type BenchContext } from '../bench-context';
import { PipelineSampler } from '../measure/pipeline-sampler';

/** The scenario's files in the order a clearinghouse sees them: the claims, then each answer. */
const REPLAY_ORDER = [
  EDI_SCENARIO_FILES.claims,
  EDI_SCENARIO_FILES.functionalAcknowledgements,
  EDI_SCENARIO_FILES.claimAcknowledgements,
  EDI_SCENARIO_FILES.remittances,
] as const;

interface LifecycleRate {
  numerator: number;
  denominator: number;
}

interface ClaimLifecycleAnswer {
  claimAcknowledgementRejectionRate: LifecycleRate;
  functionalAcknowledgementRejectionRate: LifecycleRate;
  payerLag: Array<{ payer: string; paidClaims: number }>;
}

export interface EdiCheck {
  figure: string;
  expected: number;
  served: number;
}

export interface EdiResult {
  scenario: { seed: number; claims: number; bytes: number; generationSeconds: number };
  /** From the first POST to the last fold commit: 837, 999, 277CA and 835 replayed one after another. */
  durationSeconds: number;
  /** Claims submitted (837 CLMs) per second of that span. */
  claimsPerSecond: number;
  /** Every canonical event folded (submissions, acknowledgements, remittances, pend and clear versions). */
  eventsFolded: number;
  ingestReports: IngestReport[];
  /** All CPU (services, their Postgres backends, the broker) per 1,000 claims submitted. */
  cpuSecondsPer1000Claims: number;
  cores: number;
  peakRssBytes: Partial<Record<ServiceName, number>>;
  checks: EdiCheck[];
  correct: boolean;
}

async function committedFold(databaseUrl: string): Promise<{ events: number; lastMs: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ events: string; last_ms: string | null }>(
      `SELECT count(*)::text AS events, (extract(epoch FROM max(processed_at)) * 1000)::text AS last_ms
         FROM processed_event`,
    );
    return { events: Number(rows[0]?.events ?? 0), lastMs: Number(rows[0]?.last_ms ?? 0) };
  } finally {
    await client.end();
  }
}

/** What the API serves next to what the generator counted while writing the files (never read back from them). */
function checksOf(manifest: EdiScenarioManifest, lifecycle: ClaimLifecycleAnswer): EdiCheck[] {
  const expected = manifest.expected;
  const paidBy = (payer: string): number => lifecycle.payerLag.find((row) => row.payer === payer)?.paidClaims ?? 0;
  return [
    {
      figure: '277CA claims acknowledged',
      expected: expected.claimsAcknowledgedBy277ca + expected.claimsRejectedBy277ca,
      served: lifecycle.claimAcknowledgementRejectionRate.denominator,
    },
    {
      figure: '277CA claims rejected',
      expected: expected.claimsRejectedBy277ca,
      served: lifecycle.claimAcknowledgementRejectionRate.numerator,
    },
    {
      figure: '999 transaction sets rejected',
      expected: expected.transactionSetsRejectedBy999,
      served: lifecycle.functionalAcknowledgementRejectionRate.numerator,
    },
    {
      figure: 'claims paid (payer lag population)',
      expected: expected.paidClaims,
      served: Object.keys(expected.byPayer).reduce((sum, payer) => sum + paidBy(payer), 0),
    },
  ];
}

/**
 * The EDI path end to end: a seeded scenario (837P claims with their 999,
 * 277CA and 835 answers) replayed through the five services, the answers
 * joined to their claims in the fold; the figures the lifecycle route serves
 * are held to the generator's own counts.
 */
export async function runEdiPhase(context: BenchContext, claims: number): Promise<EdiResult> {
  return context.phase('edi', async () => {
    const directory = join(context.ingestRoot, `edi-s${context.options.seed}-n${claims}`);
    const manifest = await generateEdiScenario({ seed: context.options.seed, claims, directory });
    const bytes = Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0);
    progress(
      `edi: ${claims} claims in ${(bytes / 1e6).toFixed(1)} MB of X12 (${manifest.generationSeconds.toFixed(1)} s)`,
    );
    const database = await context.database('edi');
    const pipeline = await context.pipeline('edi', database.url);
    await pipeline.start();
    const sampler = await PipelineSampler.start({
      brokers: context.brokers,
      namespace: context.namespace('edi'),
      databaseUrl: database.url,
      pids: pipeline.pids(),
    });
    context.cleanup.push('stop the edi sampler', async () => void (await sampler.stop().catch(() => undefined)));

    const postedAtMs = Date.now();
    const ingestReports: IngestReport[] = [];
    for (const file of REPLAY_ORDER) {
      ingestReports.push(await pipeline.ingest(relative(context.ingestRoot, join(directory, file))));
    }
    const fileIds = new Set(ingestReports.map((report) => report.fileId));
    const timeoutMs = Math.max(300_000, claims * 20);
    await waitFor(
      'every transaction set of the scenario to be accounted for',
      () =>
        pipeline.api<{ consistent: boolean; files: Array<{ fileId: string; status: string }> }>(
          '/v1/kpis/verification',
        ),
      (verification) =>
        verification.consistent &&
        [...fileIds].every((fileId) =>
          verification.files.some((file) => file.fileId === fileId && file.status === 'accounted'),
        ),
      { timeoutMs, intervalMs: 1_000 },
    );
    const peakRssBytes = sampler.peakRssBytes();
    const samples = await sampler.stop();
    const fold = await committedFold(database.url);
    const lifecycle = await pipeline.api<ClaimLifecycleAnswer>('/v1/kpis/claim-lifecycle');
    const last = samples[samples.length - 1];
    const serviceCpu = Object.values(last?.serviceCpuSeconds ?? {}).reduce((sum, seconds) => sum + seconds, 0);
    const postgresCpu = Object.values(last?.postgresCpuSecondsByApplication ?? {}).reduce((sum, s) => sum + s, 0);
    const durationSeconds = (fold.lastMs - postedAtMs) / 1000;
    const checks = checksOf(manifest, lifecycle);
    return {
      scenario: { seed: context.options.seed, claims, bytes, generationSeconds: manifest.generationSeconds },
      durationSeconds,
      claimsPerSecond: claims / durationSeconds,
      eventsFolded: fold.events,
      ingestReports,
      cpuSecondsPer1000Claims: ((serviceCpu + postgresCpu + (last?.brokerCpuSeconds ?? 0)) / claims) * 1000,
      cores: availableParallelism(),
      peakRssBytes,
      checks,
      correct: checks.every((check) => check.expected === check.served),
    };
  });
}
