import { configOrExit } from '@claims/config';
import { bootstrapService, createLogger } from '@claims/observability';
import { NestFactory } from '@nestjs/core';
import { resolve } from 'node:path';
import { FileIngestionService } from './ingestion/file-ingestion.service';
import { loadIngestorConfig } from './ingestor.config';
import { IngestorModule } from './ingestor.module';

const config = configOrExit(() => loadIngestorConfig(process.env));
const logger = createLogger({ service: config.service, level: config.logLevel });
const [command, file] = process.argv.slice(2);

/** The CLI door to the same use case as POST /v1/ingestions: `main.js ingest <file>`. */
async function ingestOnce(path: string): Promise<void> {
  const app = await NestFactory.createApplicationContext(IngestorModule.forRoot(config, logger), { logger: false });
  try {
    const report = await app.get(FileIngestionService).ingestFile(resolve(path));
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await app.close();
  }
}

if (command === 'ingest' && file) {
  ingestOnce(file).catch((error: unknown) => {
    logger.fatal({ err: error }, 'ingestion failed');
    process.exit(1);
  });
} else {
  void bootstrapService({
    module: IngestorModule.forRoot(config, logger),
    logger,
    service: config.service,
    otlpEndpoint: config.otlpEndpoint,
    ...config.http,
  });
}
