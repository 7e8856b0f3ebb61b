/**
 * Pieces both Gcore clients share: the default rate limit, the one environment, the error
 * classification, how an account's HTTP client is built and the wording of an unconfirmed
 * outcome. The rest (task log, refusal rules, reconciliation) is in `../client-base.ts`.
 */
import type { ErrorCode } from '../../../shared/errors.js';
import { providerHttp, unconfirmedBy, type ProviderClientOptions, type ProviderHttp } from '../client-base.js';
import type { RateLimitOptions } from '../rate-limiter.js';

/** No limit is published for these APIs; stay modest. */
export const GCORE_RATE_LIMIT: RateLimitOptions = { perMinute: 120, burst: 20 };

/** The single environment a Gcore certificate slot has. */
export const GCORE_ENVIRONMENT = 'production';

/** Maps Gcore's message-only distinctions onto Certdesk codes (a duplicate name is a plain 400). */
export function classifyGcoreError(failure: { httpStatus: number; providerCode?: string; providerMessage?: string }): ErrorCode | undefined {
  if (failure.httpStatus >= 500 || failure.httpStatus === 429) return undefined;
  if (/already exists?|must be unique|not unique|duplicate/i.test(failure.providerMessage ?? '')) return 'PROVIDER_CONFLICT';
  return undefined;
}

/** The HTTP client of a Gcore account; `kind` keeps CDN and web security accounts in separate rate-limit buckets. */
export function gcoreHttp(
  providerLabel: string,
  kind: 'cdn' | 'protection',
  baseUrl: string,
  account: { readonly rateLimitKey?: string; readonly rateLimit?: RateLimitOptions },
  options: ProviderClientOptions,
): ProviderHttp {
  return providerHttp(
    {
      provider: 'gcore',
      providerLabel,
      baseUrl,
      classifyError: classifyGcoreError,
      rateLimitKey: account.rateLimitKey ?? `gcore-${kind}:${baseUrl}`,
      rateLimit: account.rateLimit ?? GCORE_RATE_LIMIT,
    },
    options,
  );
}

/** Rethrows `error` saying that the outcome could not be confirmed. */
export const unconfirmed = unconfirmedBy('reading it back', 'look at it in Gcore');
