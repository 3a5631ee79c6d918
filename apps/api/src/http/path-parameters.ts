import { BadRequestException } from '@nestjs/common';

/**
 * Express's router decodes each path parameter with decodeURIComponent; a
 * segment that is not valid percent-encoded UTF-8 (`%ff`, a truncated
 * sequence) throws a URIError with this message, which Nest turns into a
 * bare 400 before any route, guard or handler has run.
 */
const PATH_DECODE_FAILURE = /^Failed to decode param\b/;

/** Whether a thrown value is the router's refusal of a path segment it could not decode. */
export function isPathDecodeFailure(error: unknown): boolean {
  let message: unknown;
  if (error instanceof URIError) message = error.message;
  else if (error instanceof BadRequestException) {
    const response = error.getResponse();
    message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  }
  return typeof message === 'string' && PATH_DECODE_FAILURE.test(message);
}

/** A route as the router matches it: the method and the Express template, `/v1/claims/:claimId`. */
export interface RouteTemplate {
  method: string;
  path: string;
}

const decodes = (segment: string): boolean => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/**
 * The raw segments of `rawPath` that stand for `template`'s parameters, by
 * name, when the path has the template's shape as the router matches it:
 * literal segments in any letter case, a parameter one non-empty segment,
 * one trailing slash allowed. Null when it has not.
 */
function parameterSegments(template: string, rawPath: string): Map<string, string> | null {
  const segments = (rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath).split('/');
  const parts = template.split('/');
  if (parts.length !== segments.length) return null;
  const parameters = new Map<string, string>();
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) {
      if (segment === '') return null;
      parameters.set(part.slice(1), segment);
    } else if (part.toLowerCase() !== segment.toLowerCase()) {
      return null;
    }
  }
  return parameters;
}

const routeMethod = (method: string): string => (method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase());

/**
 * The route of `method` that would serve `rawPath` (not yet decoded) and the
 * name of its parameter whose segment is not valid percent-encoded UTF-8.
 * Undefined when no route of `method` has the path's shape.
 */
export function undecodablePathParameter(
  routes: readonly RouteTemplate[],
  method: string,
  rawPath: string,
): { route: string; parameter: string } | undefined {
  for (const route of routes) {
    if (route.method !== routeMethod(method)) continue;
    const parameters = parameterSegments(route.path, rawPath);
    const parameter = [...(parameters ?? [])].find(([, segment]) => !decodes(segment))?.[0];
    if (parameter !== undefined) return { route: route.path, parameter };
  }
  return undefined;
}

/**
 * The routes of `rawPath`'s shape (the first one's template, for the
 * problem's instance) and the methods they answer, for the Allow header of
 * a 405 (RFC 9110 §15.5.6): HEAD wherever GET is, as the router answers it.
 * Undefined when no route has the path's shape: an unknown path, a 404.
 */
export function allowedMethods(
  routes: readonly RouteTemplate[],
  rawPath: string,
): { route: string; methods: string[] } | undefined {
  const matching = routes.filter((route) => parameterSegments(route.path, rawPath) !== null);
  const first = matching[0];
  if (first === undefined) return undefined;
  const methods = new Set(matching.map((route) => route.method));
  if (methods.has('GET')) methods.add('HEAD');
  return { route: first.path, methods: [...methods].sort() };
}

/** The message of a parameter's refusal: what is wrong, never the bytes the client sent. */
export function undecodableParameterRefusal(parameter: string): BadRequestException {
  return new BadRequestException({
    code: 'REQUEST_INVALID',
    message: `${parameter} is not valid percent-encoded UTF-8`,
    fields: [parameter],
  });
}
