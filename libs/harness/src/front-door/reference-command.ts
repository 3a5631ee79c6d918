import {
  namespacedTopic,
  REFERENCE_TOPIC_BY_KIND,
  ReferenceEventSchema,
  referenceEventMessage,
  type ReferenceEvent,
} from '@claims/contracts';
import {
  DirectoryIdentifierCollector,
  loadReferenceCodes,
  parseProviderDirectoryFile,
  synthesizeDirectory,
  DIRECTORY_NAME_POOL,
  MAX_PROVIDER_DIRECTORY_FILE_BYTES,
  ReferenceFormatError,
  oversizeDirectoryFileReason,
  type SyntheticDirectory,
} from '@claims/enrichment';
import { SourceRecordError, claimEventsOfFile, loadSourceLayouts, shippedFolder } from '@claims/source-layouts';
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Kafka, KafkaJSError, logLevel, type Message } from 'kafkajs';
import { EXIT_FILE_FAILED, EXIT_OK, EXIT_USAGE, type FrontDoorContext } from './ingest-command';
import { resolveStackEndpoints } from './stack-endpoints';
import { UsageError } from './usage-error';
import { isX12File, x12ClaimEventsOfFile } from './x12-claim-events-of-file';

export const REFERENCE_USAGE = `usage:
  npm run reference -- publish <file>...
      publishes directory files to the reference topics: NPPES npidata or CMS
      clinician (DAC) CSVs, or NDJSON of reference events (as synthesize writes)
  npm run reference -- synthesize <claim file>... [--seed N] [--flaw-share F]
      [--never-fixed-share F] [--out FILE] [--publish]
      builds a seeded directory for the providers, groups and facilities the
      claim files name (DE-SynPUF identifiers are synthetic: nothing real
      matches them), with a share of flawed entries fixed 1-90 days later
options: --brokers HOST:PORT  --namespace NAME  (default: the running stack)`;

export interface ReferenceArguments {
  command: 'publish' | 'synthesize';
  files: string[];
  seed: number;
  flawShare: number;
  neverFixedShare: number;
  out: string | null;
  publish: boolean;
  brokers?: string;
  namespace?: string;
}

export function parseReferenceArguments(argv: readonly string[]): ReferenceArguments {
  const [command, ...rest] = argv;
  if (command !== 'publish' && command !== 'synthesize') {
    throw new UsageError(`unknown command "${command ?? ''}"`);
  }
  const parsed: ReferenceArguments = {
    command,
    files: [],
    seed: 2026,
    flawShare: 0.15,
    neverFixedShare: 0.2,
    out: null,
    publish: command === 'publish',
  };
  for (let index = 0; index < rest.length; index += 1) {
    const argument = rest[index] ?? '';
    const value = (): string => {
      const next = rest[index + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${argument} needs a value`);
      index += 1;
      return next;
    };
    if (argument === '--seed') parsed.seed = integerOption(argument, value());
    else if (argument === '--flaw-share') parsed.flawShare = shareOption(argument, value());
    else if (argument === '--never-fixed-share') parsed.neverFixedShare = shareOption(argument, value());
    else if (argument === '--out') parsed.out = value();
    else if (argument === '--publish') parsed.publish = true;
    else if (argument === '--brokers') parsed.brokers = value();
    else if (argument === '--namespace') parsed.namespace = value();
    else if (argument.startsWith('--')) throw new UsageError(`unknown option ${argument}`);
    else parsed.files.push(argument);
  }
  if (parsed.files.length === 0) throw new UsageError('name at least one file');
  if (command === 'synthesize' && parsed.out === null && !parsed.publish) {
    throw new UsageError('synthesize needs --out FILE, --publish, or both');
  }
  return parsed;
}

function integerOption(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new UsageError(`${name} takes a whole number`);
  return Number(value);
}

function shareOption(name: string, value: string): number {
  const share = Number(value);
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new UsageError(`${name} takes a share from 0 to 1`);
  return share;
}

/** `npm run reference`: publishes directory files, or synthesizes a seeded directory for claim files. */
export async function runReferenceCommand(context: FrontDoorContext): Promise<number> {
  // As every other command of the front door: its usage on stdout, and nothing done.
  if (context.argv.some((argument) => argument === '--help' || argument === '-h')) {
    context.stdout.write(`${REFERENCE_USAGE}\n`);
    return EXIT_OK;
  }
  let args: ReferenceArguments;
  try {
    args = parseReferenceArguments(context.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    context.stderr.write(`reference: ${error.message}\n${REFERENCE_USAGE}\n`);
    return EXIT_USAGE;
  }
  let events: ReferenceEvent[];
  try {
    events = await referenceEventsOfCommand(args, context);
  } catch (error) {
    // A file that cannot be read, or not as reference data: one line naming it, and nothing published.
    const refused = error instanceof ReferenceFormatError || error instanceof SourceRecordError;
    if (!refused && !isSystemError(error)) throw error;
    context.stderr.write(`reference: ${(error as Error).message}\n`);
    return EXIT_FILE_FAILED;
  }
  if (!args.publish) return EXIT_OK;
  const endpoints = resolveStackEndpoints(
    { brokers: args.brokers, namespace: args.namespace },
    context.env,
    context.recordedStack,
  );
  if (endpoints.brokers === null) {
    context.stderr.write('reference: no broker known: start the stack (`npm start`) or pass --brokers\n');
    return EXIT_USAGE;
  }
  try {
    await publishReferenceEvents(events, endpoints.brokers.split(','), endpoints.topicNamespace ?? '');
  } catch (error) {
    // Kafka away or refusing: the stack is at fault, said in one line; anything else is a bug and keeps its stack.
    if (!(error instanceof KafkaJSError)) throw error;
    context.stderr.write(
      `reference: publishing to Kafka at ${endpoints.brokers} failed (${error.message.replace(/\s+/g, ' ')}): publish again once it answers\n`,
    );
    return EXIT_USAGE;
  }
  context.stdout.write(`published ${events.length} reference versions\n`);
  return EXIT_OK;
}

/** The reference versions a command names: read from its files (publish) or synthesized for its claim files. */
async function referenceEventsOfCommand(
  args: ReferenceArguments,
  context: FrontDoorContext,
): Promise<ReferenceEvent[]> {
  const codes = loadReferenceCodes(shippedFolder('data', 'codes'));
  const files = args.files.map((file) => resolve(context.cwd, file));
  const events: ReferenceEvent[] = [];
  if (args.command === 'publish') {
    for (const file of files) {
      const loaded = await referenceEventsOfFile(file, codes);
      context.stdout.write(
        `${basename(file)}: ${loaded.events.length} reference versions` +
          (loaded.rejected > 0 ? `, ${loaded.rejected} rows refused` : '') +
          '\n',
      );
      events.push(...loaded.events);
    }
  } else {
    const directory = await synthesizeDirectoryForFiles(files, {
      seed: args.seed,
      flawShare: args.flawShare,
      neverFixedShare: args.neverFixedShare,
    });
    events.push(...directory.events);
    context.stdout.write(`synthetic directory (seed ${args.seed}): ${JSON.stringify(directory.summary)}\n`);
    if (args.out !== null) {
      const out = resolve(context.cwd, args.out);
      await writeFile(out, directory.events.map((event) => JSON.stringify(event)).join('\n') + '\n');
      context.stdout.write(`written to ${out}\n`);
    }
  }
  return events;
}

/**
 * A seeded directory for the providers, groups and facilities that claim
 * files name (what `npm run reference -- synthesize` and the demo publish).
 */
export async function synthesizeDirectoryForFiles(
  files: readonly string[],
  options: { seed: number; flawShare?: number; neverFixedShare?: number },
): Promise<SyntheticDirectory> {
  const collector = new DirectoryIdentifierCollector();
  // Identifiers only: the member tokens these events carry are never kept, so any key serves.
  const reading = { layouts: loadSourceLayouts(), patientTokenKey: randomBytes(16).toString('hex') };
  for (const file of files) {
    // An X12 837 names its providers by NPI (billing, rendering, service facility) as the delimited files do by column.
    const events = (await isX12File(file)) ? x12ClaimEventsOfFile(file, reading) : claimEventsOfFile(file, reading);
    for await (const event of events) collector.add(event);
  }
  return synthesizeDirectory(collector.identifiers(), {
    ...options,
    namePool: DIRECTORY_NAME_POOL,
    codes: loadReferenceCodes(shippedFolder('data', 'codes')),
  });
}

/**
 * Node's error for a failed system call (a file not there, not readable, a
 * folder): the file's fault, said in one line; anything else is a bug and
 * keeps its stack.
 */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  // Its shape, not instanceof: an error made in another realm (a test runner's) is no instance of this one's Error.
  if (typeof error !== 'object' || error === null) return false;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return typeof code === 'string' && typeof syscall === 'string';
}

/** A directory file's text, refused with a ReferenceFormatError when it is over `maxBytes` (read whole, as one string). */
export async function readDirectoryFile(
  file: string,
  maxBytes: number = MAX_PROVIDER_DIRECTORY_FILE_BYTES,
): Promise<string> {
  const stats = await stat(file);
  if (stats.isDirectory()) throw new ReferenceFormatError(`${basename(file)} is a folder: name the files in it`);
  const oversize = oversizeDirectoryFileReason(basename(file), stats.size, maxBytes, 'publish the parts');
  if (oversize !== null) throw new ReferenceFormatError(oversize);
  return readFile(file, 'utf8');
}

async function referenceEventsOfFile(
  file: string,
  codes: ReturnType<typeof loadReferenceCodes>,
): Promise<{ events: ReferenceEvent[]; rejected: number }> {
  const text = await readDirectoryFile(file);
  if (file.endsWith('.ndjson') || file.endsWith('.jsonl')) {
    const events = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw new ReferenceFormatError(`${basename(file)} line ${index + 1} is not JSON`);
        }
        const parsed = ReferenceEventSchema.safeParse(value);
        if (!parsed.success)
          throw new ReferenceFormatError(`${basename(file)} line ${index + 1} is not a reference event`);
        return parsed.data;
      });
    return { events, rejected: 0 };
  }
  const parsed = parseProviderDirectoryFile(text.split(/\r?\n/), basename(file), codes);
  return { events: parsed.events, rejected: parsed.rejected.length };
}

/** Writes reference versions to their topics, created compacted when missing (as the services create them). */
export async function publishReferenceEvents(
  events: readonly ReferenceEvent[],
  brokers: string[],
  topicNamespace: string,
): Promise<void> {
  const kafka = new Kafka({ clientId: 'claims-reference-cli', brokers, logLevel: logLevel.NOTHING });
  const topicOf = (kind: ReferenceEvent['kind']): string =>
    namespacedTopic(REFERENCE_TOPIC_BY_KIND[kind], topicNamespace);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(events.map((event) => topicOf(event.kind)))].filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: 3,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
  const byTopic = new Map<string, Message[]>();
  for (const event of events) {
    const topic = topicOf(event.kind);
    const messages = byTopic.get(topic) ?? [];
    messages.push(referenceEventMessage(event));
    byTopic.set(topic, messages);
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const [topic, messages] of byTopic) {
      // Bounded requests: a 100,000-provider directory is tens of megabytes.
      for (let start = 0; start < messages.length; start += 2_000) {
        await producer.send({ topic, acks: -1, messages: messages.slice(start, start + 2_000) });
      }
    }
  } finally {
    await producer.disconnect();
  }
}
