import { DASHBOARD_CONTENT_SECURITY_POLICY, loadDashboardAssets } from './dashboard';

const text = (path: string): string => {
  const asset = loadDashboardAssets().get(path);
  if (asset === undefined) throw new Error(`no asset at ${path}`);
  return asset.body.toString('utf8');
};

describe('the dashboard assets', () => {
  it('serves the page, its one script and its style sheet, each with a strong tag', () => {
    const assets = loadDashboardAssets();
    expect([...assets.keys()].sort()).toEqual(['/', '/dashboard.css', '/dashboard.js']);
    for (const asset of assets.values()) expect(asset.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(assets.get('/dashboard.js')?.contentType).toBe('text/javascript; charset=utf-8');
  });

  it('holds no inline script, event handler or style attribute, which its policy would refuse to run', () => {
    const page = text('/');
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.[1]).toContain('src="/dashboard/dashboard.js"');
    expect(scripts[0]?.[2]?.trim()).toBe('');
    expect(page).not.toMatch(/\son[a-z]+\s*=/i);
    expect(page).not.toMatch(/\sstyle\s*=/i);
  });

  it('loads nothing from another origin: every URL in the page is under /dashboard or data:', () => {
    const urls = [...text('/').matchAll(/\s(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^(\/dashboard\/|data:)/);
  });

  it('builds the DOM from text, never from markup, and evaluates no strings', () => {
    const script = text('/dashboard.js');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
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
