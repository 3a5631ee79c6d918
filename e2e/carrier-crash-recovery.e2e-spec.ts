import { foldedRecordCount, waitFor } from '@claims/harness';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { carrierCsvTruth } from './carrier-csv-truth';
import { settledVerification } from './verification';
import {
  SAMPLE_CARRIER_PATH as SAMPLE_PATH,
  startE2ePipeline,
  type E2ePipeline,
  type KpiSummary,
} from './e2e-pipeline';

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

describe('the metrics service killed with SIGKILL in the middle of a replay', () => {
  let e2e: E2ePipeline;

  beforeAll(async () => {
    e2e = await startE2ePipeline('crash');
    await writeCarrierCopies(join(e2e.ingestRoot, 'carrier-copies.csv'), COPIES);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('is restarted by its supervisor and ends with figures equal to the CSV, nothing lost and nothing counted twice', async () => {
    const truth = carrierCsvTruth(join(e2e.ingestRoot, 'carrier-copies.csv'));
    expect(truth.claims).toBe(200 * COPIES);
    const ingestion = e2e.pipeline.ingest('carrier-copies.csv');

    const foldedAtKill = await waitFor(
      'the fold to be under way',
      () => foldedRecordCount(e2e.database.url),
      (folded) => folded >= 500,
      { timeoutMs: 120_000, intervalMs: 20 },
    );
    await e2e.pipeline.services.metrics.kill('SIGKILL');
    expect(foldedAtKill).toBeLessThan(truth.claims);

    const report = await ingestion;
    await e2e.waitUntilDrained(truth.claims);
    expect(e2e.pipeline.restartCounts()).toEqual({ ingestor: 0, normalizer: 0, enricher: 0, metrics: 1, api: 0 });

    const summary = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    expect(summary.claimsReceived).toBe(truth.claims);
    expect(summary.linesReceived).toBe(truth.lines);
    expect(summary.linesAllowed).toBe(truth.linesAllowed);
    expect(summary.medicarePaymentAmountCents).toBe(truth.paymentCents);
    expect(summary.allowedAmountCents).toBe(truth.allowedCents);
    expect(summary.linesByProcessingIndicator).toEqual(truth.linesByIndicator);
    const verification = await settledVerification(e2e.pipeline, { fileIds: [report.fileId] });
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    expect(verification.files.find((file) => file.fileId === report.fileId)).toMatchObject({
      recordsRead: truth.claims,
      folded: truth.claims,
      status: 'accounted',
    });
  });
});
