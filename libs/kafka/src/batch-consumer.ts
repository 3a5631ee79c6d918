import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';

export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  heartbeat: () => Promise<void>;
}

export interface BatchConsumerOptions {
  kafka: Kafka;
  /** One consumer group per service, set explicitly: its instances split the partitions. */
  groupId: string;
  topic: string;
  logger: Logger;
  /**
   * Handles one partition's batch and resolves once its effects are durable.
   * It must not throw for a bad record (that record goes to the dead-letter
   * topic); it throws only for transient trouble (broker or database down),
   * and then the batch is redelivered after a backoff.
   */
  handleBatch: (batch: ConsumedBatch) => Promise<void>;
  /** Called when KafkaJS gives up restarting; the process should exit so its supervisor restarts it. */
  onFatal: (error: Error) => void;
}

export interface RunningConsumer {
  stop: () => Promise<void>;
}

/**
 * At-least-once consumption with explicit commits: the offset after a batch
 * is committed only when `handleBatch` has resolved, so a crash at any point
 * redelivers rather than loses. Downstream effects are idempotent by event id.
 */
export async function startBatchConsumer(options: BatchConsumerOptions): Promise<RunningConsumer> {
  const consumer: Consumer = options.kafka.consumer({
    groupId: options.groupId,
    // A crashed instance's partitions move to a live one after this long.
    sessionTimeout: 10000,
    heartbeatInterval: 1000,
    maxBytesPerPartition: 4 * 1024 * 1024,
    retry: { initialRetryTime: 300, retries: 10 },
  });
  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart } = event.payload;
    options.logger.error({ err: error, restart }, 'consumer crashed');
    if (!restart) options.onFatal(error);
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Partitions are independent (one claim's events share one), so handling
    // them concurrently overlaps one partition's I/O with another's parsing.
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch, heartbeat, resolveOffset, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      await options.handleBatch({
        topic: batch.topic,
        partition: batch.partition,
        messages: batch.messages,
        heartbeat,
      });
      const last = batch.messages[batch.messages.length - 1];
      if (!last) return;
      resolveOffset(last.offset);
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
      ]);
    },
  });
  return { stop: () => consumer.disconnect() };
}
