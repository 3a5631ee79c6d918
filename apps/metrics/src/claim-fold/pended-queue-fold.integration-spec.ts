import { deriveEventId, type EnrichedClaimEvent, type PendDecision } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, fixtureEnrichedEvent, type IsolatedDatabase } from '@claims/harness';
import {
  CLAIMS_RECEIVED_BATCH_SQL,
  PEND_DAILY_FLOW_SQL,
  PEND_DAYS_TO_CLEAR_SQL,
  PEND_HISTOGRAM_BATCH_SQL,
  PEND_HISTOGRAM_DIFFERENCES_SQL,
  PEND_OPEN_BY_DIMENSION_SQL,
  PEND_WORK_QUEUE_SQL,
  STREAMED_COUNTERS_SQL,
  STREAMED_PEND_HISTOGRAM_SQL,
  daysToClearFigures,
  openPendByValue,
  openPendFigures,
  pendDailyFlow,
  type PendHistogramRow,
  type PendOpenRow,
  type PendWorkQueueRow,
} from '@claims/kpi';
import { EntityManager, type DataSource } from 'typeorm';
import { ClaimFoldRepository, type PartitionBatch } from './claim-fold.repository';

/**
 * Hand-made pend episodes (dates in 2024, a leap year):
 *   A  pended 01-01  cleared 01-11 (10 days)  $100   PROVIDER_NOT_FOUND            provider-data
 *   B  pended 01-15  open                     $200   MEMBER_NOT_COVERED            eligibility
 *   C  pended 02-10  cleared 03-20 (39 days)  $300   NPI_INVALID, PROVIDER_NOT_FOUND provider-data
 *   D  pended 2023-12-01, open, $400; its corrected version is clean: no episode
 *   E  pended 03-01  open, $50 AMOUNT_OVER_REVIEW; its corrected version $70 DUPLICATE_SUSPECTED
 *   F  clean, never pended
 *   G  pended 01-05  cleared 01-05 (0 days)   $10    PROVIDER_NOT_FOUND            provider-data
 */
type Pend = { pendedOn: string; reasons: string[]; queue: string; amountCents: number };

let recordNumber = 0;

/** A claim's enriched event under a pend verdict, as record `recordNumber` of the fixture file. */
function judged(claimId: string, pend: Pend | null, version = 1): EnrichedClaimEvent {
  const base = fixtureEnrichedEvent(
    claimId,
    [{ indicator: 'A', category: 'allowed', paymentCents: 0, allowedCents: pend?.amountCents ?? 500 }],
    version,
  );
  recordNumber += 1;
  const event: EnrichedClaimEvent = {
    ...base,
    occurredAt: pend?.pendedOn ?? '2024-01-02',
    lineage: { ...base.lineage, recordNumber },
    claim: { ...base.claim, billedAmountCents: pend?.amountCents ?? 500 },
  };
  if (!pend) return event;
  const decision: PendDecision = {
    ruleSetVersion: 'test',
    status: 'pended',
    reasons: pend.reasons.map((code) => ({
      code,
      description: code,
      queue: pend.queue,
      severity: 'medium',
      waitsOn: [],
      classifiedBy: null,
    })),
    queue: pend.queue,
    pendedOn: pend.pendedOn,
    clearedOn: null,
    clearedBy: null,
  };
  return { ...event, eventType: 'pended', pendDecision: decision };
}

/** The event that clears a pended claim: a new event id, the same source record (as the enricher emits it). */
function clearedOf(pended: EnrichedClaimEvent, clearedOn: string): EnrichedClaimEvent {
  const decision = pended.pendDecision;
  if (!decision) throw new Error('not a pended event');
  return {
    ...pended,
    eventId: deriveEventId('fixture.cleared', pended.eventId, clearedOn),
    eventType: 'cleared',
    occurredAt: clearedOn,
    pendDecision: { ...decision, status: 'cleared', clearedOn, clearedBy: 'reference' },
  };
}

describe('the pended-queue KPIs folded by ClaimFoldRepository against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: ClaimFoldRepository;
  const nextOffset = new Map<number, number>();

  const batch = (partition: number, events: EnrichedClaimEvent[], firstOffset?: number): PartitionBatch => {
    const start = firstOffset ?? nextOffset.get(partition) ?? 0;
    nextOffset.set(partition, Math.max(nextOffset.get(partition) ?? 0, start + events.length));
    return {
      groupId: 'claims-metrics',
      topic: 'claims.enriched.v1',
      partition,
      messages: events.map((event, index) => ({ offset: String(start + index), event })),
    };
  };

  const sortedCells = (rows: PendHistogramRow[]): string[] =>
    rows
      .map(
        (row) =>
          `${row.dimension}|${row.dimension_value}|${row.pended_on}|${row.cleared_on}|${row.claims}|${row.amount_cents}`,
      )
      .sort();

  async function expectStreamedToEqualBatchSql(): Promise<void> {
    const streamed = sortedCells(await dataSource.query(STREAMED_PEND_HISTOGRAM_SQL));
    const batchTruth = sortedCells(await dataSource.query(PEND_HISTOGRAM_BATCH_SQL));
    expect(streamed).toEqual(batchTruth);
    expect(await dataSource.query(PEND_HISTOGRAM_DIFFERENCES_SQL, [10])).toEqual([]);
    const counters = (rows: Array<{ kpi: string; dimension: string; value: string }>) =>
      rows.map((row) => `${row.kpi}|${row.dimension}|${row.value}`).sort();
    expect(counters(await dataSource.query(STREAMED_COUNTERS_SQL))).toEqual(
      counters(await dataSource.query(CLAIMS_RECEIVED_BATCH_SQL)),
    );
  }

  const openAt = async (asOf: string) =>
    openPendFigures(((await dataSource.query(PEND_OPEN_BY_DIMENSION_SQL, [asOf, 'all', 1])) as PendOpenRow[])[0]);
  const openBy = async (asOf: string, dimension: string) =>
    openPendByValue(await dataSource.query(PEND_OPEN_BY_DIMENSION_SQL, [asOf, dimension, 100]));
  const clearedBy = async (asOf: string) =>
    daysToClearFigures(await dataSource.query(PEND_DAYS_TO_CLEAR_SQL, [asOf]), 30);
  const bucketClaims = (figures: Awaited<ReturnType<typeof openAt>>) =>
    Object.fromEntries(figures.ageBuckets.map((bucket) => [bucket.bucket, [bucket.claims, bucket.amountCents]]));

  const A = judged('A', {
    pendedOn: '2024-01-01',
    reasons: ['PROVIDER_NOT_FOUND'],
    queue: 'provider-data',
    amountCents: 10000,
  });
  const B = judged('B', {
    pendedOn: '2024-01-15',
    reasons: ['MEMBER_NOT_COVERED'],
    queue: 'eligibility',
    amountCents: 20000,
  });
  const C = judged('C', {
    pendedOn: '2024-02-10',
    reasons: ['PROVIDER_NOT_FOUND', 'NPI_INVALID'],
    queue: 'provider-data',
    amountCents: 30000,
  });
  const D1 = judged('D', {
    pendedOn: '2023-12-01',
    reasons: ['AMOUNT_OVER_REVIEW'],
    queue: 'review',
    amountCents: 40000,
  });
  const D2 = judged('D', null, 2);
  const E1 = judged('E', {
    pendedOn: '2024-03-01',
    reasons: ['AMOUNT_OVER_REVIEW'],
    queue: 'review',
    amountCents: 5000,
  });
  const E2 = judged(
    'E',
    { pendedOn: '2024-03-01', reasons: ['DUPLICATE_SUSPECTED'], queue: 'review', amountCents: 7000 },
    2,
  );
  const F = judged('F', null);
  const G = judged('G', {
    pendedOn: '2024-01-05',
    reasons: ['PROVIDER_NOT_FOUND'],
    queue: 'provider-data',
    amountCents: 1000,
  });

  beforeAll(async () => {
    database = await createIsolatedDatabase('pend_fold');
    dataSource = createDataSource({ url: database.url, applicationName: 'pended-queue-fold-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new ClaimFoldRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  // The steps build on each other, in order: one database, the stream's history.
  it('folds clean claims first seen without touching the pend tables', async () => {
    const query = jest.spyOn(EntityManager.prototype, 'query');
    try {
      await repository.foldPartitionBatch(batch(0, [F]));
      const pendStatements = query.mock.calls.filter(([sql]) => /claim_pend|pend_day_histogram/.test(String(sql)));
      expect(pendStatements).toEqual([]);
    } finally {
      query.mockRestore();
    }
    expect(await dataSource.query('SELECT count(*)::int AS n FROM claim_pend')).toEqual([{ n: 0 }]);
  });

  it('opens an episode for each pended claim, at its pend date', async () => {
    await repository.foldPartitionBatch(batch(0, [A, B, D1]));
    // 2023-12-31: only D (pended 2023-12-01, 30 days old) is open.
    const atYearEnd = await openAt('2023-12-31');
    expect(atYearEnd).toMatchObject({ claims: 1, amountCents: 40000, averageAgeDays: 30, oldestAgeDays: 30 });
    expect(bucketClaims(atYearEnd)['0-30']).toEqual([1, 40000]);
    await expectStreamedToEqualBatchSql();
  });

  it('folds a claim pended and cleared in one batch once, and counts a redelivered batch nothing', async () => {
    const second = batch(0, [G, clearedOf(G, '2024-01-05'), C]);
    expect(await repository.foldPartitionBatch(second)).toEqual({
      folded: 3,
      superseded: 0,
      duplicates: 0,
      alreadyCommitted: 0,
    });
    expect(await repository.foldPartitionBatch(second)).toEqual({
      folded: 0,
      superseded: 0,
      duplicates: 0,
      alreadyCommitted: 3,
    });
    await expectStreamedToEqualBatchSql();
  });

  it('moves a cleared claim out of the open cells, and removes the episode of a claim corrected to clean', async () => {
    await repository.foldPartitionBatch(batch(0, [clearedOf(A, '2024-01-11'), D2]));
    expect((await openAt('2023-12-31')).claims).toBe(0);
    const rows: Array<{ claim_id: string }> = await dataSource.query(
      'SELECT claim_id FROM claim_pend ORDER BY claim_id',
    );
    expect(rows.map((row) => row.claim_id)).toEqual(['A', 'B', 'C', 'G']);
    await expectStreamedToEqualBatchSql();
  });

  it("replaces a claim's episode by its corrected version's, on another partition", async () => {
    await repository.foldPartitionBatch(batch(1, [E1]));
    await repository.foldPartitionBatch(batch(1, [E2]));
    // A replayed record at a new offset is a duplicate and changes nothing.
    const outcome = await repository.foldPartitionBatch(batch(1, [E1]));
    expect(outcome).toEqual({ folded: 0, superseded: 0, duplicates: 1, alreadyCommitted: 0 });
    await repository.foldPartitionBatch(batch(0, [clearedOf(C, '2024-03-20')]));
    await expectStreamedToEqualBatchSql();
    // Cells emptied by a subtraction are dropped, not kept as zeros.
    expect(
      await dataSource.query('SELECT count(*)::int AS n FROM pend_day_histogram WHERE claims = 0 AND amount_cents = 0'),
    ).toEqual([{ n: 0 }]);
  });

  it('answers the open count, dollars and age buckets at 2024-01-10 as computed by hand', async () => {
    // Open: A (pended 01-01, clears 01-11): 9 days. G cleared 01-05; B pends 01-15.
    expect(await openAt('2024-01-10')).toMatchObject({
      claims: 1,
      amountCents: 10000,
      averageAgeDays: 9,
      oldestAgeDays: 9,
    });
    // Cleared by then: G alone, the same day.
    expect(await clearedBy('2024-01-10')).toEqual({
      daysToClear: { p50: 0, p90: 0, clearedClaims: 1 },
      clearedWithinSla: { slaDays: 30, clearedClaims: 1, clearedWithinSlaClaims: 1, share: 1 },
    });
  });

  it('answers aging, percentiles and the SLA share at 2024-03-31 as computed by hand', async () => {
    // Open: B 76 days (Jan 15 → Mar 31, 2024 is a leap year), E 30 days at $70 (its corrected amount).
    const figures = await openAt('2024-03-31');
    expect(figures).toMatchObject({ claims: 2, amountCents: 27000, averageAgeDays: 53, oldestAgeDays: 76 });
    expect(bucketClaims(figures)).toEqual({
      '0-30': [1, 7000],
      '31-60': [0, 0],
      '61-90': [1, 20000],
      '90+': [0, 0],
    });
    // Days to clear: G 0, A 10, C 39. p50 = 2nd of 3 = 10; p90 = 3rd of 3 = 39; within 30 days: 2 of 3.
    expect(await clearedBy('2024-03-31')).toEqual({
      daysToClear: { p50: 10, p90: 39, clearedClaims: 3 },
      clearedWithinSla: { slaDays: 30, clearedClaims: 3, clearedWithinSlaClaims: 2, share: 0.6667 },
    });
    expect((await openBy('2024-03-31', 'reason')).map((row) => [row.value, row.claims, row.amountCents])).toEqual([
      ['DUPLICATE_SUSPECTED', 1, 7000],
      ['MEMBER_NOT_COVERED', 1, 20000],
    ]);
    expect((await openBy('2024-03-31', 'queue')).map((row) => [row.value, row.claims, row.oldestAgeDays])).toEqual([
      ['eligibility', 1, 76],
      ['review', 1, 30],
    ]);
  });

  it('ages the same open claims into later buckets at 2024-04-30', async () => {
    const figures = await openAt('2024-04-30');
    expect(figures).toMatchObject({ claims: 2, averageAgeDays: 83, oldestAgeDays: 106 });
    expect(bucketClaims(figures)).toEqual({
      '0-30': [0, 0],
      '31-60': [1, 7000],
      '61-90': [0, 0],
      '90+': [1, 20000],
    });
  });

  it('answers daily inflow, outflow, net and open claims over a range', async () => {
    const days = pendDailyFlow(await dataSource.query(PEND_DAILY_FLOW_SQL, ['2024-01-01', '2024-01-15']));
    expect(days).toHaveLength(15);
    const on = (day: string) => days.find((row) => row.day === day);
    expect(on('2024-01-01')).toMatchObject({ inflowClaims: 1, outflowClaims: 0, netClaims: 1, openClaims: 1 });
    expect(on('2024-01-05')).toMatchObject({ inflowClaims: 1, outflowClaims: 1, netClaims: 0, openClaims: 1 });
    expect(on('2024-01-11')).toMatchObject({ inflowClaims: 0, outflowClaims: 1, netClaims: -1, openClaims: 0 });
    expect(on('2024-01-15')).toMatchObject({ inflowClaims: 1, netAmountCents: 20000, openClaims: 1 });
  });

  it('lists the work queue oldest first, page by page', async () => {
    const page1: PendWorkQueueRow[] = await dataSource.query(PEND_WORK_QUEUE_SQL, ['2024-03-31', '-infinity', '', 1]);
    expect(page1.map((row) => [row.claim_id, row.pended_on, row.age_days, row.reasons])).toEqual([
      ['B', '2024-01-15', 76, ['MEMBER_NOT_COVERED']],
    ]);
    const page2: PendWorkQueueRow[] = await dataSource.query(PEND_WORK_QUEUE_SQL, ['2024-03-31', '2024-01-15', 'B', 1]);
    expect(page2.map((row) => [row.claim_id, row.amount_cents])).toEqual([['E', '7000']]);
    expect(await dataSource.query(PEND_WORK_QUEUE_SQL, ['2024-03-31', '2024-03-01', 'E', 1])).toEqual([]);
  });

  it('lists the same queue as a plain scan at every asOf, claims cleared after asOf among the open ones', async () => {
    const plainScan = `SELECT claim_id FROM claim_pend
                        WHERE pended_on <= $1::date AND (cleared_on IS NULL OR cleared_on > $1::date)
                        ORDER BY pended_on, claim_id`;
    const days = Array.from({ length: 20 }, (_, index) => `2024-01-${String(index + 1).padStart(2, '0')}`);
    let clearedLaterListed = 0;
    for (const asOf of [...days, '2024-03-31']) {
      const expected = (await dataSource.query(plainScan, [asOf])).map((row: { claim_id: string }) => row.claim_id);
      const listed: PendWorkQueueRow[] = await dataSource.query(PEND_WORK_QUEUE_SQL, [asOf, '-infinity', '', 100]);
      expect(listed.map((row) => row.claim_id)).toEqual(expected);
      const [later] = await dataSource.query(
        `SELECT count(*)::int AS n FROM claim_pend WHERE pended_on <= $1::date AND cleared_on > $1::date`,
        [asOf],
      );
      clearedLaterListed += later.n;
    }
    expect(clearedLaterListed).toBeGreaterThan(0);
  });

  it("tallies each record's pend reasons once for its file, a claim re-emitted when it clears included", async () => {
    const rows: Array<{ kind: string; name: string; count: string }> = await dataSource.query(
      `SELECT kind, name, sum(count)::text AS count FROM ingest_file_quality
        WHERE kind IN ('pend_reason', 'claims') GROUP BY kind, name ORDER BY kind, name`,
    );
    expect(rows.map((row) => `${row.kind} ${row.name} ${row.count}`)).toEqual([
      'claims tallied 9',
      'pend_reason AMOUNT_OVER_REVIEW 2',
      'pend_reason DUPLICATE_SUSPECTED 1',
      'pend_reason MEMBER_NOT_COVERED 1',
      'pend_reason NPI_INVALID 1',
      'pend_reason PROVIDER_NOT_FOUND 3',
    ]);
  });
});
