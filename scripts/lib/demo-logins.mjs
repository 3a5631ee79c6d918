// The dashboard's address and one sign-in per demo user, as `npm run demo` and
// `npm start` print them. The tokens are signed exactly as `npm run token --
// demo-users` signs them (libs/harness/src/front-door/token-command.ts: HS256
// with the API's API_TOKEN_SECRET, the command's default lifetime of 8 h), so
// they expire as any person's token does; they name a demo user and a role,
// nothing about a member or a claim.

/**
 * The lines to print: the dashboard URL, then each demo user with its role,
 * what it may do, its expiry and its token. `harness` is the built
 * libs/harness module the launcher imported; `secret` the API's signing secret.
 */
export async function demoLoginLines(harness, { apiUrl, secret }) {
  let written = '';
  const capture = {
    write: (text) => {
      written += text;
      return true;
    },
  };
  const exitCode = await harness.runTokenCommand({
    argv: ['demo-users', '--json'],
    env: { API_TOKEN_SECRET: secret },
    recordedStack: null,
    stdout: capture,
    stderr: capture,
  });
  const dashboard = `  Dashboard    ${apiUrl}/dashboard`;
  if (exitCode !== 0) return [dashboard, `  Sign in      npm run token -- demo-users   (${written.trim()})`];
  const issued = JSON.parse(written);
  const width = Math.max(...issued.map((user) => user.sub.length));
  const roleWidth = Math.max(...issued.map((user) => user.role.length));
  const until = issued[0]?.expiresAt.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC') ?? '';
  const lines = [`${dashboard}   sign in as a demo user with its token, valid until ${until}:`];
  for (const user of issued) {
    const who = harness.DEMO_USERS.find((demo) => demo.sub === user.sub)?.who ?? user.role;
    lines.push(`    ${user.sub.padEnd(width)}  ${user.role.padEnd(roleWidth)}  ${who}`);
    lines.push(`    ${' '.repeat(width)}  ${user.token}`);
  }
  lines.push(`    (new tokens: npm run token -- demo-users)`);
  return lines;
}
