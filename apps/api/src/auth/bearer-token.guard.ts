import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { looksLikeJwt, verifyApiToken } from '@claims/contracts';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import type { ApiRole } from './api-role';
import { API_KEY_AUTHENTICATOR, type ApiKeyAuthenticator } from './api-key-authenticator';
import { LEGACY_ROLE_PERMISSION, roleMay, type Permission } from './permissions';

export const REQUIRED_PERMISSION = 'claims:required-permission';

/**
 * What a route needs (see PERMISSION_ROLES). Routes without it are public:
 * only health and metrics, which the route-table test holds to.
 */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_PERMISSION, permission);

/**
 * @deprecated name the permission with RequirePermission; kept so controllers
 * written before the permission table keep their meaning (`analyst` reads KPIs).
 */
export const RequireRole = (role: keyof typeof LEGACY_ROLE_PERMISSION): MethodDecorator & ClassDecorator =>
  RequirePermission(LEGACY_ROLE_PERMISSION[role]);

/** Who called: set on the request by the guard, for handlers and the audit log. */
export interface ApiPrincipal {
  role: ApiRole;
  /** The token's `sub`, the API key's id, or `static` for an API_TOKENS token. */
  subject: string;
  via: 'static-token' | 'signed-token' | 'api-key';
}

/**
 * A request as the guard leaves it: who called (once authenticated, even when
 * then refused with 403) and what the route needs, for the audit log.
 */
export type AuthenticatedRequest = Request & { principal?: ApiPrincipal; requiredPermission?: Permission };

const REALM = 'realm="claims-api"';

/** A 401 with a stable code and the challenges a client may answer (RFC 9110 §11.6.1, RFC 6750 §3). */
function unauthorized(response: Response, code: string, message: string, invalidToken: boolean): never {
  const bearer = invalidToken
    ? `Bearer ${REALM}, error="invalid_token", error_description="${code}"`
    : `Bearer ${REALM}`;
  response.setHeader('WWW-Authenticate', [bearer, `ApiKey ${REALM}`]);
  throw new UnauthorizedException({ statusCode: 401, code, message });
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** `Scheme credentials`, the scheme matched case-insensitively (RFC 9110 §11.1). */
const AUTHORIZATION = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)[ \t]+(\S+)[ \t]*$/;

/**
 * Authenticates every request to a route that names a permission, by one of:
 * `Authorization: Bearer <jwt>` (HS256, signed with API_TOKEN_SECRET, with an
 * expiry), `Authorization: Bearer <static token>` (API_TOKENS, for bootstrap
 * and the harness), `Authorization: ApiKey <key>` or `X-API-Key: <key>`
 * (keys stored hashed in api_key). Then authorises by the permission table.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly tokenDigests: Array<{ digest: Buffer; role: ApiRole }>;
  private readonly tokenSecret: string | null;

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'tokens'> & Partial<Pick<ApiConfig, 'tokenSecret'>>,
    // Optional so a slice of the API (a spec with a module or two) runs without the key store.
    @Optional() @Inject(API_KEY_AUTHENTICATOR) private readonly apiKeys: ApiKeyAuthenticator | null = null,
  ) {
    this.tokenDigests = [...config.tokens].map(([token, role]) => ({ digest: digest(token), role }));
    this.tokenSecret = config.tokenSecret ?? null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    request.requiredPermission = required;
    const principal = await this.authenticate(request, http.getResponse<Response>());
    // Set before the role check: a refusal is audited with who was refused.
    request.principal = principal;
    if (!roleMay(principal.role, required)) {
      throw new ForbiddenException({
        statusCode: 403,
        code: 'PERMISSION_DENIED',
        message: `the ${principal.role} role may not use this route`,
        required,
      });
    }
    return true;
  }

  private async authenticate(request: Request, response: Response): Promise<ApiPrincipal> {
    const header = request.headers.authorization;
    const keyHeader = request.headers['x-api-key'];
    if (header === undefined && typeof keyHeader === 'string') return this.apiKey(keyHeader.trim(), response);
    if (header === undefined) {
      return unauthorized(response, 'AUTHENTICATION_REQUIRED', 'send a bearer token or an API key', false);
    }
    const match = AUTHORIZATION.exec(header);
    const scheme = match?.[1]?.toLowerCase();
    const credentials = match?.[2] ?? '';
    if (scheme === 'apikey') return this.apiKey(credentials, response);
    if (scheme !== 'bearer') {
      return unauthorized(response, 'AUTHENTICATION_REQUIRED', 'the Authorization scheme is Bearer or ApiKey', false);
    }
    // Compare fixed-length digests in constant time, so response timing reveals nothing about static tokens.
    const presented = digest(credentials);
    const holder = this.tokenDigests.find((entry) => timingSafeEqual(entry.digest, presented));
    if (holder) return { role: holder.role, subject: 'static', via: 'static-token' };
    if (this.tokenSecret === null || !looksLikeJwt(credentials)) {
      return unauthorized(response, 'TOKEN_INVALID', 'the bearer token is not one this API accepts', true);
    }
    const verified = verifyApiToken(credentials, this.tokenSecret, Date.now() / 1000);
    if (!verified.ok) {
      const messages = {
        TOKEN_EXPIRED: 'the bearer token has expired: issue a new one',
        TOKEN_SIGNATURE_INVALID: 'the bearer token is not signed by this API',
        TOKEN_MALFORMED: 'the bearer token is not a well-formed HS256 token with sub, role, iat and exp',
      } as const;
      return unauthorized(response, verified.code, messages[verified.code], true);
    }
    return { role: verified.claims.role, subject: verified.claims.sub, via: 'signed-token' };
  }

  private async apiKey(key: string, response: Response): Promise<ApiPrincipal> {
    const holder = this.apiKeys === null ? null : await this.apiKeys.authenticate(key);
    if (holder === null) {
      return unauthorized(response, 'API_KEY_INVALID', 'the API key is unknown or revoked', false);
    }
    return { role: holder.role, subject: holder.keyId, via: 'api-key' };
  }
}
