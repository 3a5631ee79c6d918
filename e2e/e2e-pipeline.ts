import type { ClaimsReceivedSummary } from '@claims/kpi';
import {
  LocalPipeline,
  REPO_ROOT,
  createIsolatedDatabase,
  foldedRecordCount,
  testInfrastructure,
  topicRecordCount,
  uniqueSuffix,
  waitFor,
  type IsolatedDatabase,
  type RestartPolicy,
} from '@claims/harness';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SAMPLE_CARRIER_FILE = 'DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv';
export const SAMPLE_CARRIER_PATH = join(REPO_ROOT, 'data', 'desynpuf', 'sample2', SAMPLE_CARRIER_FILE);

/** GET /v1/kpis/summary: the KPI family and its event-time watermark. */
export type KpiSummary = ClaimsReceivedSummary & { eventTimeWatermark: string | null };

/** One suite's pipeline: its own database, topic namespace and ingest folder, all removed by `stop`. */
export interface E2ePipeline {
  pipeline: LocalPipeline;
  database: IsolatedDatabase;
  ingestRoot: string;
  namespace: string;
  brokers: string;
  /** .cache/test-logs/<namespace>: the services' logs, kept after the run. */
  logDirectory: string;
  /** Waits until the fold has committed every record the enricher has produced, `expectedEnriched` in all. */
  waitUntilDrained: (expectedEnriched: number) => Promise<void>;
  /**
   * Waits until the KPIs count `expectedClaims` claims and the fold has
   * committed everything enriched so far. After a fault the topics may hold
   * redelivered duplicates, so a record count alone cannot say "drained".
   */
  waitUntilClaimsFolded: (expectedClaims: number) => Promise<void>;
  stop: () => Promise<void>;
}

/** Where a suite's pipeline finds Kafka and Postgres: the shared ones unless a fault test brings its own. */
export interface E2eInfrastructure {
  brokers?: string;
  adminDatabaseUrl?: string;
  /** How the harness brings a killed service back; the default backs off as a supervisor would. */
  restartPolicy?: RestartPolicy;
}

/** A topic namespace of its own for one suite, so its topics and consumer groups meet no other suite's. */
export function e2eNamespace(label: string): string {
  return `e2e-${label}-${uniqueSuffix()}`;
}

export function e2eLogDirectory(namespace: string): string {
  return join(REPO_ROOT, '.cache', 'test-logs', namespace);
}

export async function startE2ePipeline(
  label: string,
  extraEnv: Record<string, string> = {},
  infrastructure: E2eInfrastructure = {},
  namespace: string = e2eNamespace(label),
): Promise<E2ePipeline> {
  const brokers = infrastructure.brokers ?? testInfrastructure().brokers;
  const ingestRoot = mkdtempSync(join(tmpdir(), `claims-${label}-`));
  const database = await createIsolatedDatabase(`e2e_${label}`, infrastructure.adminDatabaseUrl);
  const logDirectory = e2eLogDirectory(namespace);
  const pipeline = await LocalPipeline.create({
    brokers,
    databaseUrl: database.url,
    topicNamespace: namespace,
    ingestRoot,
    logDirectory,
    extraEnv,
    ...(infrastructure.restartPolicy ? { restartPolicy: infrastructure.restartPolicy } : {}),
  });
  await pipeline.start();
  const enrichedTopic = `${namespace}.claims.enriched.v1`;
  return {
    pipeline,
    database,
    ingestRoot,
    namespace,
    brokers,
    logDirectory,
    waitUntilDrained: async (expectedEnriched) => {
      await waitFor(
        'every record to be enriched',
        () => topicRecordCount(brokers, enrichedTopic),
        (n) => n >= expectedEnriched,
        {
          timeoutMs: 180_000,
        },
      );
      await waitFor(
        'the fold to commit every enriched record',
        () => foldedRecordCount(database.url),
        (n) => n >= expectedEnriched,
        {
          timeoutMs: 180_000,
        },
      );
    },
    waitUntilClaimsFolded: async (expectedClaims) => {
      await waitFor(
        `${expectedClaims} claims to be folded and the fold to have caught up with the enriched topic`,
        async () => {
          const [enriched, folded, summary] = await Promise.all([
            topicRecordCount(brokers, enrichedTopic),
            foldedRecordCount(database.url),
            pipeline.api<KpiSummary>('/v1/kpis/summary'),
          ]);
          return { enriched, folded, claimsReceived: summary.claimsReceived };
        },
        (progress) => progress.claimsReceived >= expectedClaims && progress.folded >= progress.enriched,
        { timeoutMs: 180_000, intervalMs: 500 },
      );
    },
    stop: async () => {
      await pipeline.stop();
      await database.drop();
      rmSync(ingestRoot, { recursive: true, force: true });
    },
  };
}
