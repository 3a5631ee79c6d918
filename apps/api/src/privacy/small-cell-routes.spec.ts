import type { ApiRoute } from '../auth/route-table';
import { routesUndeclaredForSmallCells } from './small-cell-routes';

const route = (path: string, permission: ApiRoute['permission'], smallCells: ApiRoute['smallCells']): ApiRoute => ({
  method: 'GET',
  path,
  permission,
  smallCells,
  csvTable: null,
  controller: 'SpecController',
  handler: 'handle',
});

describe('the small-cell declaration of every route', () => {
  it('names each route an analyst or the ingest role may call that declares nothing, and no other', () => {
    expect(
      routesUndeclaredForSmallCells([
        route('/v1/kpis/new-figure', 'kpis:read', null),
        route('/v1/ingestions/new', 'ingestions:read', null),
        route('/v1/kpis/payments', 'kpis:read', { kind: 'cells', spec: {} }),
        route('/v1/kpis/pended-queue/work-queue', 'kpis:read', { kind: 'none', why: 'a record listing' }),
        route('/v1/reports/kpis.pdf', 'exports:read', { kind: 'handler', how: 'the report applies it' }),
        route('/v1/claims/:claimId', 'claims:read', null),
        route('/v1/audit', 'audit:read', null),
        route('/health', null, null),
      ]),
    ).toEqual(['GET /v1/ingestions/new', 'GET /v1/kpis/new-figure']);
  });
});
