import { deriveEventId, type EnrichedClaimEvent, type PendDecision } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, fixtureEnrichedEvent, type IsolatedDatabase } from '@claims/harness';
import { PEND_HISTOGRAM_BATCH_SQL, STREAMED_PEND_HISTOGRAM_SQL, type PendHistogramRow } from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository, type PartitionBatch } from './claim-fold.repository';

/**
 * PQ-2024-000102 of data/pended/pended-queue-2024-03-15.csv (hand-written,
 * made up): received 2024-02-21, member-eligibility pend, with the
 * adjudicators' comments as the export's "Adjudicator Comments" carries them
 * (PHI: member details in free text).
 */
const CLAIM_ID = 'PQ-2024-000102';
const COMMENTS = 'Member called 3/1, confirmed coverage through employer plan; retro-term reversed.';
const LATER_COMMENTS = `${COMMENTS} Released 3/4.`;

/** The export row's enriched event: pended (no clear date) or, in a later export, cleared on its clear date. */
function exportRow(comments: string | null, clearedOn: string | null, version = 1): EnrichedClaimEvent {
  const base = fixtureEnrichedEvent(
    CLAIM_ID,
    [{ indicator: null, category: 'unknown', paymentCents: 0, allowedCents: 0 }],
    version,
  );
  const decision: PendDecision = {
    ruleSetVersion: 'test',
    status: clearedOn === null ? 'pended' : 'cleared',
    reasons: [
      {
        code: 'MEMBER_NOT_ELIGIBLE',
        description: 'The export states it',
        queue: 'Eligibility',
        severity: 'medium',
        waitsOn: [],
        classifiedBy: null,
      },
    ],
    queue: 'Eligibility',
    pendedOn: '2024-02-21',
    clearedOn,
    clearedBy: clearedOn === null ? null : 'source_clear_date',
  };
  const event: EnrichedClaimEvent = {
    ...base,
    eventType: clearedOn === null ? 'pended' : 'cleared',
    occurredAt: clearedOn ?? '2024-02-21',
    claim: {
      ...base.claim,
      billedAmountCents: 148000,
      receivedDate: '2024-02-21',
      clearDate: clearedOn,
      pend: { reason: 'MEMBER_NOT_ELIGIBLE', queue: 'Eligibility', comments },
    },
    pendDecision: decision,
  };
  return clearedOn === null ? event : { ...event, eventId: deriveEventId('fixture.cleared', event.eventId, clearedOn) };
}

describe("a pended-queue export's comments folded by ClaimFoldRepository against a real Postgres", () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: ClaimFoldRepository;
  let nextOffset = 0;

  const batch = (events: EnrichedClaimEvent[], firstOffset = nextOffset): PartitionBatch => {
    nextOffset = Math.max(nextOffset, firstOffset + events.length);
    return {
      groupId: 'claims-metrics',
      topic: 'claims.enriched.v1',
      partition: 0,
      messages: events.map((event, index) => ({ offset: String(firstOffset + index), event })),
    };
  };

  const stored = async (): Promise<Array<{ comments: string | null; cleared_on: string | null }>> =>
    dataSource.query(
      `SELECT comments, to_char(cleared_on, 'YYYY-MM-DD') AS cleared_on FROM claim_pend WHERE claim_id = $1`,
      [CLAIM_ID],
    );

  const cells = (rows: PendHistogramRow[]): string[] =>
    rows
      .map((row) => `${row.dimension}|${row.dimension_value}|${row.pended_on}|${row.cleared_on}|${row.claims}`)
      .sort();
  const expectHistogramEqualsBatchSql = async (): Promise<void> =>
    expect(cells(await dataSource.query(STREAMED_PEND_HISTOGRAM_SQL))).toEqual(
      cells(await dataSource.query(PEND_HISTOGRAM_BATCH_SQL)),
    );

  beforeAll(async () => {
    database = await createIsolatedDatabase('pend_comments');
    dataSource = createDataSource({ url: database.url, applicationName: 'pend-comments-fold-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new ClaimFoldRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  // The steps build on each other, in order: one claim's history.
  it('stores the comments with the episode the row opens', async () => {
    await repository.foldPartitionBatch(batch([exportRow(COMMENTS, null)]));
    expect(await stored()).toEqual([{ comments: COMMENTS, cleared_on: null }]);
    await expectHistogramEqualsBatchSql();
  });

  it('keeps them once when the batch is redelivered or the row replayed at a new offset', async () => {
    const redelivered = batch([exportRow(COMMENTS, null)], 0);
    expect(await repository.foldPartitionBatch(redelivered)).toEqual({
      folded: 0,
      superseded: 0,
      duplicates: 0,
      alreadyCommitted: 1,
    });
    expect(await repository.foldPartitionBatch(batch([exportRow(COMMENTS, null)]))).toEqual({
      folded: 0,
      superseded: 0,
      duplicates: 1,
      alreadyCommitted: 0,
    });
    expect(await stored()).toEqual([{ comments: COMMENTS, cleared_on: null }]);
  });

  it("replaces them with a later export's field (the whole field, not appended), cleared or not", async () => {
    await repository.foldPartitionBatch(batch([exportRow(LATER_COMMENTS, '2024-03-04', 2)]));
    expect(await stored()).toEqual([{ comments: LATER_COMMENTS, cleared_on: '2024-03-04' }]);
    await expectHistogramEqualsBatchSql();
  });

  it('forgets them when a later row says none, and writes only the comments when nothing else changed', async () => {
    await repository.foldPartitionBatch(batch([exportRow(null, '2024-03-04', 3)]));
    expect(await stored()).toEqual([{ comments: null, cleared_on: '2024-03-04' }]);
    await repository.foldPartitionBatch(batch([exportRow(COMMENTS, '2024-03-04', 4)]));
    expect(await stored()).toEqual([{ comments: COMMENTS, cleared_on: '2024-03-04' }]);
    await expectHistogramEqualsBatchSql();
  });

  it('keeps them when a later event with no pend block (an 835 adjudicating the claim) moves the episode', async () => {
    const row = exportRow(null, '2024-03-09', 5);
    const remittance: EnrichedClaimEvent = {
      ...row,
      eventId: deriveEventId('fixture.remittance', row.eventId, '2024-03-09'),
      claim: { ...row.claim, pend: null },
    };
    await repository.foldPartitionBatch(batch([remittance]));
    expect(await stored()).toEqual([{ comments: COMMENTS, cleared_on: '2024-03-09' }]);
    expect(await repository.foldPartitionBatch(batch([remittance]))).toMatchObject({ folded: 0, duplicates: 1 });
    expect(await stored()).toEqual([{ comments: COMMENTS, cleared_on: '2024-03-09' }]);
    await expectHistogramEqualsBatchSql();
  });
});
