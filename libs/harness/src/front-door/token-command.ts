import {
  API_ROLES,
  API_TOKEN_SECRET_MIN_LENGTH,
  isApiRole,
  parseTokenLifetime,
  signApiToken,
  type ApiRole,
} from '@claims/contracts';
import { parseArgs } from 'node:util';
import { EXIT_OK, EXIT_USAGE, type FrontDoorContext } from './ingest-command';
import { UsageError, parseArgsMessage } from './usage-error';

/** The people of the demo: one per role, so each role's view of the API can be shown by name. */
export const DEMO_USERS: ReadonlyArray<{ sub: string; role: ApiRole; who: string }> = [
  { sub: 'ana.analyst', role: 'analyst', who: 'revenue-cycle analyst: KPIs, work queue, exports' },
  { sub: 'max.manager', role: 'manager', who: 'revenue-cycle manager: every read, claim detail included' },
  { sub: 'ivy.ingest', role: 'ingest', who: 'billing-system upload client: uploads and their reports' },
  { sub: 'ada.admin', role: 'admin', who: 'pipeline admin: dead-letter replay, reference fixes, API keys' },
];

function demoUserList(): string {
  return DEMO_USERS.map((user) => `${user.sub} (${user.role})`).join(', ');
}

export const TOKEN_USAGE = `usage: npm run token -- issue --role ROLE [--ttl 8h] [--sub NAME] [--json]
       npm run token -- demo-users [--ttl 8h] [--json]
  issue        print a signed bearer token (HS256) for ROLE (${API_ROLES.join(', ')}), valid for --ttl
               (s, m, h or d; default 8h, at most 366d), naming --sub (default: the role)
  demo-users   print a token for each demo user: ${demoUserList()}
  The signing secret is API_TOKEN_SECRET, else the running stack's (\`npm start\` keeps one per database).
  The token alone goes to stdout: TOKEN=$(npm run -s token -- issue --role analyst)
  Send it as: curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/v1/kpis/summary`;

export interface TokenArguments {
  command: 'issue' | 'demo-users';
  role?: ApiRole;
  ttlSeconds: number;
  sub?: string;
  json: boolean;
  help: boolean;
}

const DEFAULT_TTL_SECONDS = 8 * 3600;

/** `npm run token -- …` to what it asks for. @throws UsageError */
export function parseTokenArguments(argv: readonly string[]): TokenArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      tokens: true,
      options: {
        role: { type: 'string' },
        ttl: { type: 'string' },
        sub: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, argv));
  }
  const { values, positionals, tokens } = parsed;
  // parseArgs keeps the last of a repeated option: a token's role or lifetime must not hang on argument order.
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once: give it once`);
    seen.add(token.name);
  }
  const [command, ...extra] = positionals;
  const help = values.help ?? false;
  if (help && command === undefined) return { command: 'issue', ttlSeconds: DEFAULT_TTL_SECONDS, json: false, help };
  if (command !== 'issue' && command !== 'demo-users') throw new UsageError('say issue or demo-users');
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`);
  const ttlSeconds = values.ttl === undefined ? DEFAULT_TTL_SECONDS : parseTokenLifetime(values.ttl);
  if (ttlSeconds === null) {
    throw new UsageError(`--ttl is a lifetime such as 90s, 30m, 8h or 7d, at most 366d, not "${values.ttl}"`);
  }
  if (command === 'demo-users' && (values.role !== undefined || values.sub !== undefined)) {
    throw new UsageError('--role and --sub belong to issue');
  }
  if (command === 'issue' && !isApiRole(values.role)) {
    throw new UsageError(`issue needs --role, one of ${API_ROLES.join(', ')}`);
  }
  if (values.sub !== undefined && !/^[A-Za-z0-9._@-]{1,64}$/.test(values.sub)) {
    throw new UsageError('--sub is 1-64 of A-Z a-z 0-9 . _ @ -');
  }
  return {
    command,
    ...(isApiRole(values.role) ? { role: values.role } : {}),
    ttlSeconds,
    ...(values.sub === undefined ? {} : { sub: values.sub }),
    json: values.json ?? false,
    help,
  };
}

/** The signing secret: the environment's, else the one the running stack recorded. */
export function tokenSecret(context: Pick<FrontDoorContext, 'env' | 'recordedStack'>): string | null {
  return context.env['API_TOKEN_SECRET'] ?? context.recordedStack?.apiTokenSecret ?? null;
}

/**
 * `npm run token -- issue | demo-users`: signed bearer tokens for people,
 * with an expiry, from the same secret the API verifies with. Static
 * API_TOKENS stay for services and the harness; service clients that need
 * to outlive a token's lifetime get an API key instead (POST /v1/api-keys).
 */
export async function runTokenCommand(context: FrontDoorContext, nowSeconds = Date.now() / 1000): Promise<number> {
  const { stdout, stderr } = context;
  let args: TokenArguments;
  try {
    args = parseTokenArguments(context.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`token: ${error.message}\n${TOKEN_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    stdout.write(`${TOKEN_USAGE}\n`);
    return EXIT_OK;
  }
  const secret = tokenSecret(context);
  if (secret === null || secret.length < API_TOKEN_SECRET_MIN_LENGTH) {
    stderr.write(
      secret === null
        ? 'token: no signing secret: set API_TOKEN_SECRET (the API must have the same), or start the stack with `npm start`\n'
        : `token: API_TOKEN_SECRET must be at least ${API_TOKEN_SECRET_MIN_LENGTH} characters\n`,
    );
    return EXIT_USAGE;
  }
  const users =
    args.command === 'issue' && args.role !== undefined
      ? [{ sub: args.sub ?? args.role, role: args.role }]
      : DEMO_USERS.map(({ sub, role }) => ({ sub, role }));
  const issued = users.map((user) => {
    const token = signApiToken({ ...user, ttlSeconds: args.ttlSeconds, nowSeconds }, secret);
    return { ...user, token, expiresAt: new Date((Math.floor(nowSeconds) + args.ttlSeconds) * 1000).toISOString() };
  });
  if (args.json) {
    stdout.write(`${JSON.stringify(args.command === 'issue' ? issued[0] : issued)}\n`);
    return EXIT_OK;
  }
  if (args.command === 'issue') {
    const [only] = issued;
    if (only === undefined) return EXIT_USAGE;
    stderr.write(`${only.role} token for ${only.sub}, expires ${only.expiresAt}\n`);
    stdout.write(`${only.token}\n`);
    return EXIT_OK;
  }
  for (const user of issued) stdout.write(`${user.sub} (${user.role}, until ${user.expiresAt})\n  ${user.token}\n`);
  return EXIT_OK;
}
