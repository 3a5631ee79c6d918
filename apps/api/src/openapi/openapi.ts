import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { apiRouteTable } from '../auth/route-table';
import { PERMISSION_ROLES } from '../auth/permissions';
import { PROBLEM_JSON } from '../http/problem-details';
import type { AnySmallCellSpec } from '../privacy/small-cell';
import { schemaWithSmallCells } from '../privacy/small-cell-schema';
import { RESPONSE_SCHEMAS } from './response-schemas.generated';
import type { GeneratedResponse } from './response-schemas.generator';

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
        'Small cells: for a caller without `kpis:small-cells` (analyst), a KPI figure counting 1 to ' +
          'API_SMALL_CELL_THRESHOLD−1 members (else claims; default 11) is null, with its dollars and the figures ' +
          "derived from it, and named in its object's `suppressed` list (docs/api/small-cell-suppression.md).",
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
      '401': {
        description: 'No credentials, or a token or key that is expired, forged, malformed or revoked',
        headers: {
          'WWW-Authenticate': { description: 'The Bearer and ApiKey challenges', schema: { type: 'string' } },
        },
      },
      '403': { description: `The caller's role lacks \`${route.permission}\`` },
      '429': {
        description: 'Past the rate limit of this client; Retry-After says when to try again',
        headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
      },
    };
  }
  documentResponses(document);
  for (const route of apiRouteTable(app)) {
    const operation =
      document.paths[openApiPath(route.path)]?.[
        route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
      ];
    if (operation !== undefined && route.csvTable !== null) documentCsvTable(operation);
  }
  for (const route of apiRouteTable(app)) {
    if (route.smallCells?.kind !== 'cells') continue;
    const operation =
      document.paths[openApiPath(route.path)]?.[
        route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
      ];
    if (operation !== undefined) documentSmallCells(document, operation, route.smallCells.spec);
  }
  return document;
}

/**
 * The answer of a route with small cells as an analyst may get it: the
 * figures its spec can withhold nullable, `suppressed` lists beside them
 * (on the named component, which only this route answers with).
 */
function documentSmallCells(document: OpenAPIObject, operation: OperationObject, spec: AnySmallCellSpec): void {
  Object.assign(operation, { 'x-small-cells': true });
  operation.description = [
    operation.description,
    'Small cells are withheld for a caller without `kpis:small-cells`: see `suppressed`.',
  ]
    .filter(Boolean)
    .join('\n\n');
  for (const [status, response] of Object.entries(operation.responses as Record<string, ResponseObject>)) {
    const media = isSuccess(status) ? response.content?.['application/json'] : undefined;
    if (media?.schema === undefined) continue;
    const ref = '$ref' in media.schema ? /^#\/components\/schemas\/(\w+)$/.exec(media.schema.$ref)?.[1] : undefined;
    const schemas = document.components?.schemas;
    const listed = ref === undefined ? undefined : schemas?.[ref];
    if (ref !== undefined && schemas !== undefined && listed !== undefined) {
      schemas[ref] = schemaWithSmallCells(listed as Record<string, unknown>, spec) as SchemaObject;
    } else if (!('$ref' in media.schema)) {
      media.schema = schemaWithSmallCells(media.schema as Record<string, unknown>, spec) as SchemaObject;
    }
  }
}

/** A KPI table the route also answers as CSV to `Accept: text/csv` (@CsvTable): text beside its JSON. */
function documentCsvTable(operation: OperationObject): void {
  for (const [status, response] of Object.entries(operation.responses as Record<string, ResponseObject>)) {
    if (!isSuccess(status) || response.content === undefined) continue;
    response.content['text/csv'] ??= { schema: { type: 'string' } };
  }
}

/** The problem-details body (problem-details.ts) every error answers with. */
const PROBLEM_DETAILS_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'An RFC 9457 problem; `code` is the stable name to switch on',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: {
      type: 'string',
      description: 'A tag: URI naming the problem type',
      example: 'tag:claims-event-pipeline,2026:problem:request-invalid',
    },
    title: { type: 'string', description: 'The same for every occurrence of the code' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What went wrong this time; never echoes PHI or the request body' },
    code: { type: 'string', example: 'REQUEST_INVALID' },
    instance: {
      type: 'string',
      description: 'The route of the request, as its template (`/v1/claims/:claimId`): never an identifier',
    },
    fields: { type: 'array', items: { type: 'string' }, description: 'Of a 400: the offending parameters' },
    required: { type: 'string', description: 'Of a 403: the permission the route requires' },
  },
  additionalProperties: true,
};

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetails' };

const SUCCESS_DESCRIPTIONS: Readonly<Record<number, string>> = { 200: 'OK', 201: 'Created', 202: 'Accepted' };

/** A named response type's schema goes to components.schemas (once), so generated clients get its name. */
function componentOrInline(document: OpenAPIObject, generated: GeneratedResponse): SchemaObject | ReferenceObject {
  const schema = generated.schema as SchemaObject;
  const schemas = document.components?.schemas;
  if (generated.schemaName === undefined || schemas === undefined) return schema;
  const listed = schemas[generated.schemaName];
  if (listed !== undefined && JSON.stringify(listed) !== JSON.stringify(schema)) return schema;
  schemas[generated.schemaName] = schema;
  return { $ref: `#/components/schemas/${generated.schemaName}` };
}

const isSuccess = (status: string): boolean => /^2\d\d$/.test(status);
const isError = (status: string): boolean => /^[45]\d\d$/.test(status);

/**
 * Writes every operation's answers: its success body from the controller
 * method's return type (response-schemas.generated.ts, unless a decorator
 * already declared one), a 400 wherever it takes query parameters or a body
 * (a 413 too for a body), and every error as a problem.
 */
function documentResponses(document: OpenAPIObject): void {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ProblemDetails: PROBLEM_DETAILS_SCHEMA },
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation: OperationObject | undefined = pathItem[method];
      if (operation === undefined) continue;
      const responses = operation.responses as Record<string, ResponseObject>;
      const generated = operation.operationId === undefined ? undefined : RESPONSE_SCHEMAS[operation.operationId];
      const declared = Object.entries(responses).some(([status, response]) => isSuccess(status) && response.content);
      if (generated !== undefined && !declared) {
        for (const status of Object.keys(responses).filter(isSuccess)) delete responses[status];
        responses[String(generated.status)] = {
          description: SUCCESS_DESCRIPTIONS[generated.status] ?? 'Success',
          content: { [generated.mediaType]: { schema: componentOrInline(document, generated) } },
        };
      } else if (declared) {
        // A decorator declared the answer: drop the bare default @nestjs/swagger adds beside it.
        for (const [status, response] of Object.entries(responses)) {
          if (isSuccess(status) && !response.content) delete responses[status];
        }
      }
      // A path parameter that names nothing is a 404; the routes that check one's form declare their 400.
      const takesInput =
        (operation.parameters ?? []).some((parameter) => 'in' in parameter && parameter.in === 'query') ||
        operation.requestBody !== undefined;
      if (takesInput && responses['400'] === undefined) {
        responses['400'] = {
          description: 'REQUEST_INVALID: invalid or unknown parameters or body members (named in `fields`)',
        };
      }
      if (operation.requestBody !== undefined && responses['413'] === undefined) {
        responses['413'] = { description: 'PAYLOAD_TOO_LARGE: the body is larger than this route accepts' };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (isError(status) && !response.content) response.content = { [PROBLEM_JSON]: { schema: PROBLEM_REF } };
      }
    }
  }
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
