import 'reflect-metadata';
import {
  Controller,
  Get,
  Global,
  Injectable,
  Module,
  Param,
  UnauthorizedException,
  type BeforeApplicationShutdown,
  type CanActivate,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { Registry } from 'prom-client';
import { ReadinessGate, type HealthCheck } from './health-checks';
import { ServiceHttpModule } from './service-http.module';
import { READINESS_GATE } from './service-http.tokens';

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

/** A consumer whose stop the test holds open, as a batch in flight holds a real one. */
@Injectable()
class HeldConsumer implements BeforeApplicationShutdown {
  static release: () => void = () => undefined;
  static stopping: Promise<void> = Promise.resolve();
  private static released: Promise<void> = Promise.resolve();
  private static markStopping: () => void = () => undefined;

  static reset(): void {
    HeldConsumer.stopping = new Promise((resolve) => (HeldConsumer.markStopping = resolve));
    HeldConsumer.released = new Promise((resolve) => (HeldConsumer.release = resolve));
  }

  beforeApplicationShutdown(): Promise<void> {
    HeldConsumer.markStopping();
    return HeldConsumer.released;
  }
}

describe('ServiceHttpModule while the service drains', () => {
  let gate: ReadinessGate;
  let app: INestApplication;
  let baseUrl: string;

  beforeEach(async () => {
    HeldConsumer.reset();
    gate = new ReadinessGate();
    @Global()
    @Module({ providers: [{ provide: READINESS_GATE, useValue: gate }], exports: [READINESS_GATE] })
    class GateModule {}
    @Module({
      imports: [GateModule, ServiceHttpModule.forRoot({ registry: new Registry(), healthChecks: [] })],
      providers: [HeldConsumer],
    })
    class DrainingServiceModule {}
    app = await NestFactory.create(DrainingServiceModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  it('answers readiness 503 with the reason once drained, and liveness 200', async () => {
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
    gate.drain('shutting down on SIGTERM');
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'draining', reason: 'shutting down on SIGTERM' });
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    HeldConsumer.release();
    await app.close();
  });

  it('keeps answering /health while the consumers finish (beforeApplicationShutdown runs before the HTTP server closes)', async () => {
    const closing = app.close();
    await HeldConsumer.stopping;
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'draining', reason: 'the application is closing' });
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    HeldConsumer.release();
    await closing;
    await expect(fetch(`${baseUrl}/health/live`)).rejects.toThrow();
  });
});
