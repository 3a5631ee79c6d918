import { derivedEventId, sha256Hex, type EnrichedClaimEvent } from '@claims/contracts';
import { queryRows, waitFor } from '@claims/harness';
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_CARRIER_PATH, startE2ePipeline, type E2ePipeline, type KpiSummary } from './e2e-pipeline';
import { settledVerification } from './verification';

const [HEADER = '', ...SAMPLE_RECORDS] = readFileSync(SAMPLE_CARRIER_PATH, 'utf8').split(/\r?\n/).filter(Boolean);
const COLUMNS = HEADER.split(',').map((name) => name.replace(/"/g, ''));

/** A sample record with a new claim id and some columns replaced. */
function record(index: number, claimId: string, replacements: Record<string, string> = {}): string {
  const fields = (SAMPLE_RECORDS[index] ?? '').split(',');
  fields[1] = claimId;
  for (const [name, value] of Object.entries(replacements)) fields[COLUMNS.indexOf(name)] = value;
  return fields.join(',');
}

describe('poison records in a carrier file', () => {
  let e2e: E2ePipeline;

  beforeAll(async () => {
    e2e = await startE2ePipeline('poison');
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('end as dead letters with their codes (900 KB fields, 2 MB and 60 MB records, years 0000 and 9999) while every good record of the file folds', async () => {
    const good = [0, 1, 2, 3, 4].map((index) => record(index, `55000000000000${index}`));
    const poison = {
      hugeField: record(5, '550000000000010', { HCPCS_CD_1: 'X'.repeat(900_000) }),
      hugeAmount: record(6, '550000000000011', { LINE_NCH_PMT_AMT_1: '9'.repeat(900_000) }),
      twoMegabytes: record(7, '550000000000012', { ICD9_DGNS_CD_1: 'Y'.repeat(2 * 1024 * 1024) }),
      yearZero: record(8, '550000000000013', { CLM_FROM_DT: '00000101', CLM_THRU_DT: '00000102' }),
      yearNineNines: record(9, '550000000000014', { CLM_THRU_DT: '99991231' }),
      // A 60 MB line: hashed as it streams past the ingestor, never held in memory.
      sixtyMegabytes: record(10, '550000000000015', { ICD9_DGNS_CD_2: 'Z'.repeat(60 * 1024 * 1024) }),
    };
    const lines = [HEADER, good[0], poison.hugeField, good[1], poison.hugeAmount, good[2]];
    lines.push(poison.twoMegabytes, good[3], poison.yearZero, poison.yearNineNines, poison.sixtyMegabytes, good[4]);
    writeFileSync(join(e2e.ingestRoot, 'poison.csv'), `${lines.join('\n')}\n`);

    const report = await e2e.pipeline.ingest('poison.csv');
    expect(report).toMatchObject({ recordsRead: 11, recordsPublished: 9, recordsDeadLettered: 2 });

    const verification = await settledVerification(e2e.pipeline, { fileIds: [report.fileId], timeoutMs: 120_000 });
    expect(verification.files.find((file) => file.source === 'poison.csv')).toMatchObject({
      recordsRead: 11,
      folded: 5,
      duplicates: 0,
      deadLettered: 6,
      status: 'accounted',
    });
    expect(verification.consistent).toBe(true);

    const served = await e2e.pipeline.api<Record<string, unknown>>(`/v1/ingestions/${report.fileId}`);
    expect(served).toMatchObject({
      source: 'poison.csv',
      recordsRead: 11,
      recordsPublished: 9,
      recordsDeadLetteredAtIngest: 2,
      status: 'accounted',
      firstEventDate: expect.stringMatching(/^20(08|09|10)-/),
    });
    // Carrier claims carry no DRG: each of the five folded claims is counted once, dead letters not at all.
    expect(served['nullCountsByField']).toMatchObject({ 'claim.drgCode': 5, 'claim.admissionDate': 5 });
    expect(served['findingsByCode']).toEqual(expect.any(Object));
    expect(served['deadLettersByReason']).toEqual([
      { stage: 'ingestor', errorCode: 'RECORD_TOO_LARGE', records: 2 },
      { stage: 'normalizer', errorCode: 'DATE_OUT_OF_RANGE', records: 2 },
      { stage: 'normalizer', errorCode: 'FIELD_TOO_LONG', records: 2 },
    ]);

    const summary = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    expect(summary.claimsReceived).toBe(5);
    // The 9999-12-31 placeholder never became event time.
    expect(summary.eventTimeWatermark).toMatch(/^20(08|09|10)-/);

    const letters = await queryRows<{ stage: string; error_code: string; original_truncated: boolean }>(
      e2e.database.url,
      `SELECT stage, error_code, original_truncated FROM dead_letter ORDER BY record_number`,
    );
    expect(letters).toEqual([
      { stage: 'normalizer', error_code: 'FIELD_TOO_LONG', original_truncated: true },
      { stage: 'normalizer', error_code: 'FIELD_TOO_LONG', original_truncated: true },
      { stage: 'ingestor', error_code: 'RECORD_TOO_LARGE', original_truncated: true },
      { stage: 'normalizer', error_code: 'DATE_OUT_OF_RANGE', original_truncated: false },
      { stage: 'normalizer', error_code: 'DATE_OUT_OF_RANGE', original_truncated: false },
      { stage: 'ingestor', error_code: 'RECORD_TOO_LARGE', original_truncated: true },
    ]);
  });

  it('dead-letters an event Postgres refuses (year 0000) and folds the rest of its batch', async () => {
    const before = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    const fileId = sha256Hex('enriched-by-another-producer');
    const event = (claimId: string, recordNumber: number, occurredAt: string): EnrichedClaimEvent => {
      const eventId = derivedEventId('claims.enriched', `${claimId}-${recordNumber}`);
      return {
        schemaVersion: 1,
        eventId,
        eventType: 'adjudicated',
        occurredAt,
        claimId,
        rawEventId: eventId,
        normalizedEventId: eventId,
        layout: 'desynpuf.carrier',
        lineage: { source: 'direct.csv', fileId, recordNumber, recordSha256: sha256Hex(claimId) },
        publishedAt: new Date().toISOString(),
        claim: {
          claimType: 'professional',
          patientToken: 'p'.repeat(32),
          payer: 'MEDICARE',
          serviceFromDate: occurredAt,
          serviceThroughDate: occurredAt,
          diagnoses: [],
          lines: [],
          totals: { paymentAmountCents: 0, allowedAmountCents: 0 },
        },
        dataQuality: [],
        enrichment: { renderingProviders: [] },
      };
    };
    const events = [event('660000000000001', 1, '2009-01-01'), event('660000000000002', 2, '0000-01-01')];
    events.push(event('660000000000003', 3, '2009-02-01'));
    const producer = new Kafka({
      clientId: 'e2e-direct',
      brokers: e2e.brokers.split(','),
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    try {
      await producer.send({
        topic: `${e2e.namespace}.claims.enriched.v1`,
        // One key for all three: one partition, so one batch holds the bad event between two good ones.
        messages: events.map((enriched) => ({ key: 'one-partition', value: JSON.stringify(enriched) })),
      });
    } finally {
      await producer.disconnect();
    }

    const refused = await waitFor(
      'the refused event to be dead-lettered',
      () =>
        queryRows<{ error_code: string; record_number: number }>(
          e2e.database.url,
          `SELECT error_code, record_number FROM dead_letter WHERE stage = 'metrics'`,
        ),
      (rows) => rows.length > 0,
      { timeoutMs: 60_000 },
    );
    expect(refused).toEqual([{ error_code: 'FOLD_REFUSED', record_number: 2 }]);
    const outcomes = await queryRows<{ record_number: number; outcome: string }>(
      e2e.database.url,
      `SELECT record_number, outcome FROM ingest_record WHERE file_id = $1 ORDER BY record_number`,
      [fileId],
    );
    expect(outcomes).toEqual([
      { record_number: 1, outcome: 'folded' },
      { record_number: 2, outcome: 'dead_lettered' },
      { record_number: 3, outcome: 'folded' },
    ]);
    const after = await e2e.pipeline.api<KpiSummary>('/v1/kpis/summary');
    expect(after.claimsReceived).toBe(before.claimsReceived + 2);
    // The metrics service never stopped: the next file still folds.
    expect((await fetch(`${e2e.pipeline.services.metrics.baseUrl}/health`)).status).toBe(200);
  });
});
