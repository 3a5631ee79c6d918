import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCause } from './exit-cause';
import { REPO_ROOT } from './test-environment';
import { waitFor } from './wait-for';

export type ServiceName = 'ingestor' | 'normalizer' | 'enricher' | 'metrics' | 'api';

/**
 * Node heap settings per service, as a deployment sets them (NODE_OPTIONS in
 * docker-compose.yml and deploy/k8s; the base overlay's 512Mi consumers keep
 * V8's default young generation). The ingestor streams files of any size
 * with a small live set, but V8's default heap sizing let its RSS grow with
 * the input. On a 500 MB file (VmHWM and wall time, one run each): default
 * 265 MB in 83 s; old space capped at 128 MB, 171 MB in 89 s. With the doors
 * and layouts of later issues the young generation dominated: a 1 GiB RIF
 * carrier file (2.49 M rows) peaked at 213 MiB with the old-space cap alone,
 * and at 158 MiB (idle 97 MiB instead of 121) with 4 MB semi-spaces added,
 * for 10 % fewer rows/s (9,845 against 10,902).
 * The consumers are the other way round: a batch holds thousands of decoded
 * events for longer than V8's default young generation (16 MB semi-spaces)
 * keeps objects, so much of each batch is promoted and collected in old
 * space. With 32 MB semi-spaces the metrics service's own CPU fell from
 * 0.128-0.135 to 0.103-0.111 CPU-s per 1,000 records on the e2e bench (its
 * 16 MiB fetches; docs/capacity-model.md), for about 60 MiB more RSS; the
 * normalizer's and the enricher's fell less (3-7 %, for 25-45 MiB). 64 MB
 * gained nothing more for the three. The enricher alone gains from 128 MB:
 * its scavenges (a third of its CPU) paused 30-35 ms per 1,000 records
 * against 40-41, and its CPU per record over the ingestor's (the same run's
 * control) fell from 2.44-2.67 to 2.02-2.18, in four alternated pairs on the
 * e2e bench, for 45-85 MiB more RSS; the normalizer and the fold did not
 * move (docs/capacity-model.md, "Garbage collection").
 */
export const SERVICE_NODE_OPTIONS: Record<ServiceName, string[]> = {
  ingestor: ['--max-old-space-size=128', '--max-semi-space-size=4'],
  normalizer: ['--max-semi-space-size=32'],
  enricher: ['--max-semi-space-size=128'],
  metrics: ['--max-semi-space-size=32'],
  api: [],
};

/**
 * How a service that exits on its own is brought back, as a deployment's
 * supervisor (Kubernetes, compose `restart:`) would: after a delay that doubles
 * from `initialRestartDelayMs` up to `maxRestartDelayMs`, so a service that
 * cannot start (its database is down) is retried without spinning, and that
 * falls back to the initial delay once a restart has stayed healthy for
 * `stableRunMs`, so one crash an hour is always retried promptly.
 */
export interface RestartPolicy {
  initialRestartDelayMs: number;
  maxRestartDelayMs: number;
  stableRunMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialRestartDelayMs: 500,
  maxRestartDelayMs: 10_000,
  stableRunMs: 30_000,
};

export interface ServiceProcessOptions {
  restartPolicy?: RestartPolicy;
  /** Where supervision lines go besides the service's log file; stderr by default. */
  report?: (line: string) => void;
  /**
   * The log file's name without `.log`; the service's name by default. A
   * second instance of a service needs its own (`metrics-2`), or two
   * processes would interleave their lines in one file.
   */
  logName?: string;
  /**
   * Node flags added after the service's own (SERVICE_NODE_OPTIONS), for
   * flags NODE_OPTIONS refuses, such as `--cpu-prof`.
   */
  nodeFlags?: readonly string[];
}

/** One supervisor restart: why the service had exited and how long the supervisor waited. */
export interface ServiceRestart {
  at: Date;
  exit: string;
  delayMs: number;
}

const HEALTHY_DEADLINE_MS = 90_000;
const HEALTH_POLL_MS = 250;
const HEALTH_PROBE_TIMEOUT_MS = 2_000;
const STOP_DEADLINE_MS = 15_000;

/** Whether nothing listens on `port` of 127.0.0.1 yet (it can be bound now). */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Ports the Fetch standard's "bad port" list blocks: Node's fetch refuses
 * them ("fetch failed", cause "bad port") before connecting, so a service
 * given one never reports healthy to the harness. Of that list, only 10080
 * lies at or above LOWEST_STABLE_PORT, where service ports are drawn.
 */
const FETCH_BLOCKED_PORTS: ReadonlySet<number> = new Set([10080]);

/** Whether fetch (the harness's health checks, the tests' requests) can reach a service on `port`. */
export function isFetchablePort(port: number): boolean {
  return !FETCH_BLOCKED_PORTS.has(port);
}

const DEFAULT_EPHEMERAL_RANGE: readonly [number, number] = [32768, 60999];
const LOWEST_STABLE_PORT = 10000;

/** The kernel's ephemeral port range (Linux), else the common default. */
function ephemeralPortRange(): readonly [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high) && low <= high) {
      return [low, high];
    }
  } catch {
    // Not Linux: the default range stands.
  }
  return DEFAULT_EPHEMERAL_RANGE;
}

/**
 * Ports this process has handed to services. A service binds its port only
 * when it starts, so until then the kernel calls the port free and the next
 * draw could hand it out again: two services of one pipeline on one port,
 * one answering the other's health checks while the other cannot listen.
 */
const handedOutPorts = new Set<number>();

/**
 * Claims `port` for a service asked for it by number (the demo's fixed ports,
 * a test that drew it first to name it in another service's settings): true
 * if nothing listens on it. No draw hands it out afterwards.
 */
export async function claimServicePort(port: number): Promise<boolean> {
  if (!(await isPortFree(port))) return false;
  handedOutPorts.add(port);
  return true;
}

/**
 * A free port for a supervised service, outside the kernel's ephemeral range:
 * a restarted service comes back on the same port, and while it is down any
 * outgoing connection on the machine (a Kafka or Postgres client) may take a
 * port of that range as its source port, leaving the restart EADDRINUSE.
 * Random within the range, so suites running side by side rarely meet; never
 * one this process has handed out before.
 */
export async function freeServicePort(): Promise<number> {
  const [low, high] = ephemeralPortRange();
  const [from, to] = low - 1 > LOWEST_STABLE_PORT ? [LOWEST_STABLE_PORT, low - 1] : [high + 1, 65535];
  for (let attempt = 0; from <= to && attempt < 100; attempt += 1) {
    const port = randomInt(from, to + 1);
    if (isFetchablePort(port) && !handedOutPorts.has(port) && (await claimServicePort(port))) return port;
  }
  for (;;) {
    const port = await freePort();
    if (!handedOutPorts.has(port) && (await claimServicePort(port))) return port;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `on ${signal}` : `with code ${code ?? 'unknown'}`;
}

/**
 * One service, built to dist/, running as its own OS process: what production
 * runs. Once started, it is supervised: if it exits other than through
 * `stop()`, it is started again under the restart policy, and the restart is
 * written to its log file and reported (`[harness] metrics exited with code 1;
 * restarting in 1.0 s (restart 2)`). Fault tests read `restarts` to tell a
 * service that rode out a fault from one that had to be restarted.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private log: WriteStream | null = null;
  /** True from a successful start() until stop(): only then does an exit mean a restart. */
  private supervising = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private nextRestartDelayMs: number;
  private healthySince: number | null = null;
  private paused = false;
  private readonly restartPolicy: RestartPolicy;
  private readonly report: (line: string) => void;
  private readonly logName: string;
  private readonly nodeFlags: readonly string[];
  /** The running process's last logged failure, named in the report when it exits with a code. */
  private readonly exitCause = new ExitCause();
  /** Every supervisor restart since this object was made, oldest first. */
  readonly restartHistory: ServiceRestart[] = [];

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logDirectory: string,
    options: ServiceProcessOptions = {},
  ) {
    this.restartPolicy = options.restartPolicy ?? DEFAULT_RESTART_POLICY;
    this.report = options.report ?? ((line) => process.stderr.write(`${line}\n`));
    this.logName = options.logName ?? name;
    this.nodeFlags = options.nodeFlags ?? [];
    this.nextRestartDelayMs = this.restartPolicy.initialRestartDelayMs;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running process's id (for /proc CPU and memory readings), or null when it is not running. */
  get pid(): number | null {
    const child = this.child;
    return child && isRunning(child) ? (child.pid ?? null) : null;
  }

  /** How many times the supervisor has started the service again after it exited on its own. */
  get restarts(): number {
    return this.restartHistory.length;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Starts the service and resolves once it reports healthy; from then on it is supervised. */
  async start(): Promise<void> {
    if (this.pid !== null || this.restartTimer) throw new Error(`${this.name} is already running`);
    this.nextRestartDelayMs = this.restartPolicy.initialRestartDelayMs;
    const child = this.spawnChild();
    try {
      await this.untilHealthy(child, 'during start-up');
    } catch (error) {
      // Not supervised yet, so nothing else would stop it: left running, it kept the test process from exiting.
      if (isRunning(child)) {
        child.kill('SIGKILL');
        await this.exited;
      }
      throw error;
    }
    this.healthySince = Date.now();
    this.supervising = true;
  }

  /** Resolves once the service answers its health check, e.g. after a supervisor restart. */
  async waitUntilHealthy(timeoutMs = HEALTHY_DEADLINE_MS): Promise<void> {
    await waitFor(
      `${this.name} to report healthy`,
      () => this.healthStatus(),
      (status) => status === 200,
      {
        timeoutMs,
        intervalMs: HEALTH_POLL_MS,
      },
    );
  }

  /**
   * Sends `signal` to the running service as a fault would (SIGKILL: a crash at
   * an arbitrary point) and resolves once it has exited; the supervisor then
   * restarts it, as after any exit that did not come from `stop()`.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !isRunning(child)) throw new Error(`${this.name} is not running`);
    const exited = this.exited;
    this.paused = false;
    child.kill(signal);
    // A stopped process holds every signal but SIGKILL pending until it runs again.
    if (signal !== 'SIGKILL') child.kill('SIGCONT');
    await exited;
  }

  /** Freezes the service (SIGSTOP), as a long GC pause or a starved container does: it neither exits nor answers. */
  pause(): void {
    const child = this.child;
    if (!child || !isRunning(child)) throw new Error(`${this.name} is not running`);
    child.kill('SIGSTOP');
    this.paused = true;
  }

  /** Lets a paused service run again (SIGCONT). */
  resume(): void {
    const child = this.child;
    if (!child || !isRunning(child)) throw new Error(`${this.name} is not running`);
    child.kill('SIGCONT');
    this.paused = false;
  }

  /**
   * Stops the service and starts it again with `overrides` added to its
   * environment, as a redeploy with a changed setting does (a wider
   * CLAIM_SERVICE_DATE_EARLIEST before a dead-letter replay, say).
   */
  async restartWith(overrides: Record<string, string>): Promise<void> {
    await this.stop();
    Object.assign(this.env, overrides);
    await this.start();
  }

  /** Stops the service for good (SIGTERM, a graceful shutdown; SIGKILL if it hangs); it is not restarted. */
  async stop(): Promise<void> {
    this.supervising = false;
    this.cancelPendingRestart();
    const child = this.child;
    if (child && isRunning(child)) {
      child.kill('SIGTERM');
      if (this.paused) child.kill('SIGCONT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    this.paused = false;
    this.log?.end();
    this.log = null;
  }

  private spawnChild(): ChildProcess {
    const log = this.openLog();
    const entryPoint = join(REPO_ROOT, 'dist', 'apps', this.name, 'src', 'main.js');
    const child = spawn(process.execPath, [...SERVICE_NODE_OPTIONS[this.name], ...this.nodeFlags, entryPoint], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        TZ: 'UTC',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        // A service outlives no supervisor: killed outright, this process cannot stop it, so it stops itself.
        SUPERVISOR_PID: String(process.pid),
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // end: false, because one log file outlives the processes a supervisor starts.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    this.exitCause.reset();
    for (const output of [child.stdout, child.stderr]) {
      if (output)
        createInterface({ input: output, crlfDelay: Infinity }).on('line', (line) => this.exitCause.observe(line));
    }
    this.child = child;
    this.paused = false;
    // 'close' rather than 'exit': it comes once the child's output has reached
    // the log too, so the log is never written to after stop() has ended it.
    this.exited = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        this.onExit(child, code, signal);
        resolve();
      }),
    );
    return child;
  }

  private openLog(): WriteStream {
    if (!this.log) {
      mkdirSync(this.logDirectory, { recursive: true });
      this.log = createWriteStream(join(this.logDirectory, `${this.logName}.log`), { flags: 'a' });
    }
    return this.log;
  }

  /**
   * Resolves once `child` reports healthy; rejects as soon as it exits, or if it
   * stays unhealthy past the deadline. Polls only while `child` lives, so an
   * early exit leaves nothing polling behind.
   */
  private async untilHealthy(child: ChildProcess, phase: string): Promise<void> {
    const deadline = Date.now() + HEALTHY_DEADLINE_MS;
    let lastProblem = 'no answer yet';
    while (isRunning(child)) {
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name} did not report healthy within ${HEALTHY_DEADLINE_MS / 1000} s ${phase} (${lastProblem}); see ${this.logName}.log`,
        );
      }
      try {
        const status = await this.healthStatus();
        if (status === 200) return;
        lastProblem = `health answered ${status}`;
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
      }
      await sleep(HEALTH_POLL_MS);
    }
    // 'close' comes once its output is read, so the reason it printed last is known.
    if (child === this.child) await this.exited;
    throw new Error(
      `${this.name} exited ${describeExit(child.exitCode, child.signalCode)} ${phase}${this.causeSuffix(child.exitCode, child.signalCode)}; see ${this.logName}.log`,
    );
  }

  private async healthStatus(): Promise<number> {
    // Bounded: a paused (SIGSTOP) service accepts the connection but never answers.
    const response = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(HEALTH_PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.status;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child || !this.supervising) return;
    const ranHealthyMs = this.healthySince === null ? 0 : Date.now() - this.healthySince;
    if (ranHealthyMs >= this.restartPolicy.stableRunMs) {
      this.nextRestartDelayMs = this.restartPolicy.initialRestartDelayMs;
    }
    const delayMs = this.nextRestartDelayMs;
    this.nextRestartDelayMs = Math.min(delayMs * 2, this.restartPolicy.maxRestartDelayMs);
    this.healthySince = null;
    const exit = describeExit(code, signal);
    this.restartHistory.push({ at: new Date(), exit, delayMs });
    this.say(
      `${this.name} exited ${exit}${this.causeSuffix(code, signal)}; restarting in ${(delayMs / 1000).toFixed(1)} s (restart ${this.restarts})`,
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.restartAfterExit();
    }, delayMs);
  }

  private restartAfterExit(): void {
    if (!this.supervising) return;
    const restart = this.restarts;
    const child = this.spawnChild();
    this.untilHealthy(child, `after restart ${restart}`).then(
      () => {
        if (child !== this.child) return;
        this.healthySince = Date.now();
        this.say(`${this.name} is healthy again after restart ${restart}`);
      },
      (error: unknown) => {
        // An exit is the supervisor's to handle (onExit schedules the next
        // restart); a restart that hangs without exiting is only reported.
        if (isRunning(child)) this.say(error instanceof Error ? error.message : String(error));
      },
    );
  }

  /**
   * A failed exit names its cause (a CI log keeps no service log files). A
   * signal was someone's doing, and exit code 0 a clean stop: any error
   * logged before them is not why the process ended.
   */
  private causeSuffix(code: number | null, signal: NodeJS.Signals | null): string {
    const cause = this.exitCause.lastFailure;
    return signal === null && code !== 0 && cause !== null ? ` (${cause})` : '';
  }

  private cancelPendingRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private say(message: string): void {
    const line = `[harness] ${message}`;
    this.log?.write(`${line}\n`);
    this.report(line);
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
