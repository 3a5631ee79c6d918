import { DeadLetterSchema, decodeEvent, type DeadLetter } from '@claims/contracts';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

/** A dead letter to re-publish, and where it sits on the dead-letter topic. */
export interface ReplayTarget {
  deadLetterId: string;
  dlqPartition: number;
  dlqOffset: string;
}

/** The message that re-publishes a dead letter's original: its topic, key, bytes and headers, as first sent. */
export interface OriginalMessage {
  topic: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * What re-publishes a dead letter's original message, exactly as it was
 * consumed: to the topic it came from, under its key, with its bytes and its
 * headers. Exactly-once holds because nothing about the message is new: its
 * event id is the one it always had, so a record that folds now is folded
 * once, and one that fails again is dead-lettered again.
 * Answers why not when the original cannot be replayed from the letter.
 */
export function originalMessageOf(deadLetter: DeadLetter): OriginalMessage | { notReplayable: string } {
  if (deadLetter.origin === null) {
    return { notReplayable: 'the ingestor refused the record before publishing it: ingest its source file again' };
  }
  if (deadLetter.originalTruncated) {
    return {
      notReplayable:
        'the letter does not hold the original exactly (only its first bytes, or a key or header it could not carry as sent): ingest its source file again',
    };
  }
  return {
    topic: deadLetter.origin.topic,
    key: deadLetter.origin.key,
    value: Buffer.from(deadLetter.originalValueBase64, 'base64'),
    headers: deadLetter.originalHeaders,
  };
}

export interface ReplayOutcome {
  /** Originals re-published, by topic. */
  replayedByTopic: Record<string, number>;
  /** Dead letters that were not re-published, and why. */
  notReplayed: Array<{ deadLetterId: string; why: string }>;
}

const READ_BACK_DEADLINE_MILLISECONDS = 60_000;

/**
 * The most original bytes one send carries: KafkaJS puts a partition's
 * messages of one send in one record batch, and the broker refuses a batch
 * over its `message.max.bytes` (1 MiB by default) whole. The pipeline's own
 * producer cuts its requests at the same size (libs/kafka, MAX_REQUEST_BYTES).
 */
export const MAX_REPLAY_SEND_BYTES = 768 * 1024;

/** A message's size on the wire, near enough to keep a send under the broker's limit. */
function wireBytes(message: OriginalMessage): number {
  let bytes = (message.key === null ? 0 : Buffer.byteLength(message.key)) + message.value.length + 64;
  for (const [name, value] of Object.entries(message.headers)) bytes += name.length + Buffer.byteLength(value) + 8;
  return bytes;
}

/** One topic's messages as sends of at most `maxBytes` each (a larger message alone), in order. */
export function replaySends(
  messages: readonly OriginalMessage[],
  maxBytes = MAX_REPLAY_SEND_BYTES,
): OriginalMessage[][] {
  const sends: OriginalMessage[][] = [];
  let current: OriginalMessage[] = [];
  let currentBytes = 0;
  for (const message of messages) {
    const bytes = wireBytes(message);
    if (current.length > 0 && currentBytes + bytes > maxBytes) {
      sends.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(message);
    currentBytes += bytes;
  }
  if (current.length > 0) sends.push(current);
  return sends;
}

/**
 * Reads the targets back from the dead-letter topic (seeking to each
 * partition's first wanted offset, with a consumer group of its own that is
 * deleted afterwards) until every one is found or the deadline passes.
 */
async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  targets: readonly ReplayTarget[],
): Promise<Map<string, DeadLetter | string>> {
  const wanted = new Map<string, ReplayTarget>(
    targets.map((target) => [`${target.dlqPartition}:${target.dlqOffset}`, target]),
  );
  const found = new Map<string, DeadLetter | string>();
  const groupId = `claims-dlq-replay-${randomBytes(4).toString('hex')}`;
  const consumer: Consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: false });
    let settle: () => void = () => undefined;
    const complete = new Promise<void>((resolve) => (settle = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const target = wanted.get(`${partition}:${message.offset}`);
        if (target === undefined || found.has(target.deadLetterId)) return;
        const decoded = decodeEvent(DeadLetterSchema, message.value);
        found.set(
          target.deadLetterId,
          decoded.ok ? decoded.event : `the letter on the topic does not decode (${decoded.code})`,
        );
        if (found.size === wanted.size) settle();
      },
    });
    const firstByPartition = new Map<number, bigint>();
    for (const target of targets) {
      const offset = BigInt(target.dlqOffset);
      const first = firstByPartition.get(target.dlqPartition);
      if (first === undefined || offset < first) firstByPartition.set(target.dlqPartition, offset);
    }
    for (const [partition, offset] of firstByPartition) consumer.seek({ topic, partition, offset: offset.toString() });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      complete,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, READ_BACK_DEADLINE_MILLISECONDS))),
    ]);
    clearTimeout(timer);
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return found;
}

/**
 * Re-publishes the originals of the targets: read back from the dead-letter
 * topic, then sent by an idempotent producer to the topics they came from.
 */
export async function replayDeadLetters(options: {
  brokers: string;
  deadLetterTopic: string;
  targets: readonly ReplayTarget[];
}): Promise<ReplayOutcome> {
  const kafka = new Kafka({
    clientId: 'claims-dlq-replay',
    brokers: options.brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const letters = await readDeadLetters(kafka, options.deadLetterTopic, options.targets);
  const outcome: ReplayOutcome = { replayedByTopic: {}, notReplayed: [] };
  const byTopic = new Map<string, OriginalMessage[]>();
  for (const target of options.targets) {
    const letter = letters.get(target.deadLetterId);
    if (letter === undefined) {
      outcome.notReplayed.push({
        deadLetterId: target.deadLetterId,
        why: 'not found on the dead-letter topic (removed by retention?)',
      });
      continue;
    }
    if (typeof letter === 'string') {
      outcome.notReplayed.push({ deadLetterId: target.deadLetterId, why: letter });
      continue;
    }
    const original = originalMessageOf(letter);
    if ('notReplayable' in original) {
      outcome.notReplayed.push({ deadLetterId: target.deadLetterId, why: original.notReplayable });
      continue;
    }
    byTopic.set(original.topic, [...(byTopic.get(original.topic) ?? []), original]);
  }
  if (byTopic.size === 0) return outcome;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const [topic, messages] of byTopic) {
      for (const send of replaySends(messages)) {
        await producer.send({
          topic,
          messages: send.map((message) => ({ key: message.key, value: message.value, headers: message.headers })),
        });
        outcome.replayedByTopic[topic] = (outcome.replayedByTopic[topic] ?? 0) + send.length;
      }
    }
  } finally {
    await producer.disconnect();
  }
  return outcome;
}
