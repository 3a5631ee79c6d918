// First: tracing must patch http and pg before anything below loads them.
import './instrumentation';
import { configOrExit } from '@claims/config';
import { bootstrapService, createLogger } from '@claims/observability';
import { loadEnricherConfig } from './enricher.config';
import { EnricherModule } from './enricher.module';

const config = configOrExit(() => loadEnricherConfig(process.env));
const logger = createLogger({ service: config.service, level: config.logLevel });
void bootstrapService({
  module: EnricherModule.forRoot(config, logger),
  logger,
  service: config.service,
  otlpEndpoint: config.otlpEndpoint,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  supervisorPid: config.supervisorPid,
  ...config.http,
});
