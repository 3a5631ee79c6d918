import { LOGGER } from '@claims/observability';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuthenticatedRequest } from '../auth/bearer-token.guard';
import { acceptedRequestId, auditTargetOf, isAudited, isExportMediaType } from './audit-policy';
import { AUDIT_TARGET_LOCAL } from './audit-target';
import { AuditRepository } from './audit.repository';

/** nginx's "client closed request": the caller went away before the answer was sent. */
const CLIENT_CLOSED_REQUEST = 499;

/**
 * Gives every request an id (the caller's X-Request-Id when it is a plain
 * token, else a new UUID; echoed in the answer) and, once the answer is sent,
 * writes an audit row for a request the audit policy names: any state change,
 * the PHI reads and the exports (an answer sent as CSV or PDF). It runs around the guards, so a refusal (401, 403, 429)
 * is recorded too, with whoever the guard found. The route is the template
 * (`/v1/claims/:claimId`), never the path, so no claim id reaches the row
 * unhashed; no body or query string is read.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  constructor(
    private readonly repository: AuditRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  use(request: AuthenticatedRequest, response: Response, next: NextFunction): void {
    const requestId = acceptedRequestId(request.headers['x-request-id']) ?? randomUUID();
    response.setHeader('x-request-id', requestId);
    response.once('close', () => this.record(request, response, requestId));
    next();
  }

  private record(request: AuthenticatedRequest, response: Response, requestId: string): void {
    const route = (request.route as { path?: unknown } | undefined)?.path;
    const permission = request.requiredPermission ?? null;
    const exported = isExportMediaType(response.getHeader('content-type'));
    if (typeof route !== 'string' || !isAudited(request.method, permission, exported)) return;
    const entry = {
      requestId,
      principal: request.principal ?? null,
      method: request.method.toUpperCase(),
      route,
      target: auditTargetOf(request.params ?? {}, response.locals[AUDIT_TARGET_LOCAL]),
      status: response.writableFinished ? response.statusCode : CLIENT_CLOSED_REQUEST,
    };
    this.repository.append(entry).catch((error: unknown) => {
      // The row names no PHI, so it may be logged whole: an audit entry must not vanish without a trace.
      this.logger.error({ err: error, audit: entry }, 'audit row not written');
    });
  }
}
