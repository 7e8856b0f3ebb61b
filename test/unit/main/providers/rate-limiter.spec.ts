/** The per-account token bucket, driven by an injected clock. */
import { describe, expect, it } from 'vitest';
import { CDNPRO_RATE_LIMIT, RateLimiterRegistry, TokenBucket } from '../../../../main/providers/rate-limiter.js';

function clock(start = 1_000_000): { now(): number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('TokenBucket', () => {
  it('lets a full burst through, then one call per refill interval (CDN Pro: 60 then 1 every 2 s)', () => {
    const c = clock();
    const bucket = new TokenBucket(CDNPRO_RATE_LIMIT, c);
    for (let i = 0; i < 60; i += 1) expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBe(2_000); // 30/min → 1 token per 2 s
    expect(bucket.reserve()).toBe(4_000); // queued behind the previous reservation
    c.advance(4_000);
    expect(bucket.reserve()).toBe(2_000);
  });

  it('refills continuously but never above the burst', () => {
    const c = clock();
    const bucket = new TokenBucket({ perMinute: 60, burst: 5 }, c);
    for (let i = 0; i < 5; i += 1) bucket.reserve();
    expect(bucket.available()).toBe(0);
    c.advance(2_500);
    expect(bucket.available()).toBeCloseTo(2.5);
    c.advance(3_600_000);
    expect(bucket.available()).toBe(5);
  });

  it('tryTake takes only when a token is there and says how long to wait otherwise', () => {
    const c = clock();
    const bucket = new TokenBucket({ perMinute: 60, burst: 1 }, c);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(1_000);
    expect(bucket.tryTake()).toBe(1_000); // nothing reserved by a refusal
    c.advance(1_000);
    expect(bucket.tryTake()).toBe(0);
  });

  it('pauses every caller until a 429 retry time', () => {
    const c = clock();
    const bucket = new TokenBucket({ perMinute: 60, burst: 10 }, c);
    bucket.pauseUntil(c.now() + 7_000);
    expect(bucket.reserve()).toBe(7_000);
    expect(bucket.tryTake()).toBe(7_000);
    c.advance(7_000);
    expect(bucket.reserve()).toBe(0);
  });

  it('acquire sleeps for the reserved wait', async () => {
    const c = clock();
    const bucket = new TokenBucket({ perMinute: 120, burst: 1 }, c);
    const slept: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      slept.push(ms);
      return Promise.resolve();
    };
    await bucket.acquire(sleep);
    await bucket.acquire(sleep);
    expect(slept).toEqual([500]);
  });

  it('rejects nonsense settings', () => {
    expect(() => new TokenBucket({ perMinute: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ perMinute: 1, burst: 0 })).toThrow(RangeError);
  });
});

describe('RateLimiterRegistry', () => {
  it('gives accounts with the same key the same bucket', () => {
    const registry = new RateLimiterRegistry(clock());
    const a = registry.get('customer-1', CDNPRO_RATE_LIMIT);
    expect(registry.get('customer-1', { perMinute: 1, burst: 1 })).toBe(a);
    expect(registry.get('customer-2', CDNPRO_RATE_LIMIT)).not.toBe(a);
  });
});
