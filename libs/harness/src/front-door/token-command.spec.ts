import { verifyApiToken } from '@claims/contracts';
import { DEMO_USERS, parseTokenArguments, runTokenCommand } from './token-command';
import { UsageError } from './usage-error';

const secret = 'a-secret-for-the-token-command-spec-0123456789';
const now = 1_764_633_600;

function run(argv: string[], options: { env?: Record<string, string>; recorded?: { apiTokenSecret?: string } } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const exit = runTokenCommand(
    {
      argv,
      env: options.env ?? {},
      cwd: '/',
      recordedStack: options.recorded ?? null,
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
    },
    now,
  );
  return exit.then((code) => ({ code, stdout: out.join(''), stderr: err.join('') }));
}

describe('parseTokenArguments', () => {
  it('reads issue with a role, a lifetime and a subject', () => {
    expect(parseTokenArguments(['issue', '--role', 'analyst', '--ttl', '8h', '--sub', 'ana'])).toEqual({
      command: 'issue',
      role: 'analyst',
      ttlSeconds: 28_800,
      sub: 'ana',
      json: false,
      help: false,
    });
  });

  it.each([
    [['issue', '--role', 'analyst', '--role', 'admin'], '--role'],
    [['issue', '--role', 'analyst', '--ttl', '8h', '--ttl=366d'], '--ttl'],
    [['issue', '--role', 'analyst', '--sub', 'ana', '--sub', 'ada'], '--sub'],
  ])('refuses %j, a credential whose %s would depend on which of two values counts', (argv, flag) => {
    expect(() => parseTokenArguments(argv)).toThrow(UsageError);
    expect(() => parseTokenArguments(argv)).toThrow(`${flag} is given more than once: give it once`);
  });

  it('refuses issue without a known role, a bad lifetime and a role given to demo-users', () => {
    expect(() => parseTokenArguments(['issue'])).toThrow(UsageError);
    expect(() => parseTokenArguments(['issue', '--role', 'root'])).toThrow(/--role/);
    expect(() => parseTokenArguments(['issue', '--role', 'admin', '--ttl', '2y'])).toThrow(/--ttl/);
    expect(() => parseTokenArguments(['demo-users', '--role', 'admin'])).toThrow(/issue/);
  });
});

describe('runTokenCommand', () => {
  it('prints only the token on stdout, signed with API_TOKEN_SECRET, for the role and lifetime asked', async () => {
    const { code, stdout, stderr } = await run(['issue', '--role', 'manager', '--ttl', '30m', '--sub', 'max'], {
      env: { API_TOKEN_SECRET: secret },
    });
    expect(code).toBe(0);
    expect(stderr).toContain('manager token for max, expires 2025-12-02T00:30:00.000Z');
    expect(verifyApiToken(stdout.trim(), secret, now)).toEqual({
      ok: true,
      claims: { sub: 'max', role: 'manager', iat: now, exp: now + 1800 },
    });
  });

  it("falls back to the running stack's recorded secret", async () => {
    const { code, stdout } = await run(['issue', '--role', 'ingest'], { recorded: { apiTokenSecret: secret } });
    expect(code).toBe(0);
    expect(verifyApiToken(stdout.trim(), secret, now).ok).toBe(true);
  });

  it('issues one token per demo user, each with its role', async () => {
    const { code, stdout } = await run(['demo-users', '--json'], { env: { API_TOKEN_SECRET: secret } });
    expect(code).toBe(0);
    const issued = JSON.parse(stdout) as Array<{ sub: string; role: string; token: string }>;
    expect(issued.map(({ sub, role }) => ({ sub, role }))).toEqual(DEMO_USERS.map(({ sub, role }) => ({ sub, role })));
    for (const user of issued) {
      const verified = verifyApiToken(user.token, secret, now);
      expect(verified.ok && verified.claims.role).toBe(user.role);
    }
  });

  it('exits 2 saying where the secret comes from when there is none', async () => {
    const { code, stderr, stdout } = await run(['issue', '--role', 'admin']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/API_TOKEN_SECRET.*npm start/);
  });
});
