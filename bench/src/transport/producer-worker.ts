import type { BenchLayout } from '../generator/file-catalog';
import { messageBytes, serializeRawMessages } from './raw-events';
import {
  kafkajsProducer,
  librdkafkaProducer,
  loadConfluentClient,
  type TransportClientName,
  type TransportProducer,
} from './transport-clients';

/**
 * The producing side of the raw-transport baseline, in a process of its own
 * as the ingestor is: the consumer in the parent and the producer here each
 * get their own event loop, which is how the pipeline's stages run.
 */
export interface ProducerWorkerRequest {
  type: 'produce';
  client: TransportClientName;
  brokers: string;
  topic: string;
  file: { path: string; source: string; fileId: string; layout: BenchLayout };
  records: number;
  batchSize: number;
  lingerMs: number;
}

export type ProducerWorkerReport =
  | { type: 'ready'; records: number; payloadBytes: number; serializeSeconds: number }
  | { type: 'done'; startedAtMs: number; finishedAtMs: number }
  | { type: 'failed'; message: string };

function report(message: ProducerWorkerReport): void {
  process.send?.(message);
}

function producerFor(request: ProducerWorkerRequest): TransportProducer {
  if (request.client === 'kafkajs') return kafkajsProducer(request.brokers);
  const confluent = loadConfluentClient();
  if (!confluent) throw new Error('@confluentinc/kafka-javascript is not installed');
  return librdkafkaProducer(confluent.module, request.brokers, request.lingerMs);
}

async function produce(request: ProducerWorkerRequest): Promise<void> {
  const serializeStarted = process.hrtime.bigint();
  const messages = await serializeRawMessages({ ...request.file, count: request.records });
  const serializeSeconds = Number(process.hrtime.bigint() - serializeStarted) / 1e9;
  const producer = producerFor(request);
  await producer.connect();
  const go = new Promise<void>((resolve) =>
    process.on('message', (message: { type?: string }) => message.type === 'go' && resolve()),
  );
  report({
    type: 'ready',
    records: messages.length,
    payloadBytes: messages.reduce((sum, message) => sum + messageBytes(message), 0),
    serializeSeconds,
  });
  await go;
  const startedAtMs = Date.now();
  // Sequential batches, each awaited: what the ingestor does with INGEST_PRODUCE_BATCH_SIZE.
  for (let start = 0; start < messages.length; start += request.batchSize) {
    await producer.sendBatch(request.topic, messages.slice(start, start + request.batchSize));
  }
  report({ type: 'done', startedAtMs, finishedAtMs: Date.now() });
  await producer.disconnect();
}

process.once('message', (request: ProducerWorkerRequest) => {
  produce(request)
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      report({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    });
});
