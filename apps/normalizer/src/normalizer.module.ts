import { PipelineKafka, kafkaBrokerHealthCheck } from '@claims/kafka';
import { LOGGER, ServiceHttpModule, createMetricsRegistry } from '@claims/observability';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { NormalizerConfig } from './normalizer.config';
import { NORMALIZER_CONFIG } from './normalizer.tokens';
import { RawRecordConsumer } from './normalization/raw-record.consumer';

@Module({})
export class NormalizerModule {
  static forRoot(config: NormalizerConfig, logger: Logger): DynamicModule {
    const registry = createMetricsRegistry(config.service);
    const pipeline = new PipelineKafka(config.kafka, 'claims-normalizer', logger, registry);
    return {
      module: NormalizerModule,
      imports: [
        ServiceHttpModule.forRoot({
          registry,
          healthChecks: [
            kafkaBrokerHealthCheck({ brokers: config.kafka.brokers, clientId: 'claims-normalizer', logger }),
          ],
        }),
      ],
      providers: [
        { provide: NORMALIZER_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: PipelineKafka, useValue: pipeline },
        RawRecordConsumer,
      ],
    };
  }
}
