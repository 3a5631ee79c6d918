import { UsageError, isHttpUrl } from './usage-error';

/** What a running stack (`npm start`, `npm run demo`) records in .cache/stack.json (scripts/lib/stack-state.mjs). */
export interface RecordedStack {
  apiUrl?: string;
  apiToken?: string;
  /** The API's HS256 signing secret, so `npm run token` can issue tokens it accepts. */
  apiTokenSecret?: string;
  ingestorUrl?: string;
  ingestRoot?: string;
  inbox?: string | null;
  brokers?: string;
  topicNamespace?: string;
  logDirectory?: string;
}

/** Where a CLI finds the stack it works on. */
export interface StackEndpoints {
  apiUrl: string | null;
  apiToken: string | null;
  ingestorUrl: string | null;
  /** The ingestor's root: files under it are sent by path, others by upload. Null when unknown. */
  ingestRoot: string | null;
  brokers: string | null;
  topicNamespace: string | null;
  /** Where the answers came from, for messages. */
  origin: 'flags and environment' | 'the running stack';
}

export interface EndpointFlags {
  api?: string;
  ingestor?: string;
  token?: string;
  brokers?: string;
  namespace?: string;
}

/**
 * Flags first, then the environment (CLAIMS_API_URL, CLAIMS_INGESTOR_URL,
 * CLAIMS_API_TOKEN, CLAIMS_INGEST_ROOT, KAFKA_BROKERS, KAFKA_TOPIC_NAMESPACE),
 * then the running stack's record. Naming a stack (an API or ingestor URL)
 * sets the record aside altogether: half of one stack and half of another
 * would send files to one and wait for their accounting in the other.
 */
export function resolveStackEndpoints(
  flags: EndpointFlags,
  env: Readonly<Record<string, string | undefined>>,
  recorded: RecordedStack | null,
): StackEndpoints {
  const apiUrl = flags.api ?? env['CLAIMS_API_URL'] ?? null;
  const ingestorUrl = flags.ingestor ?? env['CLAIMS_INGESTOR_URL'] ?? null;
  const named = apiUrl !== null || ingestorUrl !== null;
  const stack = named ? null : recorded;
  return {
    apiUrl: apiUrl ?? stack?.apiUrl ?? null,
    ingestorUrl: ingestorUrl ?? stack?.ingestorUrl ?? null,
    apiToken: flags.token ?? env['CLAIMS_API_TOKEN'] ?? stack?.apiToken ?? null,
    ingestRoot: env['CLAIMS_INGEST_ROOT'] ?? stack?.ingestRoot ?? null,
    brokers: flags.brokers ?? env['KAFKA_BROKERS'] ?? stack?.brokers ?? null,
    topicNamespace: flags.namespace ?? env['KAFKA_TOPIC_NAMESPACE'] ?? stack?.topicNamespace ?? null,
    origin: stack === null ? 'flags and environment' : 'the running stack',
  };
}

/**
 * Checks the addresses a command will call, wherever they came from (a flag
 * is checked as it is parsed; CLAIMS_API_URL, CLAIMS_INGESTOR_URL and the
 * running stack's record are checked here), so a mistyped one is a usage
 * error naming it rather than a crash in the URL parser.
 * @throws UsageError
 */
export function assertStackAddresses(stack: Pick<StackEndpoints, 'apiUrl' | 'ingestorUrl' | 'origin'>): void {
  const from = stack.origin === 'the running stack' ? 'in .cache/stack.json' : 'from the flags or the environment';
  for (const [what, url] of [
    ['API', stack.apiUrl],
    ['ingestor', stack.ingestorUrl],
  ] as const) {
    if (url !== null && !isHttpUrl(url)) {
      throw new UsageError(`the ${what} address ${from} is not an http(s) URL: "${url}"`);
    }
  }
}

/**
 * The endpoints a command works on, resolved as resolveStackEndpoints does
 * and checked as assertStackAddresses does: what every command that calls
 * the stack starts with.
 * @throws UsageError naming an address that is not an http(s) URL
 */
export function checkedStackEndpoints(
  flags: EndpointFlags,
  env: Readonly<Record<string, string | undefined>>,
  recorded: RecordedStack | null,
): StackEndpoints {
  const stack = resolveStackEndpoints(flags, env, recorded);
  assertStackAddresses(stack);
  return stack;
}
