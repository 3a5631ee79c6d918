import { setTimeout as sleep } from 'node:timers/promises';

/** Capped exponential backoff: initial, doubling per attempt, never above max. */
export function backoffDelayMs(attempt: number, backoff: { initialMs: number; maxMs: number }): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
}

/**
 * Runs an operation again, after a capped exponential wait, while it fails
 * with an error Kafka calls retriable (a leader moving, a broker restarting);
 * any other error, or the last attempt's, is the caller's.
 */
export async function retryRetriableKafkaErrors<Result>(
  operation: () => Promise<Result>,
  backoff: { initialMs: number; maxMs: number; attempts: number },
): Promise<Result> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= backoff.attempts || !isRetriableKafkaError(error)) throw error;
      await sleep(backoffDelayMs(attempt, backoff));
    }
  }
}

/** True when KafkaJS marks the error, or an error it wraps, retriable. */
export function isRetriableKafkaError(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth += 1) {
    if ((cause as { retriable?: unknown }).retriable === true) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Kafka error codes that mean "this member's view of the group is out of
 * date": after a pause longer than the session timeout, or a coordinator that
 * moved or restarted. They call for a rejoin, never for an exit.
 */
const GROUP_MEMBERSHIP_ERROR_TYPES = new Set([
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'FENCED_INSTANCE_ID',
]);

export function isGroupMembershipError(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth += 1) {
    const type = (cause as { type?: unknown }).type;
    if (typeof type === 'string' && GROUP_MEMBERSHIP_ERROR_TYPES.has(type)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
