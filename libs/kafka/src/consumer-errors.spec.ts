import { backoffDelayMs, isGroupMembershipError } from './consumer-errors';

describe('backoffDelayMs', () => {
  const backoff = { initialMs: 250, maxMs: 30_000 };

  it('starts at the initial delay and doubles per attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, backoff))).toEqual([250, 500, 1000, 2000]);
  });

  it('never waits longer than the maximum, however many attempts', () => {
    expect(backoffDelayMs(12, backoff)).toBe(30_000);
    expect(backoffDelayMs(10_000, backoff)).toBe(30_000);
  });
});

describe('isGroupMembershipError', () => {
  it.each(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP'])(
    'treats a %s commit failure as a rebalance to rejoin, not a reason to exit',
    (type) => {
      expect(isGroupMembershipError(Object.assign(new Error('commit failed'), { type }))).toBe(true);
    },
  );

  it('finds the membership error behind a wrapping retry error', () => {
    const cause = Object.assign(new Error('member gone'), { type: 'UNKNOWN_MEMBER_ID' });
    expect(isGroupMembershipError(Object.assign(new Error('retries exceeded'), { cause }))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isGroupMembershipError(Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE' }))).toBe(false);
    expect(isGroupMembershipError(new Error('plain'))).toBe(false);
    expect(isGroupMembershipError(undefined)).toBe(false);
  });
});
