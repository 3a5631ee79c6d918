import { derivedEventId, lineageSchemaVersion, type EnrichedClaimEvent } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import {
  EMPTY_ENRICHMENT_CODES,
  NO_DUPLICATES,
  ReferenceTables,
  decidePend,
  enrichClaim,
  loadShippedPendRuleSet,
} from '@claims/enrichment';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import {
  PEND_HISTOGRAM_DIFFERENCES_SQL,
  daysToClearFigures,
  openPendByValue,
  openPendFigures,
  pendDailyFlow,
  pendDailyFlowQuery,
  pendDaysToClearQuery,
  pendOpenByDimensionQuery,
  pendWorkQueueQuery,
  type PendDimension,
  type PendQueueFilter,
  type PendSqlQuery,
  type PendWorkQueueRow,
} from '@claims/kpi';
import { loadSourceLayouts, normalizeSourceRecord, rawRecordEvent, shippedFolder } from '@claims/source-layouts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository } from './claim-fold.repository';

/**
 * data/pended/pended-queue-2024-03-15.csv (hand-written, made up) read through
 * its shipped mapping file, judged by the shipped pend rules over an empty
 * directory, folded by ClaimFoldRepository, and answered by the API's queries,
 * against the figures computed by hand from the file:
 *
 *   claim  received    cleared     billed      queue             payer
 *   101    2024-02-20  (waits)        $310.00  Provider Data     Aetna
 *   102    2024-02-21  2024-03-04   $1,480.00  Eligibility       Aetna
 *   103    2024-03-01  (waits)     $12,950.00  Medical Review    Cigna
 *   104    2024-03-02  (waits)        $185.00  Claims Integrity  UnitedHealthcare
 *   105    2024-03-08  2024-03-15     $640.00  Provider Data     Humana
 *   106    2024-03-09  (waits)         $95.00  Eligibility       Medicaid
 *   107    2024-03-12  2024-03-14     $240.00  Provider Data     Blue Cross Blue Shield
 */
const FIXTURE = join(shippedFolder('data', 'pended'), 'pended-queue-2024-03-15.csv');

/** The file's rows as the enricher emits them (an export row is one event, whatever its verdict). */
function enrichedEventsOfFixture(): EnrichedClaimEvent[] {
  const layouts = loadSourceLayouts();
  const ruleSet = loadShippedPendRuleSet();
  const tables = new ReferenceTables();
  const [header = '', ...rows] = readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const layout = layouts.detect(header).name;
  return rows.map((record, index) => {
    const raw = rawRecordEvent({
      layout,
      record,
      recordNumber: index + 1,
      source: 'pended-queue-2024-03-15.csv',
      fileId: 'e'.repeat(64),
      publishedAt: '2024-03-16T00:00:00.000Z',
      header,
      claimId: null,
    });
    const normalized = normalizeSourceRecord(raw, { layouts, patientTokenKey: 'pended-queue-export-fold-spec' });
    if (normalized.kind !== 'claim') throw new Error(`row ${index + 1} is not a claim`);
    const event = normalized.event;
    const enrichment = enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES);
    return {
      ...event,
      schemaVersion: lineageSchemaVersion(event.lineage, 2),
      eventId: derivedEventId('claims.enriched', event.eventId),
      normalizedEventId: event.eventId,
      enrichment,
      pendDecision: decidePend(event, enrichment, tables, ruleSet, NO_DUPLICATES),
    };
  });
}

describe('the pended-queue export folded and answered as computed by hand from the file', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;

  const run = <Row>(query: PendSqlQuery): Promise<Row[]> => dataSource.query(query.text, query.parameters);
  /** Without a filter the answers read the day histogram; claimType=professional (every row) reads claim_pend. */
  const SOURCES: Array<[string, PendQueueFilter]> = [
    ['the day histogram', {}],
    ['claim_pend', { claimType: 'professional' }],
  ];
  const openAt = async (asOf: string, filter: PendQueueFilter) =>
    openPendFigures((await run<never>(pendOpenByDimensionQuery(asOf, 'all', 1, filter)))[0]);
  const openBy = async (asOf: string, dimension: PendDimension, filter: PendQueueFilter) =>
    openPendByValue(await run(pendOpenByDimensionQuery(asOf, dimension, 100, filter))).map((row) => [
      row.value,
      row.claims,
      row.amountCents,
    ]);
  const clearedBy = async (asOf: string, filter: PendQueueFilter) =>
    daysToClearFigures(await run(pendDaysToClearQuery(asOf, filter)), 30);
  const bucketClaims = (figures: Awaited<ReturnType<typeof openAt>>) =>
    Object.fromEntries(figures.ageBuckets.map((bucket) => [bucket.bucket, bucket.claims]));

  beforeAll(async () => {
    database = await createIsolatedDatabase('pend_export_fold');
    dataSource = createDataSource({ url: database.url, applicationName: 'pended-queue-export-fold-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    const events = enrichedEventsOfFixture();
    await new ClaimFoldRepository(dataSource).foldPartitionBatch({
      groupId: 'claims-metrics',
      topic: 'claims.enriched.v1',
      partition: 0,
      messages: events.map((event, offset) => ({ offset: String(offset), event })),
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('keeps the streamed histogram equal to its batch truth and the watermark at the latest row date', async () => {
    expect(await dataSource.query(PEND_HISTOGRAM_DIFFERENCES_SQL, [10])).toEqual([]);
    expect(
      await dataSource.query(`SELECT to_char(max(event_time_watermark), 'YYYY-MM-DD') AS day FROM kpi_watermark`),
    ).toEqual([{ day: '2024-03-15' }]);
  });

  it.each(SOURCES)('answers the queue at the export date from %s', async (_source, filter) => {
    // Open: 101 (24 days), 103 (14), 104 (13), 106 (6); 105 cleared on the as-of date itself.
    expect(await openAt('2024-03-15', filter)).toMatchObject({
      claims: 4,
      amountCents: 31000 + 1295000 + 18500 + 9500,
      averageAgeDays: 14.3,
      oldestAgeDays: 24,
    });
    expect(await openBy('2024-03-15', 'payer', filter)).toEqual([
      ['Aetna', 1, 31000],
      ['Cigna', 1, 1295000],
      ['Medicaid', 1, 9500],
      ['UnitedHealthcare', 1, 18500],
    ]);
    expect(await openBy('2024-03-15', 'queue', filter)).toEqual([
      ['Claims Integrity', 1, 18500],
      ['Eligibility', 1, 9500],
      ['Medical Review', 1, 1295000],
      ['Provider Data', 1, 31000],
    ]);
    // Cleared by then: 107 in 2 days, 105 in 7, 102 in 12.
    expect(await clearedBy('2024-03-15', filter)).toEqual({
      daysToClear: { p50: 7, p90: 12, clearedClaims: 3 },
      clearedWithinSla: { slaDays: 30, clearedClaims: 3, clearedWithinSlaClaims: 3, share: 1 },
    });
    const queue: PendWorkQueueRow[] = await run(
      pendWorkQueueQuery({ asOf: '2024-03-15', sort: 'age', filter, after: null, limit: 50 }),
    );
    expect(queue.map((row) => [row.claim_id, row.age_days])).toEqual([
      ['PQ-2024-000101', 24],
      ['PQ-2024-000103', 14],
      ['PQ-2024-000104', 13],
      ['PQ-2024-000106', 6],
    ]);
  });

  it.each(SOURCES)('counts a claim open the day before its clear date and not on it, from %s', async (_s, filter) => {
    // 2024-03-14: 105 still waits (it clears on 03-15); 107 clears that day.
    expect(await openAt('2024-03-14', filter)).toMatchObject({ claims: 5, amountCents: 1354000 + 64000 });
    expect((await clearedBy('2024-03-14', filter)).daysToClear).toEqual({ p50: 2, p90: 12, clearedClaims: 2 });
  });

  it.each(SOURCES)(
    'ages the first pend 0 on its day, 30 at the bucket edge, 31 past it, from %s',
    async (_s, filter) => {
      expect(await openAt('2024-02-19', filter)).toMatchObject({
        claims: 0,
        averageAgeDays: null,
        oldestAgeDays: null,
      });
      expect(await openAt('2024-02-20', filter)).toMatchObject({ claims: 1, oldestAgeDays: 0 });
      // 2024 is a leap year: 02-20 to 03-21 is 30 days, still 0-30; 03-22 is 31.
      const atEdge = await openAt('2024-03-21', filter);
      expect([atEdge.oldestAgeDays, bucketClaims(atEdge)]).toEqual([
        30,
        { '0-30': 4, '31-60': 0, '61-90': 0, '90+': 0 },
      ]);
      const pastEdge = await openAt('2024-03-22', filter);
      expect([pastEdge.oldestAgeDays, bucketClaims(pastEdge)]).toEqual([
        31,
        { '0-30': 3, '31-60': 1, '61-90': 0, '90+': 0 },
      ]);
    },
  );

  it.each(SOURCES)('answers the daily flow of March, from %s', async (_source, filter) => {
    const days = pendDailyFlow(await run(pendDailyFlowQuery('2024-03-01', '2024-03-15', filter)));
    const total = (pick: (day: (typeof days)[number]) => number) => days.reduce((sum, day) => sum + pick(day), 0);
    // In: 103, 104, 105, 106, 107. Out: 102, 107, 105. Open before March: 101, 102.
    expect([total((day) => day.inflowClaims), total((day) => day.outflowClaims)]).toEqual([5, 3]);
    expect(days[0]).toMatchObject({ day: '2024-03-01', inflowClaims: 1, openClaims: 3 });
    expect(days[days.length - 1]).toMatchObject({ day: '2024-03-15', outflowClaims: 1, openClaims: 4 });
  });
});
