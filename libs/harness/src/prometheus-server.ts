import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './service-process';
import { waitFor } from './wait-for';

/** Where the tests find Debian's `prometheus` package (promtool and the server); `npm test` installs it. */
const PROMETHEUS_PACKAGE_HINT = "install Debian's prometheus package (apt-get install prometheus); npm test does";

export interface PromtoolResult {
  status: number;
  /** stdout and stderr together: promtool names the file, rule or metric at fault. */
  output: string;
}

/**
 * Runs `promtool` (check rules, test rules, check metrics, check config) and
 * answers its exit status and output; a missing promtool is an error that
 * says how to install it, never a skipped check.
 */
export function promtool(args: string[], options: { cwd?: string; input?: string } = {}): PromtoolResult {
  const result = spawnSync('promtool', args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw new Error(`promtool could not run (${result.error.message}): ${PROMETHEUS_PACKAGE_HINT}`);
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

/** One scrape job of the test server: a name and the `host:port` of each target's /metrics. */
export interface ScrapeJob {
  jobName: string;
  targets: string[];
  /** Labels added to every series of the job's targets. */
  labels?: Record<string, string>;
}

/** The answer of a Prometheus HTTP API query (`/api/v1/query`), as far as tests read it. */
export interface PrometheusQueryResult {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value?: [number, string] }> };
}

/** A target as Prometheus reports it on `/api/v1/targets`. */
export interface PrometheusTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

const READY_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 10_000;

/**
 * A real Prometheus server (Debian's `prometheus` binary) on a free loopback
 * port, with its data in a temporary folder and a short scrape interval, for
 * tests that scrape running services and evaluate PromQL against them.
 */
export class PrometheusServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly directory: string,
    /** `http://127.0.0.1:<port>`: the HTTP API and UI. */
    readonly baseUrl: string,
  ) {}

  static async start(options: {
    jobs: ScrapeJob[];
    scrapeIntervalSeconds?: number;
    ruleFiles?: string[];
    logFile?: string;
  }): Promise<PrometheusServer> {
    const directory = mkdtempSync(join(tmpdir(), 'claims-prometheus-'));
    const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
    const config = {
      global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
      rule_files: options.ruleFiles ?? [],
      scrape_configs: options.jobs.map((job) => ({
        job_name: job.jobName,
        static_configs: [{ targets: job.targets, labels: job.labels ?? {} }],
      })),
    };
    const configFile = join(directory, 'prometheus.yml');
    // JSON is YAML: no YAML writer needed for a generated file.
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const checked = promtool(['check', 'config', configFile]);
    if (checked.status !== 0) throw new Error(`the generated prometheus.yml is invalid: ${checked.output}`);

    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=1h',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // The last lines are kept for the error of a failed start; the whole log goes to logFile if given.
    let log = '';
    if (options.logFile) mkdirSync(dirname(options.logFile), { recursive: true });
    const logFile = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : null;
    const keepLog = (chunk: Buffer): void => {
      log = `${log}${chunk.toString('utf8')}`.slice(-8_192);
      logFile?.write(chunk);
    };
    child.stdout?.on('data', keepLog);
    child.stderr?.on('data', keepLog);
    child.once('exit', () => logFile?.end());
    const started = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(new Error(`prometheus could not start (${error.message}): ${PROMETHEUS_PACKAGE_HINT}`)),
      );
    });
    await started;
    const server = new PrometheusServer(child, directory, `http://127.0.0.1:${port}`);
    try {
      await waitFor(
        'Prometheus to be ready',
        async () => {
          if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${log}`);
          return (await fetch(`${server.baseUrl}/-/ready`)).status;
        },
        (status) => status === 200,
        { timeoutMs: READY_DEADLINE_MS },
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** Evaluates a PromQL expression now; the API's answer, errors included, is returned as is. */
  async query(expression: string): Promise<PrometheusQueryResult> {
    const response = await fetch(`${this.baseUrl}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expression }),
    });
    return (await response.json()) as PrometheusQueryResult;
  }

  /** The active scrape targets and whether their last scrape worked. */
  async targets(): Promise<PrometheusTarget[]> {
    const response = await fetch(`${this.baseUrl}/api/v1/targets?state=active`);
    const body = (await response.json()) as { data: { activeTargets: PrometheusTarget[] } };
    return body.data.activeTargets;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const deadline = setTimeout(() => this.child.kill('SIGKILL'), STOP_DEADLINE_MS);
      await exited;
      clearTimeout(deadline);
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}
