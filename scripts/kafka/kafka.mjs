#!/usr/bin/env node
/**
 * Kafka broker bootstrap for tests, the demo and benchmarks.
 *
 *   node scripts/kafka/kafka.mjs start    print the bootstrap address, leave the broker running
 *   node scripts/kafka/kafka.mjs stop     stop the broker; its data is kept for the next start
 *   node scripts/kafka/kafka.mjs status   exit 0 and print the address if it runs, else exit 1
 *   node scripts/kafka/kafka.mjs kill     SIGKILL the broker, as a crash would; its data is kept
 *   node scripts/kafka/kafka.mjs reset    stop the broker and DELETE its data: the next start is an empty cluster
 *
 * Every command takes `--dir DIR` to act on a private broker instance kept in DIR
 * (data, cluster id, port, log) instead of the shared one in .cache/kafka, and
 * `start` takes `--port N`. A private instance always runs from the local jars and
 * ignores KAFKA_BROKERS: fault tests start one, SIGKILL it and start it again on the
 * same port with the same data, without disturbing the broker other runs share.
 *
 *   import { startKafka, stopKafka } from './kafka/kafka.mjs';
 *   const kafka = await startKafka({ repoRoot, log });  // { brokers, startedHere, stop }
 *   ...
 *   await kafka.stop();                                  // no-op unless startedHere
 *
 * Where the shared broker comes from, first match wins:
 *   1. KAFKA_BROKERS is set: used as-is, nothing is started.
 *   2. A broker this script started earlier still answers (state file): reused, so
 *      `npm run kafka:start` once makes every later test/demo/bench run skip the start-up.
 *   3. A Docker engine with the compose plugin works: `docker compose up -d kafka`.
 *   4. Otherwise a single-node KRaft broker runs straight from the Kafka jars, which
 *      Maven resolves once into .cache/kafka/lib (scripts/kafka/pom.xml). This is the
 *      path on machines without Docker, CI included.
 *
 * A broker's data outlives the broker: starting again after a stop or a crash reuses
 * the formatted data directory, its cluster id and, when free, its port (all recorded
 * in cluster.json beside the data). A new, empty cluster is formatted only where no
 * formatted data (meta.properties) exists, and only `reset` deletes data. Records
 * that vanish because a restart quietly began an empty cluster are records lost.
 *
 * Kafka stays on 3.9.x: Kafka 4.0 dropped the old protocol versions KafkaJS 2.2.4 uses.
 * Only Node built-ins are used, so this runs before (or without) `npm install`.
 */
import { freeStablePort } from '../lib/ports.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, realpathSync, writeSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const DEFAULT_REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOST = '127.0.0.1';
/** Preferred port of the shared broker; also the host port of the kafka service in docker-compose.yml. */
const PREFERRED_PORT = 19092;
const READY_DEADLINE_MS = 90_000;
const STOP_DEADLINE_MS = 30_000;
const KILL_DEADLINE_MS = 5_000;
/** How long a recorded broker whose process lives may stay silent (busy, or just started) before it is replaced. */
const SILENT_BROKER_GRACE_MS = 20_000;
/** How long a port this instance recorded may stay taken (a just-killed broker's socket) before start gives up. */
const PORT_RELEASE_DEADLINE_MS = 10_000;
/** Long enough for a first-run Maven download plus a broker start in another process. */
const LOCK_DEADLINE_MS = 10 * 60_000;
const PROBE_TIMEOUT_MS = 2_000;
const POLL_MS = 250;
const BROKER_JVM_OPTS = ['-Xmx768m', '-Xms256m', '-XX:+UseG1GC', '-Djava.awt.headless=true'];
/** /proc lets us tell zombies and recycled pids apart from a live broker (Linux only). */
const HAS_PROC = existsSync('/proc/self/stat');

const defaultLog = (line) => process.stderr.write(`[kafka] ${line}\n`);

/**
 * Start (or find) a Kafka broker.
 *
 * @param {object} [options]
 * @param {string} [options.repoRoot] repository root; defaults to the one holding this file
 * @param {(line: string) => void} [options.log] progress lines; defaults to stderr with a [kafka] prefix
 * @param {AbortSignal} [options.signal] aborts a start in progress and stops what it started
 * @param {string} [options.instanceDir] run a private broker kept in this directory instead of
 *   the shared one: local jars only, KAFKA_BROKERS and Docker ignored
 * @param {number} [options.port] the port the broker must listen on (start fails if it is taken);
 *   by default the port it had before, else 19092 (shared) or any free port (private)
 * @returns {Promise<{ brokers: string, startedHere: boolean, stop: () => Promise<void> }>}
 *   brokers is a KafkaJS-style bootstrap list ("127.0.0.1:19092"); stop() stops the broker,
 *   keeping its data, only if this call started it, and is safe to call more than once.
 */
export async function startKafka({ repoRoot = DEFAULT_REPO_ROOT, log = defaultLog, signal, instanceDir, port } = {}) {
  const p = paths(repoRoot, instanceDir);
  if (!p.isPrivate && process.env.KAFKA_BROKERS) {
    log(`using KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
    return notOurs(process.env.KAFKA_BROKERS);
  }
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`not a TCP port: ${port}`);
  }
  await fs.mkdir(p.dir, { recursive: true });
  // Serialised across processes so that parallel test/demo runs share one broker
  // instead of racing for the port and the state file.
  return withLock(p.lock, signal, async () => {
    const running = await findRunning(p, log);
    if (running) {
      if (port !== undefined && running.port !== port) {
        throw new Error(`the broker of ${p.dir} already runs on port ${running.port}, not ${port}`);
      }
      log(`reusing the broker at ${HOST}:${running.port} (${describe(running)})`);
      return notOurs(`${HOST}:${running.port}`);
    }
    if (!p.isPrivate && dockerComposeWorks(log)) return startWithDocker(p, log, signal);
    return startLocal(p, { log, signal, requestedPort: port });
  });
}

/**
 * Stop the recorded broker, whoever started it. Its data stays for the next start.
 *
 * @param {object} [options]
 * @param {string} [options.repoRoot]
 * @param {(line: string) => void} [options.log]
 * @param {string} [options.instanceDir] a private instance's directory, as given to startKafka
 * @returns {Promise<boolean>} whether a broker was recorded (and is now stopped)
 */
export async function stopKafka({ repoRoot = DEFAULT_REPO_ROOT, log = defaultLog, instanceDir } = {}) {
  const p = paths(repoRoot, instanceDir);
  await fs.mkdir(p.dir, { recursive: true });
  return withLock(p.lock, undefined, async () => {
    const state = await readState(p);
    if (!state) return false;
    await stopRecorded(p, state, log);
    return true;
  });
}

/**
 * SIGKILL the recorded broker, as a crash or the OOM killer would: no controlled
 * shutdown, data left as the kill found it. The next start recovers it.
 *
 * @param {object} [options] as for stopKafka
 * @returns {Promise<boolean>} whether a running broker was killed
 */
export async function killKafka({ repoRoot = DEFAULT_REPO_ROOT, log = defaultLog, instanceDir } = {}) {
  const p = paths(repoRoot, instanceDir);
  await fs.mkdir(p.dir, { recursive: true });
  return withLock(p.lock, undefined, async () => {
    const state = await readState(p);
    if (state?.mode === 'docker') {
      await run('docker', [...composeArgs(p), 'kill', '--signal', 'SIGKILL', 'kafka']);
    } else if (state && isKafkaProcess(state.pid)) {
      signalGroup(state.pid, 'SIGKILL');
      if (!(await waitForExit(state.pid, KILL_DEADLINE_MS))) {
        throw new Error(`broker pid ${state.pid} survived SIGKILL`);
      }
    } else {
      return false;
    }
    // The state file stays: the next start finds a recorded broker that no longer
    // answers, says so, and starts it again on its data.
    log(`killed the broker at ${HOST}:${state.port} (${describe(state)}) with SIGKILL; its data is kept`);
    return true;
  });
}

/**
 * Stop the broker and delete its data, cluster id and config: the next start
 * formats a new, empty cluster. The broker log stays for post-mortems.
 *
 * @param {object} [options] as for stopKafka
 */
export async function resetKafka({ repoRoot = DEFAULT_REPO_ROOT, log = defaultLog, instanceDir } = {}) {
  const p = paths(repoRoot, instanceDir);
  await fs.mkdir(p.dir, { recursive: true });
  await withLock(p.lock, undefined, async () => {
    const state = await readState(p);
    if (state?.mode === 'local') await stopRecorded(p, state, log);
    // A stopped compose service keeps its container (and so its data) until removed.
    if (!p.isPrivate && (state?.mode === 'docker' || dockerComposeWorks(() => {}))) {
      await run('docker', [...composeArgs(p), 'rm', '--stop', '--force', '--volumes', 'kafka']);
      await fs.rm(p.state, { force: true });
    }
    const cluster = await readCluster(p);
    const doomed = [p.data, p.cluster, p.config];
    if (cluster) doomed.push(path.resolve(p.dir, cluster.dataDirectory));
    if (!p.isPrivate) {
      // Left by earlier versions of this script, which kept one data directory per port.
      for (const name of await fs.readdir(p.dir)) {
        if (/^(data|server)-\d+(\.properties)?$/.test(name)) doomed.push(path.join(p.dir, name));
      }
    }
    for (const target of doomed) await fs.rm(target, { recursive: true, force: true });
    log(`deleted the broker data in ${p.dir}${cluster ? ` (cluster ${cluster.clusterId})` : ''}`);
  });
}

function paths(repoRoot, instanceDir) {
  const shared = path.join(repoRoot, '.cache', 'kafka');
  const dir = instanceDir === undefined ? shared : path.resolve(instanceDir);
  return {
    repoRoot,
    dir,
    isPrivate: instanceDir !== undefined,
    // Every instance runs the same jars, resolved once for the repository.
    lib: path.join(shared, 'lib'),
    libLock: path.join(shared, 'lib.lock'),
    data: path.join(dir, 'data'),
    cluster: path.join(dir, 'cluster.json'),
    config: path.join(dir, 'server.properties'),
    brokerLog: path.join(dir, 'broker.log'),
    previousBrokerLog: path.join(dir, 'broker.previous.log'),
    state: path.join(dir, 'state.json'),
    lock: path.join(dir, 'lock'),
    pom: path.join(repoRoot, 'scripts', 'kafka', 'pom.xml'),
    log4j: path.join(repoRoot, 'scripts', 'kafka', 'log4j.properties'),
    compose: path.join(repoRoot, 'docker-compose.yml'),
  };
}

function notOurs(brokers) {
  return { brokers, startedHere: false, stop: async () => {} };
}

function describe(state) {
  return state.mode === 'docker' ? 'docker compose service kafka' : `pid ${state.pid}`;
}

// ---------------------------------------------------------------------------
// Reuse

/** The recorded broker if it still answers; a recorded broker that does not is stopped (its data kept). */
async function findRunning(p, log) {
  const state = await readState(p);
  if (!state) return null;
  await adoptRecordedData(p, state, log);
  if (await isServing(state)) return state;
  if (state.mode === 'local' && isKafkaProcess(state.pid)) {
    // Alive but silent: busy (a long GC pause on a loaded machine) or still recovering
    // its logs. Replacing it would cut off every client that uses it, so give it time.
    log(
      `the broker at ${HOST}:${state.port} (${describe(state)}) does not answer yet; waiting up to ${SILENT_BROKER_GRACE_MS / 1000} s`,
    );
    const deadline = Date.now() + SILENT_BROKER_GRACE_MS;
    while (Date.now() < deadline && isKafkaProcess(state.pid)) {
      if (await isServing(state)) return state;
      await delay(POLL_MS);
    }
  }
  log(`cleaning up a broker that no longer answers (${describe(state)}, port ${state.port})`);
  await stopRecorded(p, state, log);
  return null;
}

/**
 * Brokers started by earlier versions of this script kept their data in data-<port>
 * and recorded no cluster.json; record theirs, so the next start reuses that data.
 */
async function adoptRecordedData(p, state, log) {
  if (state.mode !== 'local' || !state.dataDir || (await readCluster(p))) return;
  const clusterId = await readFormattedClusterId(state.dataDir);
  if (!clusterId) return;
  await writeCluster(p, {
    clusterId,
    port: state.port,
    controllerPort: state.controllerPort,
    dataDirectory: path.relative(p.dir, state.dataDir),
  });
  log(`recorded cluster ${clusterId} (data in ${state.dataDir}) for reuse by later starts`);
}

async function isServing(state) {
  if (state.mode === 'local' && !isKafkaProcess(state.pid)) return false;
  try {
    return (await fetchMetadata(HOST, state.port, PROBE_TIMEOUT_MS)).brokers.length > 0;
  } catch {
    return false;
  }
}

async function stopRecorded(p, state, log) {
  const wasRunning = state.mode === 'docker' || isKafkaProcess(state.pid);
  if (state.mode === 'docker') {
    // stop, not rm: the container, and with it the broker's data, stays for the next `up`.
    await run('docker', [...composeArgs(p), 'stop', 'kafka']);
  } else {
    await terminate(state.pid, log);
  }
  // Another process may have recorded a newer broker in the meantime; leave that one alone.
  const current = await readState(p);
  if (current && current.pid === state.pid && current.port === state.port) {
    await fs.rm(p.state, { force: true });
  }
  log(
    wasRunning
      ? `stopped the broker at ${HOST}:${state.port} (${describe(state)}); its data is kept`
      : `forgot the broker at ${HOST}:${state.port} (${describe(state)}), which was no longer running; its data is kept`,
  );
}

async function readState(p) {
  return readJson(p.state);
}

async function writeState(p, state) {
  await writeJson(p.state, state);
}

// ---------------------------------------------------------------------------
// The cluster an instance keeps between starts

/** { clusterId, port, controllerPort, dataDirectory (relative to the instance dir) } or null. */
async function readCluster(p) {
  return readJson(p.cluster);
}

async function writeCluster(p, cluster) {
  await writeJson(p.cluster, cluster);
}

/** The cluster.id of a formatted KRaft log directory, or null when it was never formatted. */
async function readFormattedClusterId(dataDir) {
  const text = await readText(path.join(dataDir, 'meta.properties'));
  return text?.match(/^cluster\.id=(.+)$/m)?.[1]?.trim() || null;
}

/**
 * Decide the ports, write the config and make sure the data directory holds a
 * formatted cluster: the one already there, or, only where none is, a new one.
 */
async function prepareCluster(p, { log, signal, requestedPort, java, classpath }) {
  const recorded = await readCluster(p);
  const dataDir = path.resolve(p.dir, recorded?.dataDirectory ?? 'data');
  const port = await choosePort(p, { requestedPort, recordedPort: recorded?.port, log });
  // The controller listener is internal to the broker; any free port will do if its old one is taken.
  const controllerPort =
    (recorded?.controllerPort && recorded.controllerPort !== port && (await tryListen(recorded.controllerPort))) ||
    (await freePort(0));
  await fs.writeFile(p.config, serverProperties({ port, controllerPort, dataDir }));

  let clusterId = await readFormattedClusterId(dataDir);
  if (clusterId) {
    if (recorded && recorded.clusterId !== clusterId) {
      log(
        `cluster.json names cluster ${recorded.clusterId}, but ${dataDir} holds cluster ${clusterId}; using the data`,
      );
    }
    log(`reusing the data of cluster ${clusterId} in ${path.relative(p.repoRoot, dataDir) || dataDir}`);
  } else {
    clusterId = randomClusterId();
    if (recorded) {
      log(
        `WARNING: the data of cluster ${recorded.clusterId} is missing from ${dataDir}; ` +
          `formatting a new, EMPTY cluster ${clusterId} (every earlier topic and record is gone)`,
      );
    } else {
      log(`formatting a new cluster ${clusterId} in ${dataDir}`);
    }
    await run(
      java,
      [...classpath, 'kafka.tools.StorageTool', 'format', '--config', p.config, '--cluster-id', clusterId],
      {
        signal,
      },
    );
  }
  const cluster = { clusterId, port, controllerPort, dataDirectory: path.relative(p.dir, dataDir) };
  await writeCluster(p, cluster);
  return { ...cluster, dataDir };
}

/**
 * The port to listen on. Clients (and services configured with the address) expect
 * a restarted broker where it was, so the recorded port is kept; a private instance
 * must get it back, the shared broker falls back to another one if it stays taken.
 */
async function choosePort(p, { requestedPort, recordedPort, log }) {
  const required = requestedPort ?? (p.isPrivate ? recordedPort : undefined);
  if (required) {
    if (await waitForFreePort(required, PORT_RELEASE_DEADLINE_MS)) return required;
    throw new Error(
      `port ${required} on ${HOST} is taken by another process; the broker of ${p.dir} must listen there`,
    );
  }
  if (recordedPort) {
    if (await waitForFreePort(recordedPort, PORT_RELEASE_DEADLINE_MS)) return recordedPort;
    log(`port ${recordedPort}, where this broker listened before, is taken; moving to another port`);
  }
  return freePort(p.isPrivate ? 0 : PREFERRED_PORT);
}

async function waitForFreePort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await tryListen(port)) return true;
    if (Date.now() > deadline) return false;
    await delay(POLL_MS);
  }
}

// ---------------------------------------------------------------------------
// Docker

function dockerComposeWorks(log) {
  const ok = (args) => spawnSync('docker', args, { stdio: 'ignore', timeout: 20_000 }).status === 0;
  if (!ok(['info'])) return false;
  if (ok(['compose', 'version'])) return true;
  log('a Docker engine answers but the compose plugin is missing; running the Kafka jars instead');
  return false;
}

function composeArgs(p) {
  return ['compose', '--project-directory', p.repoRoot, '-f', p.compose];
}

async function startWithDocker(p, log, signal) {
  const { stdout } = await run('docker', [...composeArgs(p), 'ps', '--status', 'running', '--quiet', 'kafka']);
  const alreadyUp = stdout.trim() !== '';
  log(`starting Kafka with docker compose (${p.compose}); a stopped kafka container resumes with its data`);
  await run('docker', [...composeArgs(p), 'up', '--detach', 'kafka'], {
    signal,
  });
  const brokers = `${HOST}:${PREFERRED_PORT}`;
  if (alreadyUp) {
    // Someone else brought the service up; we neither own nor stop it.
    await waitUntilReady(PREFERRED_PORT, { signal });
    return notOurs(brokers);
  }
  const state = {
    mode: 'docker',
    port: PREFERRED_PORT,
    startedAt: new Date().toISOString(),
  };
  await writeState(p, state);
  try {
    await waitUntilReady(PREFERRED_PORT, { signal });
  } catch (err) {
    if (!signal?.aborted) {
      const { stdout: logs } = await run('docker', [...composeArgs(p), 'logs', '--tail', '40', 'kafka']).catch(() => ({
        stdout: '',
      }));
      log(`docker compose kafka logs (tail):\n${logs}`);
    }
    await stopRecorded(p, state, log);
    throw err;
  }
  log(`broker ready at ${brokers} (docker compose)`);
  return {
    brokers,
    startedHere: true,
    stop: once(() => stopRecorded(p, state, log)),
  };
}

// ---------------------------------------------------------------------------
// Local broker from the Maven-resolved jars

async function startLocal(p, { log, signal, requestedPort }) {
  const begun = Date.now();
  const lib = await withLock(p.libLock, signal, () => resolveJars(p, log, signal));
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const classpath = ['-cp', path.join(lib, '*'), `-Dlog4j.configuration=${pathToFileURL(p.log4j).href}`];
  const cluster = await prepareCluster(p, { log, signal, requestedPort, java, classpath });
  const { port } = cluster;

  // The log of the run before is kept beside the new one: after a crash, that is the one to read.
  await fs.rename(p.brokerLog, p.previousBrokerLog).catch((err) => {
    if (err.code !== 'ENOENT') throw err;
  });
  log(
    `starting a local KRaft broker on ${HOST}:${port} (log: ${path.relative(p.repoRoot, p.brokerLog) || p.brokerLog})`,
  );
  const out = openSync(p.brokerLog, 'w');
  let child;
  try {
    writeSync(
      out,
      `# started by scripts/kafka/kafka.mjs at ${new Date().toISOString()}, cluster ${cluster.clusterId}\n`,
    );
    // detached: its own process group, so stop() can signal the whole JVM and a Ctrl-C
    // in the terminal of whoever started it does not kill a broker that others reuse.
    child = spawn(java, [...BROKER_JVM_OPTS, ...classpath, 'kafka.Kafka', p.config], {
      cwd: p.dir,
      detached: true,
      stdio: ['ignore', out, out],
    });
  } finally {
    closeSync(out);
  }
  let exited = null;
  child.once('exit', (code, sig) => (exited = sig ?? `exit code ${code}`));
  child.unref(); // a CLI `start` returns while the broker keeps running
  if (child.pid === undefined) throw new Error(`could not run ${java}`);

  const state = {
    mode: 'local',
    pid: child.pid,
    port,
    controllerPort: cluster.controllerPort,
    clusterId: cluster.clusterId,
    dataDir: cluster.dataDir,
    configFile: p.config,
    logFile: p.brokerLog,
    startedAt: new Date().toISOString(),
  };
  await writeState(p, state);
  try {
    await waitUntilReady(port, { signal, exited: () => exited });
  } catch (err) {
    if (!signal?.aborted) log(`broker log (${p.brokerLog}), last lines:\n${await tail(p.brokerLog, 40)}`);
    await stopRecorded(p, state, log);
    throw err;
  }
  log(`broker ready at ${HOST}:${port} (pid ${child.pid}) after ${((Date.now() - begun) / 1000).toFixed(1)} s`);
  return {
    brokers: `${HOST}:${port}`,
    startedHere: true,
    stop: once(() => stopRecorded(p, state, log)),
  };
}

/**
 * Copy the broker's runtime classpath into .cache/kafka/lib once. The copy is tagged
 * with a hash of pom.xml, so bumping the Kafka version there refreshes it.
 */
async function resolveJars(p, log, signal) {
  const wanted = createHash('sha256')
    .update(await fs.readFile(p.pom))
    .digest('hex');
  const marker = path.join(p.lib, '.pom-sha256');
  if ((await readText(marker)) === wanted) return p.lib;

  log('resolving the Kafka broker jars with Maven (first run only; cached in .cache/kafka/lib)');
  // Copied aside and renamed into place, so an interrupted copy is never mistaken for a cache.
  const partial = `${p.lib}.partial`;
  await fs.rm(partial, { recursive: true, force: true });
  await run('mvn', ['-q', '-B', '-f', p.pom, 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`], {
    signal,
  });
  await fs.writeFile(path.join(partial, '.pom-sha256'), wanted);
  await fs.rm(p.lib, { recursive: true, force: true });
  await fs.rename(partial, p.lib);
  return p.lib;
}

function serverProperties({ port, controllerPort, dataDir }) {
  return `# Generated by scripts/kafka/kafka.mjs for one local broker; rewritten on every start.
# Single node acting as KRaft broker and controller, loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${HOST}:${controllerPort}
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}
advertised.listeners=PLAINTEXT://${HOST}:${port}
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${dataDir}

# One broker: internal topics cannot have more than one replica, or consumer
# groups and transactions would never become available.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Consumer groups form at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0

num.partitions=3
auto.create.topics.enable=true
`;
}

/** A cluster id as Kafka's Uuid.randomUuid() makes it: 16 random bytes, base64url. */
function randomClusterId() {
  let id;
  do id = randomBytes(16).toString('base64url');
  while (id.startsWith('-')); // Kafka avoids these: the CLI would read the id as an option
  return id;
}

/**
 * The preferred port if it is free on loopback, otherwise a free one outside
 * the ephemeral range (a broker restarted on its port must find it free), and
 * only then any.
 */
async function freePort(preferred) {
  const port = (preferred && (await tryListen(preferred))) || (await freeStablePort(HOST)) || (await tryListen(0));
  if (!port) throw new Error(`no free TCP port on ${HOST}`);
  return port;
}

function tryListen(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen({ host: HOST, port, exclusive: true }, () => {
      const bound = server.address().port;
      server.close(() => resolve(bound));
    });
  });
}

// ---------------------------------------------------------------------------
// Readiness: a real Kafka Metadata request over TCP

async function waitUntilReady(port, { signal, exited = () => null }) {
  const deadline = Date.now() + READY_DEADLINE_MS;
  let lastProblem = 'no answer yet';
  for (;;) {
    signal?.throwIfAborted();
    const exit = exited();
    if (exit) throw new Error(`the broker exited (${exit}) before it was ready`);
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new Error(
        `the broker on ${HOST}:${port} was not ready within ${READY_DEADLINE_MS / 1000} s (${lastProblem})`,
      );
    }
    try {
      const { brokers } = await fetchMetadata(HOST, port, Math.min(PROBE_TIMEOUT_MS, remaining));
      if (brokers.length > 0) return;
      lastProblem = 'metadata lists no brokers yet';
    } catch (err) {
      lastProblem = err.message;
    }
    await delay(POLL_MS, undefined, { signal });
  }
}

/**
 * Send a Metadata v1 request for no topics and decode the broker list. A broker only
 * answers this once its request handlers run and it knows the cluster, which is
 * exactly "ready" for a client; a bare TCP connect would succeed earlier.
 */
function fetchMetadata(host, port, timeoutMs) {
  return new Promise((resolve, reject) => {
    const correlationId = randomInt(1, 0x7fffffff);
    const clientId = Buffer.from('kafka-bootstrap-probe');
    const request = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length + 4);
    let at = request.writeInt32BE(request.length - 4, 0); // size
    at = request.writeInt16BE(3, at); // api_key: Metadata
    at = request.writeInt16BE(1, at); // api_version 1 (non-flexible, supported by every 3.x broker)
    at = request.writeInt32BE(correlationId, at);
    at = request.writeInt16BE(clientId.length, at);
    at += clientId.copy(request, at);
    request.writeInt32BE(0, at); // topics: empty array = none (null would mean all)

    let received = Buffer.alloc(0);
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no Metadata response within ${timeoutMs} ms`)));
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (size < 4 || size > 1 << 20) return socket.destroy(new Error('not a Kafka response'));
      if (received.length < 4 + size) return;
      socket.destroy();
      try {
        resolve(decodeMetadataV1(received.subarray(4, 4 + size), correlationId));
      } catch (err) {
        reject(new Error(`malformed Metadata response: ${err.message}`));
      }
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('connection closed without a Metadata response')));
  });
}

function decodeMetadataV1(buf, correlationId) {
  let at = 0;
  const int16 = () => ((at += 2), buf.readInt16BE(at - 2));
  const int32 = () => ((at += 4), buf.readInt32BE(at - 4));
  const string = () => {
    const length = int16();
    if (length < 0) return null;
    at += length;
    if (at > buf.length) throw new RangeError('string past the end');
    return buf.toString('utf8', at - length, at);
  };
  if (int32() !== correlationId) throw new Error('correlation id mismatch');
  const brokers = [];
  for (let n = int32(); n > 0; n--) {
    brokers.push({
      nodeId: int32(),
      host: string(),
      port: int32(),
      rack: string(),
    });
  }
  return { brokers, controllerId: int32() };
}

// ---------------------------------------------------------------------------
// Processes, files, locking

/** Run a command to completion, collecting its output; reject with that output on failure. */
function run(command, args, { signal } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d) => ((stdout += d), (output += d)));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', (err) => {
      if (err.code === 'ENOENT') {
        err.message = `\`${command}\` not found: a local Kafka broker needs Java 17+ and Maven on PATH (or Docker, or KAFKA_BROKERS pointing at a broker)`;
      }
      reject(err);
    });
    child.once('close', (code, sig) => {
      if (code === 0) return resolve({ stdout });
      reject(new Error(`${path.basename(command)} failed (${sig ?? `exit code ${code}`}):\n${output.trim()}`));
    });
  });
}

function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  if (!HAS_PROC) return true;
  try {
    // A zombie still "exists" for kill(0); its state letter follows the ") " after the name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Alive and, where /proc can tell, really a Kafka broker, so a recycled pid is never signalled. */
function isKafkaProcess(pid) {
  if (!isAlive(pid)) return false;
  if (!HAS_PROC) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('kafka.Kafka');
  } catch {
    return false;
  }
}

/** SIGTERM the broker's process group (a clean controlled shutdown), SIGKILL if it hangs. */
async function terminate(pid, log) {
  if (!isKafkaProcess(pid)) return;
  signalGroup(pid, 'SIGTERM');
  // A stopped (SIGSTOP) JVM would hold SIGTERM pending forever.
  signalGroup(pid, 'SIGCONT');
  if (await waitForExit(pid, STOP_DEADLINE_MS)) return;
  log(`broker pid ${pid} still running ${STOP_DEADLINE_MS / 1000} s after SIGTERM; sending SIGKILL`);
  signalGroup(pid, 'SIGKILL');
  if (!(await waitForExit(pid, KILL_DEADLINE_MS))) throw new Error(`broker pid ${pid} survived SIGKILL`);
}

function signalGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await delay(100);
  }
  return true;
}

/**
 * Run fn holding an exclusive lock file that names the holder's pid. The file is
 * created complete (hard link of a finished temp file), so a reader never sees it
 * empty; a lock whose holder died is taken over.
 */
async function withLock(lockPath, signal, fn) {
  // Unique per call, so concurrent calls within one process do not share it.
  const mine = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  // A fresh clone has no .cache yet: the first command to run may be one given a --dir elsewhere.
  await fs.mkdir(path.dirname(lockPath), { recursive: true });
  await fs.writeFile(mine, String(process.pid));
  const deadline = Date.now() + LOCK_DEADLINE_MS;
  try {
    for (;;) {
      try {
        await fs.link(mine, lockPath);
        break;
      } catch (err) {
        if (err.code !== 'EEXIST') throw err;
      }
      const text = await readText(lockPath);
      if (text === null) continue; // released between our attempt and the read
      const holder = Number(text);
      if (!isAlive(holder)) {
        await fs.rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockPath} (held by pid ${holder})`);
      await delay(POLL_MS, undefined, { signal });
    }
  } finally {
    await fs.rm(mine, { force: true });
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}

async function readText(file) {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

async function readJson(file) {
  const text = await readText(file);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null; // unreadable: treated as absent; the next start overwrites it
  }
}

async function writeJson(file, value) {
  // Written whole then renamed, so a concurrent reader never sees half a file.
  const tmp = `${file}.${process.pid}`;
  await fs.writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await fs.rename(tmp, file);
}

async function tail(file, lines) {
  const text = (await readText(file)) ?? '';
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function once(fn) {
  let result;
  return () => (result ??= fn());
}

// ---------------------------------------------------------------------------
// CLI

const USAGE = 'usage: node scripts/kafka/kafka.mjs start|stop|status|kill|reset [--dir DIR] [--port N]\n';

async function main(argv) {
  let command;
  let instanceDir;
  let port;
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { dir: { type: 'string' }, port: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new Error('one command expected');
    command = positionals[0];
    instanceDir = values.dir;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (command !== 'start') throw new Error('--port goes with start only');
    }
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}`);
    return 2;
  }
  const where = instanceDir ? path.resolve(instanceDir) : '.cache/kafka';
  switch (command) {
    case 'start': {
      // The broker runs detached, so the terminal's Ctrl-C does not reach it:
      // turn the signal into an abort that stops whatever this start got going.
      const controller = new AbortController();
      const abort = () => controller.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      try {
        const kafka = await startKafka({ signal: controller.signal, instanceDir, port });
        if (kafka.startedHere) {
          defaultLog(
            `left running; stop it with \`node scripts/kafka/kafka.mjs stop${instanceDir ? ` --dir ${instanceDir}` : ''}\``,
          );
        }
        process.stdout.write(`${kafka.brokers}\n`);
        return 0;
      } catch (err) {
        if (controller.signal.aborted) return 130;
        throw err;
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    }
    case 'stop':
      if (!(await stopKafka({ instanceDir }))) defaultLog(`no broker recorded in ${where}; nothing to stop`);
      return 0;
    case 'kill':
      if (!(await killKafka({ instanceDir }))) defaultLog(`no running broker recorded in ${where}; nothing to kill`);
      return 0;
    case 'reset':
      await resetKafka({ instanceDir });
      return 0;
    case 'status': {
      const state = await readState(paths(DEFAULT_REPO_ROOT, instanceDir));
      if (state && (await isServing(state))) {
        process.stdout.write(`running at ${HOST}:${state.port} (${describe(state)})\n`);
        return 0;
      }
      process.stdout.write(state ? 'not running (stale state file; the next start cleans it up)\n' : 'not running\n');
      return 1;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

/** True when run as `node scripts/kafka/kafka.mjs ...`, false when imported. */
function invokedDirectly() {
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false; // argv[1] is absent or not a file (node -e, a REPL, ...)
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      defaultLog(err.message);
      process.exitCode = 1;
    },
  );
}
