import { LOGGER, redactUrlForSpan } from '@claims/observability';
import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { PROBLEM_JSON, problemOf } from './problem-details';

/**
 * Which route failed, for the log and as the problem's `instance`: its
 * template (`/v1/claims/:claimId`), as the audit log names it, never the
 * path, whose parameters are a claim id or another identifier, nor the
 * query, which carries filter values. A request that failed before any route
 * took it (an unknown path) names its path with every identifier-like
 * segment as `:id`, as the traces do.
 */
function routeOf(request: Request): string {
  const template = (request.route as { path?: unknown } | undefined)?.path;
  // `/{*splat}` is no route's: the audit middleware and Nest's not-found handler match every path with it.
  return typeof template === 'string' && !template.includes('*') ? template : redactUrlForSpan(request.path);
}

/**
 * Every error the API answers, as `application/problem+json` (RFC 9457):
 * thrown by a handler, a guard (401 and 403 keep the WWW-Authenticate the
 * guard set), the body parser, or Nest's router (an unknown route). A 5xx is
 * logged here with its stack; the client sees only the code.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // An error body is logged by clients and proxies alike: it names the route, never a claim id in the path.
    const route = routeOf(request);
    const body = problemOf(error, route);
    if (body.status >= 500) {
      this.logger.error({ err: error, method: request.method, route }, 'request failed');
    }
    if (response.headersSent) {
      // A handler that streams (a CSV export) failed mid-body: the status is gone, only ending is left.
      response.end();
      return;
    }
    response.status(body.status).setHeader('Content-Type', PROBLEM_JSON);
    response.json(body);
  }
}
