import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARDS_DIRECTORY = join(__dirname, 'dashboards');

interface DashboardTarget {
  refId?: string;
  /** PromQL, in a Prometheus panel. */
  expr?: string;
  /** SQL, in a Postgres panel. */
  rawSql?: string;
  format?: string;
  datasource?: { type?: string; uid?: string };
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
  allValue?: string;
  datasource?: { type?: string; uid?: string };
}

/** Grafana's Postgres datasource plugin (Grafana 11 names it so; `postgres` before). */
export const POSTGRES_DATASOURCE_TYPE = 'grafana-postgresql-datasource';

/** Whether a panel is read with SQL from Postgres rather than PromQL from Prometheus. */
export function isSqlPanel(panel: DashboardPanel): boolean {
  return panel.datasource?.type === POSTGRES_DATASOURCE_TYPE;
}

/** One SQL query of a dashboard panel, as Grafana sends it to Postgres. */
export interface DashboardSqlQuery {
  dashboard: string;
  panel: string;
  refId: string;
  /** `table` or `time_series`: what Grafana expects the rows to be. */
  format: string;
  sql: string;
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: DashboardVariable[] };
}

/** One PromQL expression of a dashboard, as Grafana would send it to Prometheus. */
export interface DashboardQuery {
  dashboard: string;
  panel: string;
  refId: string;
  /** The expression as written in the dashboard, with Grafana's variables. */
  written: string;
  /** The expression with every variable replaced: plain PromQL. */
  promql: string;
}

export function dashboardFiles(): string[] {
  return readdirSync(DASHBOARDS_DIRECTORY)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(DASHBOARDS_DIRECTORY, name));
}

export function readDashboard(file: string): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
}

/** Every panel, those inside collapsed rows included. */
export function panelsOf(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/**
 * What Grafana puts in place of its built-in interval variables. The values
 * suit a test server scraping every second: a minute holds many samples.
 */
const BUILT_IN_VARIABLES: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '5m',
};

/**
 * Replaces Grafana's variables (`$name`, `${name}`) the way Grafana does with
 * "All" selected: built-in intervals by a duration, a dashboard variable by
 * its `allValue` (a regex matching every value).
 */
export function substituteVariables(expression: string, variables: readonly DashboardVariable[]): string {
  const values: Record<string, string> = { ...BUILT_IN_VARIABLES };
  for (const variable of variables) {
    if (variable.type === 'query' || variable.type === 'custom') values[variable.name] = variable.allValue ?? '.*';
  }
  return expression.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = values[name];
    if (value === undefined) throw new Error(`unknown Grafana variable ${match} in: ${expression}`);
    return value;
  });
}

/**
 * The PromQL behind a query variable: Grafana's `label_values(metric, label)`
 * asks Prometheus for the label's values on the metric's series, which
 * `count by (label) (metric)` answers as well.
 */
export function variableQueryAsPromql(query: string): string | null {
  const labelValues = /^label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)$/.exec(query.trim());
  if (labelValues) return `count by (${labelValues[2]}) (${labelValues[1]})`;
  return null;
}

/** Every PromQL expression of every dashboard: panel targets and query variables (SQL panels aside). */
export function dashboardQueries(): DashboardQuery[] {
  return dashboardFiles().flatMap((file) => {
    const dashboard = readDashboard(file);
    const variables = dashboard.templating.list;
    const panelQueries = panelsOf(dashboard)
      .filter((panel) => !isSqlPanel(panel))
      .flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({
          dashboard: dashboard.title,
          panel: panel.title,
          refId: target.refId ?? '',
          written: target.expr ?? '',
          promql: substituteVariables(target.expr ?? '', variables),
        })),
      );
    const variableQueries = variables
      .filter((variable) => variable.type === 'query' && variable.datasource?.type !== POSTGRES_DATASOURCE_TYPE)
      .map((variable) => {
        const written = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
        return {
          dashboard: dashboard.title,
          panel: `variable ${variable.name}`,
          refId: variable.name,
          written,
          promql: variableQueryAsPromql(written) ?? written,
        };
      });
    return [...panelQueries, ...variableQueries];
  });
}

/** Every SQL query of every dashboard's Postgres panels. */
export function dashboardSqlQueries(): DashboardSqlQuery[] {
  return dashboardFiles().flatMap((file) => {
    const dashboard = readDashboard(file);
    return panelsOf(dashboard)
      .filter(isSqlPanel)
      .flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({
          dashboard: dashboard.title,
          panel: panel.title,
          refId: target.refId ?? '',
          format: target.format ?? 'time_series',
          sql: target.rawSql ?? '',
        })),
      );
  });
}
