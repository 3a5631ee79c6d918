import { PERMISSION_ROLES } from '../auth/permissions';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DASHBOARD_CONTENT_SECURITY_POLICY,
  DASHBOARD_ROLES_PATH,
  DASHBOARD_SCRIPTS,
  DASHBOARD_VENDOR_SCRIPTS,
  loadDashboardAssets,
} from './dashboard';

const text = (path: string): string => {
  const asset = loadDashboardAssets().get(path);
  if (asset === undefined) throw new Error(`no asset at ${path}`);
  return asset.body.toString('utf8');
};

describe('the dashboard assets', () => {
  it('serves the page, its script modules, the chart library, its style sheet and the role table, each with a strong tag', () => {
    const assets = loadDashboardAssets();
    expect([...assets.keys()].sort()).toEqual(
      [
        '/',
        '/dashboard.css',
        DASHBOARD_ROLES_PATH,
        ...DASHBOARD_SCRIPTS.map((file) => `/${file}`),
        ...DASHBOARD_VENDOR_SCRIPTS.map(({ path }) => path),
      ].sort(),
    );
    // Every module in the folder is served (a forgotten one would fail to import), and nothing else.
    const folder = readdirSync(join(__dirname, 'static')).filter((file) => file.endsWith('.js'));
    expect(folder.sort()).toEqual([...DASHBOARD_SCRIPTS].sort());
    for (const asset of assets.values()) expect(asset.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(assets.get('/dashboard.js')?.contentType).toBe('text/javascript; charset=utf-8');
    // The chart library as npm publishes it: Observable Plot's UMD build and the D3 it runs on.
    expect(text('/vendor/plot.umd.min.js')).toMatch(/^\/\/ @observablehq\/plot v0\.6\.\d+/);
    expect(text('/vendor/d3.min.js')).toMatch(/^\/\/ https:\/\/d3js\.org v7\.\d+/);
  });

  it('holds no inline script, event handler or style attribute, which its policy would refuse to run', () => {
    const page = text('/');
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    // The chart library's two files, then the page's module: each a file, none inline.
    expect(scripts.map((script) => /src="([^"]+)"/.exec(script[1] ?? '')?.[1])).toEqual([
      ...DASHBOARD_VENDOR_SCRIPTS.map(({ path }) => `/dashboard${path}`),
      '/dashboard/dashboard.js',
    ]);
    for (const script of scripts) expect(script[2]?.trim()).toBe('');
    expect(page).not.toMatch(/\son[a-z]+\s*=/i);
    expect(page).not.toMatch(/\sstyle\s*=/i);
  });

  it('loads nothing from another origin: every URL in the page is under /dashboard or data:', () => {
    const urls = [...text('/').matchAll(/\s(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^(\/dashboard\/|data:)/);
  });

  it("tells the page each role's permissions from the API's own table: claim detail for managers, uploads for ingest", () => {
    const roles = JSON.parse(text(DASHBOARD_ROLES_PATH)) as Record<string, string[]>;
    expect(Object.keys(roles).sort()).toEqual(['admin', 'analyst', 'ingest', 'manager']);
    for (const [permission, holders] of Object.entries(PERMISSION_ROLES)) {
      const granted = Object.keys(roles)
        .filter((role) => roles[role]?.includes(permission))
        .sort();
      expect({ permission, granted }).toEqual({ permission, granted: [...holders].sort() });
    }
    expect(roles['analyst']).not.toContain('claims:read');
    expect(roles['ingest']).toEqual(['ingestions:read', 'uploads:write']);
  });

  it('marks each section with the permission it needs, so a role is shown only what its calls may return', () => {
    const page = text('/');
    const sections = [...page.matchAll(/<(?:section|form)\b[^>]*\bid="([^"]+)"[^>]*>/g)].map((match) => ({
      id: match[1],
      permission: /data-permission="([^"]+)"/.exec(match[0])?.[1] ?? null,
    }));
    const needing = Object.fromEntries(sections.map(({ id, permission }) => [id, permission]));
    expect(needing).toMatchObject({
      filters: 'kpis:read',
      'panel-pended-queue': 'kpis:read',
      'panel-work-queue': 'kpis:read',
      'panel-upload': 'uploads:write',
      // Opened from a claim link, which only claims:read holders are shown.
      'panel-claim': null,
    });
  });

  it('builds the DOM from text, never from markup, and evaluates no strings', () => {
    for (const file of DASHBOARD_SCRIPTS) {
      const script = text(`/${file}`);
      expect({
        file,
        markup: /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/.test(script),
      }).toEqual({
        file,
        markup: false,
      });
    }
  });

  it('imports modules of its own folder only', () => {
    for (const file of DASHBOARD_SCRIPTS) {
      const imports = [...text(`/${file}`).matchAll(/^import [^;]*? from '([^']+)';/gms)].map((match) => match[1]);
      for (const source of imports)
        expect({ file, source }).toEqual({ file, source: expect.stringMatching(/^\.\/[a-z-]+\.js$/) });
    }
  });

  it('allows scripts and connections to its own origin only, with no inline or eval exception', () => {
    const directives = new Map(
      DASHBOARD_CONTENT_SECURITY_POLICY.split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(DASHBOARD_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*/);
  });
});
