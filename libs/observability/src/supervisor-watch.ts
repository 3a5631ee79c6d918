/** How often a supervised service looks at its parent: a second's delay on a dead supervisor is nothing. */
export const SUPERVISOR_CHECK_INTERVAL_MS = 1_000;

export interface SupervisorWatchOptions {
  /** The pid of the process that started this one (SUPERVISOR_PID). */
  supervisorPid: number;
  /** This process's parent now (`process.ppid`): when the supervisor dies, the process is re-parented. */
  parentPid: () => number;
  /** Called once, the first time the parent is not the supervisor. */
  onGone: () => void;
  intervalMs?: number;
  /** Timers, replaceable in unit specs. */
  setInterval?: (callback: () => void, ms: number) => { clear: () => void };
}

/**
 * Watches for the end of the process that started this service. A
 * supervisor (`npm start`, the demo, a test suite, the bench) stops its
 * services when it ends normally, but one killed outright (SIGKILL, a CI
 * job's timeout, a closed terminal) cannot, and its services would go on
 * consuming and polling with nobody to stop them. When the supervisor is
 * gone the kernel gives the service another parent, which is what this
 * looks for: a pid check alone could be fooled by a new process that
 * reused the supervisor's pid. Returns the function that stops watching.
 */
export function watchSupervisor(options: SupervisorWatchOptions): () => void {
  const every =
    options.setInterval ??
    ((callback: () => void, ms: number) => {
      const timer = setInterval(callback, ms);
      // Never what keeps a service alive.
      timer.unref();
      return { clear: () => clearInterval(timer) };
    });
  let reported = false;
  const timer = every(() => {
    if (reported || options.parentPid() === options.supervisorPid) return;
    reported = true;
    timer.clear();
    options.onGone();
  }, options.intervalMs ?? SUPERVISOR_CHECK_INTERVAL_MS);
  return () => timer.clear();
}
