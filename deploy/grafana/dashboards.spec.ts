import { promtool } from '@claims/harness';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  POSTGRES_DATASOURCE_TYPE,
  dashboardFiles,
  dashboardQueries,
  dashboardSqlQueries,
  isSqlPanel,
  panelsOf,
  readDashboard,
  substituteVariables,
  variableQueryAsPromql,
  type DashboardQuery,
} from './dashboard-queries';

const PROVISIONING_DIRECTORY = join(__dirname, 'provisioning');
const REPO_ROOT = join(__dirname, '..', '..');

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

  it('query Prometheus through the dashboard datasource variable in every PromQL panel', () => {
    const elsewhere = dashboardFiles()
      .map(readDashboard)
      .flatMap((dashboard) => panelsOf(dashboard).filter((panel) => panel.type !== 'row' && !isSqlPanel(panel)))
      .filter(
        (panel) =>
          panel.datasource?.uid !== '${datasource}' ||
          (panel.targets ?? []).length === 0 ||
          (panel.targets ?? []).some((target) => !target.expr || target.datasource?.uid !== '${datasource}'),
      )
      .map((panel) => panel.title);
    expect(elsewhere).toEqual([]);
  });

  it('query Postgres with SQL through a Postgres datasource variable of their dashboard in every SQL panel', () => {
    const elsewhere = dashboardFiles()
      .map(readDashboard)
      .flatMap((dashboard) => {
        const postgresVariables = dashboard.templating.list
          .filter((variable) => variable.type === 'datasource' && variable.query === POSTGRES_DATASOURCE_TYPE)
          .map((variable) => `\${${variable.name}}`);
        return panelsOf(dashboard)
          .filter(isSqlPanel)
          .filter(
            (panel) =>
              !postgresVariables.includes(panel.datasource?.uid ?? '') ||
              (panel.targets ?? []).length === 0 ||
              (panel.targets ?? []).some(
                (target) =>
                  !target.rawSql || target.expr !== undefined || target.datasource?.uid !== panel.datasource?.uid,
              ),
          )
          .map((panel) => `${dashboard.title}: ${panel.title}`);
      });
    expect(elsewhere).toEqual([]);
    expect(dashboardSqlQueries().length).toBeGreaterThan(0);
  });

  it('show the pipeline health (throughput, lag, dead letters, batch latency, stalls, restarts, rebalances, fold transactions and their steps, Kafka requests, ingest files) and the domain gauges', () => {
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
      'claims_consumer_rebalances_total',
      'claims_fold_transaction_duration_seconds_bucket',
      'claims_fold_gate_wait_seconds_bucket',
      'claims_fold_step_duration_seconds_sum',
      'claims_fold_write_duration_seconds_sum',
      'claims_kafka_requests_total',
      'claims_ingest_files_total',
      'claims_pended_open_claims',
      'claims_pended_oldest_age_seconds',
      'claims_event_time_watermark_timestamp_seconds',
      'claims_fold_last_commit_timestamp_seconds',
      'claims_domain_read_errors_total',
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

  it('provisions the Postgres datasource read-only, its credentials from the environment docker compose gives Grafana', () => {
    const file = parse(readFileSync(join(PROVISIONING_DIRECTORY, 'datasources', 'postgres.yml'), 'utf8')) as {
      datasources: Array<{
        uid: string;
        type: string;
        url: string;
        user: string;
        isDefault: boolean;
        secureJsonData: { password: string };
      }>;
    };
    expect(file.datasources).toEqual([
      expect.objectContaining({
        type: POSTGRES_DATASOURCE_TYPE,
        url: 'postgres:5432',
        user: '$GRAFANA_DB_USER',
        isDefault: false,
        secureJsonData: { password: '$GRAFANA_DB_PASSWORD' },
      }),
    ]);
    const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
    };
    expect(Object.keys(compose.services['grafana']?.environment ?? {})).toEqual(
      expect.arrayContaining(['GRAFANA_DB_USER', 'GRAFANA_DB_PASSWORD']),
    );
    // The same role the postgres service creates at its first start.
    expect(compose.services['postgres']?.environment?.['GRAFANA_DB_USER']).toBe(
      compose.services['grafana']?.environment?.['GRAFANA_DB_USER'],
    );
    expect(compose.services['postgres']?.volumes).toEqual([
      './deploy/postgres/initdb/create-grafana-reader.sh:/docker-entrypoint-initdb.d/create-grafana-reader.sh:ro',
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
