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
  /** Waits until the fold has committed every record the enricher has produced, `expectedEnriched` in all. */
  waitUntilDrained: (expectedEnriched: number) => Promise<void>;
  stop: () => Promise<void>;
}

export async function startE2ePipeline(label: string, extraEnv: Record<string, string> = {}): Promise<E2ePipeline> {
  const { brokers } = testInfrastructure();
  const namespace = `e2e-${label}-${uniqueSuffix()}`;
  const ingestRoot = mkdtempSync(join(tmpdir(), `claims-${label}-`));
  const database = await createIsolatedDatabase(`e2e_${label}`);
  const pipeline = await LocalPipeline.create({
    brokers,
    databaseUrl: database.url,
    topicNamespace: namespace,
    ingestRoot,
    logDirectory: join(REPO_ROOT, '.cache', 'test-logs', namespace),
    extraEnv,
  });
  await pipeline.start();
  const enrichedTopic = `${namespace}.claims.enriched.v1`;
  return {
    pipeline,
    database,
    ingestRoot,
    namespace,
    brokers,
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
    stop: async () => {
      await pipeline.stop();
      await database.drop();
      rmSync(ingestRoot, { recursive: true, force: true });
    },
  };
}
