/**
 * Pieces both Gcore clients share: the default rate limit, the one environment and the wording
 * of an unconfirmed outcome. The rest (task log, refusal rules) is in `../client-base.ts`.
 */
import { unconfirmedBy } from '../client-base.js';
import type { RateLimitOptions } from '../rate-limiter.js';

/** No limit is published for these APIs; stay modest. */
export const GCORE_RATE_LIMIT: RateLimitOptions = { perMinute: 120, burst: 20 };

/** The single environment a Gcore certificate slot has. */
export const GCORE_ENVIRONMENT = 'production';

/** Rethrows `error` saying that the outcome could not be confirmed. */
export const unconfirmed = unconfirmedBy('reading it back', 'look at it in Gcore');
