import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/bearer-token.guard';
import { SmallCellPolicy } from './small-cell.policy';
import { SMALL_CELLS, type SmallCellDeclaration } from './small-cells.decorator';

/**
 * Withholds the small cells of every answer a route declares cells in
 * (@SmallCells), for a caller without `kpis:small-cells`: one place, bound
 * globally, so a handler or service cannot forget it. Bound after the
 * conditional-GET interceptor, so the ETag is over the answer as sent.
 */
@Injectable()
export class SmallCellInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly policy: SmallCellPolicy,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const declaration = this.reflector.getAllAndOverride<SmallCellDeclaration | undefined>(SMALL_CELLS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (declaration?.kind !== 'cells') return next.handle();
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!this.policy.withholdsFrom(principal)) return next.handle();
    const { spec } = declaration;
    return next.handle().pipe(
      map((answer: unknown) => {
        // Fail closed: a route that declares cells and answers anything but JSON would send them unwithheld.
        if (typeof answer !== 'object' || answer === null) {
          throw new Error(
            `${context.getClass().name}.${context.getHandler().name} declares small cells but answered no JSON`,
          );
        }
        return this.policy.applyDeclared(principal, answer, spec);
      }),
    );
  }
}
