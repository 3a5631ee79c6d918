import {
  claimEventHeaders,
  derivedEventId,
  providerAdjustmentEventId,
  sha256Hex,
  type ClaimEvent,
  type EnrichedClaimEvent,
  type ProviderAdjustmentEvent,
} from '@claims/contracts';
import { REPO_ROOT, queryRows, waitFor } from '@claims/harness';
import { normalizeRawRecord, rawRecordEvent } from '@claims/source-layouts';
import { Kafka, logLevel, type Message } from 'kafkajs';
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

/** Sends messages straight to one of the pipeline's topics, as a producer other than the ingestor would. */
async function publishPastTheIngestor(e2e: E2ePipeline, topic: string, messages: Message[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'e2e-direct', brokers: e2e.brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic: `${e2e.namespace}.${topic}`, messages });
  } finally {
    await producer.disconnect();
  }
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
    // Year 0000 is no calendar day (Postgres has none); 9999-12-31 is one, past any plausible service date.
    expect(served['deadLettersByReason']).toEqual([
      { stage: 'ingestor', errorCode: 'RECORD_TOO_LARGE', records: 2 },
      { stage: 'normalizer', errorCode: 'FIELD_TOO_LONG', records: 2 },
      { stage: 'normalizer', errorCode: 'DATE_INVALID', records: 1 },
      { stage: 'normalizer', errorCode: 'DATE_OUT_OF_RANGE', records: 1 },
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
      { stage: 'normalizer', error_code: 'DATE_INVALID', original_truncated: false },
      { stage: 'normalizer', error_code: 'DATE_OUT_OF_RANGE', original_truncated: false },
      { stage: 'ingestor', error_code: 'RECORD_TOO_LARGE', original_truncated: true },
    ]);
  });

  it('dead-letters records holding a NUL character (a carrier line, an X12 transaction set, a raw event published past the ingestor) as RECORD_ENCODING_INVALID, and every other record folds', async () => {
    // No Postgres text or jsonb value holds U+0000: such a record once stalled the enricher and the dead-letter accounting.
    const lines = [HEADER, record(11, '570000000000001'), record(12, '570000000000002', { HCPCS_CD_1: '99\u00003' })];
    lines.push(record(13, '570000000000003'));
    writeFileSync(join(e2e.ingestRoot, 'nul.csv'), `${lines.join('\n')}\n`);
    const institutional = readFileSync(
      join(REPO_ROOT, 'data', 'x12', 'linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i'),
      'utf8',
    );
    writeFileSync(join(e2e.ingestRoot, 'nul.837i'), institutional.replace('CLM*756048Q*', 'CLM*7560\u000048Q*'));

    const carrier = await e2e.pipeline.ingest('nul.csv');
    expect(carrier).toMatchObject({ recordsRead: 3, recordsPublished: 2, recordsDeadLettered: 1 });
    const x12 = await e2e.pipeline.ingest('nul.837i');
    expect(x12).toMatchObject({ recordsRead: 1, recordsPublished: 0, recordsDeadLettered: 1 });

    const verification = await settledVerification(e2e.pipeline, {
      fileIds: [carrier.fileId, x12.fileId],
      timeoutMs: 120_000,
    });
    expect(verification.files.find((file) => file.source === 'nul.csv')).toMatchObject({
      recordsRead: 3,
      folded: 2,
      deadLettered: 1,
      status: 'accounted',
    });
    expect(verification.files.find((file) => file.source === 'nul.837i')).toMatchObject({
      recordsRead: 1,
      deadLettered: 1,
      status: 'accounted',
    });
    // The stream went on behind them: a clean file still folds.
    writeFileSync(join(e2e.ingestRoot, 'after-nul.csv'), `${[HEADER, record(15, '570000000000005')].join('\n')}\n`);
    const after = await e2e.pipeline.ingest('after-nul.csv');
    const settled = await settledVerification(e2e.pipeline, { fileIds: [after.fileId], timeoutMs: 120_000 });
    expect(settled.files.find((file) => file.source === 'after-nul.csv')).toMatchObject({
      folded: 1,
      status: 'accounted',
    });
    // A feed publishing raw events itself (no ingest report: its file is left out of the verification above).
    const direct = rawRecordEvent({
      layout: 'desynpuf.carrier',
      record: record(14, '570000000000004', { ICD9_DGNS_CD_1: '25\u00000' }),
      recordNumber: 1,
      source: 'direct-feed.csv',
      fileId: sha256Hex('raw events from a feed of its own'),
      publishedAt: new Date().toISOString(),
    });
    // The headers a feed's raw events carry, as the ingestor's do: the dead letter takes its lineage from them.
    await publishPastTheIngestor(e2e, 'claims.raw.v1', [
      { key: direct.claimId, value: JSON.stringify(direct), headers: claimEventHeaders(direct, undefined) },
    ]);

    const letters = await waitFor(
      'the three NUL records to be dead-lettered',
      () =>
        queryRows<{ stage: string; error_code: string; source: string }>(
          e2e.database.url,
          `SELECT stage, error_code, source FROM dead_letter WHERE error_code = 'RECORD_ENCODING_INVALID' ORDER BY source`,
        ),
      (rows) => rows.length === 3,
      { timeoutMs: 60_000 },
    );
    expect(letters).toEqual([
      { stage: 'normalizer', error_code: 'RECORD_ENCODING_INVALID', source: 'direct-feed.csv' },
      { stage: 'ingestor', error_code: 'RECORD_ENCODING_INVALID', source: 'nul.837i' },
      { stage: 'ingestor', error_code: 'RECORD_ENCODING_INVALID', source: 'nul.csv' },
    ]);
    expect(
      await queryRows(e2e.database.url, `SELECT record_number, outcome FROM ingest_record WHERE file_id = $1`, [
        direct.lineage.fileId,
      ]),
    ).toEqual([{ record_number: 1, outcome: 'dead_lettered' }]);
  });

  it('dead-letters events written past the normalizer that Postgres refuses (a NUL in a claim id, in a payer name) as ENRICH_REFUSED and FOLD_REFUSED, and the rest of their batches flows', async () => {
    const fileId = sha256Hex('normalized-by-another-producer');
    const normalized = (claimId: string, recordNumber: number): ClaimEvent => {
      const raw = rawRecordEvent({
        layout: 'desynpuf.carrier',
        record: record(16 + recordNumber, claimId.replace('\u0000', '')),
        recordNumber,
        source: 'normalized-feed.csv',
        fileId,
        publishedAt: new Date().toISOString(),
      });
      return { ...normalizeRawRecord(raw, { patientTokenKey: 'e2e-poison-records' }), claimId };
    };
    const claims = [normalized('580000000000001', 1), normalized('58000000\u00000000002', 2)];
    claims.push(normalized('580000000000003', 3));
    await publishPastTheIngestor(
      e2e,
      'claims.normalized.v1',
      // One key for all three: one partition, so one batch holds the refused claim between two good ones.
      claims.map((claim) => ({
        key: 'one-partition',
        value: JSON.stringify(claim),
        headers: claimEventHeaders(claim, undefined),
      })),
    );
    const adjustment = (recordNumber: number, payerName: string): ProviderAdjustmentEvent => {
      const rawEventId = derivedEventId('claims.raw', `plb-${recordNumber}`);
      return {
        schemaVersion: 1,
        eventId: providerAdjustmentEventId(rawEventId, 9, 3),
        rawEventId,
        layout: 'x12.835',
        lineage: {
          source: 'plb-feed.835',
          fileId,
          recordNumber: 10 + recordNumber,
          recordSha256: sha256Hex(payerName),
        },
        publishedAt: new Date().toISOString(),
        occurredAt: '2024-03-15',
        accountsForRecord: true,
        payment: {
          payerId: '999',
          payerName,
          payeeNpi: '6543210903',
          payeeTaxId: null,
          traceNumber: `RECOUP-${recordNumber}`,
          paymentDate: '2024-03-15',
          productionDate: '2024-03-14',
        },
        adjustment: {
          providerId: '6543210903',
          fiscalPeriodDate: '2024-12-31',
          reasonCode: 'WO',
          reference: null,
          amountCents: 10_000,
          segmentNumber: 9,
          elementPosition: 3,
        },
        dataQuality: [],
      };
    };
    const adjustments = [adjustment(1, 'ACME HEALTH'), adjustment(2, 'ACME\u0000HEALTH'), adjustment(3, 'ACME HEALTH')];
    await publishPastTheIngestor(
      e2e,
      'claims.provider-adjustments.v1',
      adjustments.map((event) => ({
        key: 'one-partition',
        value: JSON.stringify(event),
        headers: claimEventHeaders(event, undefined),
      })),
    );

    const refused = await waitFor(
      'both refused events to be dead-lettered',
      () =>
        queryRows<{ stage: string; error_code: string; record_number: number }>(
          e2e.database.url,
          `SELECT stage, error_code, record_number FROM dead_letter WHERE file_id = $1 ORDER BY record_number`,
          [fileId],
        ),
      (rows) => rows.length === 2,
      { timeoutMs: 60_000 },
    );
    expect(refused).toEqual([
      { stage: 'enricher', error_code: 'ENRICH_REFUSED', record_number: 2 },
      { stage: 'metrics', error_code: 'FOLD_REFUSED', record_number: 12 },
    ]);
    const outcomes = await waitFor(
      'the rest of both batches to fold',
      () =>
        queryRows<{ record_number: number; outcome: string }>(
          e2e.database.url,
          `SELECT record_number, outcome FROM ingest_record WHERE file_id = $1 ORDER BY record_number`,
          [fileId],
        ),
      (rows) => rows.length === 6,
      { timeoutMs: 60_000 },
    );
    expect(outcomes).toEqual([
      { record_number: 1, outcome: 'folded' },
      { record_number: 2, outcome: 'dead_lettered' },
      { record_number: 3, outcome: 'folded' },
      { record_number: 11, outcome: 'folded' },
      { record_number: 12, outcome: 'dead_lettered' },
      { record_number: 13, outcome: 'folded' },
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
    await publishPastTheIngestor(
      e2e,
      'claims.enriched.v1',
      // One key for all three: one partition, so one batch holds the bad event between two good ones.
      events.map((enriched) => ({ key: 'one-partition', value: JSON.stringify(enriched) })),
    );

    const refused = await waitFor(
      'the refused event to be dead-lettered',
      () =>
        queryRows<{ error_code: string; record_number: number }>(
          e2e.database.url,
          `SELECT error_code, record_number FROM dead_letter WHERE stage = 'metrics' AND file_id = $1`,
          [fileId],
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
