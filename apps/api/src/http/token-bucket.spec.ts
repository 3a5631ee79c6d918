import { TokenBucketLimiter } from './token-bucket';

describe('TokenBucketLimiter', () => {
  it('lets a burst through at once, then refuses with the seconds until a token is back', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('ana').allowed)).toEqual([true, true, true]);
    expect(limiter.take('ana')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now = 1_000;
    expect(limiter.take('ana')).toEqual({ allowed: true, remaining: 0 });
  });

  it('refills at the per-minute rate, never above the burst', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ perMinute: 6, burst: 2 }, () => now);
    limiter.take('ana');
    limiter.take('ana');
    // 6 a minute is one every 10 s: after 4 s the next token is 6 s away.
    now = 4_000;
    expect(limiter.take('ana')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    now = 3_600_000;
    expect(limiter.take('ana')).toEqual({ allowed: true, remaining: 1 });
  });

  it('keeps one bucket per client: one client spending its burst leaves the others theirs', () => {
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 1 }, () => 0);
    expect(limiter.take('ana').allowed).toBe(true);
    expect(limiter.take('ana').allowed).toBe(false);
    expect(limiter.take('bob').allowed).toBe(true);
  });

  it('forgets idle clients once it holds too many buckets, without forgiving a busy one', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 1 }, () => now, 2);
    limiter.take('idle');
    now = 10_000;
    limiter.take('busy');
    // A third bucket is over the cap: the idle client's (full again) goes, the busy one's debt stays.
    limiter.take('newcomer');
    expect(limiter.take('busy')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('idle').allowed).toBe(true);
  });

  it('refuses a limit that could never let a request through', () => {
    expect(() => new TokenBucketLimiter({ perMinute: 0, burst: 5 })).toThrow(RangeError);
    expect(() => new TokenBucketLimiter({ perMinute: 60, burst: 0 })).toThrow(RangeError);
  });
});
