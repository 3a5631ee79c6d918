import { ClaimProducer, createKafka, type OutboundMessage } from '@claims/kafka';
import { createLogger } from '@claims/observability';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { REPO_ROOT } from '@claims/harness';

export type TransportClientName = 'kafkajs' | 'librdkafka';

export interface TransportProducer {
  connect(): Promise<void>;
  /** Resolves once every message of the batch is acknowledged by the in-sync replicas. */
  sendBatch(topic: string, messages: OutboundMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface TransportConsumer {
  /** Subscribes from the beginning and resolves once the group has assigned it partitions. */
  start(onBatch: (records: number, bytes: number) => void): Promise<void>;
  stop(): Promise<void>;
}

/** Where `npm run bench -- --with-librdkafka` installs the optional client: never the product's node_modules. */
export const BENCH_CLIENTS_DIRECTORY = join(REPO_ROOT, '.cache', 'bench-clients');
const CONFLUENT_PACKAGE = join(BENCH_CLIENTS_DIRECTORY, 'node_modules', '@confluentinc', 'kafka-javascript');
export const LIBRDKAFKA_INSTALL_HINT = 'npm run bench -- --with-librdkafka';

// --- KafkaJS: the product's own producer and the product's consumer settings -------------

/**
 * The product's ClaimProducer (idempotent, acks=all, murmur2, no compression) on the product's client: the
 * ingestor's exact settings, its Produce requests written in one pass as every stage's are (createKafka).
 */
export function kafkajsProducer(brokers: string): TransportProducer {
  const producer = new ClaimProducer(
    createKafka({
      clientId: 'claims-bench-producer',
      brokers: brokers.split(','),
      logger: createLogger({ service: 'bench-producer', level: 'silent' }),
    }),
  );
  return {
    connect: () => producer.connect(),
    sendBatch: (topic, messages) => producer.send(new Map([[topic, messages]])),
    disconnect: () => producer.disconnect(),
  };
}

/**
 * A consumer with the settings of the product's startBatchConsumer (eachBatch,
 * one partition at a time, explicit commit after each batch, 4 MiB per
 * partition), doing nothing with the records but counting them. It is
 * written out here because startBatchConsumer does not expose its group-join
 * event, and the clock must not start before the consumer is assigned.
 */
export function kafkajsConsumer(brokers: string, topic: string, groupId: string): TransportConsumer {
  const kafka = new Kafka({
    clientId: 'claims-bench-consumer',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: 30000,
    heartbeatInterval: 3000,
    maxBytesPerPartition: 4 * 1024 * 1024,
    retry: { initialRetryTime: 300, retries: 10 },
  });
  return {
    start: async (onBatch) => {
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, resolveOffset }) => {
          let bytes = 0;
          for (const message of batch.messages) bytes += (message.value?.length ?? 0) + (message.key?.length ?? 0);
          onBatch(batch.messages.length, bytes);
          const last = batch.messages[batch.messages.length - 1];
          if (!last) return;
          resolveOffset(last.offset);
          await consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
          ]);
        },
      });
      await joined;
    },
    stop: () => consumer.disconnect(),
  };
}

// --- librdkafka through @confluentinc/kafka-javascript's KafkaJS-compatible API ----------

interface ConfluentMessage {
  key: Buffer | null;
  value: Buffer | null;
}
interface ConfluentProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: {
    topic: string;
    messages: Array<{ key: string; value: string; headers: Record<string, string> }>;
  }): Promise<unknown>;
}
interface ConfluentConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(handlers: { eachBatch: (payload: { batch: { messages: ConfluentMessage[] } }) => Promise<void> }): Promise<void>;
  assignment(): Array<{ topic: string; partitions: number[] }>;
}
interface ConfluentKafka {
  producer(config: Record<string, unknown>): ConfluentProducer;
  consumer(config: Record<string, unknown>): ConfluentConsumer;
}
export interface ConfluentModule {
  librdkafkaVersion: string;
  KafkaJS: { Kafka: new (config: Record<string, unknown>) => ConfluentKafka; logLevel: { NOTHING: number } };
}

export function librdkafkaInstalled(): boolean {
  return existsSync(join(CONFLUENT_PACKAGE, 'package.json'));
}

/** Loads the optional client from .cache/bench-clients; null when it is not installed (or does not load). */
export function loadConfluentClient(): { module: ConfluentModule; packageVersion: string } | null {
  if (!librdkafkaInstalled()) return null;
  try {
    // A runtime path outside the product's node_modules: it is deliberately not a dependency.
    const loaded: unknown = require(CONFLUENT_PACKAGE);
    const manifest: unknown = require(join(CONFLUENT_PACKAGE, 'package.json'));
    const module = loaded as ConfluentModule;
    if (typeof module.KafkaJS?.Kafka !== 'function') return null;
    return { module, packageVersion: String((manifest as { version?: unknown }).version ?? 'unknown') };
  } catch {
    return null;
  }
}

function confluentKafka(module: ConfluentModule, brokers: string, clientId: string): ConfluentKafka {
  return new module.KafkaJS.Kafka({
    kafkaJS: { clientId, brokers: brokers.split(','), logLevel: module.KafkaJS.logLevel.NOTHING },
  });
}

/**
 * The same guarantees as the product's producer (idempotent, acks=all, no
 * compression, Java-compatible murmur2 on the key). librdkafka batches in the
 * background for `linger.ms` (default 5 ms) before a request goes out: a
 * sequential await-each-send loop pays that wait on every send, so the
 * benchmark sends the same 1,000-record batches the ingestor sends and
 * reports the linger it used.
 */
export function librdkafkaProducer(module: ConfluentModule, brokers: string, lingerMs: number): TransportProducer {
  const producer = confluentKafka(module, brokers, 'claims-bench-producer').producer({
    kafkaJS: { idempotent: true, acks: -1, compression: 'none' },
    'linger.ms': lingerMs,
  });
  return {
    connect: () => producer.connect(),
    sendBatch: async (topic, messages) => {
      // send() converts its messages in place; give it copies so the caller's stay intact.
      await producer.send({
        topic,
        messages: messages.map((message) => ({ ...message, headers: { ...message.headers } })),
      });
    },
    disconnect: () => producer.disconnect(),
  };
}

export function librdkafkaConsumer(
  module: ConfluentModule,
  brokers: string,
  topic: string,
  groupId: string,
): TransportConsumer {
  const consumer = confluentKafka(module, brokers, 'claims-bench-consumer').consumer({
    kafkaJS: { groupId, fromBeginning: true },
    // As the KafkaJS consumer is set: a call of eachBatch takes what the fetches brought (the compatible
    // API's default is 32 messages, which made the comparison one of batch sizes), up to 4 MiB a
    // partition (librdkafka's default is 1 MiB).
    'js.consumer.max.batch.size': -1,
    'max.partition.fetch.bytes': 4 * 1024 * 1024,
  });
  return {
    start: async (onBatch) => {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      void consumer.run({
        eachBatch: async ({ batch }) => {
          let bytes = 0;
          for (const message of batch.messages) bytes += (message.value?.length ?? 0) + (message.key?.length ?? 0);
          onBatch(batch.messages.length, bytes);
        },
      });
      const deadline = Date.now() + 60_000;
      while (consumer.assignment().length === 0) {
        if (Date.now() > deadline) throw new Error('the librdkafka consumer was not assigned partitions within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: () => consumer.disconnect(),
  };
}
