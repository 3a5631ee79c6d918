import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { PinoNestLogger } from './logger';

/**
 * Starts a Nest service the same way everywhere: structured logs, graceful
 * shutdown on SIGTERM/SIGINT (consumers leave their group, pools drain), and
 * a non-zero exit if boot fails so the supervisor sees it.
 */
export async function bootstrapService(options: {
  module: DynamicModule;
  logger: Logger;
  host: string;
  port: number;
}): Promise<void> {
  const { logger } = options;
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
  try {
    const app = await NestFactory.create(options.module, { logger: new PinoNestLogger(logger), bodyParser: true });
    app.enableShutdownHooks();
    await app.listen(options.port, options.host);
    logger.info({ url: await app.getUrl() }, 'service listening');
  } catch (error) {
    logger.fatal({ err: error }, 'service failed to start');
    process.exit(1);
  }
}
