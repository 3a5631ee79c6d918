/**
 * Remembers, from a service's output lines, the last thing that can explain
 * an exit: its last error or fatal log record (pino JSON, level 50 or more),
 * or the error line Node prints on an uncaught exception. A supervisor's
 * report then says why a service died ("normalizer exited with code 1:
 * unhandled rejection: …") where a CI log keeps no service log files.
 */
export class ExitCause {
  private last: string | null = null;

  observe(line: string): void {
    const cause = failureIn(line);
    if (cause !== null) this.last = cause;
  }

  /** The last failure seen, or null; cleared by `reset` when the service starts again. */
  get lastFailure(): string | null {
    return this.last;
  }

  reset(): void {
    this.last = null;
  }
}

const MAX_CAUSE_CHARS = 300;
/**
 * What Node prints for an uncaught exception (`TypeError: x is not a function`,
 * `Error [ERR_X]: …`), and what a service prints when its environment is
 * refused (`Invalid configuration: …`, exit 78).
 */
const PLAIN_FAILURE_LINE = /^(?:(?:[A-Z]\w*)?(?:Error|Exception)(?: \[[A-Z_]+\])?|Invalid configuration): \S/;

/** The failure one output line reports, or null when it reports none. */
export function failureIn(line: string): string | null {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    let record: unknown;
    try {
      record = JSON.parse(trimmed);
    } catch {
      return null;
    }
    if (typeof record !== 'object' || record === null) return null;
    const { level, msg, err } = record as { level?: unknown; msg?: unknown; err?: unknown };
    if (typeof level !== 'number' || level < 50) return null;
    const errorMessage =
      typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
        ? (err as { message: string }).message
        : null;
    const parts = [typeof msg === 'string' ? msg : null, errorMessage].filter((part) => part !== null && part !== '');
    return parts.length > 0 ? clip(parts.join(': ')) : null;
  }
  return PLAIN_FAILURE_LINE.test(trimmed) ? clip(trimmed) : null;
}

function clip(text: string): string {
  return text.length > MAX_CAUSE_CHARS ? `${text.slice(0, MAX_CAUSE_CHARS)}…` : text;
}
