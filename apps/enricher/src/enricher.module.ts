import { DatabaseModule, createDataSource, databaseHealthCheck } from '@claims/database';
import { PipelineKafka, kafkaBrokerHealthCheck } from '@claims/kafka';
import { LOGGER, ServiceHttpModule, createMetricsRegistry } from '@claims/observability';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EnricherConfig } from './enricher.config';
import { ENRICHER_CONFIG } from './enricher.tokens';
import { NormalizedClaimConsumer } from './enrichment/normalized-claim.consumer';
import { PendIndexRepository } from './pend-index/pend-index.repository';
import { EnricherGauges } from './reference/enricher-gauges';
import { EnrichmentState } from './reference/enrichment-state';
import { ReferenceStreamConsumer } from './reference/reference-stream.consumer';

@Module({})
export class EnricherModule {
  static forRoot(config: EnricherConfig, logger: Logger): DynamicModule {
    const dataSource = createDataSource({ url: config.databaseUrl, applicationName: 'claims-enricher' });
    const registry = createMetricsRegistry(config.service);
    return {
      module: EnricherModule,
      imports: [
        DatabaseModule.forRoot({ dataSource, migrate: true }),
        ServiceHttpModule.forRoot({
          registry,
          healthChecks: [
            databaseHealthCheck(dataSource),
            kafkaBrokerHealthCheck({ brokers: config.kafka.brokers, clientId: 'claims-enricher', logger }),
          ],
        }),
      ],
      providers: [
        { provide: ENRICHER_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: PipelineKafka, useValue: new PipelineKafka(config.kafka, 'claims-enricher', logger, registry) },
        EnrichmentState,
        PendIndexRepository,
        ReferenceStreamConsumer,
        NormalizedClaimConsumer,
        EnricherGauges,
      ],
    };
  }
}
