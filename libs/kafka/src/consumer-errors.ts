/** Capped exponential backoff: initial, doubling per attempt, never above max. */
export function backoffDelayMs(attempt: number, backoff: { initialMs: number; maxMs: number }): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
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
