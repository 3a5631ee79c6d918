import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PERMISSION_ROLES, roleMay } from '../auth/permissions';
import { routeTableOf, type ApiRoute } from '../auth/route-table';

/**
 * The routes a role without `kpis:small-cells` may call that say nothing
 * about small cells (`GET /v1/kpis/…`): a new route must declare its cells,
 * or that the handler applies the policy, or that it counts no members.
 */
export function routesUndeclaredForSmallCells(routes: readonly ApiRoute[]): string[] {
  return routes
    .filter(
      (route) =>
        route.permission !== null &&
        route.smallCells === null &&
        PERMISSION_ROLES[route.permission].some((role) => !roleMay(role, 'kpis:small-cells')),
    )
    .map((route) => `${route.method} ${route.path}`)
    .sort();
}

/** Refuses to start an API with a route that could hand an analyst a small cell without saying so. */
@Injectable()
export class SmallCellRouteCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared = routesUndeclaredForSmallCells(routeTableOf(this.discovery, this.scanner, this.reflector));
    if (undeclared.length > 0) {
      throw new Error(
        `routes an analyst may call must declare their small cells (@SmallCells, @SmallCellsAppliedByHandler or ` +
          `@NoSmallCells, apps/api/src/privacy): ${undeclared.join(', ')}`,
      );
    }
  }
}
