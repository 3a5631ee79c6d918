import {
  CLAIM_TOPICS,
  claimEventHeaders,
  namespacedTopic,
  sha256Hex,
  type ProviderAdjustmentEvent,
  type RawClaimRecord,
} from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import {
  REPO_ROOT,
  createIsolatedDatabase,
  testInfrastructure,
  uniqueSuffix,
  waitFor,
  type IsolatedDatabase,
} from '@claims/harness';
import { PipelineKafka } from '@claims/kafka';
import { createLogger } from '@claims/observability';
import { rawRecordEvent } from '@claims/source-layouts';
import {
  normalizeX12RecordEvents,
  transactionSetText,
  x12LayoutOf,
  x12RecordContextOf,
  x12TokensOf,
  x12TransactionSetsOf,
} from '@claims/x12';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { loadMetricsConfig } from '../metrics.config';
import { ProviderAdjustmentConsumer } from './provider-adjustment.consumer';
import { ProviderAdjustmentRepository } from './provider-adjustment.repository';

const options = { patientTokenKey: 'provider-adjustment-spec-key' };
const MEDICARE_PART_A = join(REPO_ROOT, 'data', 'x12', 'linuxforhealth', '835_005010X221A1', 'medicare-part-a.835');

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** The raw events the ingestor publishes for an X12 text, as from a file of that name. */
async function rawEventsOf(text: string, source: string): Promise<RawClaimRecord[]> {
  const raws: RawClaimRecord[] = [];
  for await (const item of x12TransactionSetsOf(x12TokensOf(once(text)))) {
    if (item.kind !== 'transaction') throw new Error(item.failure.error.message);
    raws.push(
      rawRecordEvent({
        layout: x12LayoutOf(item.transaction),
        record: transactionSetText(item.transaction),
        recordNumber: item.transaction.recordNumber,
        source,
        fileId: sha256Hex(text),
        publishedAt: '2026-01-01T00:00:00.000Z',
        claimId: null,
        header: JSON.stringify(x12RecordContextOf(item.transaction)),
      }),
    );
  }
  return raws;
}

async function adjustmentsOf(text: string, source: string): Promise<ProviderAdjustmentEvent[]> {
  return (await rawEventsOf(text, source)).flatMap((raw) => normalizeX12RecordEvents(raw, options).providerAdjustments);
}

/** The medicare-part-a sample's header and PLB with its claims cut out: a recoupment of PLBs alone. */
function plbOnlyText(): string {
  const text = readFileSync(MEDICARE_PART_A, 'utf8');
  const plbs = text.split(/~\s*/).filter((segment) => segment.startsWith('PLB*'));
  return (
    `${text.slice(0, text.indexOf('LX*'))}${plbs.join('~\n')}~\nSE*${10 + plbs.length}*1234~\n` +
    text.slice(text.indexOf('GE*'))
  );
}

describe('ProviderAdjustmentRepository against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: ProviderAdjustmentRepository;
  const batch = (firstOffset: number, events: ReadonlyArray<ProviderAdjustmentEvent | null>) => ({
    groupId: 'claims-metrics.provider-adjustments',
    topic: CLAIM_TOPICS.providerAdjustments,
    partition: 0,
    messages: events.map((event, index) => ({ offset: String(firstOffset + index), event })),
  });
  const stored = (): Promise<Array<{ reason_code: string; amount_cents: string }>> =>
    dataSource.query(`SELECT reason_code, amount_cents::text FROM provider_adjustment ORDER BY event_id`);
  const accounting = (): Promise<Array<{ record_number: number; outcome: string }>> =>
    dataSource.query(`SELECT record_number, outcome FROM ingest_record ORDER BY file_id, record_number`);

  beforeEach(async () => {
    database = await createIsolatedDatabase('provider_adjustments');
    dataSource = createDataSource({ url: database.url, applicationName: 'provider-adjustment-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new ProviderAdjustmentRepository(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('stores each adjustment once, however often it is redelivered or replayed', async () => {
    const events = await adjustmentsOf(plbOnlyText(), 'recoupment.835');
    expect(await repository.foldPartitionBatch(batch(0, events))).toEqual({
      folded: events.length,
      duplicates: 0,
      alreadyCommitted: 0,
    });
    const once = await stored();
    // A redelivered batch (below the stored offset) and a replayed file (new offsets) change nothing.
    expect(await repository.foldPartitionBatch(batch(0, events))).toEqual({
      folded: 0,
      duplicates: 0,
      alreadyCommitted: events.length,
    });
    expect(await repository.foldPartitionBatch(batch(events.length, [...events, ...events]))).toEqual({
      folded: 0,
      duplicates: 2 * events.length,
      alreadyCommitted: 0,
    });
    expect(await stored()).toEqual(once);
    expect(once.map((row) => Number(row.amount_cents)).sort()).toEqual(
      events.map((event) => event.adjustment.amountCents).sort(),
    );
  });

  it('accounts a PLB-only record as folded, and leaves a record with claims to the claim fold', async () => {
    const plbOnly = await adjustmentsOf(plbOnlyText(), 'recoupment.835');
    const withClaims = await adjustmentsOf(readFileSync(MEDICARE_PART_A, 'utf8'), 'medicare-part-a.835');
    await repository.foldPartitionBatch(batch(0, [...withClaims, ...plbOnly]));
    expect(await accounting()).toEqual([{ record_number: plbOnly[0]?.lineage.recordNumber, outcome: 'folded' }]);
    const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM ingest_record WHERE file_id = $1`, [
      withClaims[0]?.lineage.fileId,
    ]);
    expect(row).toEqual({ n: 0 });
  });

  it('moves a record dead-lettered X12_NO_CLAIMS by an older build to folded when its replay folds', async () => {
    const events = await adjustmentsOf(plbOnlyText(), 'recoupment.835');
    const lineage = events[0]?.lineage;
    await dataSource.query(
      `INSERT INTO ingest_record (file_id, record_number, outcome, stage, error_code)
       VALUES ($1, $2, 'dead_lettered', 'normalizer', 'X12_NO_CLAIMS')`,
      [lineage?.fileId, lineage?.recordNumber],
    );
    await repository.foldPartitionBatch(batch(0, events));
    expect(
      await dataSource.query(`SELECT outcome, stage, error_code FROM ingest_record WHERE file_id = $1`, [
        lineage?.fileId,
      ]),
    ).toEqual([{ outcome: 'folded', stage: null, error_code: null }]);
  });

  it('stores the offset past a message that was dead-lettered, without a row for it', async () => {
    const events = await adjustmentsOf(plbOnlyText(), 'recoupment.835');
    await repository.foldPartitionBatch(batch(0, [null, ...events]));
    const [offset] = await dataSource.query(
      `SELECT next_offset::int AS next FROM consumer_offset WHERE consumer_group = 'claims-metrics.provider-adjustments'`,
    );
    expect(offset).toEqual({ next: events.length + 1 });
    expect(await stored()).toHaveLength(events.length);
  });
});

describe('ProviderAdjustmentConsumer against a real broker and Postgres', () => {
  const { brokers } = testInfrastructure();
  const namespace = `it-${uniqueSuffix()}`;
  const logger = createLogger({ service: 'provider-adjustment-spec', level: 'silent' });
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let consumer: ProviderAdjustmentConsumer;
  let pipeline: PipelineKafka;

  beforeAll(async () => {
    database = await createIsolatedDatabase('provider_adjustment_consumer');
    dataSource = createDataSource({ url: database.url, applicationName: 'provider-adjustment-consumer-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    const config = loadMetricsConfig({
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_NAMESPACE: namespace,
      KAFKA_TOPIC_PARTITIONS: '2',
      DATABASE_URL: database.url,
    });
    pipeline = new PipelineKafka(config.kafka, 'provider-adjustment-spec', logger);
    consumer = new ProviderAdjustmentConsumer(
      config,
      logger,
      new Registry(),
      pipeline,
      new ProviderAdjustmentRepository(dataSource),
    );
    await consumer.onApplicationBootstrap();
  });

  afterAll(async () => {
    await consumer?.beforeApplicationShutdown();
    await pipeline?.stop();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('folds every PLB pair published, and a second publication of the same events changes nothing', async () => {
    const events = [
      ...(await adjustmentsOf(readFileSync(MEDICARE_PART_A, 'utf8'), 'medicare-part-a.835')),
      ...(await adjustmentsOf(plbOnlyText(), 'recoupment.835')),
    ];
    const messages = events.map((event) => ({
      key: event.adjustment.providerId,
      value: JSON.stringify(event),
      headers: claimEventHeaders(event, undefined),
    }));
    const topic = namespacedTopic(CLAIM_TOPICS.providerAdjustments, namespace);
    const folded = (): Promise<Array<{ reason_code: string; n: number; cents: number }>> =>
      dataSource.query(
        `SELECT reason_code, count(*)::int AS n, sum(amount_cents)::int AS cents
           FROM provider_adjustment GROUP BY reason_code ORDER BY reason_code`,
      );
    const expected = [...new Set(events.map((event) => event.adjustment.reasonCode))].sort().map((reason) => {
      const ofReason = events.filter((event) => event.adjustment.reasonCode === reason);
      return {
        reason_code: reason,
        n: ofReason.length,
        cents: ofReason.reduce((sum, event) => sum + event.adjustment.amountCents, 0),
      };
    });

    await pipeline.producer.send(new Map([[topic, messages]]));
    await waitFor('the adjustments to fold', folded, (rows) => JSON.stringify(rows) === JSON.stringify(expected));

    await pipeline.producer.send(new Map([[topic, messages]]));
    const duplicatesSeen = async () => {
      const [row] = await dataSource.query(
        `SELECT coalesce(sum(next_offset), 0)::int AS consumed FROM consumer_offset WHERE topic = $1`,
        [topic],
      );
      return (row as { consumed: number }).consumed;
    };
    await waitFor(
      'the second publication to be consumed',
      duplicatesSeen,
      (consumed) => consumed === 2 * events.length,
    );
    expect(await folded()).toEqual(expected);
    expect(await dataSource.query(`SELECT outcome, count(*)::int AS n FROM ingest_record GROUP BY outcome`)).toEqual([
      { outcome: 'folded', n: 1 },
    ]);
  });
});
