import { testInfrastructure, uniqueSuffix, waitFor } from '@claims/harness';
import { createLogger } from '@claims/observability';
import { Kafka, logLevel } from 'kafkajs';
import { ClaimProducer, MAX_REQUEST_BYTES } from './claim-producer';
import { createKafka, ensureTopics } from './kafka-client';

describe('ClaimProducer against a real broker', () => {
  const { brokers } = testInfrastructure();
  const logger = createLogger({ service: 'integration-spec', level: 'silent' });
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'claim-producer-spec', logger });
  const producer = new ClaimProducer(kafka);

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  it('delivers a batch several times larger than the broker limit, in key order per partition', async () => {
    const topic = `it-${uniqueSuffix()}.claims.normalized.v1`;
    await ensureTopics(kafka, [topic], 1);
    const value = 'x'.repeat(3000);
    const count = Math.ceil((3 * 1024 * 1024) / value.length);
    const messages = Array.from({ length: count }, (_, index) => ({
      key: `claim-${index}`,
      value,
      headers: { n: String(index) },
    }));
    expect(count * value.length).toBeGreaterThan(3 * MAX_REQUEST_BYTES);

    await producer.send(new Map([[topic, messages]]));

    const reader = new Kafka({ clientId: 'reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const consumer = reader.consumer({ groupId: `reader-${uniqueSuffix()}` });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void seen.push(message.headers?.['n']?.toString() ?? ''),
    });
    try {
      await waitFor(
        'every message to be consumed',
        async () => seen.length,
        (n) => n >= count,
        { timeoutMs: 60_000 },
      );
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(messages.map((message) => message.headers.n));
  });
});
