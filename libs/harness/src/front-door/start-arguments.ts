import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ServiceName } from '../service-process';
import { UsageError, parseArgsMessage, positiveNumber } from './usage-error';

export const START_USAGE = `usage: npm start -- [options]
  Runs Kafka, Postgres and the five services in the foreground until Ctrl-C.
  --ingest-root DIR    the folder the ingestor may read files from (default: the folder you run npm from)
  --inbox DIR          a folder watched for files to ingest, each once (default: <ingest root>/inbox)
  --no-inbox           watch no folder
  --database NAME      the Postgres database, created if missing and kept (default: CLAIMS_DATABASE, else claims)
  --namespace NS       a prefix for every topic (default: KAFKA_TOPIC_NAMESPACE, else none)
  --port N             the API's port (default 3000); the ingestor, normalizer, enricher and metrics
                       take the next four; a port that is taken is replaced by a free one, and said so
  --ingestor-port N    the ingestor's port (default: the API's + 1)
  --log-level LEVEL    the services' log level (default info)`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const NAMESPACE = /^[a-z0-9][a-z0-9-]{0,40}$/;
const DEFAULT_API_PORT = 3000;

export interface StartArguments {
  ingestRoot: string;
  /** Null: no inbox. */
  inbox: string | null;
  database: string;
  /** '' for the plain topic names. */
  topicNamespace: string;
  ports: Record<ServiceName, number>;
  logLevel: (typeof LOG_LEVELS)[number];
  help: boolean;
}

function port(flag: string, text: string | undefined): number | undefined {
  const value = positiveNumber(flag, text, { integer: true });
  if (value !== undefined && value > 65535)
    throw new UsageError(`${flag} must be a port number (1-65535), not "${text}"`);
  return value;
}

/**
 * `npm start -- …` to what it asks for. Paths are relative to `invokedFrom`
 * (npm's INIT_CWD: the folder the command was typed in, not the repository).
 * @throws UsageError
 */
export function parseStartArguments(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  invokedFrom: string,
): StartArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'ingest-root': { type: 'string' },
        inbox: { type: 'string' },
        'no-inbox': { type: 'boolean', default: false },
        database: { type: 'string' },
        namespace: { type: 'string' },
        port: { type: 'string' },
        'ingestor-port': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error));
  }
  const { values } = parsed;
  const ingestRoot = resolve(invokedFrom, values['ingest-root'] ?? '.');
  if (values.inbox !== undefined && values['no-inbox'])
    throw new UsageError('--inbox and --no-inbox contradict each other');
  const inbox = values['no-inbox']
    ? null
    : values.inbox === undefined
      ? join(ingestRoot, 'inbox')
      : isAbsolute(values.inbox)
        ? values.inbox
        : resolve(invokedFrom, values.inbox);
  const database = values.database ?? env['CLAIMS_DATABASE'] ?? 'claims';
  if (!DATABASE_NAME.test(database)) {
    throw new UsageError(`--database must be a plain Postgres name (lower-case letters, digits, _), not "${database}"`);
  }
  const topicNamespace = values.namespace ?? env['KAFKA_TOPIC_NAMESPACE'] ?? '';
  if (topicNamespace !== '' && !NAMESPACE.test(topicNamespace)) {
    throw new UsageError(`--namespace must be lower-case letters, digits and -, not "${topicNamespace}"`);
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new UsageError(`--log-level is one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);
  }
  const apiPort = port('--port', values.port) ?? DEFAULT_API_PORT;
  if (apiPort + 4 > 65535) throw new UsageError(`--port leaves no room for the four ports after it: ${apiPort}`);
  return {
    ingestRoot,
    inbox,
    database,
    topicNamespace,
    ports: {
      api: apiPort,
      ingestor: port('--ingestor-port', values['ingestor-port']) ?? apiPort + 1,
      normalizer: apiPort + 2,
      enricher: apiPort + 3,
      metrics: apiPort + 4,
    },
    logLevel: logLevel as StartArguments['logLevel'],
    help: values.help ?? false,
  };
}

/**
 * Settings a person may set for `npm start` in their environment, passed to
 * the services that read them; the rest of the environment stays out, as a
 * deployment's would.
 */
export const PASSED_THROUGH_SETTINGS: Record<ServiceName | 'all', readonly string[]> = {
  all: [
    // The standard tracing variables; not OTEL_SERVICE_NAME, which would give five services one name.
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_PROTOCOL',
    'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
    'OTEL_EXPORTER_OTLP_HEADERS',
    'OTEL_TRACES_EXPORTER',
    'OTEL_TRACES_SAMPLER',
    'OTEL_TRACES_SAMPLER_ARG',
    'OTEL_SDK_DISABLED',
    'LAYOUTS_DIR',
    'CLAIM_SERVICE_DATE_EARLIEST',
    'CLAIM_SERVICE_DATE_LATEST',
    'SHUTDOWN_TIMEOUT_MS',
  ],
  ingestor: [
    'INGEST_MAX_RECORD_BYTES',
    'INGEST_MAX_UPLOAD_BYTES',
    'INGEST_MAX_RUNNING_JOBS',
    'INGEST_JOB_HISTORY',
    'INGEST_PRODUCE_BATCH_SIZE',
    'INGEST_REQUEST_TIMEOUT_SECONDS',
    'INGEST_INBOX_POLL_MILLISECONDS',
  ],
  normalizer: [],
  enricher: ['PROVIDER_DIRECTORY_FILES'],
  // The acknowledgement SLAs: the metrics service's gauges and the API's overdue list must agree.
  metrics: ['ACK_SLA_HOURS', 'ACK_SLA_HOURS_BY_PAYER'],
  api: ['ACK_SLA_HOURS', 'ACK_SLA_HOURS_BY_PAYER', 'API_MAX_UPLOAD_BYTES'],
};

/** The passed-through settings that are set, per service (for LocalPipeline's serviceEnv). */
export function passedThroughEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<ServiceName, Record<string, string>> {
  const pick = (names: readonly string[]): Record<string, string> =>
    Object.fromEntries(names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name] as string]])));
  const all = pick(PASSED_THROUGH_SETTINGS.all);
  return {
    ingestor: { ...all, ...pick(PASSED_THROUGH_SETTINGS.ingestor) },
    normalizer: { ...all, ...pick(PASSED_THROUGH_SETTINGS.normalizer) },
    enricher: { ...all, ...pick(PASSED_THROUGH_SETTINGS.enricher) },
    metrics: { ...all, ...pick(PASSED_THROUGH_SETTINGS.metrics) },
    api: { ...all, ...pick(PASSED_THROUGH_SETTINGS.api) },
  };
}
