import 'reflect-metadata';
import { DatabaseModule, createDataSource } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import { Global, Module, type INestApplication, type Type } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { API_CONFIG } from '../../api.tokens';
import { BearerTokenGuard } from '../../auth/bearer-token.guard';
import { KpisModule } from '../kpis.module';

/** The KPI routes on a migrated database of their own, behind the bearer guard, for one integration spec. */
export interface KpisApiUnderTest {
  database: IsolatedDatabase;
  dataSource: DataSource;
  app: INestApplication;
  /** A GET with the analyst's token (or the one given, or none), answered as status and JSON body. */
  get: (path: string, token?: string | null) => Promise<{ status: number; body: Record<string, unknown> }>;
  stop: () => Promise<void>;
}

/**
 * Starts KpisModule (and any `extraModules`) over a fresh migrated database,
 * listening on a free loopback port; the analyst token is the only credential
 * it knows (`managerToken`, when given, the other). Each spec seeds the tables
 * it reads through `dataSource`. No global interceptor is bound, so the JSON
 * routes withhold no small cell; the PDF report applies the policy itself,
 * with `smallCellThreshold` (default none: the fixtures' cells are all small).
 */
export async function startKpisApiUnderTest(options: {
  label: string;
  analystToken: string;
  managerToken?: string;
  smallCellThreshold?: number;
  extraModules?: ReadonlyArray<Type<unknown>>;
}): Promise<KpisApiUnderTest> {
  const database = await createIsolatedDatabase(options.label);
  const dataSource = createDataSource({ url: database.url, applicationName: `${options.label}-integration-spec` });

  @Global()
  @Module({
    providers: [
      {
        provide: API_CONFIG,
        useValue: {
          tokens: new Map([
            [options.analystToken, 'analyst'],
            ...(options.managerToken === undefined ? [] : [[options.managerToken, 'manager'] as const]),
          ]),
          pendSlaDays: 30,
          smallCells: options.smallCellThreshold === undefined ? null : { threshold: options.smallCellThreshold },
        },
      },
    ],
    exports: [API_CONFIG],
  })
  class TestConfigModule {}

  @Module({
    imports: [
      DatabaseModule.forRoot({ dataSource, migrate: true }),
      TestConfigModule,
      KpisModule,
      ...(options.extraModules ?? []),
    ],
    providers: [{ provide: APP_GUARD, useClass: BearerTokenGuard }],
  })
  class ApiUnderTestModule {}

  const app = await NestFactory.create(ApiUnderTestModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();
  return {
    database,
    dataSource,
    app,
    get: async (path, token = options.analystToken) => {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    stop: async () => {
      await app.close();
      await database.drop();
    },
  };
}
