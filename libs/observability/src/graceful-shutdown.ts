/**
 * The default bound on a graceful shutdown: below Kubernetes' default
 * `terminationGracePeriodSeconds` (30 s), so the process ends on its own,
 * with its exit code and log line, before the kubelet's SIGKILL.
 */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/** Signals that start a graceful shutdown: SIGTERM from an orchestrator, SIGINT from a terminal. */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Exit codes of a shutdown: done within the bound, or not. */
export const SHUTDOWN_EXIT_CODES = { drained: 0, failed: 1 } as const;

export interface ShutdownLogger {
  info: (fields: object, message: string) => void;
  warn: (fields: object, message: string) => void;
  error: (fields: object, message: string) => void;
}

export interface GracefulShutdownOptions {
  /** Turns readiness false; called first, before anything stops. */
  drain: (reason: string) => void;
  /**
   * Stops the service in order (consumers finish and commit their batch in
   * flight and leave their groups, then the HTTP server, producers, pools and
   * tracing close); resolves once everything is closed.
   */
  close: (signal: NodeJS.Signals) => Promise<void>;
  timeoutMs: number;
  logger: ShutdownLogger;
  exit: (code: number) => void;
  now?: () => number;
  /** Timers, replaceable in unit specs. */
  setTimer?: (callback: () => void, ms: number) => { clear: () => void };
}

/**
 * What a shutdown signal does: drain readiness, close the application, and
 * exit 0 once closed, or exit 1 with a log line if closing failed or took
 * longer than `timeoutMs`. A second signal while draining changes nothing:
 * the bound already ends a shutdown that hangs. Log lines name phases and
 * durations, never data.
 */
export function gracefulShutdownHandler(options: GracefulShutdownOptions): (signal: NodeJS.Signals) => Promise<void> {
  const now = options.now ?? Date.now;
  const setTimer =
    options.setTimer ??
    ((callback: () => void, ms: number) => {
      const timer = setTimeout(callback, ms);
      return { clear: () => clearTimeout(timer) };
    });
  let startedAt: number | null = null;
  let ended = false;
  const end = (code: number): void => {
    if (ended) return;
    ended = true;
    options.exit(code);
  };
  return async (signal) => {
    if (startedAt !== null) {
      options.logger.warn(
        { signal, elapsedMs: now() - startedAt },
        'shutdown already under way; this signal changes nothing',
      );
      return;
    }
    const started = now();
    startedAt = started;
    options.drain(`shutting down on ${signal}`);
    options.logger.info(
      { signal, timeoutMs: options.timeoutMs },
      'shutdown: readiness is false; finishing the batches in flight',
    );
    const deadline = setTimer(() => {
      options.logger.error(
        { signal, timeoutMs: options.timeoutMs },
        `shutdown did not end within ${options.timeoutMs} ms; exiting with code ${SHUTDOWN_EXIT_CODES.failed}`,
      );
      end(SHUTDOWN_EXIT_CODES.failed);
    }, options.timeoutMs);
    try {
      await options.close(signal);
    } catch (error) {
      deadline.clear();
      options.logger.error(
        { signal, durationMs: now() - started, err: error },
        `shutdown failed; exiting with code ${SHUTDOWN_EXIT_CODES.failed}`,
      );
      end(SHUTDOWN_EXIT_CODES.failed);
      return;
    }
    deadline.clear();
    if (ended) return;
    options.logger.info({ signal, durationMs: now() - started }, 'shutdown complete');
    end(SHUTDOWN_EXIT_CODES.drained);
  };
}
