import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module, type DynamicModule, type INestApplication, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { PinoNestLogger } from './logger';
import { startTracing, type Tracing } from './tracing';

class TracingLifecycle implements OnApplicationShutdown {
  constructor(private readonly tracing: Tracing) {}

  /** Flushes the spans still buffered before the process exits. */
  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}

@Module({})
class ServiceRootModule {}

/**
 * Starts a Nest service the same way everywhere: structured logs, graceful
 * shutdown on SIGTERM/SIGINT (consumers leave their group, pools drain), and
 * a non-zero exit if boot fails so the supervisor sees it.
 */
export async function bootstrapService(options: {
  module: DynamicModule;
  logger: Logger;
  service: string;
  otlpEndpoint: string | undefined;
  host: string;
  port: number;
  /** Routes mounted outside the controllers before listening (the API's OpenAPI document and page). */
  configure?: (app: INestApplication) => void | Promise<void>;
}): Promise<void> {
  const { logger } = options;
  const tracing = startTracing({ service: options.service, otlpEndpoint: options.otlpEndpoint });
  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [options.module],
    providers: [{ provide: TracingLifecycle, useValue: new TracingLifecycle(tracing) }],
  };
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
  try {
    const app = await NestFactory.create(root, { logger: new PinoNestLogger(logger), bodyParser: true });
    app.enableShutdownHooks();
    await options.configure?.(app);
    await app.listen(options.port, options.host);
    logger.info({ url: await app.getUrl() }, 'service listening');
  } catch (error) {
    logger.fatal({ err: error }, 'service failed to start');
    process.exit(1);
  }
}
