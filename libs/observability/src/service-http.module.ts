import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Module,
  Optional,
  Res,
  ServiceUnavailableException,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { ReadinessGate, checkReadiness, type HealthCheck, type ReadinessReport } from './health-checks';
import { HttpRequestMetricsMiddleware } from './http-request-metrics';
import { HEALTH_CHECKS, METRICS_REGISTRY, READINESS_GATE } from './service-http.tokens';

type ReadyAnswer = Pick<ReadinessReport, 'checks'> & { status: 'ok' };

@Controller()
class ServiceHttpController implements OnModuleDestroy, OnApplicationShutdown {
  private readonly gate: ReadinessGate;

  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(HEALTH_CHECKS) private readonly healthChecks: HealthCheck[],
    // bootstrapService's gate, which it drains on SIGTERM; a test module without it gets one of its own.
    @Optional() @Inject(READINESS_GATE) gate?: ReadinessGate,
  ) {
    this.gate = gate ?? new ReadinessGate();
  }

  /**
   * The Prometheus text exposition, with the content type Prometheus parses
   * it by. Written as is: Express's `send` would rewrite the content type.
   */
  @Get('metrics')
  async metrics(@Res() response: Response): Promise<void> {
    const exposition = await this.registry.metrics();
    response.status(200).setHeader('Content-Type', this.registry.contentType);
    response.end(exposition);
  }

  /** Readiness, kept at its old path: the harness and older probes poll it for 200. */
  @Get('health')
  @HttpCode(200)
  health(): Promise<ReadyAnswer> {
    return this.ready();
  }

  /**
   * Readiness: 200 only while every dependency the service uses (broker,
   * database) answers; else 503. While the service drains it is 503 with the
   * reason, without asking the dependencies whose connections are closing.
   */
  @Get('health/ready')
  @HttpCode(200)
  async ready(): Promise<ReadyAnswer> {
    const draining = this.gate.drainingReason;
    if (draining !== null) throw new ServiceUnavailableException({ status: 'draining', reason: draining });
    const report = await checkReadiness(this.healthChecks);
    if (!report.ready) {
      throw new ServiceUnavailableException({ status: 'down', checks: report.checks, failures: report.failures });
    }
    return { status: 'ok', checks: report.checks };
  }

  /**
   * Liveness: the process runs and its event loop answers. Dependencies stay
   * out of it on purpose: restarting a service because its broker is down
   * would not bring the broker back, and the consumers ride such outages out.
   */
  @Get('health/live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The first hook of any close (Nest calls onModuleDestroy before the consumers stop): readiness goes false first. */
  onModuleDestroy(): void {
    this.gate.drain('the application is closing');
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.healthChecks.map((healthCheck) => healthCheck.close?.().catch(() => undefined)));
  }
}

/**
 * `/metrics` (Prometheus text format), `/health` and `/health/ready`
 * (readiness), `/health/live` (liveness) and HTTP request metrics, the same in
 * every service.
 */
@Module({})
export class ServiceHttpModule implements NestModule {
  static forRoot(options: { registry: Registry; healthChecks: HealthCheck[] }): DynamicModule {
    return {
      module: ServiceHttpModule,
      controllers: [ServiceHttpController],
      providers: [
        { provide: METRICS_REGISTRY, useValue: options.registry },
        { provide: HEALTH_CHECKS, useValue: options.healthChecks },
      ],
      exports: [METRICS_REGISTRY],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpRequestMetricsMiddleware).forRoutes('*');
  }
}
