import type { IngestReport } from '@claims/contracts';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './test-environment';
import {
  ServiceProcess,
  claimServicePort,
  freeServicePort,
  type RestartPolicy,
  type ServiceName,
} from './service-process';

export interface LocalPipelineOptions {
  /** This pipeline's broker bootstrap list: the shared broker, or a private one a fault test can kill. */
  brokers: string;
  /** This pipeline's database: on the shared server, or on a private one a fault test can stop. */
  databaseUrl: string;
  /** Topic namespace: isolates this pipeline's topics on a shared broker. */
  topicNamespace: string;
  /** Folder the ingestor may read files from. */
  ingestRoot: string;
  logDirectory: string;
  topicPartitions?: number;
  logLevel?: string;
  /** Added to every service's environment (e.g. OTEL_EXPORTER_OTLP_ENDPOINT). */
  extraEnv?: Record<string, string>;
  /** How a service that exits on its own is restarted; see DEFAULT_RESTART_POLICY. */
  restartPolicy?: RestartPolicy;
  /** Where supervision lines (`[harness] metrics exited …; restarting …`) go besides the log files; stderr by default. */
  report?: (line: string) => void;
  /**
   * Ports to listen on (`npm start`: api 3000, ingestor 3001, …); a service
   * not named, or whose port is taken, gets a free port, and a taken one is
   * reported. Free ports throughout by default, so suites never collide.
   */
  ports?: Partial<Record<ServiceName, number>>;
  /** The API's `role=token` list (API_TOKENS); by default one admin token made for this run. */
  apiTokens?: string;
  /** The normalizer's member-id HMAC key; by default one made for this run (tokens then differ between runs). */
  patientTokenKey?: string;
  /** Added to one service's environment only (e.g. INGEST_INBOX for the ingestor). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /**
   * Processes per consumer service, 1 by default: every instance of a service
   * has the same environment (so the same consumer group, and Kafka splits
   * the partitions among them) and a free port of its own.
   */
  instances?: Partial<Record<ReplicatedServiceName, number>>;
  /** Node flags every service process starts with (the bench's `--cpu-prof`); see ServiceProcessOptions. */
  nodeFlags?: readonly string[];
}

/**
 * The services a deployment scales by adding processes: each reads its
 * input topic in one consumer group, so a partition has one reader at a time.
 * The ingestor (one HTTP job runner) and the API (scaled behind a load
 * balancer, not by Kafka) run once.
 */
export const REPLICATED_SERVICES = ['normalizer', 'enricher', 'metrics'] as const;
export type ReplicatedServiceName = (typeof REPLICATED_SERVICES)[number];

export type { IngestReport };

export const PIPELINE_SERVICES: readonly ServiceName[] = ['ingestor', 'normalizer', 'enricher', 'metrics', 'api'];

/** The ingestor refused a file before starting its job (an unknown layout, a path outside its root, …). */
/** How long a replay waits for a turn while the ingestor is busy (429 INGEST_BUSY) before giving up. */
const INGEST_BUSY_WAIT_MS = 10 * 60_000;
/** How often a waiting replay asks again: a local ingestor, so sooner than its Retry-After of 5 s. */
const INGEST_BUSY_POLL_MS = 250;

export class IngestRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the ingestor answered ${status}: ${body}`);
    this.name = 'IngestRefusedError';
  }
}

/** An ingestion job that started and then failed (INGEST_TIMEOUT, INGEST_CANCELLED, …). */
export class IngestFailedError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
    readonly ingestId: string,
  ) {
    super(`the ingestion ${ingestId} failed with ${code}: ${reason}`);
    this.name = 'IngestFailedError';
  }
}

/** An ingestion job as the ingestor's GET /v1/ingestions/:ingestId shows it (the fields the harness reads). */
export interface IngestJobStatus {
  ingestId: string;
  state: 'running' | 'completed' | 'failed';
  source: string;
  layout: string;
  dryRun: boolean;
  phase: 'hashing' | 'reading';
  bytesRead: number;
  bytesTotal: number;
  recordsRead: number;
  recordsPublished: number;
  recordsDeadLettered: number;
  report: (IngestReport & { dryRun?: undefined }) | ({ dryRun: true } & Record<string, unknown>) | null;
  error: { code: string; message: string } | null;
  duplicateOf: { fileId: string; source: string; ingestedAt: string } | null;
}

/** How often a job is asked after; a small file's job ends within a few of these. */
const INGEST_POLL_MILLISECONDS = 100;
/** How long the ingestor may be unreachable while a job is followed (a supervisor restart) before the job is given up. */
const INGESTOR_UNREACHABLE_MILLISECONDS = 30_000;

/** The first admin token of an API_TOKENS list, else its first token: what the harness calls the API with. */
export function callerToken(apiTokens: string): string {
  const entries = apiTokens
    .split(',')
    .map((entry) => entry.trim().split('='))
    .filter((parts): parts is [string, string] => parts.length === 2 && (parts[1] ?? '') !== '');
  const token = (entries.find(([role]) => role === 'admin') ?? entries[0])?.[1];
  if (token === undefined) throw new Error('API_TOKENS holds no role=token entry');
  return token;
}

/** The requested port when it is free, else a free one, said through `report`. */
async function portFor(
  name: ServiceName,
  requested: number | undefined,
  report: (line: string) => void,
): Promise<number> {
  if (requested === undefined) return freeServicePort();
  if (await claimServicePort(requested)) return requested;
  const port = await freeServicePort();
  report(`[harness] port ${requested} for the ${name} is taken; the ${name} listens on ${port} instead`);
  return port;
}

/**
 * The five services as separate processes on one machine, wired by
 * environment variables exactly as a deployment wires them, and supervised as
 * a deployment supervises them (a service that exits is restarted with
 * backoff). Used by the demo, the benchmark and the end-to-end tests, so all
 * three exercise one set-up.
 */
export class LocalPipeline {
  private constructor(
    /** The first (with one instance per service, the only) process of each service. */
    readonly services: Record<ServiceName, ServiceProcess>,
    /** The bearer token the harness calls the API with: an admin token made for this run unless API_TOKENS were given. */
    readonly apiToken: string,
    /** Every process of each service, the one in `services` first. */
    readonly instances: Record<ServiceName, readonly ServiceProcess[]>,
  ) {}

  static async create(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const apiTokens = options.apiTokens ?? `admin=${randomBytes(24).toString('base64url')}`;
    const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
    const common = {
      KAFKA_BROKERS: options.brokers,
      KAFKA_TOPIC_NAMESPACE: options.topicNamespace,
      KAFKA_TOPIC_PARTITIONS: String(options.topicPartitions ?? 3),
      LOG_LEVEL: options.logLevel ?? 'info',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...options.extraEnv,
    };
    const ports: number[] = [];
    for (const name of PIPELINE_SERVICES) ports.push(await portFor(name, options.ports?.[name], report));
    const envByService: Record<ServiceName, Record<string, string>> = {
      api: {
        ...options.extraEnv,
        DATABASE_URL: options.databaseUrl,
        // The admin reference routes publish fixes to the reference topics.
        KAFKA_BROKERS: common.KAFKA_BROKERS,
        KAFKA_TOPIC_NAMESPACE: common.KAFKA_TOPIC_NAMESPACE,
        KAFKA_TOPIC_PARTITIONS: common.KAFKA_TOPIC_PARTITIONS,
        API_TOKENS: apiTokens,
        LOG_LEVEL: common.LOG_LEVEL,
        // Uploads to the API stream on to the ingestor's door, wherever the ingestor was placed.
        INGESTOR_URL: `http://127.0.0.1:${ports[PIPELINE_SERVICES.indexOf('ingestor')] ?? 0}`,
      },
      ingestor: { ...common, INGEST_ROOT: options.ingestRoot },
      // A per-run key unless one is given: patient tokens are stable within a run, and no key is committed.
      normalizer: { ...common, PATIENT_TOKEN_KEY: options.patientTokenKey ?? randomBytes(24).toString('hex') },
      enricher: {
        ...common,
        DATABASE_URL: options.databaseUrl,
        PROVIDER_DIRECTORY_FILES: [
          join(REPO_ROOT, 'data', 'providers', 'nppes_first10.csv'),
          join(REPO_ROOT, 'data', 'providers', 'npidata_1063947125.csv'),
        ].join(','),
      },
      metrics: { ...common, DATABASE_URL: options.databaseUrl },
    };
    for (const name of PIPELINE_SERVICES) Object.assign(envByService[name], options.serviceEnv?.[name]);
    const services = Object.fromEntries(
      PIPELINE_SERVICES.map((name, index) => [
        name,
        new ServiceProcess(name, ports[index] ?? 0, envByService[name], options.logDirectory, {
          restartPolicy: options.restartPolicy,
          report: options.report,
          nodeFlags: options.nodeFlags,
        }),
      ]),
    ) as Record<ServiceName, ServiceProcess>;
    const instances = Object.fromEntries(PIPELINE_SERVICES.map((name) => [name, [services[name]]])) as Record<
      ServiceName,
      ServiceProcess[]
    >;
    for (const name of REPLICATED_SERVICES) {
      const count = options.instances?.[name] ?? 1;
      if (!Number.isInteger(count) || count < 1) throw new Error(`instances.${name} must be a positive integer`);
      for (let instance = 2; instance <= count; instance += 1) {
        instances[name].push(
          new ServiceProcess(name, await freeServicePort(), { ...envByService[name] }, options.logDirectory, {
            restartPolicy: options.restartPolicy,
            report: options.report,
            logName: `${name}-${instance}`,
            nodeFlags: options.nodeFlags,
          }),
        );
      }
    }
    return new LocalPipeline(services, callerToken(apiTokens), instances);
  }

  /**
   * Starts the services (all, or `only` some: the bench runs the ingestor
   * alone) in dependency order: the schema owner first, the source last.
   */
  async start(only: readonly ServiceName[] = PIPELINE_SERVICES): Promise<void> {
    const wanted = (name: ServiceName): boolean => only.includes(name);
    if (wanted('metrics')) await this.services.metrics.start();
    // Further metrics instances start once the first has migrated the schema, so none races it.
    await Promise.all([
      ...(['api', 'enricher', 'normalizer'] as const)
        .filter(wanted)
        .flatMap((name) => this.instances[name].map((instance) => instance.start())),
      ...(wanted('metrics') ? this.instances.metrics.slice(1).map((instance) => instance.start()) : []),
    ]);
    if (wanted('ingestor')) await this.services.ingestor.start();
  }

  /** Every running process id of each service (all its instances), for /proc CPU and memory readings. */
  instancePids(): Partial<Record<ServiceName, number[]>> {
    const pids: Partial<Record<ServiceName, number[]>> = {};
    for (const name of PIPELINE_SERVICES) {
      const running = this.instances[name].flatMap((instance) => (instance.pid === null ? [] : [instance.pid]));
      if (running.length > 0) pids[name] = running;
    }
    return pids;
  }

  /** The running services' process ids (the first instance of each), for /proc CPU and memory readings. */
  pids(): Partial<Record<ServiceName, number>> {
    const pids: Partial<Record<ServiceName, number>> = {};
    for (const name of PIPELINE_SERVICES) {
      const pid = this.services[name].pid;
      if (pid !== null) pids[name] = pid;
    }
    return pids;
  }

  /**
   * How many times the supervisor restarted each service (over all its
   * instances): all zero when every service rode out what happened.
   */
  restartCounts(): Record<ServiceName, number> {
    return Object.fromEntries(
      PIPELINE_SERVICES.map((name) => [
        name,
        this.instances[name].reduce((restarts, instance) => restarts + instance.restarts, 0),
      ]),
    ) as Record<ServiceName, number>;
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.instances).flatMap((instances) => instances.map((service) => service.stop())));
  }

  /** Calls the API with this run's token. */
  async api<T>(path: string): Promise<T> {
    const response = await fetch(`${this.services.api.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${this.apiToken}` },
    });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** POSTs JSON to the API with this run's token; answers the status and the JSON body. */
  async apiPost<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.services.api.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Calls the ingestor (no token: it listens on 127.0.0.1 only) and answers its status and JSON body. */
  async ingestor<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; text: string }> {
    const response = await fetch(`${this.services.ingestor.baseUrl}${path}`, init);
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: the text says what it is.
    }
    return { status: response.status, body: body as T, text };
  }

  /**
   * Starts an ingestion job (POST /v1/ingestions) and answers it once the
   * ingestor has accepted it (202). While the ingestor runs as many jobs as
   * it takes at once (429 INGEST_BUSY) the job waits its turn, as a client of
   * the ingestor is told to, for at most `busyWaitMs`.
   * @throws IngestRefusedError when the ingestor refuses the file, or is still busy after `busyWaitMs`
   */
  async startIngestion(
    request: {
      file: string;
      ratePerSecond?: number;
      speedup?: number;
      layout?: string;
      dryRun?: boolean;
    },
    busyWaitMs = INGEST_BUSY_WAIT_MS,
  ): Promise<IngestJobStatus> {
    const waitUntil = Date.now() + busyWaitMs;
    for (;;) {
      const answer = await this.ingestor<IngestJobStatus>('/v1/ingestions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      if (answer.status === 202) return answer.body;
      if (answer.status !== 429 || Date.now() >= waitUntil) throw new IngestRefusedError(answer.status, answer.text);
      await sleep(INGEST_BUSY_POLL_MS);
    }
  }

  /**
   * Follows a job until it has completed or failed. A job the ingestor no
   * longer knows (it was restarted: jobs live in its memory) is an error, as
   * is an ingestor unreachable for longer than a supervisor restart takes.
   */
  async waitForIngestion(ingestId: string): Promise<IngestJobStatus> {
    let unreachableSince: number | null = null;
    for (;;) {
      let answer: { status: number; body: IngestJobStatus; text: string };
      try {
        answer = await this.ingestor<IngestJobStatus>(`/v1/ingestions/${ingestId}`);
        unreachableSince = null;
      } catch (error) {
        unreachableSince ??= Date.now();
        if (Date.now() - unreachableSince > INGESTOR_UNREACHABLE_MILLISECONDS) throw error;
        await sleep(INGEST_POLL_MILLISECONDS * 5);
        continue;
      }
      if (answer.status !== 200) {
        throw new Error(`the ingestor no longer knows ingestion ${ingestId} (${answer.status}): ${answer.text}`);
      }
      if (answer.body.state !== 'running') return answer.body;
      await sleep(INGEST_POLL_MILLISECONDS);
    }
  }

  /**
   * Replays a file under the ingest root through the ingestor's HTTP door
   * (202 and a job), follows the job, and resolves with the file's report
   * once every record is published.
   * @throws IngestRefusedError when the file is refused as a whole, IngestFailedError when its job fails
   */
  async ingest(file: string, ratePerSecond?: number): Promise<IngestReport> {
    const started = await this.startIngestion({ file, ...(ratePerSecond ? { ratePerSecond } : {}) });
    const job = await this.waitForIngestion(started.ingestId);
    if (job.state === 'completed' && job.report !== null && job.report.dryRun === undefined) return job.report;
    throw new IngestFailedError(
      job.error?.code ?? 'INGEST_FAILED',
      job.error?.message ?? 'the job ended without a report',
      job.ingestId,
    );
  }
}
