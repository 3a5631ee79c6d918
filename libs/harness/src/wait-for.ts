import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls a condition until it holds or the deadline passes: tests synchronise
 * on observable state, never on fixed sleeps. The last value seen is in the
 * failure message, which is what makes a timeout debuggable.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await sleep(options.intervalMs ?? 200);
  }
  const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`Timed out waiting for ${description}; last value: ${JSON.stringify(last)}${detail}`);
}
