import { PipelineKafka } from '@claims/kafka';
import { LOGGER, ServiceHttpModule, createMetricsRegistry } from '@claims/observability';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { IngestorConfig } from './ingestor.config';
import { INGESTOR_CONFIG } from './ingestor.tokens';
import { IngestionModule } from './ingestion/ingestion.module';

@Global()
@Module({})
export class IngestorModule {
  static forRoot(config: IngestorConfig, logger: Logger): DynamicModule {
    return {
      module: IngestorModule,
      imports: [
        ServiceHttpModule.forRoot({ registry: createMetricsRegistry(config.service), healthChecks: [] }),
        IngestionModule,
      ],
      providers: [
        { provide: INGESTOR_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: PipelineKafka, useValue: new PipelineKafka(config.kafka, 'claims-ingestor', logger) },
      ],
      exports: [INGESTOR_CONFIG, LOGGER, PipelineKafka],
    };
  }
}
