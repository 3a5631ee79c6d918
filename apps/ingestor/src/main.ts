import { configOrExit } from '@claims/config';
import { bootstrapService, createLogger } from '@claims/observability';
import { NestFactory } from '@nestjs/core';
import { resolve } from 'node:path';
import { FileIngestionService } from './ingestion/file-ingestion.service';
import { IngestionError } from './ingestion/ingestion.errors';
import { loadIngestorConfig, type IngestorConfig } from './ingestor.config';
import { IngestorModule } from './ingestor.module';

const USAGE = `Usage:
  main.js                 run the ingestor service (POST /v1/ingestions on HOST:PORT)
  main.js ingest <file>   ingest one file under INGEST_ROOT and print its report as JSON
  main.js --help          print this help

Environment: KAFKA_BROKERS and INGEST_ROOT are required; KAFKA_TOPIC_NAMESPACE,
INGEST_MAX_RECORD_BYTES, INGEST_PRODUCE_BATCH_SIZE, INGEST_REQUEST_TIMEOUT_SECONDS,
HOST, PORT and LOG_LEVEL are optional.
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

/** The CLI door to the same use case as POST /v1/ingestions, confined to INGEST_ROOT the same way. */
async function ingestOnce(config: IngestorConfig, file: string): Promise<void> {
  const logger = createLogger({ service: config.service, level: config.logLevel });
  const app = await NestFactory.createApplicationContext(IngestorModule.forRoot(config, logger), { logger: false });
  const interrupt = new AbortController();
  const onInterrupt = (): void => interrupt.abort(new IngestionError('INGEST_ABORTED', 'interrupted'));
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    const report = await app.get(FileIngestionService).ingestFile(resolve(file), { signal: interrupt.signal });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    await app.close();
  }
}

function main(args: readonly string[]): void {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const [command, file, ...extra] = args;
  if (command === undefined) {
    const config = configOrExit(() => loadIngestorConfig(process.env));
    const logger = createLogger({ service: config.service, level: config.logLevel });
    void bootstrapService({
      module: IngestorModule.forRoot(config, logger),
      logger,
      service: config.service,
      otlpEndpoint: config.otlpEndpoint,
      ...config.http,
    });
    return;
  }
  if (command !== 'ingest' || file === undefined || extra.length > 0) {
    process.stderr.write(USAGE);
    process.exit(EXIT_USAGE);
  }
  const config = configOrExit(() => loadIngestorConfig(process.env));
  ingestOnce(config, file).catch((error: unknown) => {
    process.stderr.write(ingestFailureLine(file, error));
    process.exit(1);
  });
}

main(process.argv.slice(2));
