import {
  CLAIM_TOPICS,
  DeadLetterSchema,
  claimEventHeaders,
  namespacedTopic,
  type DeadLetter,
  type EnrichedClaimEvent,
} from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import {
  createIsolatedDatabase,
  fixtureEnrichedEvent,
  testInfrastructure,
  uniqueSuffix,
  waitFor,
  type IsolatedDatabase,
} from '@claims/harness';
import { PipelineKafka } from '@claims/kafka';
import { createLogger } from '@claims/observability';
import type { Consumer } from 'kafkajs';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { loadMetricsConfig } from '../metrics.config';
import { ClaimFoldRepository } from './claim-fold.repository';
import { EnrichedClaimConsumer } from './enriched-claim.consumer';

const allowedLine = { indicator: 'A', category: 'allowed' as const, paymentCents: 9000, allowedCents: 11000 };

/**
 * claims.enriched.v1 is decoded on trust (its envelope only): the consumer
 * on a real broker and Postgres, fed events broken above and below the
 * envelope between good ones, all keyed to one partition so they share batches.
 */
describe('EnrichedClaimConsumer on a trusted topic, against a real broker and Postgres', () => {
  const { brokers } = testInfrastructure();
  const namespace = `it-${uniqueSuffix()}`;
  const logger = createLogger({ service: 'enriched-claim-consumer-spec', level: 'silent' });
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let pipeline: PipelineKafka;
  let consumer: EnrichedClaimConsumer;
  let deadLetterReader: Consumer;
  const deadLetters: DeadLetter[] = [];

  beforeAll(async () => {
    database = await createIsolatedDatabase('enriched_claim_consumer');
    dataSource = createDataSource({ url: database.url, applicationName: 'enriched-claim-consumer-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    const config = loadMetricsConfig({
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_NAMESPACE: namespace,
      KAFKA_TOPIC_PARTITIONS: '1',
      DATABASE_URL: database.url,
    });
    pipeline = new PipelineKafka(config.kafka, 'enriched-claim-consumer-spec', logger);
    consumer = new EnrichedClaimConsumer(config, logger, new Registry(), pipeline, new ClaimFoldRepository(dataSource));
    await consumer.onApplicationBootstrap();
    deadLetterReader = pipeline.kafka.consumer({ groupId: `${namespace}.dead-letter-reader` });
    await deadLetterReader.connect();
    await deadLetterReader.subscribe({
      topic: namespacedTopic(CLAIM_TOPICS.deadLetter, namespace),
      fromBeginning: true,
    });
    await deadLetterReader.run({
      eachMessage: async ({ message }) => {
        deadLetters.push(DeadLetterSchema.parse(JSON.parse(message.value?.toString() ?? 'null')));
      },
    });
  });

  afterAll(async () => {
    await deadLetterReader?.disconnect();
    await consumer?.beforeApplicationShutdown();
    await pipeline?.stop();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('dead-letters an event broken below its envelope with the full schema reason, and folds the good events around it', async () => {
    const good = ['T1', 'T2', 'T3', 'T4'].map((claimId, index) =>
      fixtureEnrichedEvent(claimId, [allowedLine], index + 1),
    );
    const base = fixtureEnrichedEvent('T-BROKEN', [allowedLine], 5);
    // Passes the envelope check (ids, dates, lineage), breaks the fold: its lines are not an array.
    const brokenDeep = { ...base, claim: { ...base.claim, lines: { lineNumber: 1 } } } as unknown as EnrichedClaimEvent;
    const { eventId: _eventId, ...withoutEventId } = fixtureEnrichedEvent('T-NO-ID', [allowedLine], 6);
    const message = (event: object, claimId: string) => ({
      key: claimId,
      value: JSON.stringify(event),
      headers: claimEventHeaders(good[0] as EnrichedClaimEvent, undefined),
    });
    const [first, second, third, fourth] = good as [EnrichedClaimEvent, ...EnrichedClaimEvent[]];
    await pipeline.producer.send(
      new Map([
        [
          namespacedTopic(CLAIM_TOPICS.enriched, namespace),
          [
            message(first, 'T1'),
            message(second as EnrichedClaimEvent, 'T2'),
            message(brokenDeep, 'T-BROKEN'),
            message(third as EnrichedClaimEvent, 'T3'),
            message(withoutEventId, 'T-NO-ID'),
            message(fourth as EnrichedClaimEvent, 'T4'),
          ],
        ],
      ]),
    );

    const consumed = async (): Promise<number> => {
      const [row] = await dataSource.query(`SELECT coalesce(sum(next_offset), 0)::int AS next FROM consumer_offset`);
      return (row as { next: number }).next;
    };
    await waitFor('the six records to be consumed', consumed, (next) => next === 6);
    await waitFor(
      'the two dead letters',
      async () => deadLetters.length,
      (count) => count >= 2,
    );

    const folded: Array<{ claim_id: string }> = await dataSource.query(
      `SELECT claim_id FROM claim_state ORDER BY claim_id`,
    );
    expect(folded.map((row) => row.claim_id)).toEqual(['T1', 'T2', 'T3', 'T4']);
    expect(
      deadLetters.map((deadLetter) => ({
        key: deadLetter.origin?.key,
        errorCode: deadLetter.errorCode,
        reason: deadLetter.reason,
        stage: deadLetter.stage,
      })),
    ).toEqual(
      expect.arrayContaining([
        { key: 'T-NO-ID', errorCode: 'ENVELOPE_INVALID', reason: 'invalid envelope fields: eventId', stage: 'metrics' },
        { key: 'T-BROKEN', errorCode: 'SCHEMA_INVALID', reason: 'invalid fields: claim.lines', stage: 'metrics' },
      ]),
    );
    expect(deadLetters).toHaveLength(2);
  });
});
