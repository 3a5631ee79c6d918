import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module, type DynamicModule, type INestApplication, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, SHUTDOWN_SIGNALS, gracefulShutdownHandler } from './graceful-shutdown';
import { ReadinessGate } from './health-checks';
import { PinoNestLogger } from './logger';
import { watchSupervisor } from './supervisor-watch';
import { READINESS_GATE } from './service-http.tokens';
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
 * shutdown on SIGTERM/SIGINT, and a non-zero exit if boot fails so the
 * supervisor sees it.
 *
 * A shutdown runs in Nest's hook order, which the services rely on:
 * readiness turns 503 first (here, before `app.close()`); then
 * `onModuleDestroy` and `beforeApplicationShutdown`, where consumers stop
 * fetching, finish and commit the batch in flight and leave their groups
 * while the HTTP server still answers /health; then the HTTP server closes;
 * then `onApplicationShutdown`, where producers flush and disconnect, pools
 * close and tracing flushes. Exit 0 once closed, 1 past `shutdownTimeoutMs`.
 */
export async function bootstrapService(options: {
  module: DynamicModule;
  logger: Logger;
  service: string;
  otlpEndpoint: string | undefined;
  host: string;
  port: number;
  /** The bound on a graceful shutdown (SHUTDOWN_TIMEOUT_MS); past it the process exits 1. */
  shutdownTimeoutMs?: number;
  /** Routes mounted outside the controllers before listening (the API's OpenAPI document and page). */
  configure?: (app: INestApplication) => void | Promise<void>;
  /** The process that started this one (SUPERVISOR_PID): when it is gone, shut down as on SIGTERM. */
  supervisorPid?: number | undefined;
}): Promise<void> {
  const { logger } = options;
  const tracing = startTracing({ service: options.service, otlpEndpoint: options.otlpEndpoint });
  const readiness = new ReadinessGate();
  const root: DynamicModule = {
    module: ServiceRootModule,
    // Global, so the gate reaches ServiceHttpModule's controller wherever the service imports it.
    global: true,
    imports: [options.module],
    providers: [
      { provide: TracingLifecycle, useValue: new TracingLifecycle(tracing) },
      { provide: READINESS_GATE, useValue: readiness },
    ],
    exports: [READINESS_GATE],
  };
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
  try {
    // Loaded here, not at the top: this library's index is what each app's
    // instrumentation.ts imports to start tracing, and Express loads `http`,
    // which the tracing SDK must patch before anything requires it.
    const { DrainingExpressAdapter } = await import('./draining-express-adapter');
    const app = await NestFactory.create(root, new DrainingExpressAdapter(), {
      logger: new PinoNestLogger(logger),
      bodyParser: true,
    });
    // Not app.enableShutdownHooks(): Nest's handler ends by re-raising the
    // signal, so the process dies by it (never exit 0), and has no bound.
    const onSignal = gracefulShutdownHandler({
      drain: (reason) => readiness.drain(reason),
      close: () => app.close(),
      timeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
      logger,
      exit: (code) => process.exit(code),
    });
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, (received) => void onSignal(received));
    const { supervisorPid } = options;
    if (supervisorPid !== undefined) {
      watchSupervisor({
        supervisorPid,
        parentPid: () => process.ppid,
        onGone: () => {
          logger.warn({ supervisorPid }, 'the process that started this service is gone; shutting down');
          void onSignal('SIGTERM');
        },
      });
    }
    await options.configure?.(app);
    await app.listen(options.port, options.host);
    logger.info({ url: await app.getUrl() }, 'service listening');
  } catch (error) {
    logger.fatal({ err: error }, 'service failed to start');
    process.exit(1);
  }
}
