import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { OutboundMessage } from './outbound-message';

/**
 * An idempotent producer: a retried send after a lost acknowledgement does
 * not duplicate records in the log. Messages are keyed by claim id, so the
 * Java-compatible murmur2 partitioner keeps one claim's events in order.
 */
export class ClaimProducer {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // An idempotent producer keeps retrying through a broker restart rather
      // than give up and leave a gap; the caller's send simply waits.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 30_000 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /**
   * Writes to several topics and resolves once every record is acknowledged
   * by all in-sync replicas. Requests are cut at {@link MAX_REQUEST_BYTES}:
   * KafkaJS puts a partition's messages in one record batch, and a batch over
   * the broker's `message.max.bytes` (1 MiB by default) is rejected as a whole.
   */
  async send(messagesByTopic: ReadonlyMap<string, OutboundMessage[]>): Promise<void> {
    for (const topicMessages of chunkByBytes(messagesByTopic, MAX_REQUEST_BYTES)) {
      await this.producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
    }
  }
}

/** Stays well under the broker's default 1 MiB batch limit, leaving room for record overhead. */
export const MAX_REQUEST_BYTES = 768 * 1024;

/**
 * The largest record a stage writes: the broker's default `message.max.bytes`
 * (1 MiB) less room for the record batch's own overhead. Anything larger is a
 * dead letter, never a refused request that would stop the stage.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024 - 16 * 1024;

/** A message's size on the wire, near enough to keep requests and records under the broker's limits. */
export function outboundMessageBytes(message: OutboundMessage): number {
  let bytes = Buffer.byteLength(message.key) + Buffer.byteLength(message.value) + 64;
  for (const [name, value] of Object.entries(message.headers)) bytes += name.length + Buffer.byteLength(value) + 8;
  return bytes;
}

/** Splits topic messages into requests of at most `maxBytes`, keeping each topic's order. */
export function chunkByBytes(
  messagesByTopic: ReadonlyMap<string, OutboundMessage[]>,
  maxBytes: number,
): Array<Array<{ topic: string; messages: OutboundMessage[] }>> {
  const requests: Array<Array<{ topic: string; messages: OutboundMessage[] }>> = [];
  let current: Array<{ topic: string; messages: OutboundMessage[] }> = [];
  let currentBytes = 0;
  for (const [topic, messages] of messagesByTopic) {
    for (const message of messages) {
      const bytes = outboundMessageBytes(message);
      if (currentBytes + bytes > maxBytes && currentBytes > 0) {
        requests.push(current);
        current = [];
        currentBytes = 0;
      }
      let entry = current[current.length - 1];
      if (entry?.topic !== topic) {
        entry = { topic, messages: [] };
        current.push(entry);
      }
      entry.messages.push(message);
      currentBytes += bytes;
    }
  }
  if (currentBytes > 0) requests.push(current);
  return requests;
}
