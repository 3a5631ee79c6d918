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
 * The ports the Fetch standard's "bad port" list blocks (https://fetch.spec.whatwg.org/#bad-port):
 * Node's fetch refuses to call them, so a service there could never be
 * health-checked by `npm start` nor called by `npm run ingest`.
 */
const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/**
 * Refuses ports two services would share (an --ingestor-port among the four
 * --port gives the others: both would be claimed before either listens, and
 * one would never start) or that fetch will not call.
 * @throws UsageError naming the port, the services and the flag to change
 */
function assertServicePorts(ports: Record<ServiceName, number>, ingestorPortGiven: boolean): void {
  const services = Object.entries(ports) as Array<[ServiceName, number]>;
  // Only --ingestor-port can meet another: --port gives the other four consecutive ports.
  const sharing = services.find(([service, number]) => service !== 'ingestor' && number === ports.ingestor)?.[0];
  if (sharing !== undefined) {
    throw new UsageError(
      `--ingestor-port ${ports.ingestor} is the ${sharing}'s port (--port ${ports.api} gives the API ${ports.api} and the normalizer, enricher and metrics ${ports.api + 2}-${ports.api + 4}): choose another`,
    );
  }
  for (const [service, number] of services) {
    if (!FETCH_BAD_PORTS.has(number)) continue;
    const flag = service === 'ingestor' && ingestorPortGiven ? '--ingestor-port' : '--port';
    throw new UsageError(
      `${flag} would put the ${service} on port ${number}, which fetch refuses to call (a "bad port" of the Fetch standard): choose another`,
    );
  }
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
    throw new UsageError(parseArgsMessage(error, argv));
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
  const ports: Record<ServiceName, number> = {
    api: apiPort,
    ingestor: port('--ingestor-port', values['ingestor-port']) ?? apiPort + 1,
    normalizer: apiPort + 2,
    enricher: apiPort + 3,
    metrics: apiPort + 4,
  };
  assertServicePorts(ports, values['ingestor-port'] !== undefined);
  return {
    ingestRoot,
    inbox,
    database,
    topicNamespace,
    ports,
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
