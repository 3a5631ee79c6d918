import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { apiRouteTable } from '../auth/route-table';
import { PERMISSION_ROLES } from '../auth/permissions';

/** Where the document and its interactive page are served; stable, so clients can generate from them. */
export const OPENAPI_JSON_PATH = '/v1/openapi.json';
export const OPENAPI_PAGE_PATH = '/v1/docs';

const SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];

/** `/v1/ingestions/:fileId` as OpenAPI writes it, `/v1/ingestions/{fileId}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * The OpenAPI 3 document of the running application: paths from the
 * controllers (@nestjs/swagger's scan), and for each operation the
 * permission and roles the guard will ask, from the same route table the
 * guard is tested against, so the document cannot drift from what is enforced.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Claims event pipeline API')
    .setVersion('1')
    .setDescription(
      [
        'KPIs, the pended-claims work queue, ingest reports, dead letters, exports and reference fixes.',
        '',
        'Authenticate with a signed bearer token (`npm run token -- issue --role analyst --ttl 8h`), ' +
          'a static service token (API_TOKENS), or an API key (`POST /v1/api-keys`, admin) sent as ' +
          '`Authorization: ApiKey <key>` or `X-API-Key: <key>`. A 401 carries `WWW-Authenticate` and a code ' +
          '(`AUTHENTICATION_REQUIRED`, `TOKEN_EXPIRED`, `TOKEN_SIGNATURE_INVALID`, `TOKEN_MALFORMED`, ' +
          '`TOKEN_INVALID`, `API_KEY_INVALID`); a 403 the code `PERMISSION_DENIED` and the permission required.',
        '',
        'Every error is an RFC 9457 problem (`application/problem+json`: `type`, `title`, `status`, `detail` and a ' +
          'stable `code`; a 400 names the offending parameters in `fields`). Each client (principal, else address) ' +
          'may make API_RATE_LIMIT_BURST requests at once and API_RATE_LIMIT_PER_MINUTE a minute; past that, ' +
          '`429 RATE_LIMITED` with `Retry-After`. GET answers carry a strong `ETag` (KPI routes also `Last-Modified`, ' +
          'the latest fold): send it back in `If-None-Match` to get `304 Not Modified` while the figures are unchanged.',
        '',
        'Roles: ' +
          Object.entries(PERMISSION_ROLES)
            .map(([permission, roles]) => `\`${permission}\`: ${roles.join(', ')}`)
            .join('; ') +
          '.',
      ].join('\n'),
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An HS256 token, or a static token' },
      'bearer',
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Or `Authorization: ApiKey <key>`' },
      'apiKey',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  for (const route of apiRouteTable(app)) {
    const operation =
      document.paths[openApiPath(route.path)]?.[
        route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
      ];
    if (operation === undefined) continue;
    if (route.permission === null) {
      operation.security = [];
      continue;
    }
    const roles = PERMISSION_ROLES[route.permission];
    operation.security = SECURITY;
    operation.description = [operation.description, `Requires \`${route.permission}\`: ${roles.join(', ')}.`]
      .filter(Boolean)
      .join('\n\n');
    Object.assign(operation, { 'x-permission': route.permission, 'x-roles': [...roles] });
    operation.responses = {
      ...operation.responses,
      '401': { description: 'No credentials, or a token or key that is expired, forged, malformed or revoked' },
      '403': { description: `The caller's role lacks \`${route.permission}\`` },
      '429': { description: 'Past the rate limit of this client; Retry-After says when to try again' },
    };
  }
  return document;
}

/**
 * Serves the document at /v1/openapi.json and Swagger UI at /v1/docs. Both
 * are public, like health: they describe the API and hold no data, and a
 * client needs them before it holds a credential. Built once, at boot.
 */
export function serveOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(OPENAPI_PAGE_PATH.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    raw: ['json'],
    customSiteTitle: 'Claims pipeline API',
  });
}
