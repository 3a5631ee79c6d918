// First: tracing must patch http and pg before anything below loads them.
import { tracing } from './instrumentation';
import { configOrExit } from '@claims/config';
import { CLAIM_TOPICS } from '@claims/contracts';
import { PipelineKafka } from '@claims/kafka';
import { bootstrapService, createLogger } from '@claims/observability';
import { NestFactory } from '@nestjs/core';
import { resolve } from 'node:path';
import { FileIngestionService } from './ingestion/file-ingestion.service';
import { IngestionError } from './ingestion/ingestion.errors';
import { consumerGroupsReading } from './ingestion/raw-topic-readers';
import { loadIngestorConfig, type IngestorConfig } from './ingestor.config';
import { IngestorModule } from './ingestor.module';

const USAGE = `Usage:
  main.js                           run the ingestor service (HTTP on HOST:PORT: POST /v1/ingestions,
                                    POST /v1/uploads, GET|DELETE /v1/ingestions/:ingestId; INGEST_INBOX if set)
  main.js ingest <file> [--force]   ingest one file under INGEST_ROOT and print its report as JSON; refused
                                    unless a consumer group reads the raw topic (--force publishes anyway)
  main.js --help                    print this help

For everyday use, run the whole stack with \`npm start\` and feed it with \`npm run ingest -- <file>\`.

Environment: KAFKA_BROKERS and INGEST_ROOT are required; KAFKA_TOPIC_NAMESPACE, INGEST_INBOX,
INGEST_MAX_RECORD_BYTES, INGEST_MAX_UPLOAD_BYTES, INGEST_MAX_RUNNING_JOBS, INGEST_PRODUCE_BATCH_SIZE,
INGEST_REQUEST_TIMEOUT_SECONDS, HOST, PORT and LOG_LEVEL are optional.
`;

/** sysexits(3): the command line was wrong. */
const EXIT_USAGE = 64;

/** One plain line for an operator: which file, and why; no stack, no record values. */
function ingestFailureLine(file: string, error: unknown): string {
  const reason =
    error instanceof IngestionError
      ? `${error.message} (${error.code})`
      : error instanceof Error
        ? error.message
        : String(error);
  return `ingest failed: ${file}: ${reason.replace(/\s+/g, ' ')}\n`;
}

/**
 * Publishing to a raw topic nobody reads parks the records where no KPI will
 * count them, and the command would still exit 0: the most likely cause is a
 * KAFKA_TOPIC_NAMESPACE other than the running pipeline's, or no pipeline.
 * @throws IngestionError TOPIC_UNREAD
 */
async function assertRawTopicIsRead(pipeline: PipelineKafka, namespace: string): Promise<void> {
  const topic = pipeline.topic(CLAIM_TOPICS.raw);
  if ((await consumerGroupsReading(pipeline.kafka, topic)).length > 0) return;
  throw new IngestionError(
    'TOPIC_UNREAD',
    `no consumer group reads ${topic}, so its records would count nowhere` +
      `${namespace === '' ? ' (KAFKA_TOPIC_NAMESPACE is unset)' : ''}: start the pipeline (npm start) and use ` +
      "`npm run ingest`, set KAFKA_TOPIC_NAMESPACE to the running pipeline's, or pass --force to publish anyway",
  );
}

/** The CLI door to the same use case as POST /v1/ingestions, confined to INGEST_ROOT the same way. */
async function ingestOnce(config: IngestorConfig, file: string, force: boolean): Promise<void> {
  const logger = createLogger({ service: config.service, level: config.logLevel });
  const app = await NestFactory.createApplicationContext(IngestorModule.forRoot(config, logger, 'cli'), {
    logger: false,
  });
  const interrupt = new AbortController();
  const onInterrupt = (): void => interrupt.abort(new IngestionError('INGEST_ABORTED', 'interrupted'));
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    const ingestion = app.get(FileIngestionService);
    // The file first: a path outside the root or an unknown layout is the more useful answer.
    await ingestion.checkSourceFile(resolve(file));
    if (force) {
      process.stderr.write(`ingest: --force: publishing without checking that anyone reads the raw topic\n`);
    } else await assertRawTopicIsRead(app.get(PipelineKafka), config.kafka.topicNamespace);
    const report = await ingestion.ingestFile(resolve(file), { signal: interrupt.signal });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    await app.close();
    // The command exits right after: send the file's spans first.
    await tracing.shutdown();
  }
}

function main(args: readonly string[]): void {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const force = args.includes('--force');
  const [command, file, ...extra] = args.filter((arg) => arg !== '--force');
  if (command === undefined && !force) {
    const config = configOrExit(() => loadIngestorConfig(process.env));
    const logger = createLogger({ service: config.service, level: config.logLevel });
    void bootstrapService({
      module: IngestorModule.forRoot(config, logger, 'service'),
      logger,
      service: config.service,
      otlpEndpoint: config.otlpEndpoint,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      supervisorPid: config.supervisorPid,
      ...config.http,
    });
    return;
  }
  if (command !== 'ingest' || file === undefined || extra.length > 0) {
    process.stderr.write(USAGE);
    process.exit(EXIT_USAGE);
  }
  const config = configOrExit(() => loadIngestorConfig(process.env));
  ingestOnce(config, file, force).catch((error: unknown) => {
    process.stderr.write(ingestFailureLine(file, error));
    process.exit(1);
  });
}

main(process.argv.slice(2));
