import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { roleSatisfies, type ApiRole } from './api-role';

const REQUIRED_ROLE = 'claims:required-role';

/** The least role a route needs; routes without it are public (health, metrics). */
export const RequireRole = (role: ApiRole): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLE, role);

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly tokenDigests: Array<{ digest: Buffer; role: ApiRole }>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.tokenDigests = [...config.tokens].map(([token, role]) => ({ digest: digest(token), role }));
  }

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<ApiRole | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match?.[1]) throw new UnauthorizedException({ code: 'AUTHENTICATION_REQUIRED' });
    // Compare fixed-length digests in constant time, so response timing reveals nothing about tokens.
    const presented = digest(match[1]);
    const holder = this.tokenDigests.find((entry) => timingSafeEqual(entry.digest, presented));
    if (!holder) throw new UnauthorizedException({ code: 'TOKEN_INVALID' });
    if (!roleSatisfies(holder.role, required)) throw new ForbiddenException({ code: 'ROLE_INSUFFICIENT', required });
    return true;
  }
}
