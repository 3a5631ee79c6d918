import 'reflect-metadata';
import { API_ROLES, signApiToken, type ApiRole } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { PERMISSION_ROLES } from './permissions';
import { apiRouteTable, type ApiRoute } from './route-table';

const secret = randomBytes(32).toString('base64url');
const staticAdminToken = randomBytes(24).toString('base64url');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const base64Json = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const unsignedAdminToken = (): string =>
  `${base64Json({ alg: 'none', typ: 'JWT' })}.${base64Json({ sub: 'mallory', role: 'admin', iat: nowSeconds(), exp: nowSeconds() + 600 })}.`;

/** The only routes anyone may call without credentials: probes and the Prometheus scrape. */
const PUBLIC_ROUTES = ['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics'];

/** A value for each path parameter that reaches the handler (and is then not found, or refused as input). */
const PARAMETER_SAMPLES: Record<string, string> = {
  fileId: 'f'.repeat(64),
  keyId: randomUUID(),
  kind: 'providers',
  claimId: 'route-table-unknown-claim',
  // Not a job id the ingestor makes: refused before the ingestor is asked, so the walk needs none running.
  ingestId: 'route-table-unknown-job',
};

function concretePath(route: ApiRoute): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const sample = PARAMETER_SAMPLES[name];
    if (sample === undefined) throw new Error(`add a sample for the path parameter :${name} of ${route.path}`);
    return sample;
  });
}

/**
 * Walks every route the API serves (read from the Nest router's metadata at
 * runtime, cross-checked against what Express has mounted) with no
 * credentials, every role's signed token, every role's API key, the static
 * bootstrap token, and expired, forged and malformed tokens, and holds each
 * answer to the permission table: 401 without valid credentials, 403 for a
 * role the table leaves out, and neither for a role it names.
 */
describe('every route against every role', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let routes: ApiRoute[];
  const apiKeys = new Map<ApiRole, string>();

  const call = async (route: ApiRoute, headers: Record<string, string>) => {
    const response = await fetch(`${baseUrl}${concretePath(route)}`, {
      method: route.method,
      headers: route.method === 'POST' ? { ...headers, 'content-type': 'application/json' } : headers,
      ...(route.method === 'POST' ? { body: '{}' } : {}),
    });
    const text = await response.text();
    let code: unknown = null;
    try {
      code = (JSON.parse(text) as { code?: unknown }).code ?? null;
    } catch {
      // CSV, Prometheus text: no code.
    }
    return { status: response.status, code, challenge: response.headers.get('www-authenticate') };
  };

  const token = (role: ApiRole, ttlSeconds = 600, issuedAt = nowSeconds()) =>
    signApiToken({ sub: `spec-${role}`, role, ttlSeconds, nowSeconds: issuedAt }, secret);

  beforeAll(async () => {
    const { brokers } = testInfrastructure();
    database = await createIsolatedDatabase('api_auth');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers,
      apiTokens: `admin=${staticAdminToken}`,
      apiTokenSecret: secret,
    }));
    routes = apiRouteTable(app);
    for (const role of API_ROLES) {
      const response = await fetch(`${baseUrl}/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${staticAdminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role, label: `route-table spec ${role}` }),
      });
      expect(response.status).toBe(201);
      apiKeys.set(role, ((await response.json()) as { key: string }).key);
    }
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('finds every route Express serves in the route table, and each route but health and metrics needs a permission', () => {
    const router = (
      app.getHttpAdapter().getInstance() as {
        router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
      }
    ).router;
    const mounted = router.stack
      .flatMap((layer) =>
        layer.route
          ? Object.keys(layer.route.methods)
              .filter((method) => method !== '_all')
              .map((method) => `${method.toUpperCase()} ${layer.route?.path}`)
          : [],
      )
      // The OpenAPI document and page, mounted outside the controllers: public by design.
      .filter((route) => !/ \/v1\/(docs|openapi\.json)/.test(route))
      // The audit middleware, mounted on every path for every method: it answers nothing itself.
      .filter((route) => !route.endsWith(' /{*splat}'));
    const table = routes.map((route) => `${route.method} ${route.path}`);
    expect([...new Set(mounted)].sort()).toEqual([...new Set(table)].sort());
    expect(routes.length).toBeGreaterThan(PUBLIC_ROUTES.length);
    expect(
      routes
        .filter((route) => route.permission === null)
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    ).toEqual(PUBLIC_ROUTES);
  });

  it('answers 401 with a Bearer challenge to a protected route called without credentials, and serves public ones', async () => {
    for (const route of routes) {
      const answer = await call(route, {});
      if (route.permission === null) {
        expect({ route: route.path, status: answer.status }).toEqual({ route: route.path, status: 200 });
      } else {
        expect({ route: route.path, status: answer.status, code: answer.code }).toEqual({
          route: route.path,
          status: 401,
          code: 'AUTHENTICATION_REQUIRED',
        });
        expect(answer.challenge).toMatch(/^Bearer realm="claims-api"/);
      }
    }
  });

  it.each(API_ROLES)(
    'lets a signed %s token through exactly the routes the permission table gives it',
    async (role) => {
      await expectPerTable(role, { authorization: `Bearer ${token(role)}` });
    },
  );

  it.each(API_ROLES)('lets a %s API key through exactly the routes the permission table gives it', async (role) => {
    const key = apiKeys.get(role) ?? '';
    // Both headers a client may use: the Authorization scheme for some roles, X-API-Key for the others.
    const headers: Record<string, string> =
      API_ROLES.indexOf(role) % 2 === 0 ? { authorization: `ApiKey ${key}` } : { 'x-api-key': key };
    await expectPerTable(role, headers);
  });

  it('refuses a query parameter a route does not take with 400 naming it, on every protected route', async () => {
    for (const route of routes.filter((candidate) => candidate.permission !== null)) {
      const response = await fetch(`${baseUrl}${concretePath(route)}?unexpectedParameter=1`, {
        method: route.method,
        headers: {
          authorization: `Bearer ${staticAdminToken}`,
          ...(route.method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        ...(route.method === 'POST' ? { body: '{}' } : {}),
      });
      const problem = (await response.json()) as { code?: unknown; fields?: unknown };
      expect({ route: `${route.method} ${route.path}`, status: response.status, ...problem }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 400,
        ...problem,
        code: 'REQUEST_INVALID',
        fields: expect.arrayContaining(['unexpectedParameter']),
      });
    }
  });

  it('keeps the static API_TOKENS admin token (the harness and CLIs) working, the scheme in any case', async () => {
    await expectPerTable('admin', { authorization: `bearer ${staticAdminToken}` });
  });

  async function expectPerTable(role: ApiRole, headers: Record<string, string>): Promise<void> {
    for (const route of routes) {
      const { status, code } = await call(route, headers);
      const allowed = route.permission === null || PERMISSION_ROLES[route.permission].includes(role);
      const seen = { route: `${route.method} ${route.path}`, role, allowed: status !== 401 && status !== 403 };
      expect(seen).toEqual({ ...seen, allowed });
      if (!allowed) expect(code).toBe('PERMISSION_DENIED');
      // Allowed means the handler answered: not a refusal and not a crash (input errors and 404s are fine).
      if (allowed) expect({ ...seen, status: status < 500 }).toEqual({ ...seen, status: true });
    }
  }

  it.each([
    ['an expired token', () => `Bearer ${token('admin', 60, nowSeconds() - 3600)}`, 'TOKEN_EXPIRED'],
    [
      'a token signed with another secret',
      () =>
        `Bearer ${signApiToken({ sub: 'mallory', role: 'admin', ttlSeconds: 600, nowSeconds: nowSeconds() }, 'x'.repeat(32))}`,
      'TOKEN_SIGNATURE_INVALID',
    ],
    [
      'a token whose payload was swapped',
      () =>
        `Bearer ${token('analyst').replace(/\.[^.]+\./, `.${Buffer.from('{"role":"admin"}').toString('base64url')}.`)}`,
      'TOKEN_SIGNATURE_INVALID',
    ],
    ['a malformed token', () => 'Bearer not.a.jwt', 'TOKEN_MALFORMED'],
    ['an unsigned (alg none) token', () => `Bearer ${unsignedAdminToken()}`, 'TOKEN_MALFORMED'],
    ['an unknown static token', () => `Bearer ${'z'.repeat(32)}`, 'TOKEN_INVALID'],
    ['an unknown API key', () => `ApiKey ck_${'A'.repeat(43)}`, 'API_KEY_INVALID'],
    ['another scheme', () => `Basic ${Buffer.from('admin:admin').toString('base64')}`, 'AUTHENTICATION_REQUIRED'],
  ])('answers 401 to %s on every protected route, with its code', async (_, authorization, expectedCode) => {
    const header = authorization();
    for (const route of routes.filter((candidate) => candidate.permission !== null)) {
      const { status, code, challenge } = await call(route, { authorization: header });
      expect({ route: route.path, status, code }).toEqual({ route: route.path, status: 401, code: expectedCode });
      expect(challenge).toContain('Bearer realm="claims-api"');
    }
  });

  it('says invalid_token in the challenge for an expired token (RFC 6750), so clients know to get a new one', async () => {
    const route = routes.find((candidate) => candidate.path === '/v1/ingestions' && candidate.method === 'GET');
    if (route === undefined) throw new Error('GET /v1/ingestions is missing');
    const { challenge } = await call(route, { authorization: `Bearer ${token('analyst', 60, nowSeconds() - 3600)}` });
    expect(challenge).toContain('error="invalid_token", error_description="TOKEN_EXPIRED"');
  });
});
