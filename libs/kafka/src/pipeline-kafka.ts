import type { KafkaSettings } from '@claims/config';
import { CLAIM_TOPICS, namespacedTopic, type ClaimTopic } from '@claims/contracts';
import { kafkaRequestsCounter } from '@claims/observability';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ClaimProducer } from './claim-producer';
import { createKafka, ensureTopics } from './kafka-client';

/**
 * Topics keyed by an entity where only the latest record per key matters:
 * compaction keeps them bounded however long the pipeline runs.
 */
const COMPACTED_TOPICS: ReadonlySet<ClaimTopic> = new Set([
  CLAIM_TOPICS.referenceMembers,
  CLAIM_TOPICS.referenceProviders,
  CLAIM_TOPICS.referenceProviderGroups,
  CLAIM_TOPICS.referenceLocations,
  CLAIM_TOPICS.ingestReports,
]);

/** A service's connection to the pipeline: the client, one producer, and its namespaced topic names. */
export class PipelineKafka {
  readonly kafka: Kafka;
  readonly producer: ClaimProducer;

  constructor(
    private readonly settings: KafkaSettings,
    clientId: string,
    logger: Logger,
    /** The service's metrics, to count its requests to the broker in (claims_kafka_requests_total). */
    registry?: Registry | null,
  ) {
    const requests = registry ? kafkaRequestsCounter(registry) : null;
    this.kafka = createKafka({
      brokers: settings.brokers,
      clientId,
      logger,
      ...(requests ? { onRequest: (api: string) => requests.inc({ api }) } : {}),
    });
    this.producer = new ClaimProducer(this.kafka);
  }

  /** What each of the service's consumers takes from a partition per fetch (KAFKA_FETCH_MAX_BYTES_PER_PARTITION). */
  get fetchMaxBytesPerPartition(): number {
    return this.settings.fetchMaxBytesPerPartition;
  }

  topic(name: ClaimTopic): string {
    return namespacedTopic(name, this.settings.topicNamespace);
  }

  private connected: Promise<void> | null = null;

  /**
   * Creates the topics if missing and connects the producer once: a service
   * with several consumers calls it from each of them.
   */
  async start(topics: readonly ClaimTopic[]): Promise<void> {
    await ensureTopics(
      this.kafka,
      topics.map((name) => this.topic(name)),
      this.settings.topicPartitions,
      new Set(topics.filter((name) => COMPACTED_TOPICS.has(name)).map((name) => this.topic(name))),
    );
    this.connected ??= this.producer.connect();
    await this.connected;
  }

  async stop(): Promise<void> {
    if (this.connected === null) return;
    this.connected = null;
    await this.producer.disconnect();
  }
}
