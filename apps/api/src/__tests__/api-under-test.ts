import { createLogger } from '@claims/observability';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadApiConfig } from '../api.config';
import { ApiModule } from '../api.module';
import { configureApiHttp } from '../api.http';

/**
 * The whole API as main.ts wires it (every module, the global guards, filter
 * and interceptor, the OpenAPI routes and the dashboard), on a free loopback
 * port, against `databaseUrl`. The broker is only named: nothing here
 * publishes unless a reference fix is accepted, and the specs send none that
 * is. `env` adds settings (a rate limit) as the process would read them.
 *
 * Small-cell suppression is off unless `env` sets API_SMALL_CELL_THRESHOLD:
 * the specs' fixtures are hand-checked handfuls of claims, every cell of
 * them small, and each spec but the small-cell one is about something else.
 */
export async function startApiUnderTest(env: {
  databaseUrl: string;
  brokers: string;
  apiTokens?: string;
  apiTokenSecret?: string;
  env?: Record<string, string>;
}): Promise<{ app: INestApplication; baseUrl: string }> {
  const config = loadApiConfig({
    DATABASE_URL: env.databaseUrl,
    KAFKA_BROKERS: env.brokers,
    ...(env.apiTokens === undefined ? {} : { API_TOKENS: env.apiTokens }),
    ...(env.apiTokenSecret === undefined ? {} : { API_TOKEN_SECRET: env.apiTokenSecret }),
    API_SMALL_CELL_THRESHOLD: '0',
    ...env.env,
  });
  const logger = createLogger({ service: config.service, level: 'silent' });
  const app = await NestFactory.create(ApiModule.forRoot(config, logger), { logger: false });
  configureApiHttp(app);
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
