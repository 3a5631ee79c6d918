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
    return { notReplayable: 'the letter holds only the first bytes of the original: ingest its source file again' };
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
      await producer.send({
        topic,
        messages: messages.map((message) => ({ key: message.key, value: message.value, headers: message.headers })),
      });
      outcome.replayedByTopic[topic] = messages.length;
    }
  } finally {
    await producer.disconnect();
  }
  return outcome;
}
