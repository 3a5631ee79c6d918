import 'reflect-metadata';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DrainingExpressAdapter, KEEP_ALIVE_TIMEOUT_MS } from './draining-express-adapter';

/** A request the test holds in flight: it answers once the test releases it. */
@Controller('v1/report')
class HeldReportController {
  static release: () => void = () => undefined;
  static entered: Promise<void> = Promise.resolve();
  private static released: Promise<void> = Promise.resolve();
  private static markEntered: () => void = () => undefined;

  static reset(): void {
    HeldReportController.entered = new Promise((resolve) => (HeldReportController.markEntered = resolve));
    HeldReportController.released = new Promise((resolve) => (HeldReportController.release = resolve));
  }

  @Get()
  async report(): Promise<{ rows: string[] }> {
    HeldReportController.markEntered();
    await HeldReportController.released;
    return { rows: Array.from({ length: 20_000 }, (_, index) => `row ${index}`) };
  }
}

@Module({ controllers: [HeldReportController] })
class ReportServiceModule {}

/** A raw TCP connection to the server, optionally sending `bytes` once connected. */
async function openConnection(baseUrl: string, bytes?: string): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  if (bytes !== undefined) socket.write(bytes);
  return socket;
}

/** Whether `closing` settles within `ms`: a liveness check of close(), never a speed measurement. */
async function settlesWithin(closing: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([closing.then(() => true), sleep(ms).then(() => false)]);
}

describe('DrainingExpressAdapter', () => {
  let app: INestApplication;
  let baseUrl: string;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    HeldReportController.reset();
    app = await NestFactory.create(ReportServiceModule, new DrainingExpressAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    HeldReportController.release();
    await app.close();
  });

  it('keeps an idle connection open longer than a load balancer would (65 s), and says so to the client', async () => {
    const response = await fetch(`${baseUrl}/v1/missing`);
    await response.text();
    expect(response.headers.get('keep-alive')).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
  });

  it('closes at once while a client holds an idle keep-alive connection', async () => {
    await (await fetch(`${baseUrl}/v1/missing`)).text();
    expect(await settlesWithin(app.close(), 5_000)).toBe(true);
  });

  it('closes although a connection was opened and never used (a TCP health check, a pre-connect)', async () => {
    sockets.push(await openConnection(baseUrl));
    expect(await settlesWithin(app.close(), 5_000)).toBe(true);
  });

  it('closes although a client sent half a request and went quiet', async () => {
    sockets.push(await openConnection(baseUrl, 'GET /v1/report HTTP/1.1\r\nHost: claims\r\n'));
    expect(await settlesWithin(app.close(), 5_000)).toBe(true);
  });

  it('answers a request in flight in full before closing its connection', async () => {
    const answer = fetch(`${baseUrl}/v1/report`).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { rows: string[] },
    }));
    await HeldReportController.entered;
    const closing = app.close();
    expect(await settlesWithin(closing, 300)).toBe(false);
    HeldReportController.release();
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(body.rows).toHaveLength(20_000);
    expect(await settlesWithin(closing, 5_000)).toBe(true);
  });
});
