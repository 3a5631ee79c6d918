import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** The media type of an error body (RFC 9457 §3). */
export const PROBLEM_JSON = 'application/problem+json';

/**
 * Problem types are `tag:` URIs (RFC 4151): stable identifiers a client may
 * compare, which name no host to dereference (RFC 9457 §3.1.1 lets a type
 * URI be unresolvable), so they outlive wherever the API is deployed.
 */
export const PROBLEM_TYPE_PREFIX = 'tag:claims-event-pipeline,2026:problem:';

/** An error body as RFC 9457 defines it, plus `code`, the stable name clients switch on. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  /** Extension members: `fields` of a 400, `required` of a 403, `checks` of a 503. */
  [extension: string]: unknown;
}

/**
 * Titles of the codes the API answers with: one per problem type, the same
 * on every occurrence (RFC 9457 §3.1.3); what differs goes in `detail`.
 */
const TITLES: Readonly<Record<string, string>> = {
  REQUEST_INVALID: 'The request has invalid parameters',
  BODY_INVALID: 'The request body is not valid JSON',
  BODY_CONTENT_TYPE: 'The request body must be sent as JSON',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  AUTHENTICATION_REQUIRED: 'Authentication is required',
  TOKEN_EXPIRED: 'The bearer token has expired',
  TOKEN_SIGNATURE_INVALID: 'The bearer token is not signed by this API',
  TOKEN_MALFORMED: 'The bearer token is malformed',
  TOKEN_INVALID: 'The bearer token is not accepted',
  API_KEY_INVALID: 'The API key is unknown or revoked',
  PERMISSION_DENIED: 'The role may not use this route',
  RATE_LIMITED: 'Too many requests',
  ROUTE_NOT_FOUND: 'No such route',
  METHOD_NOT_ALLOWED: 'The route does not answer this method',
  INTERNAL_ERROR: 'Internal server error',
};

/** Members of Nest's and our exception bodies that the problem's own members replace. */
const REPLACED = new Set(['statusCode', 'status', 'message', 'error', 'type', 'title', 'detail', 'code', 'instance']);

const reasonPhrase = (status: number): string => STATUS_CODES[status] ?? 'Error';

/** `Not Found` → `NOT_FOUND`: the code of an error thrown without one (Nest's own, a library's). */
const codeOfStatus = (status: number): string =>
  reasonPhrase(status)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

export function problemType(code: string): string {
  return `${PROBLEM_TYPE_PREFIX}${code.toLowerCase().replace(/_/g, '-')}`;
}

function problem(
  status: number,
  code: string,
  detail: string | undefined,
  extensions: Record<string, unknown>,
): ProblemDetails {
  const title = TITLES[code] ?? reasonPhrase(status);
  return { type: problemType(code), title, status, detail: detail ?? title, code, ...extensions };
}

function fieldsDetail(fields: unknown): string | undefined {
  if (!Array.isArray(fields) || fields.length === 0) return undefined;
  return `invalid or unknown: ${fields.map(String).join(', ')}`;
}

/** What Nest's own exceptions are: its router's 404 for an unknown path, the 400 it makes of a body parser's SyntaxError. */
function nestProblem(status: number, message: string): { code: string; detail: string } | undefined {
  if (status === 404 && /^Cannot [A-Z]+ /.test(message)) {
    return { code: 'ROUTE_NOT_FOUND', detail: 'no route answers this method and path' };
  }
  if (status === 400 && /JSON/.test(message)) return BODY_PARSER_ERRORS['entity.parse.failed'];
  return undefined;
}

/** An error from the body parser or another http-errors user: a 4xx it meant the client to see. */
interface ExposedHttpError {
  status: number;
  expose: true;
  type?: unknown;
}

function isExposedHttpError(error: unknown): error is ExposedHttpError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { status?: unknown; expose?: unknown };
  return (
    candidate.expose === true &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}

/** body-parser's error types (its `type` member), as codes and details that echo none of the body. */
const BODY_PARSER_ERRORS: Readonly<Record<string, { code: string; detail: string }>> = {
  'entity.parse.failed': { code: 'BODY_INVALID', detail: 'the request body could not be parsed as JSON' },
  'entity.too.large': { code: 'PAYLOAD_TOO_LARGE', detail: 'the request body is larger than this route accepts' },
};

/**
 * The problem a thrown value answers as. An HttpException of ours keeps its
 * code and its extra members (`fields`, `required`, …), its message becoming
 * the detail; one of Nest's keeps its status, not its message; a 4xx from
 * the body parser keeps its status; anything else is a 500 whose body says
 * nothing of the error: what failed, and where, is for the log, never for
 * the client (no message, no stack).
 */
export function problemOf(error: unknown, instance?: string): ProblemDetails {
  const where = instance === undefined ? {} : { instance };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const body: Record<string, unknown> =
      typeof response === 'string' ? { message: response } : { ...(response as Record<string, unknown>) };
    const extensions = Object.fromEntries(Object.entries(body).filter(([key]) => !REPLACED.has(key)));
    if (typeof body['code'] === 'string') {
      // Ours: thrown with a stable code and a message written for the client.
      const message = typeof body['message'] === 'string' ? body['message'] : undefined;
      return problem(status, body['code'], message ?? fieldsDetail(body['fields']), { ...extensions, ...where });
    }
    // Nest's or a library's: its message may quote the request (a JSON parse error quotes the body), so it stays out.
    const known = nestProblem(status, typeof body['message'] === 'string' ? body['message'] : '');
    return problem(status, known?.code ?? codeOfStatus(status), known?.detail, { ...extensions, ...where });
  }
  if (isExposedHttpError(error)) {
    const known = typeof error.type === 'string' ? BODY_PARSER_ERRORS[error.type] : undefined;
    return problem(error.status, known?.code ?? codeOfStatus(error.status), known?.detail, where);
  }
  return problem(500, 'INTERNAL_ERROR', 'the API failed to answer; the failure is in its log', where);
}
