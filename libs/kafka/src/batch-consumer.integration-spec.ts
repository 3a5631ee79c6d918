// @runs-alone: asserts how records 25 and 50 ms apart fall into fetches and commits, which a
// neighbouring suite's load would change; scripts/test.mjs runs it on its own.
import { testInfrastructure, uniqueSuffix, waitFor } from '@claims/harness';
import { createLogger } from '@claims/observability';
import type { Kafka } from 'kafkajs';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { startBatchConsumer, type ConsumedBatch, type RunningConsumer, type YieldToEventLoop } from './batch-consumer';
import { ClaimProducer } from './claim-producer';
import { createKafka, ensureTopics } from './kafka-client';

async function committedOffset(kafka: Kafka, groupId: string, topic: string): Promise<string | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets?.partitions.find((partition) => partition.partition === 0)?.offset;
  } finally {
    await admin.disconnect();
  }
}

function messages(from: number, count: number) {
  return Array.from({ length: count }, (_, index) => ({
    key: `claim-${from + index}`,
    value: `${from + index}`,
    headers: {},
  }));
}

/** The group's committed offset of each partition of the topic, by partition. */
async function committedOffsets(kafka: Kafka, groupId: string, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((offsets?.partitions ?? []).map(({ partition, offset }) => [partition, offset]));
  } finally {
    await admin.disconnect();
  }
}

/** A promise and the function that resolves it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * A client, a producer and the consumers a describe block starts (stopped
 * after it), and fresh topics holding records, each with a group of its own.
 */
function brokerFixture(clientId: string) {
  const { brokers } = testInfrastructure();
  const logger = createLogger({ service: 'integration-spec', level: 'silent' });
  const kafka = createKafka({ brokers: brokers.split(','), clientId, logger });
  const producer = new ClaimProducer(kafka);
  const running: RunningConsumer[] = [];
  beforeAll(() => producer.connect());
  afterAll(async () => {
    await Promise.all(running.map((consumer) => consumer.stop()));
    await producer.disconnect();
  });

  /** A fresh topic of `partitions` partitions holding `count` records, spread over them by key. */
  async function topicWithRecords(
    groupName: string,
    count: number,
    partitions = 1,
  ): Promise<{ topic: string; groupId: string }> {
    const topic = `it-${uniqueSuffix()}.claims.raw.v1`;
    await ensureTopics(kafka, [topic], partitions);
    await producer.send(new Map([[topic, messages(0, count)]]));
    return { topic, groupId: `it-${uniqueSuffix()}.${groupName}` };
  }
  return { logger, kafka, producer, running, topicWithRecords };
}

describe('a batch consumer stopped gracefully against a real broker', () => {
  const { logger, kafka, producer, running, topicWithRecords } = brokerFixture('batch-consumer-spec');

  it('finishes and commits the batch in flight, starts no other, and its successor resumes after it: every record handled once', async () => {
    const { topic, groupId } = await topicWithRecords('graceful', 30);

    const handled: string[] = [];
    const inFlight = latch();
    const release = latch();
    let batchesStarted = 0;
    const first = await startBatchConsumer({
      kafka,
      groupId,
      topic,
      logger,
      handleBatch: async (batch: ConsumedBatch) => {
        batchesStarted += 1;
        inFlight.open();
        await release.promise;
        handled.push(...batch.messages.map((message) => message.value?.toString() ?? ''));
      },
    });
    running.push(first);
    await inFlight.promise;

    let stopped = false;
    const stopping = first.stop().then(() => (stopped = true));
    // Records that arrive during the drain belong to the next owner.
    await producer.send(new Map([[topic, messages(30, 20)]]));
    for (let turn = 0; turn < 20; turn += 1) await nextTurn();
    expect(stopped).toBe(false);
    release.open();
    await stopping;

    expect(batchesStarted).toBe(1);
    const handledByFirst = handled.length;
    expect(handledByFirst).toBeGreaterThan(0);
    expect(await committedOffset(kafka, groupId, topic)).toBe(String(handledByFirst));

    const second = await startBatchConsumer({
      kafka,
      groupId,
      topic,
      logger,
      handleBatch: async (batch) =>
        void handled.push(...batch.messages.map((message) => message.value?.toString() ?? '')),
    });
    running.push(second);
    await waitFor(
      'the successor to handle the rest',
      async () => handled.length,
      (n) => n >= 50,
      { timeoutMs: 60_000 },
    );
    await second.stop();
    expect(handled).toEqual(Array.from({ length: 50 }, (_, index) => String(index)));
    expect(await committedOffset(kafka, groupId, topic)).toBe('50');
  });

  // The first batch outlasts the session timeout: awaiting I/O, or in synchronous work that yields between records.
  const longFirstBatches: Array<[string, (batch: ConsumedBatch, yieldToEventLoop: YieldToEventLoop) => Promise<void>]> =
    [
      ['a batch handled for longer than the session timeout', () => sleep(9_000)],
      [
        'synchronous work longer than the session timeout, the handler yielding to the event loop between records',
        async (batch, yieldToEventLoop) => {
          // 300 ms per record, in 20 ms pieces that block the thread.
          for (let piece = 0; piece < batch.messages.length * 15; piece += 1) {
            await yieldToEventLoop();
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
          }
        },
      ],
    ];
  it.each(longFirstBatches)(
    'keeps its group membership through %s: the batch is handled once and committed',
    async (_kind, firstBatchWork) => {
      const { topic, groupId } = await topicWithRecords('long-batch', 30);

      const deliveries: string[][] = [];
      let joins = 0;
      const consumer = await startBatchConsumer({
        kafka,
        groupId,
        topic,
        logger,
        // The broker's smallest session timeout; the first batch takes longer than it.
        sessionTimeoutMs: 6_000,
        onGroupJoined: () => void (joins += 1),
        handleBatch: async (batch, yieldToEventLoop) => {
          deliveries.push(batch.messages.map((message) => message.value?.toString() ?? ''));
          if (deliveries.length === 1) await firstBatchWork(batch, yieldToEventLoop);
        },
      });
      running.push(consumer);
      await waitFor(
        'the long batch to be committed',
        () => committedOffset(kafka, groupId, topic),
        (offset) => offset === '30',
        { timeoutMs: 60_000 },
      );
      // Long enough for a dropped member to have rejoined and been given the batch again.
      await sleep(3_000);
      await consumer.stop();
      expect(deliveries.flat()).toEqual(Array.from({ length: 30 }, (_, index) => String(index)));
      expect(joins).toBe(1);
    },
    90_000,
  );

  it('gives up a batch it is retrying through transient trouble, uncommitted, so its successor gets it again', async () => {
    const { topic, groupId } = await topicWithRecords('graceful-retry', 10);

    const failing = latch();
    const first = await startBatchConsumer({
      kafka,
      groupId,
      topic,
      logger,
      backoff: { initialMs: 200, maxMs: 1_000 },
      handleBatch: async () => {
        failing.open();
        throw new Error('database unavailable');
      },
    });
    running.push(first);
    await failing.promise;
    const startedAt = Date.now();
    await first.stop();
    // Within a heartbeat slice or two, not after the retries run out.
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(await committedOffset(kafka, groupId, topic)).toBe('-1');

    const handled: string[] = [];
    const second = await startBatchConsumer({
      kafka,
      groupId,
      topic,
      logger,
      handleBatch: async (batch) =>
        void handled.push(...batch.messages.map((message) => message.value?.toString() ?? '')),
    });
    running.push(second);
    await waitFor(
      'the successor to handle the batch given up',
      async () => handled.length,
      (n) => n >= 10,
      { timeoutMs: 60_000 },
    );
    await second.stop();
    expect(handled).toEqual(Array.from({ length: 10 }, (_, index) => String(index)));
  });

  it('gives up a failing batch once the group has dropped this member (paused past its session timeout), rejoins, and handles the batch redelivered', async () => {
    const { topic, groupId } = await topicWithRecords('paused', 10);

    // The batch fetched before the pause keeps failing, as the fold's does when another member
    // folded further meanwhile (its high watermark is stale); a batch fetched after the rejoin works.
    let stale: ConsumedBatch | null = null;
    const handled: string[] = [];
    const consumer = await startBatchConsumer({
      kafka,
      groupId,
      topic,
      logger,
      sessionTimeoutMs: 6_000,
      backoff: { initialMs: 200, maxMs: 1_000 },
      handleBatch: async (batch) => {
        if (stale === null) {
          stale = batch;
          // The whole process stops as under SIGSTOP: no timer, no heartbeat, past the session timeout.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 9_000);
        }
        if (batch === stale) throw new Error('the batch was fetched before the pause');
        handled.push(...batch.messages.map((message) => message.value?.toString() ?? ''));
      },
    });
    running.push(consumer);
    await waitFor(
      'the batch redelivered after the rejoin',
      async () => handled.length,
      (n) => n >= 10,
      {
        timeoutMs: 60_000,
      },
    );
    await consumer.stop();
    expect(handled).toEqual(Array.from({ length: 10 }, (_, index) => String(index)));
    expect(await committedOffset(kafka, groupId, topic)).toBe('10');
  });
});

describe('a batch consumer gathering the partitions of a fetch, against a real broker', () => {
  const { logger, kafka, running, topicWithRecords } = brokerFixture('gathering-consumer-spec');
  const threePartitionTopic = (groupName: string, count: number) => topicWithRecords(groupName, count, 3);

  const valuesOf = (batches: readonly ConsumedBatch[]): string[] =>
    batches.flatMap((batch) => batch.messages.map((message) => message.value?.toString() ?? ''));
  const sortedNumerically = (values: string[]): string[] => [...values].sort((a, b) => Number(a) - Number(b));

  /** The calls a gathering consumer's handler got until `count` records were handled. */
  async function gatheredCalls(
    topic: string,
    groupId: string,
    count: number,
    fetchMaxBytesPerPartition?: number,
  ): Promise<ConsumedBatch[][]> {
    const calls: ConsumedBatch[][] = [];
    const consumer = await startBatchConsumer({
      kafka,
      groupId,
      topic,
      logger,
      ...(fetchMaxBytesPerPartition === undefined ? {} : { fetchMaxBytesPerPartition }),
      handleGatheredBatches: async (batches) => void calls.push([...batches]),
    });
    running.push(consumer);
    await waitFor(
      'every record to be handled',
      async () => calls.flatMap(valuesOf).length,
      (n) => n >= count,
      { timeoutMs: 60_000 },
    );
    await consumer.stop();
    return calls;
  }

  it('hands the partitions one fetch brought to the handler together, and commits every partition after it', async () => {
    const { topic, groupId } = await threePartitionTopic('gathered', 60);

    const calls = await gatheredCalls(topic, groupId, 60);

    // The records were there before the consumer joined: its first fetch brought all three partitions.
    expect(calls[0]?.map((batch) => batch.partition).sort()).toEqual([0, 1, 2]);
    expect(sortedNumerically(calls.flatMap(valuesOf))).toEqual(Array.from({ length: 60 }, (_, index) => String(index)));
    const recordsByPartition = new Map<number, number>();
    for (const batch of calls.flat()) {
      recordsByPartition.set(batch.partition, (recordsByPartition.get(batch.partition) ?? 0) + batch.messages.length);
    }
    const committed = await committedOffsets(kafka, groupId, topic);
    for (const [partition, records] of recordsByPartition) expect(committed.get(partition)).toBe(String(records));
  });

  it('hands a partition’s batch alone when it is over one partition fetch’s bytes together with the others', async () => {
    const { topic, groupId } = await threePartitionTopic('one-by-one', 30);

    // One record's bytes: no two partitions' batches fit in one group.
    const calls = await gatheredCalls(topic, groupId, 30, 1);

    expect(calls.every((batches) => batches.length === 1)).toBe(true);
    expect(sortedNumerically(calls.flatMap(valuesOf))).toEqual(Array.from({ length: 30 }, (_, index) => String(index)));
  });

  it('retries a gathered group that failed on transient trouble as a whole, and commits it once it goes through', async () => {
    const { topic, groupId } = await threePartitionTopic('gathered-retry', 30);

    let attempts = 0;
    const handled: string[] = [];
    const consumer = await startBatchConsumer({
      kafka,
      groupId,
      topic,
      logger,
      backoff: { initialMs: 100, maxMs: 500 },
      handleGatheredBatches: async (batches) => {
        attempts += 1;
        if (attempts === 1) throw new Error('broker unavailable');
        handled.push(...valuesOf(batches));
      },
    });
    running.push(consumer);
    await waitFor(
      'every record to be committed',
      async () =>
        [...(await committedOffsets(kafka, groupId, topic)).values()].reduce((sum, offset) => sum + Number(offset), 0),
      (committed) => committed >= 30,
      { timeoutMs: 60_000 },
    );
    await consumer.stop();

    expect(attempts).toBeGreaterThan(1);
    // Handled once each after the failure: the failed attempt left nothing behind, nothing was skipped.
    expect(sortedNumerically(handled)).toEqual(Array.from({ length: 30 }, (_, index) => String(index)));
  });
});

describe('a batch consumer with a gather time, against a real broker', () => {
  const { logger, kafka, producer, running, topicWithRecords } = brokerFixture('gather-time-spec');

  it('hands records sent one by one within the gather time to its handler together, each once', async () => {
    const { topic, groupId } = await topicWithRecords('gather-time', 0);
    const batches: string[][] = [];
    const consumer = await startBatchConsumer({
      kafka,
      groupId,
      topic,
      logger,
      fetchGatherMs: 500,
      handleBatch: async (batch) => void batches.push(batch.messages.map((message) => message.value?.toString() ?? '')),
    });
    running.push(consumer);

    // Six records over about 150 ms: a fetch that returned at its first record would hand them over in several batches.
    for (let record = 0; record < 6; record += 1) {
      await producer.send(new Map([[topic, messages(record, 1)]]));
      await sleep(25);
    }
    await waitFor(
      'the six records to be handled',
      async () => batches.flat().length,
      (n) => n >= 6,
      { timeoutMs: 30_000 },
    );
    await consumer.stop();

    expect(batches.flat()).toEqual(['0', '1', '2', '3', '4', '5']);
    // One 500 ms wait may end inside the sequence, splitting it once, never more.
    expect(batches.length).toBeLessThanOrEqual(2);
  });
});

describe('a batch consumer committing a steady feed, against a real broker', () => {
  const { logger, producer, running, topicWithRecords } = brokerFixture('batch-consumer-commits-spec');
  const { brokers } = testInfrastructure();

  it('commits the batches of a steady feed together, at most once per interval, and the last of them without waiting for a stop', async () => {
    const { topic, groupId } = await topicWithRecords('steady', 1);
    const requests = new Map<string, number>();
    const countingKafka = createKafka({
      brokers: brokers.split(','),
      clientId: 'batch-consumer-commits-spec',
      logger,
      onRequest: (api) => requests.set(api, (requests.get(api) ?? 0) + 1),
    });
    const handled: string[] = [];
    let batches = 0;
    const consumer = await startBatchConsumer({
      kafka: countingKafka,
      groupId,
      topic,
      logger,
      commitIntervalMs: 1_000,
      handleBatch: async (batch) => {
        batches += 1;
        handled.push(...batch.messages.map((message) => message.value?.toString() ?? ''));
      },
    });
    running.push(consumer);
    await waitFor(
      'the first record',
      async () => handled.length,
      (n) => n >= 1,
      { timeoutMs: 60_000 },
    );
    const startedAt = Date.now();
    // One record every 50 ms for 2 s: each fetch returns at its first record, so most are a batch of their own.
    for (let index = 1; index <= 40; index += 1) {
      await producer.send(new Map([[topic, messages(index, 1)]]));
      await sleep(50);
    }
    await waitFor(
      'every record',
      async () => handled.length,
      (n) => n >= 41,
      { timeoutMs: 60_000 },
    );
    // Not stopped: the last batches' offset is committed once its interval is up.
    await waitFor(
      'the last offset committed',
      () => committedOffset(countingKafka, groupId, topic),
      (offset) => offset === '41',
      {
        timeoutMs: 10_000,
      },
    );
    const seconds = (Date.now() - startedAt) / 1000;
    const commits = requests.get('OffsetCommit') ?? 0;

    expect(batches).toBeGreaterThanOrEqual(10);
    // One for the first batch, then at most one a second (and one for the stragglers).
    expect(commits).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
    expect(commits).toBeLessThan(batches);
    await consumer.stop();
    expect(handled).toEqual(Array.from({ length: 41 }, (_, index) => String(index)));
  });
});
