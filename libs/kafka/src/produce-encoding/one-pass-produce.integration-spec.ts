import { testInfrastructure, uniqueSuffix, waitFor } from '@claims/harness';
import { createLogger } from '@claims/observability';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { ClaimProducer } from '../claim-producer';
import { createKafka, ensureTopics } from '../kafka-client';

describe('Produce requests written in one pass, against a real broker', () => {
  const { brokers } = testInfrastructure();
  const logger = createLogger({ service: 'integration-spec', level: 'silent' });
  // createKafka puts the one-pass encoding in place; the reader below is KafkaJS as shipped.
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'one-pass-produce-spec', logger });
  const producer = new ClaimProducer(kafka);

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  it('are accepted by the broker (CRC, sequence numbers) and read back as sent: keys, UTF-8 values, headers, order', async () => {
    const topic = `it-${uniqueSuffix()}.claims.enriched.v1`;
    await ensureTopics(kafka, [topic], 2);
    const messages = Array.from({ length: 500 }, (_, index) => ({
      key: `CLM-${index % 7}-ключ`,
      value: JSON.stringify({ index, note: 'Ω≈ç√ 理赔 🔑'.repeat(index % 40) }),
      headers: { 'x-schema-version': '2', 'x-lineage': `{"recordNumber":${index}}`, empty: '' },
    }));
    // Two sends: the second batch of each partition carries a later first sequence number.
    await producer.send(new Map([[topic, messages.slice(0, 200)]]));
    await producer.send(new Map([[topic, messages.slice(200)]]));

    const reader = new Kafka({ clientId: 'reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const consumer = reader.consumer({ groupId: `reader-${uniqueSuffix()}` });
    const read: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void read.push(message) });
    try {
      await waitFor(
        'every message to be read',
        async () => read.length,
        (n) => n >= messages.length,
        {
          timeoutMs: 60_000,
        },
      );
    } finally {
      await consumer.disconnect();
    }
    const asSent = (message: KafkaMessage) => ({
      key: message.key?.toString(),
      value: message.value?.toString(),
      headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
    });
    const byRecordNumber = (message: { headers: Record<string, string> }) =>
      Number(/\d+/.exec(message.headers['x-lineage'] ?? '')?.[0]);
    expect(read.map(asSent).sort((a, b) => byRecordNumber(a) - byRecordNumber(b))).toEqual(messages);
    // Within a key (one partition) the order is the order sent.
    const numbersOfKey = (key: string) =>
      read
        .map(asSent)
        .filter((message) => message.key === key)
        .map(byRecordNumber);
    const firstKey = messages[0]!.key;
    expect(numbersOfKey(firstKey)).toEqual([...numbersOfKey(firstKey)].sort((a, b) => a - b));
  });
});
