import 'reflect-metadata';
import { signApiToken } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import { PHI_REDACT_PATHS, phiSafeError } from '@claims/observability';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import pino from 'pino';
import { loadApiConfig } from '../api.config';
import { configureApiHttp } from '../api.http';
import { ApiModule } from '../api.module';

const secret = randomBytes(32).toString('base64url');
/** A claim id as a billing export writes it: an identifier of one patient's claim, never logged in clear. */
const CLAIM_ID = 'CLM-887213386563288-SMITH';
const FILE_ID = 'a'.repeat(64);

/**
 * What the API logs when a request fails (a 500: Postgres refused the query),
 * with the whole application against a real Postgres and the product's own
 * logger settings (PHI redaction paths, the error serializer), its lines
 * kept here to be read.
 */
describe('the log line of a failed request', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  const lines: string[] = [];

  const manager = signApiToken({ sub: 'max', role: 'manager', ttlSeconds: 600, nowSeconds: Date.now() / 1000 }, secret);
  const get = (path: string) => fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${manager}` } });
  const failureLines = () =>
    lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['msg'] === 'request failed');

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_failure_log');
    const config = loadApiConfig({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testInfrastructure().brokers,
      API_TOKEN_SECRET: secret,
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const logger = pino(
      { level: 'info', redact: { paths: PHI_REDACT_PATHS, censor: '[redacted]' }, serializers: { err: phiSafeError } },
      sink,
    );
    app = await NestFactory.create(ApiModule.forRoot(config, logger), { logger: false });
    configureApiHttp(app);
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    // Every claim read and every file report asks processed_event or ingest_file first: without them, a 500.
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('ALTER TABLE processed_event RENAME TO processed_event_away');
      await client.query('ALTER TABLE ingest_file RENAME TO ingest_file_away');
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('names the route template, not the path, so a claim id in the path never reaches the log', async () => {
    lines.length = 0;
    const response = await get(`/v1/claims/${encodeURIComponent(CLAIM_ID)}`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('processed_event');
    expect(lines.join('\n')).not.toContain('CLM-887213386563288');
    const [line, ...more] = failureLines();
    expect(more).toEqual([]);
    expect(line).toMatchObject({ method: 'GET', route: '/v1/claims/:claimId' });
  });

  it('names the route template of any other route with a path parameter alike', async () => {
    lines.length = 0;
    expect((await get(`/v1/ingestions/${FILE_ID}`)).status).toBe(500);
    expect(lines.join('\n')).not.toContain(FILE_ID);
    const [line] = failureLines();
    expect(line).toMatchObject({ method: 'GET', route: '/v1/ingestions/:fileId' });
  });
});
