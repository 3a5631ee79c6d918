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
});
