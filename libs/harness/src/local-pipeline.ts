import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { REPO_ROOT } from './test-environment';
import { ServiceProcess, freePort, type ServiceName } from './service-process';

export interface LocalPipelineOptions {
  brokers: string;
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
}

/**
 * The five services as separate processes on one machine, wired by
 * environment variables exactly as a deployment wires them. Used by the demo,
 * the benchmark and the end-to-end tests, so all three exercise one set-up.
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
    const names: ServiceName[] = ['api', 'ingestor', 'normalizer', 'enricher', 'metrics'];
    const ports = await Promise.all(names.map(() => freePort()));
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
      names.map((name, index) => [
        name,
        new ServiceProcess(name, ports[index] ?? 0, envByService[name], options.logDirectory),
      ]),
    ) as Record<ServiceName, ServiceProcess>;
    return new LocalPipeline(services, token);
  }

  /** Starts the services in dependency order: the schema owner first, the source last. */
  async start(): Promise<void> {
    await this.services.metrics.start();
    await Promise.all([this.services.api.start(), this.services.enricher.start(), this.services.normalizer.start()]);
    await this.services.ingestor.start();
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

  /** Replays a file under the ingest root through the ingestor's HTTP door and returns its report. */
  async ingest(
    file: string,
    ratePerSecond?: number,
  ): Promise<{ recordsRead: number; recordsPublished: number; fileId: string }> {
    const response = await fetch(`${this.services.ingestor.baseUrl}/v1/ingestions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file, ...(ratePerSecond ? { ratePerSecond } : {}) }),
    });
    if (!response.ok) throw new Error(`ingest ${file} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { recordsRead: number; recordsPublished: number; fileId: string };
  }
}
