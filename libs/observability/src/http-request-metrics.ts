import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './service-http.tokens';

/** Requests a service answered: rate (`_count`), errors (`status_code`) and latency, by route. */
export type HttpRequestDurationHistogram = Histogram<'method' | 'route' | 'status_code'>;

const httpMetricsByRegistry = new WeakMap<Registry, HttpRequestDurationHistogram>();

/** The HTTP request histogram of a registry, created once however many times a service asks. */
export function createHttpRequestMetrics(registry: Registry): HttpRequestDurationHistogram {
  const existing = httpMetricsByRegistry.get(registry);
  if (existing) return existing;
  const histogram = new Histogram({
    name: 'claims_http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to finishing its response, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  httpMetricsByRegistry.set(registry, histogram);
  return histogram;
}

/**
 * The route label: the matched route's template (`/v1/ingestions/:fileId`),
 * never the raw URL, so ids in paths cannot grow the series without bound.
 * A request no route matched is `unmatched`.
 */
export function routeTemplateOf(request: Pick<Request, 'baseUrl' | 'route'>): string {
  const template: unknown = (request.route as { path?: unknown } | undefined)?.path;
  return typeof template === 'string' ? `${request.baseUrl}${template}` : 'unmatched';
}

/**
 * Probes and scrapes arrive every few seconds from every prober; counted,
 * they would drown the requests people make. Their failures show in the
 * probers themselves (`up`, probe events).
 */
const UNMEASURED_PATHS = /^\/(metrics|health(\/.*)?)$/;

/**
 * Records every answered request, including those a guard refused before any
 * handler ran (a 401 is an error an operator wants to see): an interceptor
 * would run after the guards and miss them, so this is a middleware.
 */
@Injectable()
export class HttpRequestMetricsMiddleware implements NestMiddleware {
  private readonly durationSeconds: HttpRequestDurationHistogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.durationSeconds = createHttpRequestMetrics(registry);
  }

  use(request: Request, response: Response, next: NextFunction): void {
    // originalUrl: under a middleware mount, `path` is relative to the mount point.
    if (UNMEASURED_PATHS.test(request.originalUrl.split('?')[0] ?? '')) {
      next();
      return;
    }
    const stopTimer = this.durationSeconds.startTimer();
    // 'close' comes after 'finish', and alone when the client went away first:
    // such a request is counted as 499 (client closed request), as nginx does.
    response.once('close', () => {
      stopTimer({
        method: request.method,
        route: routeTemplateOf(request),
        status_code: response.writableFinished ? String(response.statusCode) : '499',
      });
    });
    next();
  }
}
