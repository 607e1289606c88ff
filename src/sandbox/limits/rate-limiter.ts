/**
 * Token bucket per API key, or one bucket shared by every key when the scope is
 * 'integration-partner' (Ashby's 2026-10 partner-wide limit, docs/ashby-api.md §3). Runs on real time,
 * not the sandbox clock: clients back off in real time, and a frozen sandbox clock would never
 * refill the bucket.
 */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until a token is available, for Retry-After. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    readonly scope: 'key' | 'integration-partner',
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(keyName: string): RateDecision {
    const id = this.scope === 'integration-partner' ? '*' : keyName;
    const t = this.now();
    let bucket = this.buckets.get(id);
    if (!bucket) this.buckets.set(id, (bucket = { tokens: this.burst, at: t }));
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.perSecond);
    bucket.at = t;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)) };
  }
}
