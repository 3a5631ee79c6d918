import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * KafkaJS stays behind this folder: the rest of the code sees plain functions,
 * so a maintained client can replace it in one place if the benchmark says so.
 */
export function createKafka(options: { brokers: string[]; clientId: string; logger: Logger }): Kafka {
  const toPino: logCreator =
    () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      if (level === logLevel.ERROR) options.logger.error({ kafka: extra }, message);
      else if (level === logLevel.WARN) options.logger.warn({ kafka: extra }, message);
      else options.logger.debug({ kafka: extra }, message);
    };
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: toPino,
    retry: { initialRetryTime: 300, retries: 8 },
  });
}

/** Creates the topics a service reads or writes, if missing; partitions follow the claim-id key. */
export async function ensureTopics(kafka: Kafka, topics: string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
  } catch (error) {
    // Two services racing to create the same topic is fine: the loser sees it exists.
    if (!(error instanceof Error && /already exists/i.test(error.message))) throw error;
  } finally {
    await admin.disconnect();
  }
}
