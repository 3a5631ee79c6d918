// @long-running: a private broker killed and started again; jest.sequencer.js starts it first.
import { PrivateKafkaBroker, uniqueSuffix, waitFor } from '@claims/harness';
import { Kafka, logLevel } from 'kafkajs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClaimProducer } from './claim-producer';
import { ensureTopics } from './kafka-client';
import type { OutboundMessage } from './outbound-message';

const SENDERS = 6;
const SENDS_AFTER_RECOVERY = 300;
const PARTITIONS = 3;
/** Short, so requests held by a frozen broker time out on the client while the broker still has them. */
const REQUEST_TIMEOUT_MS = 1_000;

/**
 * The stages share one producer among concurrent partition batches and file
 * jobs, and a batch whose send failed is sent again. A request the broker
 * wrote but never acknowledged (it froze, or died after the write) must not
 * lend its sequence numbers to another send: the broker would take that
 * send, if it is as large, for a retry of the first and drop it. Small sends
 * of one or two records to a few keys make that collision likely.
 */
describe('ClaimProducer through broker faults under concurrent sends', () => {
  let directory: string;
  let broker: PrivateKafkaBroker;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'producer-faults-'));
    broker = await PrivateKafkaBroker.start(join(directory, 'kafka'));
  }, 180_000);

  afterAll(async () => {
    await broker?.destroy().catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
  }, 60_000);

  const brokerPid = async (): Promise<number> =>
    (JSON.parse(await readFile(join(directory, 'kafka', 'state.json'), 'utf8')) as { pid: number }).pid;

  it('loses no record when the broker freezes past the request timeout with sends queued on it', async () => {
    const { sent, seen } = await sendThrough(broker.brokers, async () => {
      const pid = await brokerPid();
      process.kill(pid, 'SIGSTOP');
      await sleep(4 * REQUEST_TIMEOUT_MS);
      process.kill(pid, 'SIGCONT');
    });
    expect([...sent].filter((value) => !seen.has(value))).toEqual([]);
  }, 300_000);

  it('loses no record when the broker is killed and started again mid-stream', async () => {
    const { sent, seen } = await sendThrough(broker.brokers, async () => {
      await broker.kill();
      await sleep(2_000);
      await broker.startAgain();
    });
    expect([...sent].filter((value) => !seen.has(value))).toEqual([]);
  }, 300_000);
});

/**
 * Runs concurrent senders (each sending again whatever failed, as a stage
 * retries its batch), applies `fault` once sends are under way, lets every
 * sender go on for a while after it, and reads the topic back.
 */
async function sendThrough(
  brokers: string,
  fault: () => Promise<void>,
): Promise<{ sent: Set<string>; seen: Set<string> }> {
  const kafka = new Kafka({
    clientId: 'producer-faults-spec',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    requestTimeout: REQUEST_TIMEOUT_MS,
    retry: { initialRetryTime: 100, retries: 8 },
  });
  const topic = `it-${uniqueSuffix()}.claims.normalized.v1`;
  await ensureTopics(kafka, [topic], PARTITIONS);
  const producer = new ClaimProducer(kafka);
  await producer.connect();

  const sent = new Set<string>();
  let sendsStarted = 0;
  let recovered = false;
  let sendsAfterRecovery = 0;
  const sender = async (senderIndex: number): Promise<void> => {
    for (let sendIndex = 0; !recovered || sendsAfterRecovery < SENDS_AFTER_RECOVERY; sendIndex += 1) {
      if (recovered) sendsAfterRecovery += 1;
      const messages: OutboundMessage[] = Array.from({ length: 1 + (sendIndex % 2) }, (_, record) => ({
        key: `claim-${(senderIndex + sendIndex + record) % 5}`,
        value: `${senderIndex}-${sendIndex}-${record}`,
        headers: {},
      }));
      sendsStarted += 1;
      for (;;) {
        try {
          await producer.send(new Map([[topic, messages]]));
          break;
        } catch {
          await sleep(100);
        }
      }
      for (const message of messages) sent.add(message.value);
    }
  };
  const senders = Array.from({ length: SENDERS }, (_, index) => sender(index));
  await waitFor(
    'sends under way',
    async () => sendsStarted,
    (count) => count >= SENDERS * 20,
    {
      timeoutMs: 60_000,
      intervalMs: 5,
    },
  );
  await fault();
  recovered = true;
  await Promise.all(senders);
  await producer.disconnect();
  return { sent, seen: await readAll(brokers, topic, sent.size) };
}

async function readAll(brokers: string, topic: string, expected: number): Promise<Set<string>> {
  const reader = new Kafka({ clientId: 'reader', brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = reader.consumer({ groupId: `reader-${uniqueSuffix()}` });
  const seen = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value?.toString() ?? '') });
  try {
    // Settles at the count sent, or short of it when records were lost: the assertion names them.
    await waitFor(
      'the topic to be read to its end',
      async () => seen.size,
      (count) => count >= expected,
      {
        timeoutMs: 30_000,
      },
    ).catch(() => undefined);
  } finally {
    await consumer.disconnect();
  }
  return seen;
}
