import type { INestApplication } from '@nestjs/common';
import { serveDashboard } from './dashboard/dashboard';
import { serveOpenApi } from './openapi/openapi';

/** What the API serves outside its controllers, before it listens: the OpenAPI document and page, the dashboard. */
export function configureApiHttp(app: INestApplication): void {
  serveOpenApi(app);
  serveDashboard(app);
}
