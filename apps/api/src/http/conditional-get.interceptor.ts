import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, map, switchMap, type Observable } from 'rxjs';
import { REQUIRED_PERMISSION } from '../auth/bearer-token.guard';
import type { Permission } from '../auth/permissions';
import { honourIfNoneMatchOnly, httpDate, representationOf, strongEtag } from './conditional-get';
import { KpiFreshnessRepository } from './kpi-freshness.repository';

/**
 * Cheap polling of the protected GET routes (a dashboard refreshing its
 * panels): a strong ETag over the body sent, `Cache-Control: private,
 * no-cache` (any cache may keep it for this caller only, and must revalidate
 * each time), and on the KPI routes a Last-Modified of the latest fold.
 *
 * The 304 itself is Express's: `res.send` answers 304 without a body when
 * the request's If-None-Match names the tag set here (weak comparison, RFC
 * 9110 §13.1.2); see honourIfNoneMatchOnly for the preconditions it is left.
 *
 * Routes that write their own response (the Prometheus scrape) return
 * nothing here and are left alone, as are public routes (health).
 */
@Injectable()
export class ConditionalGetInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly freshness: KpiFreshnessRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, [
      context.getHandler(),
      context.getClass(),
    ]);
    // HEAD runs the GET handler (Express routes it there) and must carry the GET's headers (RFC 9110 §9.3.2):
    // left to Express, it would be tagged with a weak tag of its own that no GET ever matches.
    if ((request.method !== 'GET' && request.method !== 'HEAD') || permission === undefined) return next.handle();
    honourIfNoneMatchOnly(request.headers);
    // Read before the handler runs, so the date is never later than the figures it labels.
    const lastModified = permission === 'kpis:read' ? this.freshness.lastCommittedAt() : Promise.resolve(null);
    return from(lastModified).pipe(
      switchMap((committedAt) =>
        next.handle().pipe(
          map((body: unknown) => {
            if (body === undefined || response.headersSent) return body;
            response.setHeader('ETag', strongEtag(representationOf(body)));
            if (committedAt !== null) response.setHeader('Last-Modified', httpDate(committedAt));
            if (!response.hasHeader('Cache-Control')) response.setHeader('Cache-Control', 'private, no-cache');
            return body;
          }),
        ),
      ),
    );
  }
}
