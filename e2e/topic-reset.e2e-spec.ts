import { REPO_ROOT, waitFor } from '@claims/harness';
import { spawnSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SAMPLE_CARRIER_FILE,
  SAMPLE_CARRIER_PATH,
  startE2ePipeline,
  type E2ePipeline,
  type KpiSummary,
} from './e2e-pipeline';
import { settledVerification } from './verification';

/** The sample's records with new claim ids: records the fold has never seen. */
function sampleWithNewClaimIds(count: number): string {
  const [header, ...records] = readFileSync(SAMPLE_CARRIER_PATH, 'utf8').split(/\r?\n/).filter(Boolean);
  const renamed = records.slice(0, count).map((record, index) => {
    const columns = record.split(',');
    columns[1] = `77${String(index).padStart(13, '0')}`;
    return columns.join(',');
  });
  return `${[header, ...renamed].join('\n')}\n`;
}

/** `npm run kpi -- verify` against this suite's stack, as an operator runs it. */
function kpiVerify(e2e: E2ePipeline): { status: number | null; stdout: string } {
  const result = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'scripts', 'kpi.mjs'), 'verify', '--api', e2e.pipeline.services.api.baseUrl],
    { env: { PATH: process.env['PATH'] ?? '', CLAIMS_API_TOKEN: e2e.pipeline.apiToken }, encoding: 'utf8' },
  );
  return { status: result.status, stdout: result.stdout };
}

/** Every sample of a metric (one line per label set: here one per partition). */
async function metricLines(url: string, name: string): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(name));
}

describe('a topic recreated under a running metrics service', () => {
  let e2e: E2ePipeline;

  beforeAll(async () => {
    e2e = await startE2ePipeline('reset');
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('stops the fold with the loss named instead of skipping the records below its stored offsets', async () => {
    copyFileSync(SAMPLE_CARRIER_PATH, join(e2e.ingestRoot, SAMPLE_CARRIER_FILE));
    const first = await e2e.pipeline.ingest(SAMPLE_CARRIER_FILE);
    await e2e.waitUntilDrained(first.recordsRead);
    const before = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    expect(before.claimsReceived).toBe(first.recordsRead);
    await settledVerification(e2e.pipeline, { fileIds: [first.fileId] });
    const clean = kpiVerify(e2e);
    expect(clean.stdout).toContain('verification: consistent');
    expect(clean.status).toBe(0);

    // An operator deletes and recreates the enriched topic (or the broker lost its data).
    const enrichedTopic = `${e2e.namespace}.claims.enriched.v1`;
    const admin = new Kafka({
      clientId: 'e2e-reset',
      brokers: e2e.brokers.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [enrichedTopic], timeout: 30_000 });
      // The running services' metadata requests may auto-create the topic again the moment it is gone
      // (auto.create.topics.enable, num.partitions 3), so "gone" may never be seen; and for a while after
      // the delete the broker still answers for the old partitions. The new topic is the one that is led
      // and empty (the old one held the first file's records); create it when nobody else has.
      await waitFor(
        'the topic to be recreated, led and empty',
        async () => {
          if (!(await admin.listTopics()).includes(enrichedTopic)) {
            await admin
              .createTopics({ waitForLeaders: true, topics: [{ topic: enrichedTopic, numPartitions: 3 }] })
              .catch(() => undefined); // created meanwhile by a service's metadata request: as good
          }
          const offsets = await admin.fetchTopicOffsets(enrichedTopic).catch(() => null);
          return offsets === null ? null : offsets.map((partition) => Number(partition.high));
        },
        (highWatermarks) =>
          highWatermarks !== null && highWatermarks.length > 0 && highWatermarks.every((high) => high === 0),
        { timeoutMs: 90_000, intervalMs: 500 },
      );
    } finally {
      await admin.disconnect();
    }

    // New records land at offsets below those the fold stored for the old topic.
    writeFileSync(join(e2e.ingestRoot, 'after-reset.csv'), sampleWithNewClaimIds(60));
    await e2e.pipeline.ingest('after-reset.csv');

    const metricsUrl = e2e.pipeline.services.metrics.baseUrl;
    // Whichever partition's batch comes first reports it; the others may get no record of the new run.
    const stopped = await waitFor(
      'the fold to report the reset topic',
      async () => (await metricLines(metricsUrl, 'claims_fold_source_reset{')).filter((line) => line.endsWith(' 1')),
      (lines) => lines.length > 0,
      { timeoutMs: 120_000 },
    );
    expect(stopped[0]).toContain(enrichedTopic);
    const log = readFileSync(join(REPO_ROOT, '.cache', 'test-logs', e2e.namespace, 'metrics.log'), 'utf8');
    expect(log).toMatch(/the fold of \S+claims\.enriched\.v1 partition \d stopped: .*reset or recreated/);

    // Nothing was skipped past: every partition's stored offset lies beyond the new topic's end, so none folds.
    const after = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    expect(after.claimsReceived).toBe(before.claimsReceived);
    const verification = await e2e.pipeline.api<{
      consistent: boolean;
      files: Array<{ source: string; status: string }>;
    }>('/v1/kpis/verification');
    expect(verification.consistent).toBe(false);
    expect(verification.files.find((file) => file.source === 'after-reset.csv')?.status).toBe('records_missing');
    const gap = kpiVerify(e2e);
    expect(gap.status).toBe(1);
    expect(gap.stdout).toMatch(/records_missing\s+after-reset\.csv/);
    expect(gap.stdout).toContain('verification: DIFFERENCES FOUND');
    // The service kept running: it stopped the fold, not itself.
    expect((await fetch(`${metricsUrl}/health`)).status).toBe(200);
  });
});
