import { REPO_ROOT, ServiceProcess, freeServicePort, testInfrastructure, uniqueSuffix, waitFor } from '@claims/harness';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

describe('a supervised service that fails', () => {
  it('is reported with the reason it gave, not only its exit code', async () => {
    const logDirectory = join(REPO_ROOT, '.cache', 'test-logs', `e2e-supervision-${uniqueSuffix()}`);
    const normalizer = new ServiceProcess(
      'normalizer',
      await freeServicePort(),
      { KAFKA_BROKERS: '127.0.0.1:1', KAFKA_TOPIC_PARTITIONS: 'none', PATIENT_TOKEN_KEY: 'k'.repeat(48) },
      logDirectory,
    );

    const started = normalizer.start();

    await expect(started).rejects.toThrow(
      /^normalizer exited with code 78 during start-up \(Invalid configuration: .*KAFKA_TOPIC_PARTITIONS.*\); see normalizer\.log$/,
    );
    await normalizer.stop();
    expect(readFileSync(join(logDirectory, 'normalizer.log'), 'utf8')).toContain('KAFKA_TOPIC_PARTITIONS');
  });
});

describe('a service whose output nobody reads any more', () => {
  // What a service does on SIGTERM, reduced to its logging: a log line while the last one is still being
  // written, then exit. The reader of its stdout is gone first, as when the supervisor that started it died.
  const PROBE = `
    const { createLogger } = require(process.argv[1]);
    const logger = createLogger({ service: 'probe', level: 'info' });
    logger.info({}, 'ready');
    process.stdin.once('data', () => {
      logger.info({}, 'shutdown: readiness is false');
      logger.info({}, 'shutdown complete');
      process.exit(0);
    });`;

  it('still exits: a log line it cannot write is dropped, not retried for ever', async () => {
    const child = spawn(process.execPath, ['-e', PROBE, join(REPO_ROOT, 'dist/libs/observability/src/logger.js')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const firstLine = await new Promise<string>((resolve) =>
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(firstLine).toContain('"msg":"ready"');
    child.stdout.destroy();
    child.stderr.destroy();
    child.stdin.write('stop\n');

    const patience = new AbortController();
    const outcome = await Promise.race([
      exited,
      sleep(10_000, 'still running' as const, { signal: patience.signal }).catch(() => 'still running' as const),
    ]);
    patience.abort();
    if (outcome === 'still running') child.kill('SIGKILL');

    expect(outcome).toEqual({ code: 0, signal: null });
  });
});

describe('a service whose supervisor is killed outright', () => {
  // A stand-in for the harness: starts a real normalizer as ServiceProcess does (its own pid as
  // SUPERVISOR_PID, the service's output piped to it), says the service's pid once it listens, and waits.
  const SUPERVISOR = `
    const { spawn } = require('node:child_process');
    const service = spawn(process.execPath, [process.argv[1]], {
      env: { ...JSON.parse(process.argv[2]), SUPERVISOR_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout.on('data', (chunk) => {
      if (String(chunk).includes('service listening')) console.log('service pid ' + service.pid);
    });
    setInterval(() => {}, 60_000);`;

  /** Whether a pid names a live process: not there, or a zombie nobody reaped, is gone. */
  function isRunning(pid: number): boolean {
    try {
      return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }

  it('shuts itself down instead of consuming for ever', async () => {
    const { brokers } = testInfrastructure();
    const serviceEnv = {
      PATH: process.env['PATH'] ?? '',
      TZ: 'UTC',
      HOST: '127.0.0.1',
      PORT: String(await freeServicePort()),
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_NAMESPACE: `e2e-supervisor-${uniqueSuffix()}`,
      PATIENT_TOKEN_KEY: 'k'.repeat(48),
    };
    const supervisor = spawn(
      process.execPath,
      ['-e', SUPERVISOR, join(REPO_ROOT, 'dist/apps/normalizer/src/main.js'), JSON.stringify(serviceEnv)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const servicePid = await new Promise<number>((resolve, reject) => {
      supervisor.stdout.on('data', (chunk: Buffer) => {
        const pid = /service pid (\d+)/.exec(chunk.toString())?.[1];
        if (pid) resolve(Number(pid));
      });
      supervisor.once('exit', () => reject(new Error('the stand-in supervisor ended before its service listened')));
    });
    expect(isRunning(servicePid)).toBe(true);

    supervisor.kill('SIGKILL');

    // The check runs every second; the drain leaves the consumer group and closes the producer.
    try {
      const running = await waitFor(
        'the orphaned normalizer to exit',
        async () => isRunning(servicePid),
        (stillRunning) => !stillRunning,
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(running).toBe(false);
    } finally {
      // Should the test fail, the orphan it found goes anyway.
      if (isRunning(servicePid)) process.kill(servicePid, 'SIGKILL');
    }
  });
});
