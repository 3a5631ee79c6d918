import { Inject, Injectable } from '@nestjs/common';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import type { ApiPrincipal } from '../auth/bearer-token.guard';
import { roleMay } from '../auth/permissions';
import {
  suppressDeclaredSmallCells,
  suppressSmallCells,
  type AnySmallCellSpec,
  type SmallCellSpec,
  type Withheld,
} from './small-cell';

/** The small-cell policy of this API: its threshold, and who sees small cells as they are. */
@Injectable()
export class SmallCellPolicy {
  /** Null when suppression is off (API_SMALL_CELL_THRESHOLD 0 or 1). */
  readonly threshold: number | null;

  constructor(@Inject(API_CONFIG) config: Pick<ApiConfig, 'smallCells'>) {
    this.threshold = config.smallCells === null ? null : config.smallCells.threshold;
  }

  /** Whether this caller's answers have their small cells withheld: anyone without `kpis:small-cells`, or no one. */
  withholdsFrom(principal: ApiPrincipal | undefined): boolean {
    return this.threshold !== null && !(principal !== undefined && roleMay(principal.role, 'kpis:small-cells'));
  }

  /** The answer as this caller may see it. */
  apply<T>(principal: ApiPrincipal | undefined, answer: T, spec: SmallCellSpec<T>): Withheld<T> {
    return this.threshold !== null && this.withholdsFrom(principal)
      ? suppressSmallCells(answer, spec, this.threshold)
      : (answer as Withheld<T>);
  }

  /** The same for an answer known only as JSON, with the spec a route declared (the interceptor's case). */
  applyDeclared(principal: ApiPrincipal | undefined, answer: unknown, spec: AnySmallCellSpec): unknown {
    return this.threshold !== null && this.withholdsFrom(principal)
      ? suppressDeclaredSmallCells(answer, spec, this.threshold)
      : answer;
  }
}
