import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { progress, type BenchContext } from '../bench-context';
import type { GeneratedFile } from '@claims/claims-generator';
import type { BenchLayout } from '../generator/file-catalog';
import { findBrokerPid } from '../measure/pipeline-sampler';
import { cpuSeconds, readProcessCpu } from '../measure/process-stats';
import type { ProducerWorkerReport, ProducerWorkerRequest } from '../transport/producer-worker';
import {
  LIBRDKAFKA_INSTALL_HINT,
  kafkajsConsumer,
  librdkafkaConsumer,
  loadConfluentClient,
  type TransportClientName,
  type TransportConsumer,
} from '../transport/transport-clients';

/** The ingestor's default INGEST_PRODUCE_BATCH_SIZE: the baseline sends what the product sends. */
const PRODUCE_BATCH_SIZE = 1_000;
/** Records of an unmeasured hop before the measured ones: enough for the broker's JIT to settle. */
const RAW_HOP_WARM_UP_RECORDS = 200_000;
/** librdkafka's own default, kept: the batches are already whole, so lingering costs one wait per batch. */
const LIBRDKAFKA_LINGER_MS = 5;

export interface RawTransportResult {
  client: TransportClientName;
  layout: string;
  status: 'measured' | 'skipped';
  note?: string;
  records?: number;
  /** Key + value + header bytes per record, before Kafka's framing. */
  bytesPerRecord?: number;
  /** First send to last record consumed, producer and consumer running at once: the one-hop rate. */
  oneHopRecordsPerSecond?: number;
  oneHopMegabytesPerSecond?: number;
  /** First send to last acknowledgement. */
  produceRecordsPerSecond?: number;
  producerCpuSecondsPer1000?: number;
  consumerCpuSecondsPer1000?: number;
  /** The broker's CPU from the first send to the last record consumed; null when it runs elsewhere. */
  brokerCpuSecondsPer1000?: number | null;
  settings?: string;
}

function waitForReport<T extends ProducerWorkerReport['type']>(
  worker: ChildProcess,
  type: T,
): Promise<Extract<ProducerWorkerReport, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ProducerWorkerReport): void => {
      if (message.type === type) {
        worker.off('message', onMessage);
        resolve(message as Extract<ProducerWorkerReport, { type: T }>);
      } else if (message.type === 'failed') reject(new Error(`producer worker: ${message.message}`));
    };
    worker.on('message', onMessage);
    worker.once('exit', (code) => reject(new Error(`producer worker exited with ${code} before "${type}"`)));
  });
}

async function untilConsumed(target: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!target()) {
    if (Date.now() > deadline) throw new Error('the consumer did not receive every record in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function measureOneHop(
  context: BenchContext,
  client: TransportClientName,
  file: GeneratedFile<BenchLayout>,
  records: number,
  topicSuffix: string = client,
): Promise<RawTransportResult> {
  const topic = `${context.namespace('transport')}.raw.${file.layout}.${topicSuffix}`;
  await context.topics.createTopic(topic, context.options.topicPartitions);
  context.cleanup.push(`delete topic ${topic}`, () => context.topics.deleteTopics([topic]));

  const confluent = client === 'librdkafka' ? loadConfluentClient() : null;
  const groupId = `claims-bench-transport-${context.runId}-${file.layout}-${client}`;
  const consumer: TransportConsumer = confluent
    ? librdkafkaConsumer(confluent.module, context.brokers, topic, groupId)
    : kafkajsConsumer(context.brokers, topic, groupId);
  let consumed = 0;
  let lastConsumedAtMs = 0;
  await consumer.start((count) => {
    consumed += count;
    lastConsumedAtMs = Date.now();
  });
  context.cleanup.push(`stop the ${client} consumer`, () => consumer.stop());

  const worker = fork(join(__dirname, '..', 'transport', 'producer-worker.js'), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  context.cleanup.push('stop the producer worker', async () => {
    if (worker.exitCode === null && worker.signalCode === null) {
      worker.kill('SIGKILL');
      await once(worker, 'exit');
    }
  });
  const request: ProducerWorkerRequest = {
    type: 'produce',
    client,
    brokers: context.brokers,
    topic,
    file: { path: file.path, source: file.name, fileId: file.sha256, layout: file.layout },
    records,
    batchSize: PRODUCE_BATCH_SIZE,
    lingerMs: LIBRDKAFKA_LINGER_MS,
  };
  worker.send(request);
  const ready = await waitForReport(worker, 'ready');
  const workerPid = worker.pid ?? 0;
  const brokerPid = findBrokerPid();
  const brokerCpu = (): number => (brokerPid === null ? 0 : cpuSeconds(readProcessCpu(brokerPid)));
  const producerCpuBefore = cpuSeconds(readProcessCpu(workerPid));
  const consumerCpuBefore = process.cpuUsage();
  const brokerCpuBefore = brokerCpu();
  const done = waitForReport(worker, 'done');
  worker.send({ type: 'go' });
  const finished = await done;
  const producerCpu = cpuSeconds(readProcessCpu(workerPid)) - producerCpuBefore;
  await untilConsumed(() => consumed >= ready.records, 120_000);
  const consumerCpuUsage = process.cpuUsage(consumerCpuBefore);
  const hopBrokerCpu = brokerCpu() - brokerCpuBefore;

  const oneHopSeconds = (lastConsumedAtMs - finished.startedAtMs) / 1000;
  const produceSeconds = (finished.finishedAtMs - finished.startedAtMs) / 1000;
  return {
    client,
    layout: file.layout,
    status: 'measured',
    records: ready.records,
    bytesPerRecord: Math.round(ready.payloadBytes / ready.records),
    oneHopRecordsPerSecond: ready.records / oneHopSeconds,
    oneHopMegabytesPerSecond: ready.payloadBytes / 1e6 / oneHopSeconds,
    produceRecordsPerSecond: ready.records / produceSeconds,
    producerCpuSecondsPer1000: (producerCpu / ready.records) * 1000,
    consumerCpuSecondsPer1000: ((consumerCpuUsage.user + consumerCpuUsage.system) / 1e6 / ready.records) * 1000,
    brokerCpuSecondsPer1000: brokerPid === null ? null : (hopBrokerCpu / ready.records) * 1000,
    settings:
      client === 'kafkajs'
        ? `product ClaimProducer, sequential sendBatch of ${PRODUCE_BATCH_SIZE}, acks=all, idempotent; eachBatch consumer with commit per batch`
        : `sequential send of ${PRODUCE_BATCH_SIZE}, acks=all, idempotent, linger.ms=${LIBRDKAFKA_LINGER_MS}; eachBatch consumer (unbounded batches, 4 MiB a partition), auto-commit`,
  };
}

/**
 * (1) and (7): the same serialized raw events, produced and consumed through
 * the same broker, one hop, no processing; KafkaJS always, librdkafka when
 * installed. Serialization happens before the clock starts.
 */
export async function runRawTransportPhase(
  context: BenchContext,
  files: ReadonlyArray<GeneratedFile<BenchLayout>>,
): Promise<RawTransportResult[]> {
  const results: RawTransportResult[] = [];
  const librdkafkaAvailable = loadConfluentClient() !== null;
  const warmUpFile = files[0];
  if (warmUpFile) {
    // The broker's CPU is in the hop: a broker started for this run serves its first hops at two to three times
    // a warm one's cost per record (JIT), which would price the hops above what the later phases pay.
    await context.phase('raw transport warm-up', () =>
      measureOneHop(context, 'kafkajs', warmUpFile, Math.min(RAW_HOP_WARM_UP_RECORDS, warmUpFile.records), 'warm-up'),
    );
  }
  for (const client of ['kafkajs', 'librdkafka'] as const) {
    for (const file of files) {
      if (client === 'librdkafka' && !librdkafkaAvailable) {
        results.push({
          client,
          layout: file.layout,
          status: 'skipped',
          note: `not installed: run ${LIBRDKAFKA_INSTALL_HINT}`,
        });
        continue;
      }
      const records = Math.min(context.options.transportRecords, file.records);
      const result = await context.phase(`raw transport ${client} ${file.layout}`, () =>
        measureOneHop(context, client, file, records),
      );
      progress(
        `raw transport ${client} ${file.layout}: ${Math.round(result.oneHopRecordsPerSecond ?? 0)} records/s one hop, ` +
          `${(result.oneHopMegabytesPerSecond ?? 0).toFixed(1)} MB/s`,
      );
      results.push(result);
    }
  }
  return results;
}
