import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './test-environment';
import { waitFor } from './wait-for';

export type ServiceName = 'ingestor' | 'normalizer' | 'enricher' | 'metrics' | 'api';

/**
 * Node heap limits per service, as a deployment sets them (NODE_OPTIONS in
 * deploy/k8s and docker-compose.yml). The ingestor streams files of any size
 * with a small live set, but V8's default heap sizing let its RSS grow with
 * the input. On a 500 MB file (VmHWM and wall time, one run each): default
 * 265 MB in 83 s; old space capped at 128 MB, 171 MB in 89 s; capped at 96 MB
 * with an 8 MB semi-space, 144 MB in 111 s — too much GC for the gain.
 */
export const SERVICE_NODE_OPTIONS: Record<ServiceName, string[]> = {
  ingestor: ['--max-old-space-size=128'],
  normalizer: [],
  enricher: [],
  metrics: [],
  api: [],
};

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

/** One service, built to dist/, running as its own OS process: what production runs. */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logDirectory: string,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running process's id (for /proc CPU and memory readings), or null when it is not running. */
  get pid(): number | null {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? (child.pid ?? null) : null;
  }

  async start(): Promise<void> {
    mkdirSync(this.logDirectory, { recursive: true });
    const log = createWriteStream(join(this.logDirectory, `${this.name}.log`), { flags: 'a' });
    const entryPoint = join(REPO_ROOT, 'dist', 'apps', this.name, 'src', 'main.js');
    const child = spawn(process.execPath, [...SERVICE_NODE_OPTIONS[this.name], entryPoint], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', HOST: '127.0.0.1', PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const exitedEarly = this.exited.then(() => {
      throw new Error(
        `${this.name} exited with ${child.exitCode ?? child.signalCode} during start-up; see ${this.name}.log`,
      );
    });
    await Promise.race([
      exitedEarly,
      waitFor(
        `${this.name} to report healthy`,
        async () => (await fetch(`${this.baseUrl}/health`)).status,
        (status) => status === 200,
        { timeoutMs: 90_000, intervalMs: 250 },
      ),
    ]);
    exitedEarly.catch(() => undefined);
  }

  /** SIGTERM for a graceful stop; SIGKILL to simulate a crash at an arbitrary point. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}
