import { deriveEventId, sha256Hex } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, fixtureEnrichedEvent, waitFor, type IsolatedDatabase } from '@claims/harness';
import {
  CLAIMS_RECEIVED_BATCH_SQL,
  DAILY_COUNTER_DIFFERENCES_SQL,
  DIMENSION_COUNTER_CELLS_AS_OF_SQL,
  DIMENSION_COUNTER_CELLS_SQL,
  STREAMED_COUNTERS_AS_OF_SQL,
  STREAMED_COUNTERS_SQL,
  combineContributions,
  contributionOfClaimLines,
  summarizeKpiCounters,
  type KpiCounterRow,
} from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { isRecordDataError } from '@claims/database';
import { runIsolatingRefusedRecords } from '@claims/kafka';
import { Registry } from 'prom-client';
import {
  ClaimFoldRepository,
  FOLD_STEPS,
  ONE_STATEMENT_MAX_MESSAGES,
  ONE_STATEMENT_WRITES,
  SourceTopicResetError,
  type FoldMessage,
  type PartitionBatch,
} from './claim-fold.repository';
import { pruneProcessedEvents } from './processed-event-retention';

const allowedLine = { indicator: 'A', category: 'allowed' as const, paymentCents: 9000, allowedCents: 11000 };
const deniedLine = { indicator: 'O', category: 'not_allowed' as const, paymentCents: 0, allowedCents: 0 };

/** A fixture event standing for record `recordNumber` of one source file, as the accounting keys it. */
const recordOfFile = (claimId: string, recordNumber: number) => {
  const event = fixtureEnrichedEvent(claimId, [allowedLine]);
  return { ...event, lineage: { ...event.lineage, recordNumber } };
};

/** A claim's record in file `fileName`, dated `occurredAt`: each file has its own id, each record its own event id. */
const claimInFile = (
  fileName: string,
  claimId: string,
  occurredAt: string,
  lines: Parameters<typeof fixtureEnrichedEvent>[1],
) => {
  const event = fixtureEnrichedEvent(claimId, lines);
  const fileId = sha256Hex(fileName);
  return {
    ...event,
    eventId: deriveEventId('spec.file-record', fileId, claimId),
    occurredAt,
    lineage: { ...event.lineage, source: fileName, fileId, recordNumber: 1 + Number(claimId.replace(/\D/g, '')) },
  };
};

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
    expect(outcome).toEqual({ folded: 2, superseded: 0, duplicates: 0, alreadyCommitted: 0 });
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
    expect(outcome).toEqual({ folded: 0, superseded: 0, duplicates: 0, alreadyCommitted: 1 });
    expect(await summary()).toEqual(before);
  });

  it('recognises a replayed record at a new offset by its event id and counts it once', async () => {
    const event = fixtureEnrichedEvent('c1', [allowedLine]);
    await repository.foldPartitionBatch(batch(0, 0, [event]));
    const outcome = await repository.foldPartitionBatch(batch(0, 1, [event, event]));
    expect(outcome).toEqual({ folded: 0, superseded: 0, duplicates: 2, alreadyCommitted: 0 });
    expect((await summary()).claimsReceived).toBe(1);
    await expectStreamedToEqualBatchSql();
  });

  it('folds the first copy of an event a batch holds twice (a producer retry) and counts the second a duplicate', async () => {
    const retried = recordOfFile('c1', 1);
    const outcome = await repository.foldPartitionBatch(batch(0, 0, [retried, recordOfFile('c2', 2), retried]));
    expect(outcome).toEqual({ folded: 2, superseded: 0, duplicates: 1, alreadyCommitted: 0 });
    expect((await summary()).claimsReceived).toBe(2);
    const history: Array<{ claim_id: string; events: string }> = await dataSource.query(
      'SELECT claim_id, count(*) AS events FROM processed_event GROUP BY claim_id ORDER BY claim_id',
    );
    expect(history).toEqual([
      { claim_id: 'c1', events: '1' },
      { claim_id: 'c2', events: '1' },
    ]);
    // The record of the retried event folded once: its row says folded, not duplicate.
    const outcomes: Array<{ record_number: number; outcome: string }> = await dataSource.query(
      'SELECT record_number, outcome FROM ingest_record ORDER BY record_number',
    );
    expect(outcomes).toEqual([
      { record_number: 1, outcome: 'folded' },
      { record_number: 2, outcome: 'folded' },
    ]);
    await expectStreamedToEqualBatchSql();
  });

  describe('versions on the claim state', () => {
    const claimStates = () =>
      dataSource.query(
        `SELECT claim_id, event_id, payment_amount_cents, line_count, to_char(version_occurred_at, 'YYYY-MM-DD') AS version_occurred_at,
                version_source_sequence, version_stage FROM claim_state ORDER BY claim_id`,
      );
    const counters = () => dataSource.query(`SELECT * FROM kpi_dimension_counter ORDER BY 1, 2, 3, 4`);

    it('keeps the later-dated state when an older version of the claim arrives after it', async () => {
      const march = claimInFile('march.csv', 'c1', '2024-03-10', [allowedLine]);
      const lateFebruary = claimInFile('february-resent.csv', 'c1', '2024-02-10', [allowedLine, deniedLine]);
      await repository.foldPartitionBatch(batch(0, 0, [march]));
      const outcome = await repository.foldPartitionBatch(batch(0, 1, [lateFebruary]));
      expect(outcome).toEqual({ folded: 0, superseded: 1, duplicates: 0, alreadyCommitted: 0 });
      expect(await claimStates()).toEqual([
        expect.objectContaining({
          claim_id: 'c1',
          event_id: march.eventId,
          line_count: 1,
          version_occurred_at: '2024-03-10',
        }),
      ]);
      expect((await summary()).linesReceived).toBe(1);
      await expectStreamedToEqualBatchSql();
    });

    it('changes nothing when a file is replayed after the window of event ids was pruned', async () => {
      const january = ['c1', 'c2', 'c3'].map((claimId) =>
        claimInFile('january.csv', claimId, '2024-01-15', [allowedLine]),
      );
      // A later file corrects c2 (same event date: the later record wins) and dates c3 later.
      const correction = claimInFile('january-corrected.csv', 'c2', '2024-01-15', [deniedLine, deniedLine]);
      const later = claimInFile('february.csv', 'c3', '2024-02-20', [allowedLine, allowedLine]);
      await repository.foldPartitionBatch(batch(0, 0, january));
      await repository.foldPartitionBatch(batch(0, 3, [correction, later]));
      const states = await claimStates();
      const before = { states, counters: await counters(), summary: await summary() };
      expect(states.map((row: { event_id: string }) => row.event_id)).toEqual([
        january[0]?.eventId,
        correction.eventId,
        later.eventId,
      ]);

      const pruned = await pruneProcessedEvents(dataSource, new Date(Date.now() + 60_000), 2);
      expect(pruned).toBe(5);
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM processed_event`)).toEqual([{ n: 0 }]);

      // The ids are forgotten, so every event is first-seen again; each version is the claim's or older.
      const replay = await repository.foldPartitionBatch(batch(0, 5, [...january, correction, later]));
      expect(replay).toEqual({ folded: 0, superseded: 5, duplicates: 0, alreadyCommitted: 0 });
      expect({ states: await claimStates(), counters: await counters(), summary: await summary() }).toEqual(before);
      await expectStreamedToEqualBatchSql();
      // Each source record is still accounted once, folded.
      expect(await dataSource.query(`SELECT outcome, count(*)::int AS n FROM ingest_record GROUP BY outcome`)).toEqual([
        { outcome: 'folded', n: 5 },
      ]);
    });

    it('prunes only the event ids older than the window', async () => {
      await repository.foldPartitionBatch(batch(0, 0, [recordOfFile('c1', 1), recordOfFile('c2', 2)]));
      await dataSource.query(
        `UPDATE processed_event SET processed_at = now() - interval '31 days' WHERE claim_id = 'c1'`,
      );
      expect(await pruneProcessedEvents(dataSource, new Date(Date.now() - 30 * 86_400_000))).toBe(1);
      expect(await dataSource.query(`SELECT claim_id FROM processed_event`)).toEqual([{ claim_id: 'c2' }]);
    });
  });

  describe('the counters at the end of a past day', () => {
    type Folded = ReturnType<typeof claimInFile>;
    const volumeAsOf = async (day: string) =>
      (await dataSource.query(DIMENSION_COUNTER_CELLS_AS_OF_SQL, ['claims', 'payer', day])).map(
        (row: Record<string, string>) => ({
          payer: row['dimension_value'],
          claims: Number(row['claims']),
          lines: Number(row['lines']),
          paid: Number(row['paid_amount_cents']),
        }),
      );
    /** The first family's counters (`kpi|dimension` → value) at the end of `day`, from the wide day rows. */
    const firstFamilyAsOf = async (day: string) =>
      Object.fromEntries(
        (await dataSource.query(STREAMED_COUNTERS_AS_OF_SQL, [day])).map((row: Record<string, string>) => [
          `${row['kpi']}|${row['dimension']}`,
          Number(row['value']),
        ]),
      );
    /**
     * The same figures computed straight from the events: each claim as the
     * latest of its versions dated on or before `day` (later date wins, then
     * later arrival), the late one excluded as the fold excludes it.
     */
    const heldAsOf = (arrivals: ReadonlyArray<{ event: Folded; accepted: boolean }>, day: string) => {
      const held = new Map<string, Folded>();
      for (const { event, accepted } of arrivals)
        if (accepted && event.occurredAt <= day) held.set(event.claimId, event);
      return [...held.values()];
    };
    const expectedAsOf = (arrivals: ReadonlyArray<{ event: Folded; accepted: boolean }>, day: string) => {
      const byPayer = new Map<string, { payer: string; claims: number; lines: number; paid: number }>();
      for (const event of heldAsOf(arrivals, day)) {
        const payer = event.claim.payer;
        const cell = byPayer.get(payer) ?? { payer, claims: 0, lines: 0, paid: 0 };
        cell.claims += 1;
        cell.lines += event.claim.lines.length;
        cell.paid += event.claim.lines.reduce((sum, line) => sum + line.paymentAmountCents, 0);
        byPayer.set(payer, cell);
      }
      return [...byPayer.values()].sort((left, right) => (left.payer < right.payer ? -1 : 1));
    };

    it('answers each day as the claims stood at its end, sums to the live counters, and a replay moves no day', async () => {
      const january = ['c1', 'c2', 'c3'].map((claimId) =>
        claimInFile('january.csv', claimId, '2024-01-15', [allowedLine]),
      );
      const [c1, c2, c3] = january;
      if (!c1 || !c2 || !c3) throw new Error('three January claims');
      const c2Corrected = claimInFile('february.csv', 'c2', '2024-02-10', [deniedLine, deniedLine]);
      const c3Later = claimInFile('march.csv', 'c3', '2024-03-05', [allowedLine, allowedLine]);
      const c1Late = claimInFile('december-resent.csv', 'c1', '2024-01-05', [allowedLine, allowedLine, allowedLine]);
      const c4 = claimInFile('february.csv', 'c4', '2024-02-01', [allowedLine]);
      await repository.foldPartitionBatch(batch(0, 0, january));
      await repository.foldPartitionBatch(batch(0, 3, [c2Corrected, c3Later, c1Late]));
      await repository.foldPartitionBatch(batch(1, 0, [c4]));
      const arrivals = [
        ...january.map((event) => ({ event, accepted: true })),
        { event: c2Corrected, accepted: true },
        { event: c3Later, accepted: true },
        { event: c1Late, accepted: false },
        { event: c4, accepted: true },
      ];

      for (const day of ['2024-01-04', '2024-01-05', '2024-01-15', '2024-02-01', '2024-02-10', '2024-03-05']) {
        expect({ day, cells: await volumeAsOf(day) }).toEqual({ day, cells: expectedAsOf(arrivals, day) });
        expect({ day, counters: await firstFamilyAsOf(day) }).toEqual({
          day,
          counters: heldAsOf(arrivals, day).reduce(
            (sum, event) => combineContributions(sum, contributionOfClaimLines(event.claim.lines)),
            {},
          ),
        });
      }
      expect(await volumeAsOf('2099-12-31')).toEqual(
        (await dataSource.query(DIMENSION_COUNTER_CELLS_SQL, ['claims', 'payer'])).map(
          (row: Record<string, string>) => ({
            payer: row['dimension_value'],
            claims: Number(row['claims']),
            lines: Number(row['lines']),
            paid: Number(row['paid_amount_cents']),
          }),
        ),
      );
      expect(await dataSource.query(DAILY_COUNTER_DIFFERENCES_SQL, [10])).toEqual([]);

      const daily = () =>
        dataSource.query(
          `SELECT * FROM kpi_dimension_counter_day ORDER BY family, dimension, dimension_value, event_day, kafka_partition`,
        );
      const dailyCounters = () => dataSource.query(`SELECT * FROM kpi_counter_day ORDER BY 1, 2, 3, 4`);
      const before = { cells: await daily(), counters: await dailyCounters() };
      await pruneProcessedEvents(dataSource, new Date(Date.now() + 60_000));
      const replay = await repository.foldPartitionBatch(
        batch(
          0,
          6,
          arrivals.map(({ event }) => event),
        ),
      );
      expect(replay.folded).toBe(0);
      expect({ cells: await daily(), counters: await dailyCounters() }).toEqual(before);
    });
  });

  it('writes a batch past ONE_STATEMENT_MAX_MESSAGES one statement at a time, to the same rows as small batches', async () => {
    const days = ['2024-01-05', '2024-02-29', '2024-03-31'];
    const events = Array.from({ length: ONE_STATEMENT_MAX_MESSAGES + 40 }, (_, index) =>
      claimInFile(
        'backlog.csv',
        `c${index}`,
        days[index % days.length] ?? '2024-01-05',
        index % 4 === 0 ? [allowedLine, deniedLine] : [allowedLine],
      ),
    );
    const corrections = events
      .slice(0, 60)
      .map((event) => claimInFile('corrections.csv', event.claimId, '2024-04-01', [deniedLine]));
    const foldedState = (source: DataSource) =>
      Promise.all(
        [
          `SELECT kpi, dimension, value::text FROM kpi_counter ORDER BY 1, 2`,
          `SELECT * FROM kpi_dimension_counter ORDER BY 1, 2, 3, 4`,
          `SELECT * FROM kpi_counter_day ORDER BY 1, 2, 3, 4`,
          `SELECT * FROM kpi_dimension_counter_day ORDER BY family, dimension, dimension_value, event_day, kafka_partition`,
          `SELECT claim_id, event_id, line_count, payment_amount_cents::text FROM claim_state ORDER BY 1`,
          `SELECT claim_id, line_number, processing_category FROM claim_line_state ORDER BY 1, 2`,
          `SELECT file_id, kind, name, count::text FROM ingest_file_quality ORDER BY 1, 2, 3`,
          `SELECT kafka_partition, event_time_watermark::text FROM kpi_watermark`,
          `SELECT next_offset::text FROM consumer_offset`,
        ].map((sql) => source.query(sql)),
      );

    const backlog = await repository.foldPartitionBatch(batch(0, 0, events));
    expect(backlog.folded).toBe(events.length);
    await repository.foldPartitionBatch(batch(0, events.length, corrections));
    await expectStreamedToEqualBatchSql();

    const smallBatches = await createIsolatedDatabase('fold-small-batches');
    const smallSource = createDataSource({ url: smallBatches.url, applicationName: 'fold-integration-spec' });
    try {
      await smallSource.initialize();
      await migrateDatabase(smallSource);
      const small = new ClaimFoldRepository(smallSource);
      const all = [...events, ...corrections];
      for (let first = 0; first < all.length; first += 25) {
        await small.foldPartitionBatch(batch(0, first, all.slice(first, first + 25)));
      }
      expect(await foldedState(dataSource)).toEqual(await foldedState(smallSource));
    } finally {
      await smallSource.destroy();
      await smallBatches.drop();
    }
  });

  it('times every step of a fold transaction into claims_fold_step_duration_seconds', async () => {
    const registry = new Registry();
    const timed = new ClaimFoldRepository(dataSource, registry);
    await timed.foldPartitionBatch(batch(0, 0, [fixtureEnrichedEvent('c1', [allowedLine])]));

    const counts = Object.fromEntries(
      [...(await registry.metrics()).matchAll(/^claims_fold_step_duration_seconds_count\{step="(\w+)"\} (\d+)$/gm)].map(
        ([, step, count]) => [step, Number(count)],
      ),
    );
    // Every step ran once: the offset is locked first and stored with the batch's other writes.
    expect(counts).toEqual(Object.fromEntries(FOLD_STEPS.map((step) => [step, 1])));
  });

  it('times a backlog batch’s writes a statement per table, and a small batch’s as one statement', async () => {
    const registry = new Registry();
    const timed = new ClaimFoldRepository(dataSource, registry);
    const backlog = Array.from({ length: ONE_STATEMENT_MAX_MESSAGES + 1 }, (_, index) =>
      fixtureEnrichedEvent(`bulk-${index}`, [allowedLine]),
    );
    await timed.foldPartitionBatch(batch(0, 0, backlog));
    await timed.foldPartitionBatch(batch(1, 0, [fixtureEnrichedEvent('small-1', [allowedLine])]));

    const counts = Object.fromEntries(
      [
        ...(await registry.metrics()).matchAll(/^claims_fold_write_duration_seconds_count\{table="(\w+)"\} (\d+)$/gm),
      ].map(([, table, count]) => [table, Number(count)]),
    );
    expect(counts).toMatchObject({
      claim_state: 1,
      claim_line_state: 1,
      kpi_counter_day: 1,
      kpi_dimension_counter_day: 1,
      consumer_offset: 1,
      [ONE_STATEMENT_WRITES]: 1,
    });
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

  it('splits a batch Postgres refuses, folds the good records and hands over only the one at fault', async () => {
    const events = [recordOfFile('c1', 1), recordOfFile('c2', 2), recordOfFile('c3', 3), recordOfFile('c4', 4)];
    // Year 0000 passes the event schema's shape but no Postgres date column takes it.
    const poisoned = { ...events[2]!, occurredAt: '0000-01-01' };
    const messages: FoldMessage[] = [events[0]!, events[1]!, poisoned, events[3]!].map((event, index) => ({
      offset: String(index),
      event,
    }));
    const refused: string[] = [];
    const fold = (part: readonly FoldMessage[]) =>
      repository.foldPartitionBatch({
        groupId: 'claims-metrics',
        topic: 'claims.enriched.v1',
        partition: 0,
        messages: part,
      });
    await runIsolatingRefusedRecords(messages, {
      run: fold,
      isRefusedData: isRecordDataError,
      offsetOnly: (message) => ({ offset: message.offset, event: null }),
      refuse: async (message) => {
        refused.push(message.event?.claimId ?? '');
        return { ...message, refusedCode: 'FOLD_REFUSED' };
      },
    });
    expect(refused).toEqual(['c3']);
    expect((await summary()).claimsReceived).toBe(3);
    await expectStreamedToEqualBatchSql();
    const outcomes: Array<{ record_number: number; outcome: string; error_code: string | null }> =
      await dataSource.query('SELECT record_number, outcome, error_code FROM ingest_record ORDER BY record_number');
    expect(outcomes).toEqual([
      { record_number: 1, outcome: 'folded', error_code: null },
      { record_number: 2, outcome: 'folded', error_code: null },
      { record_number: 3, outcome: 'dead_lettered', error_code: 'FOLD_REFUSED' },
      { record_number: 4, outcome: 'folded', error_code: null },
    ]);
    // The whole batch redelivered is recognised, the refused record included, and changes nothing.
    await expect(fold(messages)).resolves.toEqual({ folded: 0, superseded: 0, duplicates: 0, alreadyCommitted: 4 });
  });

  it('accounts each source record once: folded, then a duplicate when the same bytes come again', async () => {
    await repository.foldPartitionBatch(batch(0, 0, [recordOfFile('c1', 1)]));
    const replayedAsRecord2 = recordOfFile('c1', 2);
    await repository.foldPartitionBatch(batch(0, 1, [recordOfFile('c1', 1), replayedAsRecord2]));
    const outcomes: Array<{ record_number: number; outcome: string }> = await dataSource.query(
      'SELECT record_number, outcome FROM ingest_record ORDER BY record_number',
    );
    expect(outcomes).toEqual([
      { record_number: 1, outcome: 'folded' },
      { record_number: 2, outcome: 'duplicate' },
    ]);
  });

  it("folds at once a claim whose source record another partition's fold wrote and committed while this one waited on it", async () => {
    // Two claims of one X12 transaction set (one source record), keyed to different partitions.
    const first = recordOfFile('c1', 7);
    const second = recordOfFile('c2', 7);
    const otherFold = dataSource.createQueryRunner();
    await otherFold.connect();
    await otherFold.startTransaction();
    await otherFold.query(`INSERT INTO ingest_record (file_id, record_number, outcome) VALUES ($1, 7, 'folded')`, [
      first.lineage.fileId,
    ]);
    const folding = repository.foldPartitionBatch(batch(1, 0, [second]));
    await waitFor(
      "this fold's insert to wait on the other's row",
      async (): Promise<Array<{ waiting: number }>> =>
        dataSource.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        ),
      ([row]) => (row?.waiting ?? 0) > 0,
      { intervalMs: 20 },
    );
    await otherFold.commitTransaction();
    await otherFold.release();

    await expect(folding).resolves.toEqual({ folded: 1, superseded: 0, duplicates: 0, alreadyCommitted: 0 });
    const records: Array<{ record_number: number; outcome: string }> = await dataSource.query(
      'SELECT record_number, outcome FROM ingest_record',
    );
    expect(records).toEqual([{ record_number: 7, outcome: 'folded' }]);
  });

  it('stops, naming the loss, when a record below the stored offset was never folded (a recreated topic)', async () => {
    await repository.foldPartitionBatch(batch(0, 0, [recordOfFile('c1', 1), recordOfFile('c2', 2)]));
    // The topic was recreated: offset 0 now holds a record the fold has never seen.
    const fresh = batch(0, 0, [recordOfFile('c3', 3)]);
    await expect(repository.foldPartitionBatch(fresh)).rejects.toThrow(SourceTopicResetError);
    await expect(repository.foldPartitionBatch(fresh)).rejects.toThrow(/never folded/);
    expect((await summary()).claimsReceived).toBe(2);
  });

  it('takes a batch redelivered after its event ids were pruned for a redelivery, not a reset, and moves nothing', async () => {
    const folded = [recordOfFile('c1', 1), recordOfFile('c2', 2)];
    await repository.foldPartitionBatch(batch(0, 0, folded));
    const before = await summary();
    await pruneProcessedEvents(dataSource, new Date(Date.now() + 60_000));
    // The group's committed offset expired while the fold was stopped: the broker sends the partition from its start.
    await expect(repository.foldPartitionBatch(batch(0, 0, folded))).resolves.toEqual({
      folded: 0,
      superseded: 0,
      duplicates: 0,
      alreadyCommitted: 2,
    });
    expect(await summary()).toEqual(before);
    await expectStreamedToEqualBatchSql();
    // A record never folded below the stored offset is still a loss, pruned ids or not.
    await expect(repository.foldPartitionBatch(batch(0, 0, [recordOfFile('c3', 3)]))).rejects.toThrow(/never folded/);
  });

  it('stops when the stored offset lies beyond the end of the partition', async () => {
    await repository.foldPartitionBatch(batch(0, 0, [recordOfFile('c1', 1), recordOfFile('c2', 2)]));
    const afterReset = { ...batch(0, 0, [recordOfFile('c1', 1)]), highWatermark: '1' };
    await expect(repository.foldPartitionBatch(afterReset)).rejects.toThrow(/partition ends at offset 1/);
    const stillReset = { ...afterReset, currentEndOffset: async () => '1' };
    await expect(repository.foldPartitionBatch(stillReset)).rejects.toThrow(/partition ends at offset 1/);
  });

  it('takes a batch fetched before a pause, whose end offset another member has folded past, for a redelivery, not a reset', async () => {
    await repository.foldPartitionBatch(batch(0, 0, [recordOfFile('c1', 1), recordOfFile('c2', 2)]));
    // Fetched when the partition ended at offset 1; the broker says it ends at 2 now.
    const stale = { ...batch(0, 0, [recordOfFile('c1', 1)]), highWatermark: '1', currentEndOffset: async () => '2' };
    await expect(repository.foldPartitionBatch(stale)).resolves.toMatchObject({ folded: 0, alreadyCommitted: 1 });
    expect((await summary()).claimsReceived).toBe(2);
  });
});
