import { DatabaseModule, createDataSource, databaseHealthCheck } from '@claims/database';
import { PipelineKafka, kafkaBrokerHealthCheck } from '@claims/kafka';
import { LOGGER, ServiceHttpModule, createMetricsRegistry } from '@claims/observability';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { CarcRootCausesSeeder } from './carc-root-causes/carc-root-causes.seeder';
import { ClaimFoldRepository } from './claim-fold/claim-fold.repository';
import { EnrichedClaimConsumer } from './claim-fold/enriched-claim.consumer';
import { ProcessedEventRetention } from './claim-fold/processed-event-retention';
import { DomainGauges } from './domain-gauges/domain-gauges';
import { DomainGaugesRepository } from './domain-gauges/domain-gauges.repository';
import type { MetricsConfig } from './metrics.config';
import { MemberReferenceConsumer } from './member-reference/member-reference.consumer';
import { MemberReferenceRepository } from './member-reference/member-reference.repository';
import { RecordAccountingConsumer } from './record-accounting/record-accounting.consumer';
import { RecordAccountingRepository } from './record-accounting/record-accounting.repository';
import { METRICS_CONFIG } from './metrics.tokens';
import { ProviderAdjustmentConsumer } from './provider-adjustments/provider-adjustment.consumer';
import { ProviderAdjustmentRepository } from './provider-adjustments/provider-adjustment.repository';

@Module({})
export class MetricsModule {
  static forRoot(config: MetricsConfig, logger: Logger): DynamicModule {
    const dataSource = createDataSource({ url: config.databaseUrl, applicationName: 'claims-metrics' });
    const registry = createMetricsRegistry(config.service);
    return {
      module: MetricsModule,
      imports: [
        DatabaseModule.forRoot({ dataSource, migrate: true }),
        ServiceHttpModule.forRoot({
          registry,
          healthChecks: [
            databaseHealthCheck(dataSource),
            kafkaBrokerHealthCheck({ brokers: config.kafka.brokers, clientId: 'claims-metrics', logger }),
          ],
        }),
      ],
      providers: [
        { provide: METRICS_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: PipelineKafka, useValue: new PipelineKafka(config.kafka, 'claims-metrics', logger, registry) },
        CarcRootCausesSeeder,
        ClaimFoldRepository,
        EnrichedClaimConsumer,
        ProcessedEventRetention,
        RecordAccountingRepository,
        RecordAccountingConsumer,
        MemberReferenceRepository,
        MemberReferenceConsumer,
        ProviderAdjustmentRepository,
        ProviderAdjustmentConsumer,
        DomainGaugesRepository,
        DomainGauges,
      ],
    };
  }
}
