import { namespacedGroupId } from '@claims/contracts';
import { z } from 'zod';

export class ConfigurationError extends Error {
  readonly code = 'CONFIGURATION_INVALID';
  readonly retriable = false;
}

/**
 * Validates the environment once, at boot, into a typed config object. The
 * message names every bad variable, so a process refuses to start with a
 * sentence an operator can act on rather than failing later in a handler.
 */
export function loadConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined>,
): z.output<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
}

const commaList = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** What a consumer's fetch takes from one partition unless KAFKA_FETCH_MAX_BYTES_PER_PARTITION says otherwise. */
export const DEFAULT_FETCH_MAX_BYTES_PER_PARTITION = 8 * 1024 * 1024;

/**
 * KAFKA_FETCH_MAX_BYTES_PER_PARTITION: the most bytes one fetch takes from
 * one partition, so the most records a consumer's batch holds. Bigger
 * batches cost less CPU per record (fewer produce requests and fold
 * transactions) and more memory; see docs/capacity-model.md for the
 * measured trade. A service whose batches pay off more than others' (the
 * fold) passes its own default.
 */
export function fetchMaxBytesPerPartitionEnv(defaultBytes: number = DEFAULT_FETCH_MAX_BYTES_PER_PARTITION) {
  return z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .max(64 * 1024 * 1024)
    .default(defaultBytes);
}

/** How long a claim stage's fetch waits on the broker for a batch's worth of records unless KAFKA_FETCH_GATHER_MS says otherwise. */
export const DEFAULT_FETCH_GATHER_MS = 20;

/**
 * KAFKA_FETCH_GATHER_MS, read by the two claim stages (normalizer, enricher):
 * at a steady rate, how long a fetch may wait on the broker for records to
 * gather (it returns at once when 64 KiB are there, as under a backlog).
 * Waiting turns a trickle of one-record batches into batches of several, each
 * paying its fetch, produce request, offset commit and span once. At 100-500
 * records/s, 20 ms cut the pipeline's CPU per record by 7-20 % with freshness
 * no worse (the cores it freed served the rest sooner); 40 ms cut 11-38 % and
 * added 20-35 ms to the median at 100-200 records/s (docs/capacity-model.md).
 * 0 returns each fetch as soon as one record is there.
 */
export function fetchGatherMsEnv(defaultMs: number = DEFAULT_FETCH_GATHER_MS) {
  return z.coerce.number().int().min(0).max(500).default(defaultMs);
}

/** Environment variables every Kafka-connected service reads. */
export const kafkaEnvShape = {
  KAFKA_BROKERS: commaList,
  /** Prefix for every topic name; lets tenants, test suites and bench runs share a cluster. */
  KAFKA_TOPIC_NAMESPACE: z.string().default(''),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().positive().default(3),
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION: fetchMaxBytesPerPartitionEnv(),
};

export const databaseEnvShape = {
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
};

/**
 * HTTP listener (each service has its own default port, so a local run needs
 * no port plan), log level, where traces go (OTLP/HTTP; none when unset), and
 * how long a graceful shutdown may take before the process exits 1.
 */
export function serviceEnvShape(defaultPort: number) {
  return {
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    /**
     * The bound on a graceful shutdown (drain, finish the batch in flight,
     * close); default 25 s, under Kubernetes' 30 s termination grace period.
     */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(25_000),
    /**
     * The process that started this one, set by the project's own
     * supervisor (npm start, the demo, the tests, the bench): when it is
     * gone, the service shuts down as on SIGTERM. Unset in a deployment,
     * where the orchestrator stops services.
     */
    SUPERVISOR_PID: z.coerce.number().int().positive().optional(),
  };
}

export interface ServiceSettings {
  http: { host: string; port: number };
  logLevel: string;
  otlpEndpoint: string | undefined;
  shutdownTimeoutMs: number;
  supervisorPid: number | undefined;
}

export function serviceSettings(env: {
  HOST: string;
  PORT: number;
  LOG_LEVEL: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  SHUTDOWN_TIMEOUT_MS: number;
  SUPERVISOR_PID?: number | undefined;
}): ServiceSettings {
  return {
    http: { host: env.HOST, port: env.PORT },
    logLevel: env.LOG_LEVEL,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    supervisorPid: env.SUPERVISOR_PID,
  };
}

export interface KafkaSettings {
  brokers: string[];
  topicNamespace: string;
  topicPartitions: number;
  fetchMaxBytesPerPartition: number;
}

type KafkaEnv = {
  KAFKA_BROKERS: string[];
  KAFKA_TOPIC_NAMESPACE: string;
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION: number;
};

export function kafkaSettings(env: KafkaEnv): KafkaSettings {
  return {
    brokers: env.KAFKA_BROKERS,
    topicNamespace: env.KAFKA_TOPIC_NAMESPACE,
    topicPartitions: env.KAFKA_TOPIC_PARTITIONS,
    fetchMaxBytesPerPartition: env.KAFKA_FETCH_MAX_BYTES_PER_PARTITION,
  };
}

export interface ConsumerKafkaSettings extends KafkaSettings {
  /** The consumer group, prefixed with the topic namespace like the topics it reads. */
  groupId: string;
}

/**
 * Settings of a service that consumes: the group id is derived from the
 * namespace, because two pipelines on one broker that shared a group would
 * split each other's partitions and each read half of its own records.
 */
export function consumerKafkaSettings(env: KafkaEnv, groupId: string): ConsumerKafkaSettings {
  return { ...kafkaSettings(env), groupId: namespacedGroupId(groupId, env.KAFKA_TOPIC_NAMESPACE) };
}

/**
 * For a service's entry point: a bad environment ends the process with the
 * message alone (exit code 78, EX_CONFIG) instead of a stack trace.
 */
export function configOrExit<Config>(load: () => Config): Config {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}
