import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IngestorConfig } from '../ingestor.config';
import { INGESTOR_CONFIG } from '../ingestor.tokens';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** `Bearer <credentials>`, the scheme in any case (RFC 9110 §11.1). */
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The doors open without a credential: the probes and /metrics, for the
 * kubelet and Prometheus. Every other route is guarded (fail closed): the
 * router matches paths in any case and with a trailing slash, so a list of
 * guarded prefixes would let `/V1/uploads` past it.
 */
const OPEN_PATH = /^\/(?:health(?:\/(?:ready|live))?|metrics)\/?$/i;

/**
 * Whether `authorization` carries `expected` as a bearer token. Both sides are
 * hashed to fixed-length digests first, so the comparison takes the same time
 * whatever the presented value and reveals neither its length nor a prefix.
 */
export function presentsServiceToken(authorization: string | undefined, expected: string): boolean {
  const presented = BEARER.exec(authorization ?? '')?.[1];
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * With INGESTOR_SERVICE_TOKEN set, every door but the probes and /metrics
 * (uploads, ingestions, jobs) answers only a caller that sends it: the API gateway, which has checked the
 * person's role. Without it the ingestor listens on loopback only (see
 * ingestor.config.ts) and this guard lets everything through.
 */
@Injectable()
export class ServiceCredentialGuard implements CanActivate {
  constructor(@Inject(INGESTOR_CONFIG) private readonly config: Pick<IngestorConfig, 'serviceToken'>) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.serviceToken;
    if (expected === null || context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (OPEN_PATH.test(request.path)) return true;
    if (presentsServiceToken(request.headers.authorization, expected)) return true;
    const response = http.getResponse<Response>();
    response.setHeader('WWW-Authenticate', 'Bearer realm="claims-ingestor"');
    // Nothing of an upload's body is read: close the connection after the answer rather than drain it.
    response.setHeader('connection', 'close');
    throw new UnauthorizedException({
      code: 'SERVICE_CREDENTIAL_REQUIRED',
      message: 'the ingestor doors answer the API gateway only: send INGESTOR_SERVICE_TOKEN as a bearer token',
    });
  }
}
