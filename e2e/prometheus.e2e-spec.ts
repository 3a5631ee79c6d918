import {
  PIPELINE_SERVICES,
  PrometheusServer,
  REPO_ROOT,
  promtool,
  waitFor,
  type PrometheusQueryResult,
  type ServiceName,
} from '@claims/harness';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardQueries } from '../deploy/grafana/dashboard-queries';
import { SAMPLE_CARRIER_FILE, SAMPLE_CARRIER_PATH, startE2ePipeline, type E2ePipeline } from './e2e-pipeline';

/** The job name the dashboards select (`up{job="claims-pipeline"}`), as in deploy/prometheus/prometheus.yml. */
const SCRAPE_JOB = 'claims-pipeline';
const ALERT_RULES_FILE = join(REPO_ROOT, 'deploy', 'prometheus', 'alerts.yml');
const CONSUMING_STAGES = ['normalizer', 'enricher', 'metrics'] as const;

/**
 * Panels that must show data after one replay. The others may rightly be
 * empty in a clean run: no dead letter, stall or restart happened, and a
 * ratio over a zero rate has no value.
 */
const PANELS_WITH_DATA = [
  'Records folded per second',
  'Consumer lag',
  'Services up',
  'Records per second by stage and outcome',
  'Consumer lag by stage and topic',
  'Batch duration by stage (p50, p99)',
  'Batches per second by stage',
  'Stalled consumers',
  'API requests per second by route and status',
  'Resident memory by service',
  'CPU by service',
  'Open pended claims',
  'Event-time watermark',
  'Since the last fold commit',
  'Fold transaction duration (p50, p99) and wait at the fold gate (p99)',
  'Consumer group rebalances',
  'Ingest files by outcome',
  'variable stage',
];

function resultCount(answer: PrometheusQueryResult): number {
  return answer.data?.result.length ?? 0;
}

function hostAndPort(baseUrl: string): string {
  return new URL(baseUrl).host;
}

describe('Prometheus scraping the five services during a replay', () => {
  let e2e: E2ePipeline;
  let prometheus: PrometheusServer;
  let recordsPublished = 0;

  beforeAll(async () => {
    e2e = await startE2ePipeline('prometheus');
    copyFileSync(SAMPLE_CARRIER_PATH, join(e2e.ingestRoot, SAMPLE_CARRIER_FILE));
    prometheus = await PrometheusServer.start({
      jobs: [
        {
          jobName: SCRAPE_JOB,
          targets: PIPELINE_SERVICES.map((name) => hostAndPort(e2e.pipeline.services[name].baseUrl)),
        },
      ],
      scrapeIntervalSeconds: 1,
      ruleFiles: [ALERT_RULES_FILE],
      logFile: join(e2e.logDirectory, 'prometheus.log'),
    });
    await waitFor(
      'Prometheus to scrape every service successfully',
      () => prometheus.targets(),
      (targets) => targets.length === PIPELINE_SERVICES.length && targets.every((target) => target.health === 'up'),
      { timeoutMs: 60_000 },
    );

    const report = await e2e.pipeline.ingest(SAMPLE_CARRIER_FILE);
    recordsPublished = report.recordsPublished;
    await e2e.waitUntilDrained(recordsPublished);
    await e2e.pipeline.api('/v1/kpis/summary');
    // A request without a token: the API answers 401, which its request metrics must count.
    await fetch(`${e2e.pipeline.services.api.baseUrl}/v1/kpis/summary`);
    await waitFor(
      'Prometheus to have scraped the fold of every published record',
      () => prometheus.query('sum(claims_stage_records_total{stage="metrics",outcome="folded"})'),
      (answer) => Number(answer.data?.result[0]?.value?.[1] ?? 0) >= recordsPublished,
      { timeoutMs: 60_000 },
    );
    // A rate needs two samples of a series: the newest series (the 401 count) must have been scraped twice.
    await waitFor(
      'Prometheus to have scraped the API request counts twice',
      () => prometheus.query('count_over_time(claims_http_request_duration_seconds_count{status_code="401"}[1m])'),
      (answer) => Number(answer.data?.result[0]?.value?.[1] ?? 0) >= 2,
      { timeoutMs: 30_000 },
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    await e2e?.stop();
  });

  it('answers /metrics of every service with the text exposition content type and an exposition promtool accepts', async () => {
    for (const name of PIPELINE_SERVICES) {
      const response = await fetch(`${e2e.pipeline.services[name].baseUrl}/metrics`);
      expect({ name, contentType: response.headers.get('content-type') }).toEqual({
        name,
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
      });
      const checked = promtool(['check', 'metrics'], { input: await response.text() });
      expect({ name, ...checked }).toEqual({ name, status: 0, output: '' });
    }
  });

  it('reports every service live, and ready with the broker and database checks of what it uses', async () => {
    const expectedChecks: Record<ServiceName, string[]> = {
      ingestor: ['kafka'],
      normalizer: ['kafka'],
      enricher: ['kafka', 'postgres'],
      metrics: ['kafka', 'postgres'],
      api: ['postgres'],
    };
    for (const name of PIPELINE_SERVICES) {
      const { baseUrl } = e2e.pipeline.services[name];
      expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
      const ready = await fetch(`${baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { checks: Record<string, string> };
      expect(Object.keys(body.checks)).toEqual(expect.arrayContaining(expectedChecks[name]));
      expect(Object.values(body.checks).every((state) => state === 'up')).toBe(true);
    }
  });

  it('holds the series of every stage (records, lag, batch durations, stalls, rebalances), the Kafka requests by service and API, the API requests by route and status, the ingested files, the fold transactions and the domain gauges', async () => {
    const missing: string[] = [];
    for (const stage of CONSUMING_STAGES) {
      for (const expression of [
        `claims_stage_records_total{stage="${stage}"}`,
        `claims_consumer_lag_records{stage="${stage}"}`,
        `claims_stage_batch_duration_seconds_count{stage="${stage}"}`,
        `claims_consumer_stalled{stage="${stage}"}`,
        `claims_consumer_restarts_total{stage="${stage}"}`,
        // Each consumer joined its group at least once, at start.
        `claims_consumer_rebalances_total{stage="${stage}"} > 0`,
      ]) {
        if (resultCount(await prometheus.query(expression)) === 0) missing.push(expression);
      }
    }
    // The ingestor counts what it publishes with the same stage series.
    const ingested = 'claims_stage_records_total{stage="ingestor",outcome="emitted"}';
    if (resultCount(await prometheus.query(ingested)) === 0) missing.push(ingested);
    // Each service counts the requests its Kafka clients sent: what the producing stages produced, what the consuming ones fetched and committed.
    const kafkaRequests = [
      ...['ingestor', 'normalizer', 'enricher'].map((service) => ({ service, api: 'Produce' })),
      ...['normalizer', 'enricher', 'metrics'].flatMap((service) => [
        { service, api: 'Fetch' },
        { service, api: 'OffsetCommit' },
      ]),
    ];
    for (const { service, api } of kafkaRequests) {
      const expression = `claims_kafka_requests_total{service="${service}",api="${api}"} > 0`;
      if (resultCount(await prometheus.query(expression)) === 0) missing.push(expression);
    }
    // The replayed file's job ended completed; the failed series exists at zero for increase() to see a first failure.
    for (const expression of [
      'claims_ingest_files_total{service="ingestor",outcome="completed"} >= 1',
      'claims_ingest_files_total{service="ingestor",outcome="failed"} == 0',
      'claims_fold_transaction_duration_seconds_count{service="metrics"} > 0',
      // Every fold transaction passed the fold gate first, alone or beside the other partitions' folds.
      'sum(claims_fold_gate_wait_seconds_count{service="metrics"}) > 0',
      // The domain gauges, read from Postgres at each scrape: a watermark and a commit after the fold, no read error.
      'claims_event_time_watermark_timestamp_seconds{service="metrics"} > 0',
      'claims_fold_last_commit_timestamp_seconds{service="metrics"} > 0',
      'claims_pended_open_claims{service="metrics"} >= 0',
      'claims_domain_read_errors_total{service="metrics"} == 0',
    ]) {
      if (resultCount(await prometheus.query(expression)) === 0) missing.push(expression);
    }
    for (const status of ['200', '401']) {
      const expression = `claims_http_request_duration_seconds_count{service="api",route="/v1/kpis/summary",status_code="${status}"}`;
      if (resultCount(await prometheus.query(expression)) === 0) missing.push(expression);
    }
    expect(missing).toEqual([]);
    // The oldest open pended claim has an age exactly when some pended claim is open.
    const open = Number((await prometheus.query('claims_pended_open_claims')).data?.result[0]?.value?.[1] ?? 0);
    expect(resultCount(await prometheus.query('claims_pended_oldest_age_seconds'))).toBe(open > 0 ? 1 : 0);
    // Every record was handled: the lag the last batches left is zero once Prometheus has scraped it.
    await waitFor(
      'the consumer lag of every stage to be scraped as zero',
      () => prometheus.query('sum(claims_consumer_lag_records)'),
      (answer) => answer.data?.result[0]?.value?.[1] === '0',
      { timeoutMs: 30_000 },
    );
    const services = await prometheus.query('count by (service) (claims_process_process_resident_memory_bytes)');
    expect(services.data?.result.map((series) => series.metric['service']).sort()).toEqual(
      [...PIPELINE_SERVICES].sort(),
    );
  });

  it('evaluates every PromQL expression of the dashboards without error, with data in the core panels', async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(PANELS_WITH_DATA.length);
    const evaluate = async (): Promise<{ failures: string[]; emptyCorePanels: string[] }> => {
      const failures: string[] = [];
      const empty = new Set<string>();
      for (const query of queries) {
        const answer = await prometheus.query(query.promql);
        if (answer.status !== 'success' || (answer.warnings ?? []).length > 0) {
          failures.push(`${query.panel} (${query.refId}): ${answer.error ?? answer.warnings?.join('; ')}`);
        } else if (resultCount(answer) === 0) {
          empty.add(query.panel);
        }
      }
      return { failures, emptyCorePanels: PANELS_WITH_DATA.filter((panel) => empty.has(panel)) };
    };
    // A scrape that missed its 1 s timeout (the suites share two cores) marks that service's series stale until
    // the next one: a panel empty at one instant and full at the next is that, not a panel without data.
    const evaluated = await waitFor(
      'every core panel to show data',
      evaluate,
      (result) => result.failures.length > 0 || result.emptyCorePanels.length === 0,
      {
        timeoutMs: 15_000,
        intervalMs: 1_000,
      },
    ).catch(() => evaluate());
    expect(evaluated.failures).toEqual([]);
    expect(evaluated.emptyCorePanels).toEqual([]);
    expect(PANELS_WITH_DATA.filter((panel) => !queries.some((query) => query.panel === panel))).toEqual([]);
  });

  it('loads the alert rules and evaluates each without error, none firing on a healthy replay', async () => {
    const response = await fetch(`${prometheus.baseUrl}/api/v1/rules?type=alert`);
    const body = (await response.json()) as {
      data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string; state: string }> }> };
    };
    const rules = body.data.groups.flatMap((group) => group.rules);
    expect(rules.length).toBeGreaterThanOrEqual(6);
    expect(rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.lastError}`)).toEqual([]);
    expect(rules.filter((rule) => rule.state === 'firing').map((rule) => rule.name)).toEqual([]);
  });
});
