// What `npm test`, `npm run demo` and `npm run bench` share: install what is
// missing, build, and provide a real Kafka broker and a real Postgres.
// Only Node built-ins are imported at the top: this runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const say = (line) => process.stderr.write(`[claims] ${line}\n`);

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
  return result;
}

/**
 * Installs from the lockfile when node_modules is missing or older than it.
 * `npm install` rather than `npm ci`: registries that serve only this
 * platform's optional binaries (as the mirror here does) leave the other
 * platforms' entries out of the lockfile, which `npm ci` refuses and
 * `npm install` rightly skips as optional.
 */
export function ensureDependencies() {
  const installed = join(repoRoot, 'node_modules', '.package-lock.json');
  const lock = join(repoRoot, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing dependencies (npm install from package-lock.json)');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

export function build() {
  say('building (tsc)');
  run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
}

/**
 * Starts (or finds) the broker and the database. `stop()` stops only what was
 * started here, so a broker or a Postgres the user already runs is left alone.
 */
export async function startInfrastructure() {
  const { startKafka } = await import(pathToFileURL(join(repoRoot, 'scripts', 'kafka', 'kafka.mjs')).href);
  const { ensurePostgres } = await import(pathToFileURL(join(repoRoot, 'scripts', 'postgres', 'postgres.mjs')).href);
  const kafka = await startKafka({ repoRoot, log: (line) => say(`kafka: ${line}`) });
  let postgres;
  try {
    postgres = await ensurePostgres({ repoRoot, log: (line) => say(`postgres: ${line}`) });
  } catch (error) {
    await kafka.stop();
    throw error;
  }
  say(
    `kafka at ${kafka.brokers}${kafka.startedHere ? ' (started)' : ''}; postgres ${postgres.startedHere ? 'started' : 'found'}`,
  );
  return {
    brokers: kafka.brokers,
    databaseUrl: postgres.url,
    stop: async () => {
      await Promise.allSettled([kafka.stop(), postgres.stop()]);
    },
  };
}

/** Runs `cleanup` once on normal end, Ctrl-C or SIGTERM. */
export function onShutdown(cleanup) {
  let done = false;
  const once = async (code) => {
    if (done) return;
    done = true;
    await cleanup();
    if (code !== undefined) process.exit(code);
  };
  process.once('SIGINT', () => void once(130));
  process.once('SIGTERM', () => void once(143));
  return () => once();
}
