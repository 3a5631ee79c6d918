import { DatabaseModule, createDataSource, databaseHealthCheck } from '@claims/database';
import { LOGGER, ServiceHttpModule, createMetricsRegistry } from '@claims/observability';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CsvTableInterceptor } from './exports/csv-table.interceptor';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import type { Logger } from 'pino';
import type { ApiConfig } from './api.config';
import { API_CONFIG } from './api.tokens';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BearerTokenGuard } from './auth/bearer-token.guard';
import { ClaimsModule } from './claims/claims.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { ConditionalGetInterceptor } from './http/conditional-get.interceptor';
import { KpiFreshnessRepository } from './http/kpi-freshness.repository';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { RateLimitGuard } from './http/rate-limit.guard';
import { IngestionsModule } from './ingestions/ingestions.module';
import { KpisModule } from './kpis/kpis.module';
import { PrivacyModule } from './privacy/privacy.module';
import { SmallCellInterceptor } from './privacy/small-cell.interceptor';
import { ReferenceModule } from './reference/reference.module';
import { ReportsModule } from './reports/reports.module';

@Global()
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig, logger: Logger): DynamicModule {
    const dataSource = createDataSource({ url: config.databaseUrl, applicationName: 'claims-api' });
    return {
      module: ApiModule,
      imports: [
        // The API reads what metrics writes; it migrates too so it can start first.
        DatabaseModule.forRoot({ dataSource, migrate: true }),
        ServiceHttpModule.forRoot({
          registry: createMetricsRegistry(config.service),
          healthChecks: [databaseHealthCheck(dataSource)],
        }),
        // The route table (OpenAPI, the route-table test) reads the controllers through it.
        DiscoveryModule,
        // First: its middleware gives every request its id and records the audited ones, refusals included.
        AuditModule,
        AuthModule,
        KpisModule,
        IngestionsModule,
        DeadLettersModule,
        ReferenceModule,
        ClaimsModule,
        ReportsModule,
        PrivacyModule,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        // Guards run in this order: the rate limit keys its buckets by the principal the bearer guard found.
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: ConditionalGetInterceptor },
        // Inside the conditional GET (the ETag is over what is sent), outside the small cells (withheld first).
        { provide: APP_INTERCEPTOR, useClass: CsvTableInterceptor },
        // After (inside) the conditional GET: the ETag is computed over the answer with its small cells withheld.
        { provide: APP_INTERCEPTOR, useClass: SmallCellInterceptor },
        KpiFreshnessRepository,
      ],
      exports: [API_CONFIG, LOGGER],
    };
  }
}
