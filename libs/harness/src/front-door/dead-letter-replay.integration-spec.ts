import type { DeadLetter } from '@claims/contracts';
import { createHash } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { testInfrastructure, uniqueSuffix } from '../test-environment';
import { waitFor } from '../wait-for';
import { replayDeadLetters } from './dead-letter-replay';

describe('replayDeadLetters against a real broker', () => {
  const { brokers } = testInfrastructure();
  const kafka = new Kafka({
    clientId: 'dead-letter-replay-spec',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });

  it('re-publishes originals that together pass the broker limit for one partition, each with its key and headers', async () => {
    const namespace = `it-${uniqueSuffix()}`;
    const deadLetterTopic = `${namespace}.claims.dlq.v1`;
    const rawTopic = `${namespace}.claims.raw.v1`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [deadLetterTopic, rawTopic].map((topic) => ({ topic, numPartitions: 1 })),
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    // Four originals of 400 KiB each: 1.6 MiB for one partition, over the broker's 1 MiB record batch.
    const originals = [0, 1, 2, 3].map((index) => ({
      key: `claim-${index}`,
      value: Buffer.alloc(400 * 1024, String(index)),
      headers: {
        traceparent: `00-${'0'.repeat(31)}${index}-${'0'.repeat(15)}1-01`,
        'x-lineage': JSON.stringify({ fileId: 'f'.repeat(64), recordNumber: index + 1 }),
      },
    }));
    const letters = originals.map(
      (original, index): DeadLetter => ({
        schemaVersion: 1,
        stage: 'normalizer',
        errorCode: 'DATE_OUT_OF_RANGE',
        reason: 'CLM_FROM_DT is outside the plausible service dates',
        failedAt: '2026-01-01T00:00:00.000Z',
        origin: { topic: rawTopic, partition: 0, offset: String(100 + index), key: original.key },
        originalValueBase64: original.value.toString('base64'),
        originalBytes: original.value.length,
        originalSha256: createHash('sha256').update(original.value).digest('hex'),
        originalTruncated: false,
        originalHeaders: original.headers,
      }),
    );
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      // One letter a request: each fits the broker alone.
      for (const letter of letters) {
        await producer.send({ topic: deadLetterTopic, messages: [{ value: JSON.stringify(letter) }] });
      }
    } finally {
      await producer.disconnect();
    }

    const outcome = await replayDeadLetters({
      brokers,
      deadLetterTopic,
      targets: letters.map((_, index) => ({
        deadLetterId: `letter-${index}`,
        dlqPartition: 0,
        dlqOffset: String(index),
      })),
    });

    expect(outcome).toEqual({ replayedByTopic: { [rawTopic]: 4 }, notReplayed: [] });
    const consumer = kafka.consumer({ groupId: `reader-${uniqueSuffix()}` });
    const seen: Array<{ key: string | undefined; value: Buffer | null; headers: IHeaders | undefined }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: rawTopic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void seen.push({ key: message.key?.toString(), value: message.value, headers: message.headers }),
      });
      await waitFor(
        'every original to be re-published',
        async () => seen.length,
        (count) => count >= originals.length,
        { timeoutMs: 60_000 },
      );
    } finally {
      await consumer.disconnect();
    }
    expect(seen.map((message) => message.key)).toEqual(originals.map((original) => original.key));
    expect(seen.map((message) => message.value?.toString('base64'))).toEqual(
      originals.map((original) => original.value.toString('base64')),
    );
    expect(
      seen.map((message) =>
        Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
      ),
    ).toEqual(originals.map((original) => original.headers));
  });
});
