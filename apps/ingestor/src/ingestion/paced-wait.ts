/**
 * A paced record due within this long of now leaves now instead of after a
 * timer of its own. At 1,000 records/s the records are due a millisecond
 * apart, and a timer for each (a wake of the event loop, a promise, an abort
 * listener) cost the ingestor more CPU than reading and sending the record.
 * Due times still count from the start of the file, so the offered rate is
 * unchanged; a record leaves at most this long before its time, and the
 * reader wakes at most once per this long.
 */
export const PACED_EARLY_MS = 5;

/**
 * How long a paced reader waits before handing on a record due `dueMs` after
 * the start, `elapsedMs` after the start: nothing when it is due within
 * `earlyMs`, else until it is due.
 */
export function pacedWaitMilliseconds(dueMs: number, elapsedMs: number, earlyMs: number = PACED_EARLY_MS): number {
  const waitMs = dueMs - elapsedMs;
  return waitMs < earlyMs ? 0 : waitMs;
}
