import { GATHER_MIN_BYTES, fetchWait } from './batch-consumer';

describe('fetchWait', () => {
  it('returns a fetch at its first record, or after half a second of nothing, without a gather time', () => {
    expect(fetchWait(undefined)).toEqual({ minBytes: 1, maxWaitTimeInMs: 500 });
    expect(fetchWait(0)).toEqual({ minBytes: 1, maxWaitTimeInMs: 500 });
  });

  it('with a gather time, waits that long for 64 KiB of records, so a backlog still returns at once', () => {
    expect(GATHER_MIN_BYTES).toBe(64 * 1024);
    expect(fetchWait(20)).toEqual({ minBytes: GATHER_MIN_BYTES, maxWaitTimeInMs: 20 });
  });
});
