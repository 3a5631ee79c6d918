import { PipelineKafka, kafkaBrokerHealthCheck } from '@claims/kafka';
import { LOGGER, METRICS_REGISTRY, ServiceHttpModule, createMetricsRegistry } from '@claims/observability';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { IngestorConfig } from './ingestor.config';
import { INGESTOR_CONFIG } from './ingestor.tokens';
import { InboxModule } from './inbox/inbox.module';
import { IngestJobsModule } from './ingest-jobs/ingest-jobs.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { UploadsModule } from './uploads/uploads.module';

/**
 * `service`: the HTTP, upload and inbox doors around the use case; `cli`:
 * the use case alone, for `main.js ingest`, which must not start watching
 * an inbox or taking jobs.
 */
export type IngestorDoors = 'service' | 'cli';

@Global()
@Module({})
export class IngestorModule {
  static forRoot(config: IngestorConfig, logger: Logger, doors: IngestorDoors = 'service'): DynamicModule {
    // One registry: /metrics serves it and the ingestion counts into it (the CLI door has neither).
    const registry = doors === 'service' ? createMetricsRegistry(config.service) : null;
    return {
      module: IngestorModule,
      imports:
        doors === 'service'
          ? [
              ServiceHttpModule.forRoot({
                registry: registry ?? createMetricsRegistry(config.service),
                // Ready only while the broker answers: every door ends in a produce.
                healthChecks: [
                  kafkaBrokerHealthCheck({ brokers: config.kafka.brokers, clientId: 'claims-ingestor', logger }),
                ],
              }),
              IngestionModule,
              IngestJobsModule,
              UploadsModule,
              InboxModule,
            ]
          : [IngestionModule],
      providers: [
        { provide: INGESTOR_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: PipelineKafka, useValue: new PipelineKafka(config.kafka, 'claims-ingestor', logger, registry) },
        ...(registry ? [{ provide: METRICS_REGISTRY, useValue: registry }] : []),
      ],
      exports: [INGESTOR_CONFIG, LOGGER, PipelineKafka, ...(registry ? [METRICS_REGISTRY] : [])],
    };
  }
}
