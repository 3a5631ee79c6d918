import { CLAIM_TOPICS, namespacedTopic } from '@claims/contracts';
import { KafkaJSError } from 'kafkajs';
import { createInterface } from 'node:readline/promises';
import { replayDeadLetters } from './dead-letter-replay';
import { DLQ_USAGE, parseDlqArguments, type DlqArguments } from './dlq-arguments';
import { EXIT_OK, EXIT_USAGE, type FrontDoorContext } from './ingest-command';
import { formatCount } from './ingest-progress';
import { checkedStackEndpoints, type StackEndpoints } from './stack-endpoints';
import { StackAnswerError, StackUnreachableError, callJson } from './stack-http';
import { UsageError } from './usage-error';

/** GET /v1/dead-letters, the fields printed. */
interface DeadLetterListing {
  open: number;
  resolved: number;
  byStageAndReason: Array<{ stage: string; errorCode: string; open: number; resolved: number; replayable: number }>;
  latest: Array<{
    deadLetterId: string;
    stage: string;
    errorCode: string;
    reason: string;
    failedAt: string;
    fileId: string | null;
    recordNumber: number | null;
    source: string | null;
    recordOutcome: string;
  }>;
}

/** GET /v1/dead-letters/replay-plan. */
interface ReplayPlan {
  replayable: Array<{ deadLetterId: string; originTopic: string; dlqPartition: number; dlqOffset: string }>;
  notReplayable: Array<{ reason: string; records: number; advice: string }>;
  more: boolean;
}

/** Rows of cells as aligned columns. */
export function formatColumns(rows: ReadonlyArray<readonly string[]>, rightAligned: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, index) =>
        rightAligned.has(index) ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

export function formatDeadLetterListing(listing: DeadLetterListing): string {
  const lines = [
    `dead letters: ${formatCount(listing.open)} open` +
      (listing.resolved > 0 ? `, ${formatCount(listing.resolved)} resolved (replayed and folded since)` : ''),
  ];
  if (listing.byStageAndReason.length > 0) {
    const rows = [
      ['stage', 'reason', 'open', 'resolved', 'replayable'],
      ...listing.byStageAndReason.map((row) => [
        row.stage,
        row.errorCode,
        formatCount(row.open),
        formatCount(row.resolved),
        formatCount(row.replayable),
      ]),
    ];
    lines.push(...formatColumns(rows, new Set([2, 3, 4])).map((line) => `  ${line}`));
  }
  if (listing.latest.length > 0) {
    lines.push('latest:');
    const rows = listing.latest.map((entry) => [
      entry.failedAt.replace(/\.\d+Z$/, 'Z'),
      entry.stage,
      entry.errorCode,
      entry.source === null ? '-' : `${entry.source}${entry.recordNumber === null ? '' : ` #${entry.recordNumber}`}`,
      entry.recordOutcome === 'dead_lettered' ? entry.reason : `${entry.reason} [now ${entry.recordOutcome}]`,
    ]);
    lines.push(...formatColumns(rows, new Set()).map((line) => `  ${line}`));
  }
  return lines.join('\n');
}

function filterQuery(args: DlqArguments, url: URL): URL {
  if (args.reason !== undefined) url.searchParams.set('reason', args.reason);
  if (args.stage !== undefined) url.searchParams.set('stage', args.stage);
  if (args.file !== undefined) url.searchParams.set('file', args.file);
  if (args.limit !== undefined) url.searchParams.set('limit', String(args.limit));
  return url;
}

async function askApi<T>(stack: StackEndpoints, url: URL): Promise<T> {
  const answer = await callJson<T>('API', url, { token: stack.apiToken });
  if (answer.status === 401) throw new UsageError(`the API at ${url.origin} refused the token (401)`);
  if (answer.status === 403) {
    throw new UsageError(
      `the API at ${url.origin} answered 403: ${url.pathname.endsWith('replay-plan') ? 'replay needs an admin token' : 'the token may not read dead letters'}`,
    );
  }
  if (answer.status !== 200 || answer.body === null) throw new StackAnswerError('API', url.origin, answer);
  return answer.body;
}

async function confirmed(question: string): Promise<boolean> {
  const input = process.stdin;
  if (!input.isTTY) return false;
  const reader = createInterface({ input, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await reader.question(`${question} [y/N] `)).trim());
  } finally {
    reader.close();
  }
}

async function list(
  args: DlqArguments,
  stack: StackEndpoints & { apiUrl: string },
  context: FrontDoorContext,
): Promise<number> {
  const listing = await askApi<DeadLetterListing>(stack, filterQuery(args, new URL('/v1/dead-letters', stack.apiUrl)));
  context.stdout.write(args.json ? `${JSON.stringify(listing)}\n` : `${formatDeadLetterListing(listing)}\n`);
  return EXIT_OK;
}

async function replay(
  args: DlqArguments,
  stack: StackEndpoints & { apiUrl: string },
  context: FrontDoorContext,
): Promise<number> {
  const { stderr, stdout } = context;
  const plan = await askApi<ReplayPlan>(
    stack,
    filterQuery(args, new URL('/v1/dead-letters/replay-plan', stack.apiUrl)),
  );
  const lines = [
    `replay ${args.reason}: ${formatCount(plan.replayable.length)} dead letters can be replayed${plan.more ? ' (more match: replay again once these are accounted)' : ''}`,
  ];
  for (const refused of plan.notReplayable) {
    lines.push(`  ${formatCount(refused.records)} cannot (${refused.reason}): ${refused.advice}`);
  }
  stderr.write(`${lines.join('\n')}\n`);
  if (plan.replayable.length === 0 || args.dryRun) {
    if (args.json) stdout.write(`${JSON.stringify({ dryRun: args.dryRun, plan })}\n`);
    return EXIT_OK;
  }
  if (stack.brokers === null || stack.topicNamespace === null) {
    throw new UsageError(
      'replay reads the dead-letter topic: pass --brokers LIST and --namespace NS, or run it against `npm start`',
    );
  }
  if (
    !args.yes &&
    !(await confirmed(`re-publish ${plan.replayable.length} original messages to the topics they came from?`))
  ) {
    stderr.write('dlq: nothing replayed (pass --yes to replay without being asked)\n');
    return EXIT_USAGE;
  }
  let outcome: Awaited<ReturnType<typeof replayDeadLetters>>;
  try {
    outcome = await replayDeadLetters({
      brokers: stack.brokers,
      deadLetterTopic: namespacedTopic(CLAIM_TOPICS.deadLetter, stack.topicNamespace),
      targets: plan.replayable,
    });
  } catch (error) {
    // Kafka away or refusing: the stack is at fault, said in one line. A replayed original keeps its event
    // id, so replaying again after a partial send cannot count a record twice.
    if (!(error instanceof KafkaJSError)) throw error;
    throw new UsageError(
      `replaying through Kafka at ${stack.brokers} failed (${error.message.replace(/\s+/g, ' ')}): replay again once it answers`,
    );
  }
  const replayed = Object.values(outcome.replayedByTopic).reduce((sum, count) => sum + count, 0);
  const summary = [
    `replayed ${formatCount(replayed)} original messages` +
      (replayed > 0
        ? ` (${Object.entries(outcome.replayedByTopic)
            .map(([topic, count]) => `${formatCount(count)} to ${topic}`)
            .join(', ')})`
        : ''),
  ];
  const whys = new Map<string, number>();
  for (const entry of outcome.notReplayed) whys.set(entry.why, (whys.get(entry.why) ?? 0) + 1);
  for (const [why, count] of whys) summary.push(`  ${formatCount(count)} not replayed: ${why}`);
  summary.push('the files show them folded once the pipeline has taken them: npm run kpi -- verify --wait 60');
  stderr.write(`${summary.join('\n')}\n`);
  if (args.json)
    stdout.write(
      `${JSON.stringify({ replayed, ...outcome, plan: { notReplayable: plan.notReplayable, more: plan.more } })}\n`,
    );
  return outcome.notReplayed.length > 0 ? 1 : EXIT_OK;
}

/**
 * `npm run dlq -- list | replay`: the dead letters of a running stack, by
 * stage and reason (through the API), and the replay of one reason's
 * originals after its cause is fixed (the plan from the API, admin only; the
 * originals read back from the dead-letter topic and re-published).
 */
export async function runDlqCommand(context: FrontDoorContext): Promise<number> {
  const { stderr } = context;
  let args: DlqArguments;
  try {
    args = parseDlqArguments(context.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`dlq: ${error.message}\n${DLQ_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    context.stdout.write(`${DLQ_USAGE}\n`);
    return EXIT_OK;
  }
  let stack: StackEndpoints;
  try {
    stack = checkedStackEndpoints(args, context.env, context.recordedStack);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`dlq: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const apiUrl = stack.apiUrl;
  if (apiUrl === null) {
    stderr.write('dlq: no running stack found: start one with `npm start`, or pass --api URL\n');
    return EXIT_USAGE;
  }
  if (stack.apiToken === null) {
    stderr.write('dlq: no API token: pass --token or set CLAIMS_API_TOKEN\n');
    return EXIT_USAGE;
  }
  try {
    return args.command === 'list'
      ? await list(args, { ...stack, apiUrl }, context)
      : await replay(args, { ...stack, apiUrl }, context);
  } catch (error) {
    if (error instanceof UsageError || error instanceof StackUnreachableError || error instanceof StackAnswerError) {
      stderr.write(`dlq: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
