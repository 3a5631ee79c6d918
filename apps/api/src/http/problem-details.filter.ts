import { LOGGER, redactUrlForSpan } from '@claims/observability';
import {
  Catch,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { routeTableOf } from '../auth/route-table';
import {
  allowedMethods,
  isPathDecodeFailure,
  undecodableParameterRefusal,
  undecodablePathParameter,
  type RouteTemplate,
} from './path-parameters';
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
  private routes: RouteTemplate[] | undefined;

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // An error body is logged by clients and proxies alike: it names the route, never a claim id in the path.
    const { failure, route } = isPathDecodeFailure(error)
      ? this.pathDecodeFailure(request)
      : { failure: error, route: routeOf(request) };
    let body = problemOf(failure, route);
    if (body.code === 'ROUTE_NOT_FOUND') {
      // Nest's router says 404 for a known path asked with a method it lacks; the client needs 405 and Allow.
      const allowed = allowedMethods(this.routeTable(), request.path);
      if (allowed !== undefined && !allowed.methods.includes(request.method.toUpperCase())) {
        response.setHeader('Allow', allowed.methods.join(', '));
        body = problemOf(
          new HttpException(
            { code: 'METHOD_NOT_ALLOWED', message: `this route answers ${allowed.methods.join(', ')}` },
            HttpStatus.METHOD_NOT_ALLOWED,
          ),
          allowed.route,
        );
      }
    }
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

  /**
   * The router refused a path segment it could not decode before any route
   * took the request, so its error names neither the route nor the
   * parameter: both are found again from the route table, and the client
   * told which parameter is at fault, as for a bad query parameter. A path
   * no route has the shape of is an unknown route, whatever its bytes.
   */
  private pathDecodeFailure(request: Request): { failure: unknown; route: string } {
    const undecodable = undecodablePathParameter(this.routeTable(), request.method, request.path);
    if (undecodable === undefined) {
      return {
        failure: new NotFoundException({ code: 'ROUTE_NOT_FOUND', message: 'no route answers this method and path' }),
        route: routeOf(request),
      };
    }
    return { failure: undecodableParameterRefusal(undecodable.parameter), route: undecodable.route };
  }

  /** The controllers' routes, read once the application is up: they do not change after. */
  private routeTable(): RouteTemplate[] {
    this.routes ??= routeTableOf(this.discovery, this.scanner, this.reflector);
    return this.routes;
  }
}
