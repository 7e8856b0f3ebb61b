/**
 * A client-side token bucket per provider account, so Certdesk stays under the provider's
 * published limit instead of collecting 429s (CDN Pro: 30 requests per rolling minute, burst 60,
 * shared by every API account of a customer; providers.md §1.7).
 *
 * Callers reserve a token and wait the time returned; reservations go negative so waiters are
 * served in arrival order. A 429 pauses the whole bucket until the provider's retry time.
 * Time comes from an injected clock so tests run without real waiting.
 */

/** A source of the current time in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** Waits `ms` milliseconds (or until `signal` aborts, rejecting with its reason). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Real waiting with `setTimeout`, abortable. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Bucket settings. */
export interface RateLimitOptions {
  /** Tokens added per minute. */
  readonly perMinute: number;
  /** Bucket size: how many calls may go at once after a quiet period. */
  readonly burst: number;
}

/** CDN Pro's documented defaults (`apiRate` 30, `apiMaxBurst` 60). */
export const CDNPRO_RATE_LIMIT: RateLimitOptions = { perMinute: 30, burst: 60 };

/** A token bucket with an injectable clock. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private readonly perMs: number;

  constructor(
    readonly options: RateLimitOptions,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(options.perMinute > 0) || !(options.burst >= 1)) {
      throw new RangeError('rate limit needs perMinute > 0 and burst >= 1');
    }
    this.perMs = options.perMinute / 60_000;
    this.tokens = options.burst;
    this.last = clock.now();
  }

  private refill(): number {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.options.burst, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
    }
    return now;
  }

  /** Tokens available now (may be negative while reservations wait). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Reserves one token and returns how many milliseconds the caller must wait before using it. */
  reserve(): number {
    const now = this.refill();
    this.tokens -= 1;
    const forTokens = this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.perMs);
    return Math.max(forTokens, this.pausedUntil - now, 0);
  }

  /** Takes a token if one is available now and returns 0; otherwise takes nothing and returns the wait in ms. */
  tryTake(): number {
    const now = this.refill();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / this.perMs);
  }

  /** Reserves a token and waits until it may be used. */
  async acquire(sleep: Sleep, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, signal);
  }

  /** Stops handing out usable tokens until `untilMs` (after a 429) and empties the bucket. */
  pauseUntil(untilMs: number): void {
    this.refill();
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
    this.tokens = Math.min(this.tokens, 0);
  }
}

/** Buckets keyed by account (or by customer, when several accounts share one provider limit). */
export class RateLimiterRegistry {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly clock: Clock = systemClock) {}

  /** The bucket for `key`, created with `options` the first time. */
  get(key: string, options: RateLimitOptions): TokenBucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(options, this.clock);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** The process-wide registry clients use unless given their own. */
export const sharedRateLimiters = new RateLimiterRegistry();
