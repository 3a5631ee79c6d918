import type { EnrichedClaimEvent } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, fixtureEnrichedEvent, type IsolatedDatabase } from '@claims/harness';
import {
  CLAIM_DEAD_LETTERS_SQL,
  CLAIM_SOURCE_RECORDS_SQL,
  CLAIM_TIMELINE_SQL,
  type ClaimDeadLetterRow,
  type ClaimSourceRecordRow,
  type ClaimTimelineRow,
} from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { RecordAccountingRepository } from '../record-accounting/record-accounting.repository';
import { ClaimFoldRepository, type FoldMessage } from './claim-fold.repository';

const allowedLine = { indicator: 'A', category: 'allowed' as const, paymentCents: 9000, allowedCents: 11000 };

/**
 * Version `version` of a claim, standing for record `version` of the
 * fixture file (fixtureEnrichedEvent's lineage), with its own event type and
 * date: what the timeline reads back.
 */
function claimVersion(
  claimId: string,
  version: number,
  eventType: EnrichedClaimEvent['eventType'],
  occurredAt: string,
): EnrichedClaimEvent {
  return { ...fixtureEnrichedEvent(claimId, [allowedLine], version), eventType, occurredAt };
}

/**
 * A claim's history as the fold keeps it in processed_event, read back with
 * the claim detail's and lineage's SQL: the events folded through the real
 * ClaimFoldRepository (out of event order, one redelivered, one refused and
 * dead-lettered through the real RecordAccountingRepository) against a real
 * Postgres.
 */
describe('a claim history kept by the fold', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let fold: ClaimFoldRepository;
  let offset = 0;

  const foldBatch = (messages: Array<Omit<FoldMessage, 'offset'>>) =>
    fold.foldPartitionBatch({
      groupId: 'claims-metrics',
      topic: 'claims.enriched.v1',
      partition: 0,
      messages: messages.map((message) => ({ ...message, offset: String(offset++) })),
    });

  const submitted = claimVersion('C1', 1, 'submitted', '2008-08-03');
  const adjudicated = claimVersion('C1', 2, 'adjudicated', '2008-08-20');
  const refused = claimVersion('C1', 3, 'adjudicated', '2008-08-25');
  const otherClaim = claimVersion('C2', 4, 'submitted', '2008-08-04');

  beforeAll(async () => {
    database = await createIsolatedDatabase('claim_history');
    dataSource = createDataSource({ url: database.url, applicationName: 'claim-history-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    fold = new ClaimFoldRepository(dataSource);
    // The later event folds first: the timeline is in event time, not in fold order.
    await foldBatch([{ event: adjudicated }, { event: otherClaim }]);
    await foldBatch([{ event: submitted }]);
    // A replay of the first record at a new offset: recognised by its event id, folded once.
    expect(await foldBatch([{ event: submitted }])).toEqual({
      folded: 0,
      superseded: 0,
      duplicates: 1,
      alreadyCommitted: 0,
    });
    // Postgres refused record 3: the consumer dead-letters it, then the fold marks it handled.
    await new RecordAccountingRepository(dataSource).recordDeadLetters([
      {
        partition: 0,
        offset: '7',
        deadLetter: {
          schemaVersion: 1,
          stage: 'metrics',
          errorCode: 'DATA_REFUSED',
          reason: 'Postgres refused a value of the record',
          failedAt: '2026-01-02T03:04:05.000Z',
          origin: { topic: 'claims.enriched.v1', partition: 0, offset: String(offset), key: 'C1' },
          lineage: refused.lineage,
          originalValueBase64: '',
          originalHeaders: {},
        },
      },
    ]);
    await foldBatch([{ event: refused, refusedCode: 'DATA_REFUSED' }]);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('keeps every folded event of a claim once, oldest event date first, with the source record it came from', async () => {
    const timeline: ClaimTimelineRow[] = await dataSource.query(CLAIM_TIMELINE_SQL, ['C1']);
    expect(
      timeline.map((row) => ({
        eventId: row.event_id,
        eventType: row.event_type,
        occurredAt: row.occurred_at,
        layout: row.layout,
        source: row.lineage_source,
        fileId: row.lineage_file_id,
        recordNumber: row.lineage_record_number,
      })),
    ).toEqual(
      [submitted, adjudicated].map((event) => ({
        eventId: event.eventId,
        eventType: event.eventType,
        occurredAt: event.occurredAt,
        layout: event.layout,
        source: event.lineage.source,
        fileId: event.lineage.fileId,
        recordNumber: event.lineage.recordNumber,
      })),
    );
  });

  it('traces the claim to each of its source records, the events each produced and where each ended', async () => {
    const records: ClaimSourceRecordRow[] = await dataSource.query(CLAIM_SOURCE_RECORDS_SQL, ['C1']);
    const expected = (
      event: EnrichedClaimEvent,
      ending: Partial<ClaimSourceRecordRow>,
      refusedCode: string | null,
    ) => ({
      file_id: event.lineage.fileId,
      source: event.lineage.source,
      record_number: event.lineage.recordNumber,
      record_count: 1,
      record_numbers: null,
      record_sha256: event.lineage.recordSha256,
      layout: event.layout,
      outcome: 'folded',
      stage: null,
      error_code: null,
      ...ending,
      events: [{ eventId: event.eventId, eventType: event.eventType, occurredAt: event.occurredAt, refusedCode }],
    });
    expect(records).toEqual([
      expected(adjudicated, {}, null),
      expected(submitted, {}, null),
      // Refused for its data: kept without its event date, which may be what Postgres refused.
      {
        ...expected(
          refused,
          { outcome: 'dead_lettered', stage: 'metrics', error_code: 'DATA_REFUSED' },
          'DATA_REFUSED',
        ),
        events: [
          { eventId: refused.eventId, eventType: refused.eventType, occurredAt: null, refusedCode: 'DATA_REFUSED' },
        ],
      },
    ]);
  });

  it("finds the dead letters of the claim's records and none of another claim's record of the same file", async () => {
    const deadLetters: ClaimDeadLetterRow[] = await dataSource.query(CLAIM_DEAD_LETTERS_SQL, ['C1']);
    expect(
      deadLetters.map((row) => ({
        fileId: row.file_id,
        recordNumber: row.record_number,
        stage: row.stage,
        errorCode: row.error_code,
      })),
    ).toEqual([
      {
        fileId: refused.lineage.fileId,
        recordNumber: refused.lineage.recordNumber,
        stage: 'metrics',
        errorCode: 'DATA_REFUSED',
      },
    ]);
    expect(await dataSource.query(CLAIM_DEAD_LETTERS_SQL, ['C2'])).toEqual([]);
    const otherRecords: ClaimSourceRecordRow[] = await dataSource.query(CLAIM_SOURCE_RECORDS_SQL, ['C2']);
    expect(otherRecords.map((row) => row.record_number)).toEqual([otherClaim.lineage.recordNumber]);
  });

  describe('a claim whose rows sit apart in its file (segments among its member rows)', () => {
    const apart = (claimId: string, recordNumbers: number[]): EnrichedClaimEvent => {
      const event = claimVersion(claimId, recordNumbers[0] ?? 1, 'adjudicated', '2009-11-21');
      const [recordNumber = 1] = recordNumbers;
      return {
        ...event,
        schemaVersion: 3,
        lineage: { ...event.lineage, recordNumber, recordCount: recordNumbers.length, recordNumbers },
      };
    };
    const rowsOf = async (recordNumbers: number[]) =>
      dataSource.query(
        `SELECT record_number, outcome FROM ingest_record
          WHERE file_id = $1 AND record_number = ANY($2::integer[]) ORDER BY record_number`,
        [submitted.lineage.fileId, recordNumbers],
      ) as Promise<Array<{ record_number: number; outcome: string }>>;

    it('accounts each of its rows, and none between them, folded or refused', async () => {
      const folded = apart('C5', [111, 135]);
      const refusedApart = apart('C6', [120, 140]);
      await foldBatch([{ event: folded }, { event: refusedApart, refusedCode: 'DATA_REFUSED' }]);
      expect(await rowsOf([111, 112, 120, 121, 135, 140])).toEqual([
        { record_number: 111, outcome: 'folded' },
        { record_number: 120, outcome: 'dead_lettered' },
        { record_number: 135, outcome: 'folded' },
        { record_number: 140, outcome: 'dead_lettered' },
      ]);
      const records: ClaimSourceRecordRow[] = await dataSource.query(CLAIM_SOURCE_RECORDS_SQL, ['C5']);
      expect(records.map((row) => [row.record_number, row.record_count, row.record_numbers, row.outcome])).toEqual([
        [111, 2, [111, 135], 'folded'],
      ]);
    });

    it("accounts each row of a dead letter's rows apart, and finds the dead letter from the claim", async () => {
      const lettered = apart('C7', [150, 160]);
      await new RecordAccountingRepository(dataSource).recordDeadLetters([
        {
          partition: 0,
          offset: '9',
          deadLetter: {
            schemaVersion: 1,
            stage: 'enricher',
            errorCode: 'ENVELOPE_INVALID',
            reason: 'invalid envelope fields: claimId',
            failedAt: '2026-01-02T03:04:06.000Z',
            origin: { topic: 'claims.normalized.v1', partition: 0, offset: '3', key: 'C7' },
            lineage: lettered.lineage,
            originalValueBase64: '',
            originalHeaders: {},
          },
        },
      ]);
      expect(await rowsOf([150, 151, 160])).toEqual([
        { record_number: 150, outcome: 'dead_lettered' },
        { record_number: 160, outcome: 'dead_lettered' },
      ]);
    });
  });
});
