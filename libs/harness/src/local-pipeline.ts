import type { IngestReport } from '@claims/contracts';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { REPO_ROOT } from './test-environment';
import { ServiceProcess, freePort, type RestartPolicy, type ServiceName } from './service-process';

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
}

export type { IngestReport };

export const PIPELINE_SERVICES: readonly ServiceName[] = ['ingestor', 'normalizer', 'enricher', 'metrics', 'api'];

/** The ingestor refused a file (an unknown layout, a path outside its root, …). */
export class IngestRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the ingestor answered ${status}: ${body}`);
    this.name = 'IngestRefusedError';
  }
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
    readonly services: Record<ServiceName, ServiceProcess>,
    /** An admin bearer token made for this run; never a committed secret. */
    readonly apiToken: string,
  ) {}

  static async create(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const token = randomBytes(24).toString('base64url');
    const common = {
      KAFKA_BROKERS: options.brokers,
      KAFKA_TOPIC_NAMESPACE: options.topicNamespace,
      KAFKA_TOPIC_PARTITIONS: String(options.topicPartitions ?? 3),
      LOG_LEVEL: options.logLevel ?? 'info',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...options.extraEnv,
    };
    const ports = await Promise.all(PIPELINE_SERVICES.map(() => freePort()));
    const envByService: Record<ServiceName, Record<string, string>> = {
      api: {
        ...options.extraEnv,
        DATABASE_URL: options.databaseUrl,
        API_TOKENS: `admin=${token}`,
        LOG_LEVEL: common.LOG_LEVEL,
      },
      ingestor: { ...common, INGEST_ROOT: options.ingestRoot },
      // A per-run key: patient tokens are stable within a run, and no key is committed.
      normalizer: { ...common, PATIENT_TOKEN_KEY: randomBytes(24).toString('hex') },
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
    const services = Object.fromEntries(
      PIPELINE_SERVICES.map((name, index) => [
        name,
        new ServiceProcess(name, ports[index] ?? 0, envByService[name], options.logDirectory, {
          restartPolicy: options.restartPolicy,
          report: options.report,
        }),
      ]),
    ) as Record<ServiceName, ServiceProcess>;
    return new LocalPipeline(services, token);
  }

  /**
   * Starts the services (all, or `only` some: the bench runs the ingestor
   * alone) in dependency order: the schema owner first, the source last.
   */
  async start(only: readonly ServiceName[] = PIPELINE_SERVICES): Promise<void> {
    const wanted = (name: ServiceName): boolean => only.includes(name);
    if (wanted('metrics')) await this.services.metrics.start();
    await Promise.all(
      (['api', 'enricher', 'normalizer'] as const).filter(wanted).map((name) => this.services[name].start()),
    );
    if (wanted('ingestor')) await this.services.ingestor.start();
  }

  /** The running services' process ids, for /proc CPU and memory readings. */
  pids(): Partial<Record<ServiceName, number>> {
    const pids: Partial<Record<ServiceName, number>> = {};
    for (const name of PIPELINE_SERVICES) {
      const pid = this.services[name].pid;
      if (pid !== null) pids[name] = pid;
    }
    return pids;
  }

  /** How many times the supervisor restarted each service: all zero when every service rode out what happened. */
  restartCounts(): Record<ServiceName, number> {
    return Object.fromEntries(PIPELINE_SERVICES.map((name) => [name, this.services[name].restarts])) as Record<
      ServiceName,
      number
    >;
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.services).map((service) => service.stop()));
  }

  /** Calls the API with this run's token. */
  async api<T>(path: string): Promise<T> {
    const response = await fetch(`${this.services.api.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${this.apiToken}` },
    });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  /**
   * Replays a file under the ingest root through the ingestor's HTTP door;
   * resolves with its report once every record is published. A large file
   * takes longer than fetch's five-minute header timeout, hence node:http
   * without a timeout.
   */
  ingest(file: string, ratePerSecond?: number): Promise<IngestReport> {
    const body = JSON.stringify({ file, ...(ratePerSecond ? { ratePerSecond } : {}) });
    const url = new URL('/v1/ingestions', this.services.ingestor.baseUrl);
    return new Promise((resolve, reject) => {
      const call = request(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode === 200) resolve(JSON.parse(text) as IngestReport);
            else reject(new IngestRefusedError(response.statusCode ?? 0, text));
          });
          response.on('error', reject);
        },
      );
      call.on('error', reject);
      call.end(body);
    });
  }
}
