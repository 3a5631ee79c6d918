import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, fixtureEnrichedEvent, type IsolatedDatabase } from '@claims/harness';
import {
  CLAIMS_RECEIVED_BATCH_SQL,
  STREAMED_COUNTERS_SQL,
  summarizeKpiCounters,
  type KpiCounterRow,
} from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository, type PartitionBatch } from './claim-fold.repository';

const allowedLine = { indicator: 'A', category: 'allowed' as const, paymentCents: 9000, allowedCents: 11000 };
const deniedLine = { indicator: 'O', category: 'not_allowed' as const, paymentCents: 0, allowedCents: 0 };

describe('ClaimFoldRepository against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: ClaimFoldRepository;

  const batch = (
    partition: number,
    firstOffset: number,
    events: ReturnType<typeof fixtureEnrichedEvent>[],
  ): PartitionBatch => ({
    groupId: 'claims-metrics',
    topic: 'claims.enriched.v1',
    partition,
    messages: events.map((event, index) => ({ offset: String(firstOffset + index), event })),
  });

  const normalize = (rows: KpiCounterRow[]): Record<string, string> =>
    Object.fromEntries(rows.map((row) => [`${row.kpi}|${row.dimension}`, String(row.value)]));

  async function expectStreamedToEqualBatchSql(): Promise<void> {
    const streamed = normalize(await dataSource.query(STREAMED_COUNTERS_SQL));
    const batchTruth = normalize(await dataSource.query(CLAIMS_RECEIVED_BATCH_SQL));
    expect(streamed).toEqual(batchTruth);
  }

  async function summary(): Promise<ReturnType<typeof summarizeKpiCounters>> {
    return summarizeKpiCounters(await dataSource.query(STREAMED_COUNTERS_SQL));
  }

  beforeEach(async () => {
    database = await createIsolatedDatabase('fold');
    dataSource = createDataSource({ url: database.url, applicationName: 'fold-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new ClaimFoldRepository(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('folds a batch into claim state and counters that equal the batch SQL', async () => {
    const outcome = await repository.foldPartitionBatch(
      batch(0, 0, [fixtureEnrichedEvent('c1', [allowedLine, deniedLine]), fixtureEnrichedEvent('c2', [allowedLine])]),
    );
    expect(outcome).toEqual({ folded: 2, duplicates: 0, alreadyCommitted: 0 });
    expect(await summary()).toMatchObject({
      claimsReceived: 2,
      linesReceived: 3,
      linesAllowed: 2,
      medicarePaymentAmountCents: 18000,
    });
    await expectStreamedToEqualBatchSql();
  });

  it('skips a redelivered batch whose offsets are already committed', async () => {
    const events = [fixtureEnrichedEvent('c1', [allowedLine])];
    await repository.foldPartitionBatch(batch(0, 0, events));
    const before = await summary();
    const outcome = await repository.foldPartitionBatch(batch(0, 0, events));
    expect(outcome).toEqual({ folded: 0, duplicates: 0, alreadyCommitted: 1 });
    expect(await summary()).toEqual(before);
  });

  it('recognises a replayed record at a new offset by its event id and counts it once', async () => {
    const event = fixtureEnrichedEvent('c1', [allowedLine]);
    await repository.foldPartitionBatch(batch(0, 0, [event]));
    const outcome = await repository.foldPartitionBatch(batch(0, 1, [event, event]));
    expect(outcome).toEqual({ folded: 0, duplicates: 2, alreadyCommitted: 0 });
    expect((await summary()).claimsReceived).toBe(1);
    await expectStreamedToEqualBatchSql();
  });

  it('replaces a corrected claim so the counters move by exactly the correction', async () => {
    await repository.foldPartitionBatch(batch(0, 0, [fixtureEnrichedEvent('c1', [allowedLine, allowedLine], 1)]));
    await repository.foldPartitionBatch(batch(0, 1, [fixtureEnrichedEvent('c1', [deniedLine], 2)]));
    expect(await summary()).toMatchObject({
      claimsReceived: 1,
      linesReceived: 1,
      linesAllowed: 0,
      medicarePaymentAmountCents: 0,
    });
    await expectStreamedToEqualBatchSql();
  });

  it('keeps partitions independent: offsets and counters per partition, summed for readers', async () => {
    await repository.foldPartitionBatch(batch(0, 0, [fixtureEnrichedEvent('c1', [allowedLine])]));
    await repository.foldPartitionBatch(batch(1, 0, [fixtureEnrichedEvent('c2', [allowedLine])]));
    const offsets: Array<{ kafka_partition: number; next_offset: string }> = await dataSource.query(
      'SELECT kafka_partition, next_offset FROM consumer_offset ORDER BY kafka_partition',
    );
    expect(offsets).toEqual([
      { kafka_partition: 0, next_offset: '1' },
      { kafka_partition: 1, next_offset: '1' },
    ]);
    expect((await summary()).claimsReceived).toBe(2);
    await expectStreamedToEqualBatchSql();
  });

  it('rolls back every effect of a batch when the transaction fails midway', async () => {
    const good = fixtureEnrichedEvent('c1', [allowedLine]);
    // An impossible date passes the fold's TypeScript but fails in Postgres, after the event ids are written.
    const poisoned = { ...fixtureEnrichedEvent('c2', [allowedLine]), occurredAt: '2008-02-30' };
    await expect(repository.foldPartitionBatch(batch(0, 0, [good, poisoned]))).rejects.toThrow();
    const [processed] = await dataSource.query('SELECT count(*)::int AS n FROM processed_event');
    const [offset] = await dataSource.query('SELECT count(*)::int AS n FROM consumer_offset');
    expect(processed.n).toBe(0);
    expect(offset.n).toBe(0);
    expect((await summary()).claimsReceived).toBe(0);
  });
});
