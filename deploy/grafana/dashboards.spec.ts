import { promtool } from '@claims/harness';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  dashboardFiles,
  dashboardQueries,
  panelsOf,
  readDashboard,
  substituteVariables,
  variableQueryAsPromql,
  type DashboardQuery,
} from './dashboard-queries';

const PROVISIONING_DIRECTORY = join(__dirname, 'provisioning');

/**
 * Parses expressions offline: promtool has no "check query", but it parses
 * every expression of a rules file, so each one becomes a recording rule.
 */
function checkExpressionsParse(queries: readonly DashboardQuery[]): { status: number; output: string } {
  const directory = mkdtempSync(join(tmpdir(), 'claims-dashboard-queries-'));
  try {
    const rules = {
      groups: [
        {
          name: 'dashboard-queries',
          rules: queries.map((query, index) => ({ record: `dashboard_query_${index}`, expr: query.promql })),
        },
      ],
    };
    const file = join(directory, 'queries.yml');
    writeFileSync(file, JSON.stringify(rules, null, 2));
    return promtool(['check', 'rules', file]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('the Grafana dashboards', () => {
  it('are dashboards with a unique uid, a title and panels', () => {
    const dashboards = dashboardFiles().map(readDashboard);
    expect(dashboards.length).toBeGreaterThan(0);
    for (const dashboard of dashboards) {
      expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
      expect(dashboard.title).not.toBe('');
      expect(dashboard.panels.length).toBeGreaterThan(0);
    }
    expect(new Set(dashboards.map((dashboard) => dashboard.uid)).size).toBe(dashboards.length);
  });

  it('query Prometheus through the dashboard datasource variable in every panel', () => {
    const elsewhere = dashboardFiles()
      .map(readDashboard)
      .flatMap((dashboard) => panelsOf(dashboard).filter((panel) => panel.type !== 'row'))
      .filter(
        (panel) =>
          panel.datasource?.uid !== '${datasource}' ||
          (panel.targets ?? []).length === 0 ||
          (panel.targets ?? []).some((target) => !target.expr || target.datasource?.uid !== '${datasource}'),
      )
      .map((panel) => panel.title);
    expect(elsewhere).toEqual([]);
  });

  it('show the pipeline health: throughput, lag, dead letters, batch latency, stalls and restarts', () => {
    const written = dashboardQueries()
      .map((query) => query.written)
      .join('\n');
    for (const metric of [
      'claims_stage_records_total',
      'claims_consumer_lag_records',
      'claims_dead_letters_total',
      'claims_stage_batch_duration_seconds_bucket',
      'claims_consumer_stalled',
      'claims_consumer_restarts_total',
      'claims_fold_source_reset',
      'claims_http_request_duration_seconds_count',
    ]) {
      expect(written).toContain(metric);
    }
  });

  it('hold only PromQL that parses once Grafana has replaced its variables', () => {
    const queries = dashboardQueries();
    const result = checkExpressionsParse(queries);
    expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);
    expect(result.status).toBe(0);
  });

  it('would fail the parse check on a broken expression, naming it', () => {
    const [first] = dashboardQueries();
    const broken = { ...first!, promql: 'sum by (stage (rate(claims_stage_records_total[1m]))' };
    const result = checkExpressionsParse([broken]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/parse error/);
  });
});

describe('substituteVariables', () => {
  it('replaces the interval variables and a variable set to All by its all-value regex', () => {
    expect(
      substituteVariables('sum(rate(claims_stage_records_total{stage=~"$stage"}[$__rate_interval]))', [
        { name: 'stage', type: 'query', allValue: '.+' },
      ]),
    ).toBe('sum(rate(claims_stage_records_total{stage=~".+"}[1m]))');
  });

  it('refuses an expression naming a variable the dashboard does not define', () => {
    expect(() => substituteVariables('up{job="$job"}', [])).toThrow('unknown Grafana variable $job');
  });
});

describe('variableQueryAsPromql', () => {
  it('turns label_values(metric, label) into the PromQL that lists the same values', () => {
    expect(variableQueryAsPromql('label_values(claims_stage_records_total, stage)')).toBe(
      'count by (stage) (claims_stage_records_total)',
    );
  });
});

describe('the Grafana provisioning', () => {
  it('provisions the Prometheus datasource at the address docker compose gives Prometheus', () => {
    const file = parse(readFileSync(join(PROVISIONING_DIRECTORY, 'datasources', 'prometheus.yml'), 'utf8')) as {
      datasources: Array<{ type: string; url: string; isDefault: boolean }>;
    };
    expect(file.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
    ]);
  });

  it('loads the dashboards from the folder docker compose mounts them at', () => {
    const file = parse(readFileSync(join(PROVISIONING_DIRECTORY, 'dashboards', 'claims.yml'), 'utf8')) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(file.providers).toEqual([
      expect.objectContaining({
        type: 'file',
        options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }),
      }),
    ]);
  });
});
