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
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { carrierCsvTruth } from './carrier-csv-truth';

const SAMPLE_PATH = join(REPO_ROOT, 'data', 'desynpuf', 'sample2', 'DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv');
const COPIES = 50;

/** The sample's records repeated with distinct claim ids: a replay long enough to crash in the middle of. */
async function writeCarrierCopies(target: string, copies: number): Promise<void> {
  const [header, ...rows] = readFileSync(SAMPLE_PATH, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const out = createWriteStream(target);
  out.write(`${header}\n`);
  for (let copy = 0; copy < copies; copy += 1) {
    for (const row of rows) {
      const columns = row.split(',');
      columns[1] = `${columns[1]}${String(copy).padStart(3, '0')}`;
      if (!out.write(`${columns.join(',')}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}

interface KpiSummary {
  claimsReceived: number;
  linesReceived: number;
  linesAllowed: number;
  medicarePaymentAmountCents: number;
  allowedAmountCents: number;
  linesByProcessingIndicator: Record<string, number>;
}

describe('the metrics service killed with SIGKILL in the middle of a replay', () => {
  const { brokers } = testInfrastructure();
  const namespace = `e2e-crash-${uniqueSuffix()}`;
  const ingestRoot = mkdtempSync(join(tmpdir(), 'claims-crash-'));
  let database: IsolatedDatabase;
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    await writeCarrierCopies(join(ingestRoot, 'carrier-copies.csv'), COPIES);
    database = await createIsolatedDatabase('e2e_crash');
    pipeline = await LocalPipeline.create({
      brokers,
      databaseUrl: database.url,
      topicNamespace: namespace,
      ingestRoot,
      logDirectory: join(REPO_ROOT, '.cache', 'test-logs', namespace),
    });
    await pipeline.start();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await database?.drop();
    rmSync(ingestRoot, { recursive: true, force: true });
  });

  it('restarts and ends with figures equal to the CSV, nothing lost and nothing counted twice', async () => {
    const truth = carrierCsvTruth(join(ingestRoot, 'carrier-copies.csv'));
    expect(truth.claims).toBe(200 * COPIES);
    const ingestion = pipeline.ingest('carrier-copies.csv');

    const foldedAtKill = await waitFor(
      'the fold to be under way',
      () => foldedRecordCount(database.url),
      (folded) => folded >= 500,
      { timeoutMs: 120_000, intervalMs: 20 },
    );
    await pipeline.services.metrics.stop('SIGKILL');
    expect(foldedAtKill).toBeLessThan(truth.claims);

    await ingestion;
    await pipeline.services.metrics.start();
    const enrichedTopic = `${namespace}.claims.enriched.v1`;
    await waitFor(
      'every record to be enriched',
      () => topicRecordCount(brokers, enrichedTopic),
      (n) => n >= truth.claims,
      {
        timeoutMs: 180_000,
      },
    );
    await waitFor(
      'the fold to catch up',
      () => foldedRecordCount(database.url),
      (n) => n >= truth.claims,
      {
        timeoutMs: 180_000,
      },
    );

    const summary = await pipeline.api<KpiSummary>('/v1/kpis/summary');
    expect(summary.claimsReceived).toBe(truth.claims);
    expect(summary.linesReceived).toBe(truth.lines);
    expect(summary.linesAllowed).toBe(truth.linesAllowed);
    expect(summary.medicarePaymentAmountCents).toBe(truth.paymentCents);
    expect(summary.allowedAmountCents).toBe(truth.allowedCents);
    expect(summary.linesByProcessingIndicator).toEqual(truth.linesByIndicator);
    expect(await pipeline.api('/v1/kpis/verification')).toEqual({ consistent: true, mismatches: [] });
  });
});
