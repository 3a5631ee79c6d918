/** A named readiness check; it throws (or rejects) when its dependency is not usable. */
export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
  /** Releases what the check holds open (a broker connection); called once at shutdown. */
  close?: () => Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'up' | 'down'>;
  /** Why each failing check failed: a message naming the dependency, never data. */
  failures: Record<string, string>;
}

/**
 * How long one check may take. Kubernetes probes give up after their
 * `timeoutSeconds` and the harness after 2 s: a dependency that hangs (a
 * paused broker, a stopped Postgres) must turn into "down" before that, not
 * into a probe that never answers.
 */
export const HEALTH_CHECK_TIMEOUT_MS = 1_500;

class HealthCheckTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'HealthCheckTimeoutError';
  }
}

async function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HealthCheckTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once, each bounded by `timeoutMs`; ready only when all are up. */
export async function checkReadiness(
  checks: readonly HealthCheck[],
  timeoutMs = HEALTH_CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const report: ReadinessReport = { ready: true, checks: {}, failures: {} };
  await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(check(), timeoutMs);
        report.checks[name] = 'up';
      } catch (error) {
        report.ready = false;
        report.checks[name] = 'down';
        report.failures[name] = error instanceof Error ? error.message : String(error);
      }
    }),
  );
  return report;
}

/**
 * The service's own say in its readiness: once it drains (a SIGTERM, the
 * application closing) it answers 503 whatever its dependencies say, so the
 * orchestrator stops routing to it before its consumers stop, while the HTTP
 * server still answers /health/ready and /health/live.
 */
export class ReadinessGate {
  private reason: string | null = null;

  /** Starts draining; the first reason given stays, later calls change nothing. */
  drain(reason: string): void {
    this.reason ??= reason;
  }

  /** Why the service is draining, or null while it serves. */
  get drainingReason(): string | null {
    return this.reason;
  }
}
