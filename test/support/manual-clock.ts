/**
 * Time for provider-client tests: a clock that only moves when told to, a sleep that advances it
 * instead of waiting, and the options a test client gets on them.
 */
import { RateLimiterRegistry, type Clock } from '../../main/providers/rate-limiter.js';

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private t: number = Math.floor(Date.now() / 1000) * 1000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A sleep that records its waits and advances the manual clock instead of waiting. */
export function fakeSleep(clock: ManualClock): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms: number) => {
      waits.push(ms);
      clock.advance(ms);
      return Promise.resolve();
    },
  };
}

/** The options every test client gets: the manual clock and sleep, its own rate limiter, no reconcile pause, a 5 s timeout. */
export interface TestClientOptions {
  readonly clock: ManualClock;
  readonly sleep: (ms: number) => Promise<void>;
  readonly rateLimiters: RateLimiterRegistry;
  readonly reconcileDelayMs: number;
  readonly timeoutMs: number;
}

/** A manual clock, a fake sleep on it, and `clientOptions` (the test client options, with `options` on top). */
export function testTime(): {
  clock: ManualClock;
  sleep: (ms: number) => Promise<void>;
  waits: number[];
  clientOptions<O extends object>(options?: O): TestClientOptions & O;
} {
  const clock = new ManualClock();
  const { sleep, waits } = fakeSleep(clock);
  const clientOptions = <O extends object>(options?: O): TestClientOptions & O => ({
    clock,
    sleep,
    rateLimiters: new RateLimiterRegistry(clock),
    reconcileDelayMs: 0,
    timeoutMs: 5_000,
    ...(options ?? ({} as O)),
  });
  return { clock, sleep, waits, clientOptions };
}
