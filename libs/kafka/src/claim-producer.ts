import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { ProducedMessage } from './outbound-message';

/**
 * An idempotent producer: a retried send after a lost acknowledgement does
 * not duplicate records in the log. Messages are keyed by claim id, so the
 * Java-compatible murmur2 partitioner keeps one claim's events in order.
 *
 * Sends go one at a time, and a send that fails retires the KafkaJS producer
 * behind it. KafkaJS numbers a partition's records when it builds a request
 * and takes the numbers back when the request fails, though the broker may
 * have written it (a frozen broker, a response lost with a connection).
 * Another send built meanwhile, or the next one after the failure, would
 * carry those numbers again, and the broker drops a request that repeats
 * the numbers of one it holds as a retry of it: records lost without an
 * error. Its own retries of one request are safe (the same records again);
 * anything after a failure goes out under a new producer id, so at worst a
 * record is written twice, which every consumer recognises by event id.
 */
export class ClaimProducer {
  private producer: Producer | null = null;
  /** The send under way, if any: the next one starts after it settles. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly kafka: Kafka) {}

  connect(): Promise<void> {
    return this.serialized(async () => void (await this.connected()));
  }

  /** Waits for the send under way, then closes the connection. */
  disconnect(): Promise<void> {
    return this.serialized(async () => {
      const producer = this.producer;
      this.producer = null;
      await producer?.disconnect();
    });
  }

  /**
   * Writes to several topics and resolves once every record is acknowledged
   * by all in-sync replicas. Requests are cut at {@link MAX_REQUEST_BYTES}:
   * KafkaJS puts a partition's messages in one record batch, and a batch over
   * the broker's `message.max.bytes` (1 MiB by default) is rejected as a whole.
   * A rejection leaves the caller to send the same messages again.
   */
  send(messagesByTopic: ReadonlyMap<string, ProducedMessage[]>): Promise<void> {
    return this.serialized(async () => {
      for (const topicMessages of chunkByBytes(messagesByTopic, MAX_REQUEST_BYTES)) {
        const producer = await this.connected();
        try {
          await producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
        } catch (error) {
          // Its sequence numbers can no longer be trusted: the next send gets a new producer id.
          this.producer = null;
          await producer.disconnect().catch(() => undefined);
          throw error;
        }
      }
    });
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // An idempotent producer keeps retrying through a broker restart rather
      // than give up and leave a gap; the caller's send simply waits.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 30_000 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
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
export function outboundMessageBytes(message: ProducedMessage): number {
  let bytes = Buffer.byteLength(message.key) + Buffer.byteLength(message.value) + 64;
  for (const [name, value] of Object.entries(message.headers)) bytes += name.length + Buffer.byteLength(value) + 8;
  return bytes;
}

/**
 * The message's size when it may be over `limit`, else null. A UTF-16 code
 * unit is at most 3 UTF-8 bytes, so a message whose string lengths, tripled,
 * stay under the limit is within it without measuring: every event of the
 * pipeline, thousands of times under the limit, is checked without a byte count.
 */
export function outboundMessageBytesOver(message: ProducedMessage, limit: number): number | null {
  let codeUnits = message.key.length + message.value.length + 64;
  for (const name in message.headers) codeUnits += name.length + (message.headers[name]?.length ?? 0) + 8;
  if (codeUnits * 3 <= limit) return null;
  const bytes = outboundMessageBytes(message);
  return bytes > limit ? bytes : null;
}

/** Splits topic messages into requests of at most `maxBytes`, keeping each topic's order. */
export function chunkByBytes(
  messagesByTopic: ReadonlyMap<string, ProducedMessage[]>,
  maxBytes: number,
): Array<Array<{ topic: string; messages: ProducedMessage[] }>> {
  const requests: Array<Array<{ topic: string; messages: ProducedMessage[] }>> = [];
  let current: Array<{ topic: string; messages: ProducedMessage[] }> = [];
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
