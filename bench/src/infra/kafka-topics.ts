import { CLAIM_TOPICS, namespacedTopic } from '@claims/contracts';
import { Kafka, logLevel, type Admin } from 'kafkajs';

/** Every bench topic namespace starts with this, so leftovers of an interrupted run can be deleted. */
export const BENCH_NAMESPACE_PREFIX = 'bench-';

export function createAdminKafka(brokers: string, clientId = 'claims-bench'): Kafka {
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

export function pipelineTopics(namespace: string): string[] {
  return Object.values(CLAIM_TOPICS).map((topic) => namespacedTopic(topic, namespace));
}

/**
 * Topic administration with a short-lived admin connection per call: a
 * KafkaJS admin remembers every topic it has seen and refreshes their
 * metadata on later calls, which fails once one of them has been deleted.
 */
export class TopicAdmin {
  constructor(private readonly brokers: string) {}

  private async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = createAdminKafka(this.brokers, 'claims-bench-admin').admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  }

  createTopic(topic: string, partitions: number): Promise<void> {
    return this.withAdmin(async (admin) => {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      });
    });
  }

  deleteTopics(topics: readonly string[]): Promise<void> {
    return this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const present = topics.filter((topic) => existing.has(topic));
      if (present.length > 0) await admin.deleteTopics({ topics: present, timeout: 30_000 });
    });
  }

  deleteTopicsWithPrefix(prefix: string): Promise<string[]> {
    return this.withAdmin(async (admin) => {
      const leftovers = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
      if (leftovers.length > 0) await admin.deleteTopics({ topics: leftovers, timeout: 30_000 });
      return leftovers;
    });
  }
}

/** One admin connection for as long as a sampler reads end offsets (twice a second must not reconnect each time). */
export class TopicOffsetReader {
  private constructor(private readonly admin: Admin) {}

  static async connect(brokers: string): Promise<TopicOffsetReader> {
    const admin = createAdminKafka(brokers, 'claims-bench-offsets').admin();
    await admin.connect();
    return new TopicOffsetReader(admin);
  }

  async disconnect(): Promise<void> {
    await this.admin.disconnect();
  }

  /** Sum of end offsets: how many records the topic ever received (0 when it does not exist yet). */
  async recordCount(topic: string): Promise<number> {
    try {
      const offsets = await this.admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    } catch {
      return 0;
    }
  }
}
