import { PIPELINE_STAGES } from '@claims/contracts';
import { parseArgs } from 'node:util';
import { UsageError, httpUrlFlag, parseArgsMessage, positiveNumber } from './usage-error';

export const DLQ_USAGE = `usage: npm run dlq -- list [--reason CODE] [--stage STAGE] [--file SHA256|NAME] [--limit N] [--json]
       npm run dlq -- replay --reason CODE [--stage STAGE] [--file SHA256|NAME] [--dry-run] [--yes]
  list      dead letters by stage and reason, and the latest ones (reasons name fields, never values)
  replay    re-publish each matching dead letter's original message to the topic it came from,
            once the cause is fixed (a wider CLAIM_SERVICE_DATE_EARLIEST, a new layout…); needs an
            admin token; asks first unless --yes; --dry-run only says what it would do
  --api URL          the API (default: CLAIMS_API_URL, else the running stack's)
  --token TOKEN      a bearer token (default: CLAIMS_API_TOKEN, else the running stack's)
  --brokers LIST     Kafka, for replay (default: KAFKA_BROKERS, else the running stack's)
  --namespace NS     topic namespace, for replay (default: KAFKA_TOPIC_NAMESPACE, else the running stack's)`;

export interface DlqArguments {
  command: 'list' | 'replay';
  reason?: string;
  stage?: string;
  file?: string;
  limit?: number;
  dryRun: boolean;
  yes: boolean;
  json: boolean;
  api?: string;
  token?: string;
  brokers?: string;
  namespace?: string;
  help: boolean;
}

/** `npm run dlq -- …` to what it asks for. @throws UsageError */
export function parseDlqArguments(argv: readonly string[]): DlqArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        reason: { type: 'string' },
        stage: { type: 'string' },
        file: { type: 'string' },
        limit: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', short: 'y', default: false },
        json: { type: 'boolean', default: false },
        api: { type: 'string' },
        token: { type: 'string' },
        brokers: { type: 'string' },
        namespace: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, argv));
  }
  const { values, positionals } = parsed;
  const help = values.help ?? false;
  const [command, ...extra] = positionals;
  if (help && command === undefined) {
    return { command: 'list', dryRun: false, yes: false, json: false, help };
  }
  if (command !== 'list' && command !== 'replay') throw new UsageError('say list or replay');
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`);
  if (values.reason !== undefined && !/^[A-Z][A-Z0-9_]{0,63}$/.test(values.reason)) {
    throw new UsageError(`--reason is an error code such as DATE_OUT_OF_RANGE, not "${values.reason}"`);
  }
  if (values.stage !== undefined && !(PIPELINE_STAGES as readonly string[]).includes(values.stage)) {
    throw new UsageError(`--stage is one of ${PIPELINE_STAGES.join(', ')}, not "${values.stage}"`);
  }
  if (command === 'replay' && values.reason === undefined) {
    throw new UsageError('replay needs --reason CODE: a replay follows the fix of one cause');
  }
  if (command === 'list' && (values.yes || values['dry-run'])) {
    throw new UsageError('--yes and --dry-run belong to replay');
  }
  const limit = positiveNumber('--limit', values.limit, { integer: true });
  httpUrlFlag('--api', values.api);
  return {
    command,
    ...(values.reason === undefined ? {} : { reason: values.reason }),
    ...(values.stage === undefined ? {} : { stage: values.stage }),
    ...(values.file === undefined ? {} : { file: values.file }),
    ...(limit === undefined ? {} : { limit }),
    dryRun: values['dry-run'] ?? false,
    yes: values.yes ?? false,
    json: values.json ?? false,
    ...(values.api === undefined ? {} : { api: values.api }),
    ...(values.token === undefined ? {} : { token: values.token }),
    ...(values.brokers === undefined ? {} : { brokers: values.brokers }),
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    help,
  };
}
