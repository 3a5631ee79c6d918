import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import type { AuthenticatedRequest } from '../auth/bearer-token.guard';
import { TokenBucketLimiter } from './token-bucket';

/** Probes and the Prometheus scrape: a liveness check must never be answered 429. */
const EXEMPT_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/**
 * Per-client rate limit, a token bucket per principal (a signed token's
 * subject, an API key) or, on a public route, per client address. Bound
 * after the bearer guard, so it sees who called: a request without valid
 * credentials is refused (401) before it costs a bucket, and guessing
 * credentials is not what this limits: tokens and keys carry 192+ random
 * bits, and a key is checked with one indexed read.
 *
 * The static API_TOKENS are not limited: they are the operator's service
 * tokens, which the harness, `npm run ingest` and the other CLIs poll with
 * (several files followed at once would trip a per-client limit and fail the
 * command); people and integrations hold signed tokens or API keys.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: TokenBucketLimiter | null;

  constructor(@Inject(API_CONFIG) config: Pick<ApiConfig, 'rateLimit'>) {
    this.limiter = config.rateLimit === null ? null : new TokenBucketLimiter(config.rateLimit);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    if (this.limiter === null || EXEMPT_PATHS.has(request.path)) return true;
    const principal = request.principal;
    if (principal?.via === 'static-token') return true;
    // `request.ip` is the peer address: no proxy is trusted to name the client (Express `trust proxy` is off).
    const key = principal ? `${principal.via}:${principal.subject}` : `ip:${request.ip ?? 'unknown'}`;
    const decision = this.limiter.take(key);
    if (decision.allowed) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw new HttpException(
      {
        code: 'RATE_LIMITED',
        message: `too many requests from this client: retry in ${decision.retryAfterSeconds} s`,
        retryAfterSeconds: decision.retryAfterSeconds,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
