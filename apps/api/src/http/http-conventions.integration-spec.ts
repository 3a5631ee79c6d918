import 'reflect-metadata';
import { signApiToken, type ApiRole } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { FIXTURE_COMMITTED_AT, seedFoldedKpis } from '../__tests__/kpi-fixture';
import { DASHBOARD_CONTENT_SECURITY_POLICY } from '../dashboard/dashboard';
import { PROBLEM_TYPE_PREFIX } from './problem-details';

const secret = randomBytes(32).toString('base64url');
const adminToken = randomBytes(24).toString('base64url');
// One token back every 10 s: the burst is spent long before a token returns, however slow the machine.
const RATE_LIMIT = { perMinute: 6, burst: 20 };
/** What a Node stack frame looks like in any text: `at fn (/path/file.js:12:34)`. */
const STACK_FRAME = /\bat .*\(?\/.+:\d+:\d+\)?/;

const token = (subject: string, role: ApiRole = 'analyst'): string =>
  signApiToken({ sub: subject, role, ttlSeconds: 600, nowSeconds: Date.now() / 1000 }, secret);

/**
 * The API's HTTP conventions, on the whole application against a real
 * Postgres: RFC 9457 problem bodies for every error, no stack traces,
 * conditional GETs on the KPI routes, per-client rate limits, and the
 * dashboard's security headers.
 */
describe('HTTP conventions of the API', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;

  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  };
  const bearer = (credential: string): RequestInit => ({ headers: { authorization: `Bearer ${credential}` } });

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_http');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokens: `admin=${adminToken}`,
      apiTokenSecret: secret,
      env: {
        API_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT.perMinute),
        API_RATE_LIMIT_BURST: String(RATE_LIMIT.burst),
      },
    }));
    await seedFoldedKpis(database.url);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('problem details (RFC 9457)', () => {
    it('answers a bad query parameter with a problem naming the field, as application/problem+json', async () => {
      const { status, headers, text } = await call('/v1/kpis/pended-queue?asOf=2024-02-30', bearer(token('ana')));
      expect(status).toBe(400);
      expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(text)).toEqual({
        type: `${PROBLEM_TYPE_PREFIX}request-invalid`,
        title: 'The request has invalid parameters',
        status: 400,
        detail: 'invalid or unknown: asOf',
        code: 'REQUEST_INVALID',
        fields: ['asOf'],
        instance: '/v1/kpis/pended-queue',
      });
    });

    it('answers a 401 as a problem and keeps the Bearer challenge', async () => {
      const { status, headers, text } = await call('/v1/kpis/summary');
      expect(status).toBe(401);
      expect(headers.get('www-authenticate')).toMatch(/^Bearer realm="claims-api"/);
      expect(JSON.parse(text)).toMatchObject({
        type: `${PROBLEM_TYPE_PREFIX}authentication-required`,
        title: 'Authentication is required',
        status: 401,
        code: 'AUTHENTICATION_REQUIRED',
        detail: 'send a bearer token or an API key',
      });
    });

    it('matches the bearer scheme in any letter case (RFC 9110 §11.1)', async () => {
      for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
        const { status } = await call('/v1/kpis/summary', { headers: { authorization: `${scheme} ${token('ana')}` } });
        expect({ scheme, status }).toEqual({ scheme, status: 200 });
      }
    });

    it('answers a 403 as a problem naming the permission required', async () => {
      const { status, text } = await call('/v1/api-keys', bearer(token('ana')));
      expect(status).toBe(403);
      expect(JSON.parse(text)).toMatchObject({ status: 403, code: 'PERMISSION_DENIED', required: 'api-keys:manage' });
    });

    it('names the route template as the instance of a problem, never the claim id its path carries', async () => {
      const claimId = 'CLM-887213386563288-SMITH';
      const cases: Array<[path: string, init: RequestInit, status: number, instance: string]> = [
        [`/v1/claims/${claimId}`, bearer(token('max', 'manager')), 404, '/v1/claims/:claimId'],
        [`/v1/claims/${claimId}/lineage`, bearer(token('max', 'manager')), 404, '/v1/claims/:claimId/lineage'],
        [`/v1/claims/${claimId}`, {}, 401, '/v1/claims/:claimId'],
        [`/v1/claims/${claimId}`, bearer(token('ana')), 403, '/v1/claims/:claimId'],
      ];
      for (const [path, init, status, instance] of cases) {
        const answer = await call(path, init);
        expect({ path, status: answer.status }).toEqual({ path, status });
        expect(answer.text).not.toContain('887213386563288');
        expect(JSON.parse(answer.text)).toMatchObject({ instance });
      }
    });

    it('answers an unknown route with a ROUTE_NOT_FOUND problem', async () => {
      const { status, headers, text } = await call('/v2/everything', bearer(token('ana')));
      expect(status).toBe(404);
      expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(text)).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', instance: '/v2/everything' });
    });

    it('answers a path parameter that is not valid percent-encoded UTF-8 with a problem naming the parameter', async () => {
      const cases: Array<[path: string, field: string, instance: string]> = [
        ['/v1/claims/%ff', 'claimId', '/v1/claims/:claimId'],
        ['/v1/claims/CLM-%C3%28-SMITH/lineage', 'claimId', '/v1/claims/:claimId/lineage'],
        ['/v1/ingestions/jobs/%E0%A4', 'ingestId', '/v1/ingestions/jobs/:ingestId'],
      ];
      for (const [path, field, instance] of cases) {
        const { status, headers, text } = await call(path, bearer(token('max', 'manager')));
        expect({ path, status }).toEqual({ path, status: 400 });
        expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(text)).toEqual({
          type: `${PROBLEM_TYPE_PREFIX}request-invalid`,
          title: 'The request has invalid parameters',
          status: 400,
          detail: `${field} is not valid percent-encoded UTF-8`,
          code: 'REQUEST_INVALID',
          fields: [field],
          instance,
        });
        expect(text).not.toContain('SMITH');
      }
    });

    it('answers a path no route serves as ROUTE_NOT_FOUND, even when it is not valid percent-encoded UTF-8', async () => {
      const { status, text } = await call('/v2/claims/%ff', bearer(token('max', 'manager')));
      expect(status).toBe(404);
      expect(JSON.parse(text)).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    });

    it('answers a method a known route does not take with 405, the methods it takes in Allow, never the claim id', async () => {
      const cases: Array<[method: string, path: string, allow: string, instance: string]> = [
        ['PUT', '/v1/api-keys', 'GET, HEAD, POST', '/v1/api-keys'],
        ['DELETE', '/v1/kpis/summary', 'GET, HEAD', '/v1/kpis/summary'],
        ['POST', '/v1/claims/CLM-887213386563288-SMITH/lineage', 'GET, HEAD', '/v1/claims/:claimId/lineage'],
        ['DELETE', '/v1/claims/%ff', 'GET, HEAD', '/v1/claims/:claimId'],
        ['GET', '/v1/reference/providers', 'POST', '/v1/reference/:kind'],
      ];
      for (const [method, path, allow, instance] of cases) {
        const { status, headers, text } = await call(path, {
          method,
          headers: { authorization: `Bearer ${adminToken}` },
        });
        expect({ method, path, status, allow: headers.get('allow') }).toEqual({ method, path, status: 405, allow });
        expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(text)).toEqual({
          type: `${PROBLEM_TYPE_PREFIX}method-not-allowed`,
          title: 'The route does not answer this method',
          status: 405,
          detail: `this route answers ${allow}`,
          code: 'METHOD_NOT_ALLOWED',
          instance,
        });
        expect(text).not.toContain('887213386563288');
      }
    });

    it('refuses a body that is not sent as JSON on a JSON route with 415, acting on none of it', async () => {
      const admin = { authorization: `Bearer ${adminToken}` };
      const cases: Array<[path: string, contentType: string, body: string]> = [
        ['/v1/api-keys', 'application/x-www-form-urlencoded', 'role=admin&label=form-made'],
        ['/v1/api-keys', 'text/plain', '{"role":"admin","label":"text-made"}'],
        ['/v1/reference/providers', 'application/x-www-form-urlencoded', 'effectiveDate=2024-03-01'],
        ['/v1/reference/providers', 'multipart/form-data; boundary=x', '--x--'],
      ];
      for (const [path, contentType, body] of cases) {
        const answer = await call(path, { method: 'POST', headers: { ...admin, 'content-type': contentType }, body });
        expect({ path, contentType, status: answer.status }).toEqual({ path, contentType, status: 415 });
        expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(answer.text)).toMatchObject({
          status: 415,
          code: 'BODY_CONTENT_TYPE',
          detail: 'send the body as application/json',
        });
      }
      const keys = await call('/v1/api-keys', { headers: admin });
      expect(keys.text).not.toMatch(/form-made|text-made/);
    });

    it('answers a body that is not JSON with a BODY_INVALID problem that neither echoes the body nor shows a stack', async () => {
      const { status, text } = await call('/v1/api-keys', {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: '{"role": analyst-secret-text',
      });
      expect(status).toBe(400);
      expect(JSON.parse(text)).toMatchObject({ status: 400, code: 'BODY_INVALID' });
      expect(text).not.toContain('analyst-secret-text');
      expect(text).not.toMatch(STACK_FRAME);
    });
  });

  describe('conditional GETs on the KPI routes', () => {
    it('tags a KPI answer with a strong ETag over its body, the last fold as Last-Modified, and private no-cache', async () => {
      const { status, headers, text } = await call('/v1/kpis/pended-queue', bearer(token('poller')));
      expect(status).toBe(200);
      const digest = createHash('sha256').update(text, 'utf8').digest('base64url');
      expect(headers.get('etag')).toBe(`"${digest}"`);
      expect(headers.get('last-modified')).toBe(FIXTURE_COMMITTED_AT.toUTCString());
      expect(headers.get('cache-control')).toBe('private, no-cache');
    });

    it('answers 304 without a body to an If-None-Match naming the tag, strong or weak, and 200 once the figures change', async () => {
      const first = await call('/v1/kpis/pended-queue', bearer(token('poller')));
      const etag = first.headers.get('etag') ?? '';
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const again = await call('/v1/kpis/pended-queue', {
          headers: { authorization: `Bearer ${token('poller')}`, 'if-none-match': ifNoneMatch },
        });
        expect({ ifNoneMatch, status: again.status, body: again.text }).toEqual({ ifNoneMatch, status: 304, body: '' });
        expect(again.headers.get('etag')).toBe(etag);
      }
      const changed = await call('/v1/kpis/pended-queue?asOf=2024-01-15', {
        headers: { authorization: `Bearer ${token('poller')}`, 'if-none-match': etag },
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    });

    it('leaves If-Modified-Since alone: two folds within one second share an HTTP-date, so only the tag can say "unchanged"', async () => {
      const { status } = await call('/v1/kpis/pended-queue', {
        headers: {
          authorization: `Bearer ${token('poller')}`,
          'if-modified-since': new Date(FIXTURE_COMMITTED_AT.getTime() + 3_600_000).toUTCString(),
        },
      });
      expect(status).toBe(200);
    });
  });

  describe('per-client rate limits', () => {
    it('refuses a client past its burst with 429, Retry-After and a problem, while another client carries on', async () => {
      const flood = token('flood');
      const statuses: number[] = [];
      for (let request = 0; request < RATE_LIMIT.burst; request += 1) {
        statuses.push((await call('/v1/kpis/summary', bearer(flood))).status);
      }
      expect(statuses.every((status) => status === 200)).toBe(true);
      const refused = await call('/v1/kpis/summary', bearer(flood));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused.text)).toMatchObject({
        status: 429,
        code: 'RATE_LIMITED',
        title: 'Too many requests',
      });
      expect((await call('/v1/kpis/summary', bearer(token('calm')))).status).toBe(200);
    });

    it("leaves the operator's static service token (the CLIs and the harness poll with it) unlimited", async () => {
      for (let request = 0; request < RATE_LIMIT.burst * 2; request += 1) {
        const { status } = await call('/v1/ingestions', bearer(adminToken));
        expect({ request, status }).toEqual({ request, status: 200 });
      }
    });

    it('never limits health probes or the metrics scrape', async () => {
      for (let request = 0; request < RATE_LIMIT.burst * 2; request += 1) {
        for (const path of ['/health/live', '/metrics']) {
          const { status } = await call(path);
          expect({ path, status }).toEqual({ path, status: 200 });
        }
      }
    });
  });

  describe('the dashboard page', () => {
    it('is served without credentials under a strict policy, nosniff and no-cache, and revalidates to 304', async () => {
      for (const [path, type] of [
        ['/dashboard', /^text\/html/],
        ['/dashboard/dashboard.js', /^text\/javascript/],
        ['/dashboard/dashboard.css', /^text\/css/],
      ] as const) {
        const { status, headers } = await call(path);
        expect({ path, status }).toEqual({ path, status: 200 });
        expect(headers.get('content-type')).toMatch(type);
        expect(headers.get('content-security-policy')).toBe(DASHBOARD_CONTENT_SECURITY_POLICY);
        expect(headers.get('x-content-type-options')).toBe('nosniff');
        expect(headers.get('cache-control')).toBe('no-cache');
        const again = await call(path, { headers: { 'if-none-match': headers.get('etag') ?? '' } });
        expect({ path, status: again.status }).toEqual({ path, status: 304 });
      }
    });

    it('serves nothing else from its folder', async () => {
      const { status, text } = await call('/dashboard/../api.module.ts');
      expect(status).toBe(404);
      expect(JSON.parse(text)).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
      expect((await call('/dashboard/index.html')).status).toBe(404);
    });
  });

  // Last: it breaks the database under the running API.
  it('answers an unexpected failure with a 500 problem that names no table, query or stack frame', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('ALTER TABLE kpi_watermark RENAME TO kpi_watermark_gone');
    } finally {
      await client.end();
    }
    const { status, headers, text } = await call('/v1/kpis/summary', bearer(token('ana')));
    expect(status).toBe(500);
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(text)).toEqual({
      type: `${PROBLEM_TYPE_PREFIX}internal-error`,
      title: 'Internal server error',
      status: 500,
      detail: 'the API failed to answer; the failure is in its log',
      code: 'INTERNAL_ERROR',
      instance: '/v1/kpis/summary',
    });
    expect(text).not.toMatch(/kpi_watermark|relation|SELECT/i);
    expect(text).not.toMatch(STACK_FRAME);
  });
});
