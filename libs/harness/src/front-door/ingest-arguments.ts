import { parseArgs } from 'node:util';
import { UsageError, httpUrlFlag, parseArgsMessage, positiveNumber } from './usage-error';

export const INGEST_USAGE = `usage: npm run ingest -- <file|folder>... [options]
  Feeds files to the running stack (npm start) and waits until every record is accounted for.
  Paths are relative to the folder you run npm from; a folder means the files in it.
  --layout NAME     the files' layout (default: detected from each file's header row)
  --rate N          send N records per second
  --speedup K       follow the records' own event dates, K times faster than real time
  --dry-run         read and check the files, publish nothing, print what would happen
  --json            print one JSON object per file on stdout
  --upload          send the files' bytes even when they lie under the stack's ingest root
  --wait SECONDS    how long to wait for every record to be accounted for (default 600; 0: do not wait)
  --api URL         the API (default: CLAIMS_API_URL, else the running stack's)
  --ingestor URL    the ingestor (default: CLAIMS_INGESTOR_URL, else the running stack's)
  --token TOKEN     a bearer token for the API (default: CLAIMS_API_TOKEN, else the running stack's)`;

export interface IngestArguments {
  /** As typed, to be resolved against the folder npm was run from. */
  paths: string[];
  layout?: string;
  ratePerSecond?: number;
  speedup?: number;
  dryRun: boolean;
  json: boolean;
  upload: boolean;
  waitSeconds: number;
  api?: string;
  ingestor?: string;
  token?: string;
  help: boolean;
}

const DEFAULT_WAIT_SECONDS = 600;

/** `npm run ingest -- …` to what it asks for. @throws UsageError */
export function parseIngestArguments(argv: readonly string[]): IngestArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        layout: { type: 'string' },
        rate: { type: 'string' },
        speedup: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        upload: { type: 'boolean', default: false },
        wait: { type: 'string' },
        api: { type: 'string' },
        ingestor: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, argv));
  }
  const { values, positionals } = parsed;
  const help = values.help ?? false;
  if (!help && positionals.length === 0) throw new UsageError('name at least one file or folder to ingest');
  const ratePerSecond = positiveNumber('--rate', values.rate);
  const speedup = positiveNumber('--speedup', values.speedup);
  if (ratePerSecond !== undefined && speedup !== undefined) {
    throw new UsageError('--rate and --speedup both pace the replay: choose one');
  }
  if (ratePerSecond !== undefined && ratePerSecond < 1)
    throw new UsageError('--rate must be at least 1 record per second');
  if (speedup !== undefined && speedup < 1) throw new UsageError('--speedup must be at least 1 (real time)');
  const waitSeconds = values.wait === '0' ? 0 : (positiveNumber('--wait', values.wait) ?? DEFAULT_WAIT_SECONDS);
  httpUrlFlag('--api', values.api);
  httpUrlFlag('--ingestor', values.ingestor);
  return {
    paths: positionals,
    ...(values.layout === undefined ? {} : { layout: values.layout }),
    ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
    ...(speedup === undefined ? {} : { speedup }),
    dryRun: values['dry-run'] ?? false,
    json: values.json ?? false,
    upload: values.upload ?? false,
    waitSeconds,
    ...(values.api === undefined ? {} : { api: values.api }),
    ...(values.ingestor === undefined ? {} : { ingestor: values.ingestor }),
    ...(values.token === undefined ? {} : { token: values.token }),
    help,
  };
}
