import 'reflect-metadata';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { seedFoldedKpis } from '../__tests__/kpi-fixture';
import { PERMISSION_ROLES } from '../auth/permissions';
import { apiRouteTable } from '../auth/route-table';
import { openApiPath } from './openapi';

interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: Record<string, unknown> }>;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: unknown;
  security?: Array<Record<string, string[]>>;
  'x-permission'?: string;
  'x-roles'?: string[];
  responses?: Record<string, Response>;
}

const ADMIN_TOKEN = `admin-${randomBytes(18).toString('hex')}`;
const FILE_ID = 'e'.repeat(64);
const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetails' };

/** The document's schemas are OpenAPI 3.0 (`nullable`, `example`); ajv reads `nullable` and is told to let the rest be. */
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });

describe('the OpenAPI document served at /v1/openapi.json', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: {
      securitySchemes: Record<string, Record<string, string>>;
      schemas: Record<string, Record<string, unknown>>;
    };
  };

  const operationOf = (method: string, path: string): Operation => {
    const operation = document.paths[path]?.[method];
    if (operation === undefined) throw new Error(`${method} ${path} is not documented`);
    return operation;
  };

  /** The validator of what the document says `method path` answers with `status`. */
  const documentedBody = (method: string, path: string, status: string, mediaType: string): ValidateFunction => {
    const schema = operationOf(method, path).responses?.[status]?.content?.[mediaType]?.schema;
    if (schema === undefined) throw new Error(`${method} ${path} documents no ${status} ${mediaType} body`);
    // The document lists named schemas under components, one level deep: a $ref names one of them.
    const ref =
      typeof schema['$ref'] === 'string' ? /^#\/components\/schemas\/(\w+)$/.exec(schema['$ref'])?.[1] : undefined;
    const component = ref === undefined ? undefined : document.components.schemas[ref];
    if (ref !== undefined && component === undefined)
      throw new Error(`${String(schema['$ref'])} is not in the document`);
    return ajv.compile(component ?? schema);
  };

  const get = async (path: string, token: string | null = ADMIN_TOKEN): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: await response.json() };
  };

  const expectValid = (validate: ValidateFunction, body: unknown): void => {
    const valid = validate(body);
    expect({ valid, errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_openapi');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokenSecret: randomBytes(32).toString('base64url'),
      apiTokens: `admin=${ADMIN_TOKEN}`,
    }));
    await seedFoldedKpis(database.url);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO ingest_file (file_id, source, layout, records_read, records_published, records_dead_lettered,
                                  blank_lines_skipped, duration_seconds, completed_at)
         VALUES ($1, 'billing.csv', 'billing.claim-export', 2, 2, 1, 0, 0.5, '2024-03-01T00:00:00Z')`,
        [FILE_ID],
      );
      await client.query(
        `INSERT INTO ingest_record (file_id, record_number, outcome, stage, error_code)
         VALUES ($1, 1, 'folded', NULL, NULL), ($1, 2, 'dead_lettered', 'normalizer', 'AMOUNT_INVALID')`,
        [FILE_ID],
      );
    } finally {
      await client.end();
    }
    const response = await fetch(`${baseUrl}/v1/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as typeof document;
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('is served without credentials, as OpenAPI 3', () => {
    expect(document.openapi).toMatch(/^3\./);
  });

  it('holds every controller route, with the permission and roles the guard enforces, and its 401, 403 and 429 answers', () => {
    const routes = apiRouteTable(app);
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const operation = document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      expect({ route: `${route.method} ${route.path}`, documented: operation !== undefined }).toEqual({
        route: `${route.method} ${route.path}`,
        documented: true,
      });
      if (route.permission === null) {
        expect(operation?.security).toEqual([]);
      } else {
        expect(operation?.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
        expect(operation?.['x-permission']).toBe(route.permission);
        expect(operation?.['x-roles']).toEqual(PERMISSION_ROLES[route.permission]);
        expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403', '429']));
      }
    }
  });

  it('gives every operation a success answer with a body schema, and its errors as problems', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const route = `${method.toUpperCase()} ${path}`;
        const responses = operation.responses ?? {};
        const successes = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
        expect({ route, successes: successes.length }).toEqual({ route, successes: 1 });
        const [, success] = successes[0] ?? [];
        const schemas = Object.values(success?.content ?? {}).map((media) => media.schema);
        expect({ route, schemas: schemas.length > 0 && schemas.every((schema) => schema !== undefined) }).toEqual({
          route,
          schemas: true,
        });
        for (const [status, response] of Object.entries(responses).filter(([code]) => /^[45]/.test(code))) {
          expect({ route, status, content: response.content }).toEqual({
            route,
            status,
            content: { 'application/problem+json': { schema: PROBLEM_REF } },
          });
        }
        if (operation.security?.length) {
          expect(Object.keys(responses['401']?.headers ?? {})).toEqual(['WWW-Authenticate']);
          expect(Object.keys(responses['429']?.headers ?? {})).toEqual(['Retry-After']);
        }
      }
    }
  });

  it('documents the query parameters the routes check, with their types and enums, and the bodies they take', () => {
    const parameters = (method: string, path: string): Parameter[] => operationOf(method, path).parameters ?? [];
    expect(parameters('get', '/v1/kpis/denials')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'source',
          in: 'query',
          required: true,
          schema: expect.objectContaining({ enum: expect.arrayContaining(['remittance']) }),
        }),
        expect.objectContaining({ name: 'groupBy', in: 'query', required: false }),
      ]),
    );
    expect(parameters('get', '/v1/kpis/outlier-providers')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'threshold', schema: expect.objectContaining({ type: 'number' }) }),
      ]),
    );
    expect(
      parameters('get', '/v1/kpis/pended-queue/work-queue')
        .map((parameter) => parameter.name)
        .sort(),
    ).toEqual([
      'asOf',
      'claimType',
      'cursor',
      'limit',
      'maxAgeDays',
      'minAgeDays',
      'payer',
      'providerGroup',
      'queue',
      'reason',
      'renderingProvider',
      'sort',
      'state',
    ]);
    expect(operationOf('post', '/v1/reference/{kind}')).toMatchObject({
      requestBody: { content: { 'application/json': { schema: { required: ['effectiveDate', 'record'] } } } },
    });
  });

  it('documents the bodies the pended queue, denials, claim detail and ingestion routes answer with', async () => {
    for (const path of [
      '/v1/kpis/pended-queue',
      '/v1/kpis/pended-queue/work-queue',
      '/v1/kpis/denials?source=carrier_lines',
      '/v1/kpis/denials/claims?source=carrier_lines',
      '/v1/claims/C1',
      '/v1/ingestions',
      `/v1/ingestions/${FILE_ID}`,
      '/v1/dead-letters',
    ]) {
      const answer = await get(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      const template = path
        .split('?')[0]
        ?.replace(/\/v1\/claims\/[^/]+$/, '/v1/claims/{claimId}')
        .replace(/\/v1\/ingestions\/[0-9a-f]{64}$/, '/v1/ingestions/{fileId}');
      expectValid(documentedBody('get', template ?? path, '200', 'application/json'), answer.body);
    }
    // The schemas are closed and name what is required, so the checks above are not vacuous.
    expect(documentedBody('get', '/v1/kpis/pended-queue', '200', 'application/json')({})).toBe(false);
    const detail = (await get('/v1/claims/C1')).body as Record<string, unknown>;
    expect(documentedBody('get', '/v1/claims/{claimId}', '200', 'application/json')({ ...detail, extra: 1 })).toBe(
      false,
    );
    // Non-trivial bodies, so the checks above are not of empty lists.
    expect((await get('/v1/kpis/pended-queue/work-queue')).body).toMatchObject({ items: expect.any(Array) });
    expect(((await get('/v1/ingestions')).body as unknown[]).length).toBe(1);
  });

  it('documents the bodies every other JSON route answers with', async () => {
    const routes: Array<[template: string, query: string]> = [
      ['/v1/kpis/summary', ''],
      ['/v1/kpis/verification', ''],
      ['/v1/kpis/pended-queue/flow', ''],
      ['/v1/kpis/denials/root-causes', ''],
      ['/v1/kpis/payments', ''],
      ['/v1/kpis/volume', ''],
      ['/v1/kpis/top', '?kind=hcpcs'],
      ['/v1/kpis/claim-lifecycle', ''],
      ['/v1/kpis/claim-lifecycle/overdue', ''],
      ['/v1/kpis/provider-adjustments', ''],
      ['/v1/kpis/pmpm', ''],
      ['/v1/kpis/chronic-conditions', ''],
      ['/v1/kpis/outlier-providers', ''],
      ['/v1/dead-letters/replay-plan', '?reason=AMOUNT_INVALID'],
      ['/v1/audit', ''],
      ['/v1/api-keys', ''],
      ['/health/live', ''],
    ];
    for (const [template, query] of routes) {
      const answer = await get(`${template}${query}`);
      expect({ template, status: answer.status }).toEqual({ template, status: 200 });
      expectValid(documentedBody('get', template, '200', 'application/json'), answer.body);
    }
    const lineage = await get('/v1/claims/C1/lineage');
    expect(lineage.status).toBe(200);
    expectValid(documentedBody('get', '/v1/claims/{claimId}/lineage', '200', 'application/json'), lineage.body);
  });

  it('lists text/csv among the success media types of exactly the routes that answer Accept: text/csv with CSV', async () => {
    const sample = (parameter: Parameter): string =>
      Array.isArray(parameter.schema?.['enum']) ? String(parameter.schema['enum'][0]) : 'AMOUNT_INVALID';
    let csvRoutes = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
      const operation = methods['get'];
      if (operation === undefined || path.includes('{')) continue;
      const query = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query' && parameter.required)
        .map((parameter) => `${parameter.name}=${sample(parameter)}`)
        .join('&');
      const response = await fetch(`${baseUrl}${path}${query === '' ? '' : `?${query}`}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'text/csv' },
      });
      await response.arrayBuffer();
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      const answersCsv = /^text\/csv/.test(response.headers.get('content-type') ?? '');
      if (answersCsv) csvRoutes += 1;
      const success = Object.entries(operation.responses ?? {}).find(([status]) => /^2\d\d$/.test(status))?.[1];
      const documentsCsv = Object.keys(success?.content ?? {}).includes('text/csv');
      expect({ path, documentsCsv }).toEqual({ path, documentsCsv: answersCsv });
    }
    // The KPI tables (README: every KPI table is also a CSV file) and the three exports.
    expect(csvRoutes).toBeGreaterThan(10);
  });

  it('documents the problems the API answers with', async () => {
    const unauthenticated = await get('/v1/kpis/denials?source=carrier_lines', null);
    expect(unauthenticated.status).toBe(401);
    expectValid(documentedBody('get', '/v1/kpis/denials', '401', 'application/problem+json'), unauthenticated.body);
    const invalid = await get('/v1/kpis/denials?source=nowhere');
    expect(invalid.status).toBe(400);
    expectValid(documentedBody('get', '/v1/kpis/denials', '400', 'application/problem+json'), invalid.body);
    const missing = await get('/v1/claims/NO-SUCH-CLAIM');
    expect(missing.status).toBe(404);
    expectValid(documentedBody('get', '/v1/claims/{claimId}', '404', 'application/problem+json'), missing.body);
  });

  it('documents the bearer and API-key schemes', () => {
    expect(document.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes['apiKey']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
  });

  it('serves the interactive page at /v1/docs', async () => {
    const response = await fetch(`${baseUrl}/v1/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('swagger-ui');
  });
});
