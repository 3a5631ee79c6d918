import { testInfrastructure, uniqueSuffix } from '@claims/harness';
import { createLogger } from '@claims/observability';
import { createKafka, readTopicOffsets } from './kafka-client';

describe('readTopicOffsets against a real broker', () => {
  const { brokers } = testInfrastructure();
  const logger = createLogger({ service: 'integration-spec', level: 'silent' });
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'offsets-spec', logger });

  it('reads every partition of topics asked for the moment they are created, before their leaders settle', async () => {
    const topics = Array.from({ length: 4 }, (_, index) => `it-${uniqueSuffix()}.fresh-${index}`);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Not waiting for leaders: the read below races the broker electing them. Read with KafkaJS's
      // admin alone, most such reads fail with NOT_LEADER_FOR_PARTITION (28 of 40 when this was written).
      await admin.createTopics({
        waitForLeaders: false,
        topics: topics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
      });
    } finally {
      await admin.disconnect();
    }
    const offsets = await Promise.all(topics.map((topic) => readTopicOffsets(kafka, topic)));
    for (const topicOffsets of offsets) {
      expect(
        topicOffsets
          .map(({ partition, low, high }) => ({ partition, low, high }))
          .sort((a, b) => a.partition - b.partition),
      ).toEqual([
        { partition: 0, low: '0', high: '0' },
        { partition: 1, low: '0', high: '0' },
        { partition: 2, low: '0', high: '0' },
      ]);
    }
  });

  it('gives the caller an error that no retry can mend at once', async () => {
    await expect(readTopicOffsets(kafka, '')).rejects.toThrow(/Invalid topic/);
  });
});

describe('createKafka reporting its requests against a real broker', () => {
  const { brokers } = testInfrastructure();
  const logger = createLogger({ service: 'integration-spec', level: 'silent' });

  it('tells onRequest the API of every request its admin, producer and consumer send', async () => {
    const requests = new Map<string, number>();
    const kafka = createKafka({
      brokers: brokers.split(','),
      clientId: 'requests-spec',
      logger,
      onRequest: (api) => requests.set(api, (requests.get(api) ?? 0) + 1),
    });
    const topic = `it-${uniqueSuffix()}.requests`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    expect(requests.get('CreateTopics')).toBe(1);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }] });
    await producer.send({ topic, messages: [{ value: 'two' }] });
    await producer.disconnect();
    expect(requests.get('Produce')).toBe(2);

    const consumer = kafka.consumer({ groupId: `requests-spec-${uniqueSuffix()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            received.push(String(message.value));
            if (received.length === 2) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(received).toEqual(['one', 'two']);
    expect(requests.get('Fetch')).toBeGreaterThanOrEqual(1);
    expect(requests.get('JoinGroup')).toBeGreaterThanOrEqual(1);
    expect(requests.get('OffsetCommit')).toBeGreaterThanOrEqual(1);
  });
});
