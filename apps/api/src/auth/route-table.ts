import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { CSV_TABLE, type CsvTableDeclaration } from '../exports/csv-table.interceptor';
import { SMALL_CELLS, type SmallCellDeclaration } from '../privacy/small-cells.decorator';
import { REQUIRED_PERMISSION } from './bearer-token.guard';
import type { Permission } from './permissions';

/** One route the API serves, and what it needs (null: public). */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express form, `/v1/ingestions/:fileId`. */
  path: string;
  permission: Permission | null;
  /** What the route says about small cells (@SmallCells, @SmallCellsAppliedByHandler, @NoSmallCells); null: nothing. */
  smallCells: SmallCellDeclaration | null;
  /** The table the route also answers as CSV to `Accept: text/csv` (@CsvTable); null: JSON only. */
  csvTable: CsvTableDeclaration | null;
  controller: string;
  handler: string;
}

const METHODS: Partial<Record<RequestMethod, ApiRoute['method']>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

function joinPath(...segments: string[]): string {
  const joined = segments
    .flatMap((segment) => segment.split('/'))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : [typeof value === 'string' ? value : '/'];

/**
 * Every route of every controller the application holds, read from the same
 * decorator metadata Nest routes by, with the permission the guard will ask.
 * The OpenAPI document and the route-table test both start from it, so a new
 * route is documented and tested against every role without being listed by
 * hand. Needs DiscoveryModule in the application (ApiModule imports it).
 */
export function apiRouteTable(app: INestApplication): ApiRoute[] {
  return routeTableOf(app.get(DiscoveryService), app.get(MetadataScanner), app.get(Reflector));
}

/** The same, from the services a provider is given (the small-cell check reads it before the API listens). */
export function routeTableOf(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type | null;
    if (!controller || !wrapper.instance) continue;
    const prototype = Object.getPrototypeOf(wrapper.instance) as object;
    for (const controllerPath of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const method = requestMethod === undefined ? undefined : METHODS[requestMethod];
        if (method === undefined) continue;
        const permission =
          reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, [handler, controller]) ?? null;
        const smallCells =
          reflector.getAllAndOverride<SmallCellDeclaration | undefined>(SMALL_CELLS, [handler, controller]) ?? null;
        const csvTable = reflector.get<CsvTableDeclaration | undefined>(CSV_TABLE, handler) ?? null;
        for (const handlerPath of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
          routes.push({
            method,
            path: joinPath(controllerPath, handlerPath),
            permission,
            smallCells,
            csvTable,
            controller: controller.name,
            handler: name,
          });
        }
      }
    }
  }
  return routes;
}
