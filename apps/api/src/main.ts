// First: tracing must patch http and pg before anything below loads them.
import './instrumentation';
import { configOrExit } from '@claims/config';
import { bootstrapService, createLogger } from '@claims/observability';
import { loadApiConfig } from './api.config';
import { ApiModule } from './api.module';
import { configureApiHttp } from './api.http';

const config = configOrExit(() => loadApiConfig(process.env));
const logger = createLogger({ service: config.service, level: config.logLevel });
void bootstrapService({
  module: ApiModule.forRoot(config, logger),
  logger,
  service: config.service,
  otlpEndpoint: config.otlpEndpoint,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  supervisorPid: config.supervisorPid,
  ...config.http,
  configure: configureApiHttp,
});
