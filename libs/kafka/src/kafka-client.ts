import { Kafka, logLevel, type LogEntry, type RequestEvent, type logCreator } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { retryRetriableKafkaErrors } from './kafka-errors';
import { useOnePassProduceEncoding } from './produce-encoding/kafkajs-produce-encoding';

/**
 * KafkaJS stays behind this folder: the rest of the code sees plain functions,
 * so a maintained client can replace it in one place if the benchmark says so.
 */
export function createKafka(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** How often a failed connection or request is retried; 8 with backoff unless a caller retries on its own. */
  retries?: number;
  /**
   * Told the API name (Produce, Fetch, OffsetCommit…) of every request any
   * producer, consumer or admin client of this Kafka sends: what a service
   * asks of the broker, which at a steady rate costs more than its records.
   */
  onRequest?: (apiName: string) => void;
}): Kafka {
  // Every service produces through this client: its Produce requests are written in one pass (produce-encoding).
  useOnePassProduceEncoding();
  const toPino: logCreator =
    () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      if (level === logLevel.ERROR) options.logger.error({ kafka: extra }, message);
      else if (level === logLevel.WARN) options.logger.warn({ kafka: extra }, message);
      else options.logger.debug({ kafka: extra }, message);
    };
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: toPino,
    retry: { initialRetryTime: 300, retries: options.retries ?? 8 },
  });
  if (options.onRequest) reportRequests(kafka, options.onRequest);
  return kafka;
}

/**
 * KafkaJS reports requests on each client's instrumentation events, not on
 * the Kafka object: every client this Kafka makes is subscribed as it is made.
 */
function reportRequests(kafka: Kafka, onRequest: (apiName: string) => void): void {
  const listen = (event: RequestEvent): void => onRequest(event.payload.apiName);
  const makeProducer = kafka.producer.bind(kafka);
  const makeConsumer = kafka.consumer.bind(kafka);
  const makeAdmin = kafka.admin.bind(kafka);
  kafka.producer = (config) => {
    const producer = makeProducer(config);
    producer.on(producer.events.REQUEST, listen);
    return producer;
  };
  kafka.consumer = (config) => {
    const consumer = makeConsumer(config);
    consumer.on(consumer.events.REQUEST, listen);
    return consumer;
  };
  kafka.admin = (config) => {
    const admin = makeAdmin(config);
    admin.on(admin.events.REQUEST, listen);
    return admin;
  };
}

/**
 * Creates the topics a service reads or writes, if missing, and waits until
 * every partition has a leader; partitions follow the claim-id key. Several
 * services (and several consumers of one service) start at once and race to
 * create the same topics: losing that race is fine, so the outcome is judged
 * by what exists afterwards, not by the create call's error.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: string[],
  partitions: number,
  /** Topics keyed by entity whose latest record per key is all that matters (reference data, file reports). */
  compacted: ReadonlySet<string> = new Set(),
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((topic) => !existing.has(topic));
        if (missing.length > 0) {
          await admin
            .createTopics({
              waitForLeaders: true,
              topics: missing.map((topic) => ({
                topic,
                numPartitions: partitions,
                replicationFactor: 1,
                ...(compacted.has(topic) ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] } : {}),
              })),
            })
            .catch(() => undefined); // judged below
        }
        const metadata = await admin.fetchTopicMetadata({ topics });
        const ready = metadata.topics.every(
          (topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
        );
        if (ready && metadata.topics.length === topics.length) return;
        throw new Error(`topics not ready yet: ${topics.join(', ')}`);
      } catch (error) {
        if (attempt >= TOPIC_READY_ATTEMPTS) throw error;
        await sleep(Math.min(200 * attempt, 2_000));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

const TOPIC_READY_ATTEMPTS = 30;

/** A partition's first and end offsets (the end is the offset its next record will get). */
export interface PartitionOffsets {
  partition: number;
  low: string;
  high: string;
}

/**
 * A topic's offsets per partition, asked of the broker with a short-lived
 * admin client. Right after a topic is created, or while its leader moves,
 * the broker answers NOT_LEADER_OR_FOLLOWER or LEADER_NOT_AVAILABLE: KafkaJS
 * marks those retriable but its admin gives up on them at once, so they are
 * retried here, each time with a fresh client and so fresh metadata.
 */
export async function readTopicOffsets(
  kafka: Kafka,
  topic: string,
  backoff: { initialMs: number; maxMs: number; attempts: number } = OFFSET_READ_BACKOFF,
): Promise<PartitionOffsets[]> {
  return retryRetriableKafkaErrors(async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await admin.fetchTopicOffsets(topic);
    } finally {
      await admin.disconnect();
    }
  }, backoff);
}

const OFFSET_READ_BACKOFF = { initialMs: 200, maxMs: 2_000, attempts: 10 };

/**
 * The partition's end offset now (the offset its next record will get): for
 * the rare check that cannot trust the end a batch was fetched with.
 */
export async function partitionEndOffset(kafka: Kafka, topic: string, partition: number): Promise<string> {
  const offsets = await readTopicOffsets(kafka, topic);
  const end = offsets.find((candidate) => candidate.partition === partition)?.high;
  if (end === undefined) throw new Error(`the broker reported no partition ${partition} of ${topic}`);
  return end;
}
