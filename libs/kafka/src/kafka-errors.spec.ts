import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import {
  backoffDelayMs,
  isGroupMembershipError,
  isRetriableKafkaError,
  retryRetriableKafkaErrors,
} from './kafka-errors';

/** What a broker answers for a partition whose leader is not (yet) the asked broker. */
function notLeaderError(): KafkaJSProtocolError {
  return new KafkaJSProtocolError({
    type: 'NOT_LEADER_FOR_PARTITION',
    code: 6,
    retriable: true,
    message: 'This server is not the leader for that topic-partition',
  } as unknown as Error);
}

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

describe('isRetriableKafkaError', () => {
  it('takes a protocol error the broker marks retriable, such as NOT_LEADER_FOR_PARTITION, as retriable', () => {
    expect(isRetriableKafkaError(notLeaderError())).toBe(true);
  });

  it('finds the retriable cause behind KafkaJS giving up its own retries', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded(notLeaderError(), { retryCount: 8, retryTime: 1_000 });
    expect(isRetriableKafkaError(exhausted)).toBe(true);
  });

  it('leaves non-retriable and plain errors alone', () => {
    expect(isRetriableKafkaError(new KafkaJSNonRetriableError('invalid topic'))).toBe(false);
    expect(isRetriableKafkaError(new Error('plain'))).toBe(false);
    expect(isRetriableKafkaError(undefined)).toBe(false);
  });
});

describe('retryRetriableKafkaErrors', () => {
  const backoff = { initialMs: 1, maxMs: 4, attempts: 4 };

  it('runs the operation again while it fails retriably and returns its first success', async () => {
    let calls = 0;
    const result = await retryRetriableKafkaErrors(async () => {
      calls += 1;
      if (calls < 3) throw notLeaderError();
      return 'offsets';
    }, backoff);
    expect({ result, calls }).toEqual({ result: 'offsets', calls: 3 });
  });

  it('gives a non-retriable error to the caller at once', async () => {
    let calls = 0;
    const failing = retryRetriableKafkaErrors(async () => {
      calls += 1;
      throw new KafkaJSNonRetriableError('invalid topic');
    }, backoff);
    await expect(failing).rejects.toThrow('invalid topic');
    expect(calls).toBe(1);
  });

  it('gives the last retriable error to the caller once the attempts are spent', async () => {
    let calls = 0;
    const failing = retryRetriableKafkaErrors(async () => {
      calls += 1;
      throw notLeaderError();
    }, backoff);
    await expect(failing).rejects.toThrow('not the leader');
    expect(calls).toBe(4);
  });
});
