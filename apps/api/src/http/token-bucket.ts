/** How fast a client may call: `burst` requests at once, refilled at `perMinute` a minute. */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

/** What one request is told: go ahead, or wait `retryAfterSeconds` (whole seconds, as Retry-After takes). */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in milliseconds. */
  at: number;
}

/**
 * Token buckets, one per client key, in memory: each holds up to `burst`
 * tokens, refills continuously at `perMinute` a minute, and a request takes
 * one. Per process, so with N replicas a client may reach N times the rate;
 * the limit protects each process (and the database behind it), it is not a
 * quota.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    /** Past this many buckets, the full ones (idle clients) are dropped: a full bucket and no bucket mean the same. */
    private readonly maxBuckets = 10_000,
  ) {
    if (!(limit.perMinute > 0) || !(limit.burst >= 1)) {
      throw new RangeError('a rate limit needs perMinute > 0 and burst >= 1');
    }
    this.refillPerMs = limit.perMinute / 60_000;
  }

  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.refilled(this.buckets.get(key), now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.keep(key, bucket);
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    this.keep(key, bucket);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)) };
  }

  private refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (bucket === undefined) return { tokens: this.limit.burst, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    return { tokens: Math.min(this.limit.burst, bucket.tokens + elapsed * this.refillPerMs), at: now };
  }

  private keep(key: string, bucket: Bucket): void {
    this.buckets.set(key, bucket);
    if (this.buckets.size <= this.maxBuckets) return;
    const now = this.now();
    for (const [other, held] of this.buckets) {
      if (this.refilled(held, now).tokens >= this.limit.burst) this.buckets.delete(other);
    }
    // Still over (a flood from many clients at once): drop the longest-held, which forgets their debt, not ours.
    for (const other of this.buckets.keys()) {
      if (this.buckets.size <= this.maxBuckets) break;
      this.buckets.delete(other);
    }
  }
}
