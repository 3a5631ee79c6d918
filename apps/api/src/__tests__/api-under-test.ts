import { createLogger } from '@claims/observability';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadApiConfig } from '../api.config';
import { ApiModule } from '../api.module';
import { serveOpenApi } from '../openapi/openapi';

/**
 * The whole API as main.ts wires it (every module, the global guard, the
 * OpenAPI routes), on a free loopback port, against `databaseUrl`. The
 * broker is only named: nothing here publishes unless a reference fix is
 * accepted, and the specs send none that is.
 */
export async function startApiUnderTest(env: {
  databaseUrl: string;
  brokers: string;
  apiTokens?: string;
  apiTokenSecret?: string;
}): Promise<{ app: INestApplication; baseUrl: string }> {
  const config = loadApiConfig({
    DATABASE_URL: env.databaseUrl,
    KAFKA_BROKERS: env.brokers,
    ...(env.apiTokens === undefined ? {} : { API_TOKENS: env.apiTokens }),
    ...(env.apiTokenSecret === undefined ? {} : { API_TOKEN_SECRET: env.apiTokenSecret }),
  });
  const logger = createLogger({ service: config.service, level: 'silent' });
  const app = await NestFactory.create(ApiModule.forRoot(config, logger), { logger: false });
  serveOpenApi(app);
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
