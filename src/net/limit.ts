import { TokenBucket } from 'limiter';

/** A published API rate limit: `burst` tokens, refilled at `perSecond`. */
export interface RateLimit {
  perSecond: number;
  burst?: number;
}

/**
 * Client-side token buckets, one per (service, scope key, API group), so each API is held to its
 * own published limit per account and region (or per vault) and no call is spent on a throttle.
 */
export class RateLimits {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly limits: Record<string, RateLimit>) {}

  /** Calls of `api` a full bucket lets go at once; undefined when no limit is published. */
  burst(api: string): number | undefined {
    const limit = this.limits[api];
    return limit && (limit.burst ?? Math.max(1, Math.ceil(limit.perSecond)));
  }

  /** The pace `api` is held to, calls per second; undefined when no limit is published. */
  perSecond(api: string): number | undefined {
    return this.limits[api]?.perSecond;
  }

  /** Waits until `api` may be called in `scopeKey`. APIs without a published limit pass at once. */
  async take(scopeKey: string, api: string, signal?: AbortSignal): Promise<void> {
    const limit = this.limits[api];
    if (!limit) return;
    const key = `${scopeKey}\u0000${api}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket({ bucketSize: this.burst(api)!, tokensPerInterval: limit.perSecond, interval: 1000 });
      // limiter's buckets start empty; the services' start full (the burst is available at once).
      bucket.content = bucket.bucketSize;
      this.buckets.set(key, bucket);
    }
    signal?.throwIfAborted();
    await bucket.removeTokens(1);
  }
}
