import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  UnauthorizedException,
  type CanActivate,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { Registry } from 'prom-client';
import type { HealthCheck } from './health-checks';
import { ServiceHttpModule } from './service-http.module';

@Controller('v1/things')
class ThingsController {
  @Get(':thingId')
  thing(@Param('thingId') thingId: string): { thingId: string } {
    return { thingId };
  }

  @Get()
  list(): string[] {
    throw new Error('the repository is gone');
  }
}

/** Refuses /v1/things/secret before any handler runs, as the API's bearer-token guard does. */
@Injectable()
class RefuseSecretGuard implements CanActivate {
  canActivate(context: Parameters<CanActivate['canActivate']>[0]): boolean {
    const request = context.switchToHttp().getRequest<{ path: string }>();
    if (request.path === '/v1/things/secret') throw new UnauthorizedException();
    return true;
  }
}

function serviceWith(registry: Registry, healthChecks: HealthCheck[]) {
  @Module({
    imports: [ServiceHttpModule.forRoot({ registry, healthChecks })],
    controllers: [ThingsController],
    providers: [{ provide: APP_GUARD, useClass: RefuseSecretGuard }],
  })
  class ServiceUnderTestModule {}
  return ServiceUnderTestModule;
}

describe('ServiceHttpModule', () => {
  let app: INestApplication;
  let baseUrl: string;
  let registry: Registry;
  let brokerUp: boolean;

  beforeAll(async () => {
    registry = new Registry();
    const brokerCheck: HealthCheck = {
      name: 'kafka',
      check: async () => {
        if (!brokerUp) throw new Error('connect ECONNREFUSED 127.0.0.1:9');
      },
    };
    app = await NestFactory.create(serviceWith(registry, [brokerCheck]), { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  beforeEach(() => {
    brokerUp = true;
  });

  afterAll(() => app?.close());

  it('answers /metrics with the Prometheus text exposition content type', async () => {
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(registry.contentType);
    expect(registry.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('reports ready on /health and /health/ready while every dependency answers', async () => {
    for (const path of ['/health', '/health/ready']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', checks: { kafka: 'up' } });
    }
  });

  it('answers 503 naming the failing dependency on readiness, and stays live, while the broker is down', async () => {
    brokerUp = false;
    const ready = await fetch(`${baseUrl}/health`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'down',
      checks: { kafka: 'down' },
      failures: { kafka: 'connect ECONNREFUSED 127.0.0.1:9' },
    });
    const live = await fetch(`${baseUrl}/health/live`);
    expect(live.status).toBe(200);
  });

  it('counts requests by route template and status, including those a guard refused and those no route matched', async () => {
    await fetch(`${baseUrl}/v1/things/4711`);
    await fetch(`${baseUrl}/v1/things/4712`);
    await fetch(`${baseUrl}/v1/things/secret`);
    await fetch(`${baseUrl}/v1/things`);
    await fetch(`${baseUrl}/no/such/route`);

    const exposition = await (await fetch(`${baseUrl}/metrics`)).text();
    const count = (labels: string): number | undefined => {
      const line = exposition
        .split('\n')
        .find((candidate) => candidate.startsWith(`claims_http_request_duration_seconds_count{${labels}}`));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    };
    expect(count('method="GET",route="/v1/things/:thingId",status_code="200"')).toBe(2);
    expect(count('method="GET",route="/v1/things/:thingId",status_code="401"')).toBe(1);
    expect(count('method="GET",route="/v1/things",status_code="500"')).toBe(1);
    expect(count('method="GET",route="unmatched",status_code="404"')).toBe(1);
    expect(exposition).not.toContain('4711');
  });

  it('leaves probes and scrapes out of the request metrics', async () => {
    await fetch(`${baseUrl}/health/live`);
    await fetch(`${baseUrl}/metrics`);
    const exposition = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(exposition).not.toMatch(/route="\/(health|metrics)/);
  });
});
