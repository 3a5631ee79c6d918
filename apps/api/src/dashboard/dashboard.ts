import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { API_ROLES } from '../auth/api-role';
import { PERMISSIONS, roleMay } from '../auth/permissions';
import { honourIfNoneMatchOnly, strongEtag } from '../http/conditional-get';

/** Where the page is served; its script and style sit under it. */
export const DASHBOARD_PATH = '/dashboard';

/** The page's script modules: the one the page loads first, then those it imports. */
export const DASHBOARD_SCRIPTS = ['dashboard.js', 'api.js', 'dom.js', 'claim.js', 'uploads.js'] as const;

/**
 * The page holds no data (every figure comes from the /v1 routes, with the
 * analyst's token), so it is served without credentials, like /v1/docs. The
 * policy lets it load only its own script and style and talk only to this
 * API: an injected `<script>` or inline handler does not run, and the token
 * cannot be sent elsewhere.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // The empty data: favicon, so the browser asks for no /favicon.ico.
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** The page's files, by the path under DASHBOARD_PATH that serves them; nothing else is served from the folder (the role table below is made from code). */
const FILES: ReadonlyArray<{ paths: string[]; file: string; contentType: string }> = [
  { paths: ['/'], file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { paths: ['/dashboard.css'], file: 'dashboard.css', contentType: 'text/css; charset=utf-8' },
  // The script is ES modules: dashboard.js (the KPI panels, live refresh, the session) imports the rest.
  ...DASHBOARD_SCRIPTS.map((file) => ({ paths: [`/${file}`], file, contentType: 'text/javascript; charset=utf-8' })),
];

/**
 * The chart library, served from this API as it is published on npm (so the
 * page's policy still loads scripts from 'self' only): Observable Plot, as
 * its UMD build, and the D3 build it runs on. The page loads them before its
 * modules; dom.js draws every chart with the global `Plot`.
 */
export const DASHBOARD_VENDOR_SCRIPTS: ReadonlyArray<{ path: string; packageName: string; file: string }> = [
  { path: '/vendor/d3.min.js', packageName: 'd3', file: 'dist/d3.min.js' },
  { path: '/vendor/plot.umd.min.js', packageName: '@observablehq/plot', file: 'dist/plot.umd.min.js' },
];

/**
 * A file of an installed package, found as Node finds the package (the
 * nearest node_modules up from here): both publish their UMD build under an
 * export condition (`umd`) that require.resolve does not take.
 */
function installedPackageFile(packageName: string, file: string): string {
  for (let folder = __dirname; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', packageName, file);
    if (existsSync(candidate)) return candidate;
    if (dirname(folder) === folder) throw new Error(`${packageName}/${file} is not installed`);
  }
}

/** Where the page reads which permissions each role holds. */
export const DASHBOARD_ROLES_PATH = '/roles.json';

/**
 * Each role's permissions, from the API's own table: the page reads the role
 * a signed token names and shows only what that role may use (no claim link
 * to an analyst, the upload form to ingest and admin). The API still decides
 * every request; this only spares a user buttons that would answer 403. It
 * holds no data: the same table is in the README and the OpenAPI document.
 */
export function dashboardRolePermissions(): Record<string, string[]> {
  return Object.fromEntries(
    API_ROLES.map((role) => [role, PERMISSIONS.filter((permission) => roleMay(role, permission))]),
  );
}

/** The assets, read once at boot: from src/ under ts-jest, from dist/ (scripts/build.mjs copies them) when built. */
export function loadDashboardAssets(folder = join(__dirname, 'static')): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const { paths, file, contentType } of FILES) {
    const body = readFileSync(join(folder, file));
    const asset = { body, contentType, etag: strongEtag(body.toString('utf8')) };
    for (const path of paths) assets.set(path, asset);
  }
  for (const { path, packageName, file } of DASHBOARD_VENDOR_SCRIPTS) {
    const body = readFileSync(installedPackageFile(packageName, file));
    assets.set(path, { body, contentType: 'text/javascript; charset=utf-8', etag: strongEtag(body.toString('utf8')) });
  }
  const roles = JSON.stringify(dashboardRolePermissions());
  assets.set(DASHBOARD_ROLES_PATH, {
    body: Buffer.from(roles, 'utf8'),
    contentType: 'application/json; charset=utf-8',
    etag: strongEtag(roles),
  });
  return assets;
}

/**
 * Serves the dashboard at /dashboard from memory. Browsers revalidate each
 * load (`no-cache`) and get a 304 while the file is unchanged, so a new
 * release is picked up at once without a hashed file name.
 */
export function serveDashboard(app: INestApplication, assets = loadDashboardAssets()): void {
  app.use(DASHBOARD_PATH, (request: Request, response: Response, next: NextFunction) => {
    const asset = assets.get(request.path);
    if (asset === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      next();
      return;
    }
    response.setHeader('Content-Security-Policy', DASHBOARD_CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('ETag', asset.etag);
    response.setHeader('Content-Type', asset.contentType);
    // Express's freshness check: 304 without a body when If-None-Match names the tag.
    honourIfNoneMatchOnly(request.headers);
    response.status(200).send(asset.body);
  });
}
