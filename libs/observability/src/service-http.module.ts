import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Module,
  ServiceUnavailableException,
  type DynamicModule,
} from '@nestjs/common';
import type { Registry } from 'prom-client';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

/** A named readiness check; it throws (or rejects) when its dependency is not usable. */
export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

@Controller()
class ServiceHttpController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(HEALTH_CHECKS) private readonly healthChecks: HealthCheck[],
  ) {}

  @Get('metrics')
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }

  @Get('health')
  @HttpCode(200)
  async health(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    const checks: Record<string, 'up'> = {};
    const failures: Record<string, string> = {};
    await Promise.all(
      this.healthChecks.map(async ({ name, check }) => {
        try {
          await check();
          checks[name] = 'up';
        } catch (error) {
          failures[name] = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    if (Object.keys(failures).length > 0) {
      throw new ServiceUnavailableException({ status: 'down', checks, failures });
    }
    return { status: 'ok', checks };
  }
}

/** `/metrics` (Prometheus text format) and `/health` (readiness), the same in every service. */
@Module({})
export class ServiceHttpModule {
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
}
