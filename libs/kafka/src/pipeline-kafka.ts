import type { KafkaSettings } from '@claims/config';
import { namespacedTopic, type ClaimTopic } from '@claims/contracts';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ClaimProducer } from './claim-producer';
import { createKafka, ensureTopics } from './kafka-client';

/** A service's connection to the pipeline: the client, one producer, and its namespaced topic names. */
export class PipelineKafka {
  readonly kafka: Kafka;
  readonly producer: ClaimProducer;

  constructor(
    private readonly settings: KafkaSettings,
    clientId: string,
    logger: Logger,
  ) {
    this.kafka = createKafka({ brokers: settings.brokers, clientId, logger });
    this.producer = new ClaimProducer(this.kafka);
  }

  topic(name: ClaimTopic): string {
    return namespacedTopic(name, this.settings.topicNamespace);
  }

  /** Creates the service's topics if missing and connects the producer. */
  async start(topics: readonly ClaimTopic[]): Promise<void> {
    await ensureTopics(
      this.kafka,
      topics.map((name) => this.topic(name)),
      this.settings.topicPartitions,
    );
    await this.producer.connect();
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}
