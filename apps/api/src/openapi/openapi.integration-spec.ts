import 'reflect-metadata';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { PERMISSION_ROLES } from '../auth/permissions';
import { apiRouteTable } from '../auth/route-table';
import { openApiPath } from './openapi';

interface Operation {
  security?: Array<Record<string, string[]>>;
  'x-permission'?: string;
  'x-roles'?: string[];
  responses?: Record<string, unknown>;
}

describe('the OpenAPI document served at /v1/openapi.json', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, Record<string, string>> };
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_openapi');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokenSecret: randomBytes(32).toString('base64url'),
    }));
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
