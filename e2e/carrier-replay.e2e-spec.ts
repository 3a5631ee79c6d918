import { uniqueSuffix, waitFor, queryRows } from '@claims/harness';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { carrierCsvTruth, carrierVolumeAsOf, type CarrierCsvTruth } from './carrier-csv-truth';
import { OtlpReceiver } from './otlp-receiver';
import { settledVerification } from './verification';
import {
  SAMPLE_CARRIER_FILE as SAMPLE,
  SAMPLE_CARRIER_PATH as SAMPLE_PATH,
  startE2ePipeline,
  type E2ePipeline,
  type KpiSummary,
} from './e2e-pipeline';

function expectSummaryToEqualTruth(summary: KpiSummary, truth: CarrierCsvTruth): void {
  expect(summary.claimsReceived).toBe(truth.claims);
  expect(summary.linesReceived).toBe(truth.lines);
  expect(summary.linesAllowed).toBe(truth.linesAllowed);
  expect(summary.linesNotAllowed).toBe(truth.lines - truth.linesAllowed);
  expect(summary.medicarePaymentAmountCents).toBe(truth.paymentCents);
  expect(summary.allowedAmountCents).toBe(truth.allowedCents);
  expect(summary.linesByProcessingIndicator).toEqual(truth.linesByIndicator);
}

describe('the five services replaying DE-SynPUF carrier claims', () => {
  let e2e: E2ePipeline;
  const otlp = new OtlpReceiver();

  beforeAll(async () => {
    e2e = await startE2ePipeline('replay', { OTEL_EXPORTER_OTLP_ENDPOINT: await otlp.start() });
    copyFileSync(SAMPLE_PATH, join(e2e.ingestRoot, SAMPLE));
  });

  afterAll(async () => {
    await e2e?.stop();
    await otlp.stop();
  });

  it('serves KPI figures equal to the CSV and to the batch SQL over claim state after one replay', async () => {
    const truth = carrierCsvTruth(SAMPLE_PATH);
    const report = await e2e.pipeline.ingest(SAMPLE);
    expect(report.recordsPublished).toBe(truth.claims);
    await e2e.waitUntilDrained(truth.claims);

    const summary = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    expectSummaryToEqualTruth(summary, truth);
    expect(summary.eventTimeWatermark).toMatch(/^20(08|09|10)-\d{2}-\d{2}$/);

    const [sql] = await queryRows<{
      claims: string;
      lines: string;
      allowed: string;
      payment: string;
      allowed_cents: string;
    }>(
      e2e.database.url,
      `SELECT (SELECT count(*) FROM claim_state)::text AS claims,
              count(*)::text AS lines,
              count(*) FILTER (WHERE processing_indicator_code = 'A')::text AS allowed,
              sum(payment_amount_cents)::text AS payment,
              sum(allowed_amount_cents)::text AS allowed_cents
         FROM claim_line_state`,
    );
    expect(Number(sql?.claims)).toBe(summary.claimsReceived);
    expect(Number(sql?.lines)).toBe(summary.linesReceived);
    expect(Number(sql?.allowed)).toBe(summary.linesAllowed);
    expect(Number(sql?.payment)).toBe(summary.medicarePaymentAmountCents);
    expect(Number(sql?.allowed_cents)).toBe(summary.allowedAmountCents);
    expect(await settledVerification(e2e.pipeline, { fileIds: [report.fileId] })).toMatchObject({
      consistent: true,
      mismatches: [],
    });
  });

  it('answers the volume at the end of past days equal to the claims of the CSV dated on or before each', async () => {
    const truth = carrierCsvTruth(SAMPLE_PATH);
    const dates = Object.keys(truth.byThroughDate).sort();
    // Before the first claim, the first claim's day, inside the history, and the last claim's day.
    const first = dates[0] ?? '';
    const days = [
      new Date(Date.parse(`${first}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
      first,
      dates[Math.floor(dates.length / 4)] ?? '',
      dates[Math.floor(dates.length / 2)] ?? '',
      dates[dates.length - 1] ?? '',
    ];
    for (const day of days) {
      const volume = await e2e.pipeline.api<{ rows: Array<{ claims: number; lines: number }> }>(
        `/v1/kpis/volume?groupBy=claim_type&asOf=${day}`,
      );
      const streamed = volume.rows.reduce(
        (sum, row) => ({ claims: sum.claims + row.claims, lines: sum.lines + row.lines }),
        { claims: 0, lines: 0 },
      );
      expect({ day, ...streamed }).toEqual({ day, ...carrierVolumeAsOf(truth, day) });
    }
  });

  it('leaves every figure unchanged when the same file is replayed again', async () => {
    const before = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    const truth = carrierCsvTruth(SAMPLE_PATH);
    await e2e.pipeline.ingest(SAMPLE);
    await e2e.waitUntilDrained(truth.claims * 2);

    const after = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    expect(after).toEqual(before);
    expectSummaryToEqualTruth(after, truth);
    expect(await settledVerification(e2e.pipeline)).toMatchObject({ consistent: true, mismatches: [] });
  });

  it('sends malformed records to the dead-letter topic with their reason and folds the rest', async () => {
    const [header, first, second] = readFileSync(SAMPLE_PATH, 'utf8').split(/\r?\n/);
    const fields = (second ?? '').split(',');
    const withClaimId = (claimId: string, edit: (columns: string[]) => void): string => {
      const columns = [...fields];
      columns[1] = claimId;
      edit(columns);
      return columns.join(',');
    };
    const malformed = [
      withClaimId('990000000000001', (columns) => columns.pop()), // wrong column count
      withClaimId('990000000000002', (columns) => (columns[51] = '12x.00')), // LINE_NCH_PMT_AMT_1 unparseable
      withClaimId('', () => undefined), // missing claim id
    ];
    const valid = withClaimId('990000000000004', () => undefined);
    writeFileSync(
      join(e2e.ingestRoot, 'malformed.csv'),
      [header, malformed[0], first, malformed[1], valid, malformed[2]].join('\n'),
    );
    const before = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');

    const report = await e2e.pipeline.ingest('malformed.csv');
    expect(report.recordsPublished).toBe(5);

    const kafka = new Kafka({
      clientId: 'e2e-dlq-reader',
      brokers: e2e.brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `dlq-reader-${uniqueSuffix()}` });
    const deadLetters: Array<{ errorCode: string; stage: string; reason: string; key: string | null }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${e2e.namespace}.claims.dlq.v1`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const letter = JSON.parse(message.value?.toString() ?? '{}');
        deadLetters.push({
          errorCode: letter.errorCode,
          stage: letter.stage,
          reason: letter.reason,
          key: letter.origin?.key ?? null,
        });
      },
    });
    try {
      await waitFor(
        'three dead letters',
        async () => deadLetters.length,
        (count) => count >= 3,
        { timeoutMs: 60_000 },
      );
    } finally {
      await consumer.disconnect();
    }
    expect(deadLetters.map((letter) => letter.errorCode).sort()).toEqual([
      'AMOUNT_INVALID',
      'CLAIM_ID_MISSING',
      'COLUMN_COUNT_MISMATCH',
    ]);
    expect(deadLetters.every((letter) => letter.stage === 'normalizer' && letter.reason.length > 0)).toBe(true);
    expect(deadLetters.find((letter) => letter.errorCode === 'AMOUNT_INVALID')?.reason).toContain('LINE_NCH_PMT_AMT_1');

    // The stream went on: the valid new claim is folded (the other valid row is a known duplicate).
    await waitFor(
      'the valid new claim to be folded',
      () => e2e.pipeline.api<KpiSummary>('/v1/kpis/summary'),
      (summary) => summary.claimsReceived === before.claimsReceived + 1,
    );
    const verification = await settledVerification(e2e.pipeline, { fileIds: [report.fileId] });
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    // Every record of the file has an end: the new claim folded, the sample's first row a duplicate, three dead letters.
    expect(verification.files.find((file) => file.source === 'malformed.csv')).toMatchObject({
      recordsRead: 5,
      folded: 1,
      duplicates: 1,
      deadLettered: 3,
      status: 'accounted',
    });
  });

  it('refuses the KPI endpoints without a valid bearer token and serves health openly', async () => {
    const api = e2e.pipeline.services.api.baseUrl;
    expect((await fetch(`${api}/v1/kpis/summary`)).status).toBe(401);
    const wrongToken = await fetch(`${api}/v1/kpis/summary`, {
      headers: { authorization: `Bearer ${'x'.repeat(32)}` },
    });
    expect(wrongToken.status).toBe(401);
    expect((await fetch(`${api}/health`)).status).toBe(200);
  });

  it('exports a span per consumed batch from every stage, linked to the traces the ingestor started', async () => {
    const stages = ['claims-normalizer', 'claims-enricher', 'claims-metrics'];
    await waitFor(
      'batch spans from the three consuming stages',
      async () => new Set(otlp.spans.filter((span) => span.linkedTraceIds.length > 0).map((span) => span.service)),
      (services) => stages.every((service) => services.has(service)),
      { timeoutMs: 30_000 },
    );
    const linkedBy = (service: string): Set<string> =>
      new Set(otlp.spans.filter((span) => span.service === service).flatMap((span) => span.linkedTraceIds));
    const [normalized, enriched, folded] = stages.map(linkedBy);
    // The same record traces are followed through every stage.
    const followedEverywhere = [...(normalized ?? [])].filter(
      (traceId) => enriched?.has(traceId) && folded?.has(traceId),
    );
    expect(followedEverywhere.length).toBeGreaterThan(0);
    expect(otlp.spans.find((span) => span.service === 'claims-normalizer')?.name).toBe('normalizer process');
  });
});
