/**
 * The HTTP layer every provider client shares: HTTPS only (plain http for loopback), a
 * per-request timeout, the per-account token bucket, `Retry-After` on 429, and exponential
 * backoff with full jitter for 5xx and network errors on idempotent calls only.
 *
 * Non-idempotent calls (POST, PATCH) are never retried after a 5xx, a timeout or a dropped
 * connection: the error carries `details.outcomeUnknown` and the provider client reconciles
 * with the provider before deciding anything. A 429 or a 401 is retried for any method
 * (the provider refused the request before doing anything). Request bodies are never logged;
 * the optional logger sees the method, path, status, attempt and request id only.
 */
import { CertdeskError, type ErrorCode } from '../../shared/errors.js';
import {
  parseErrorBody,
  providerHttpError,
  providerTransportError,
  requestIdFrom,
  type ProviderErrorBody,
} from './errors.js';
import { realSleep, systemClock, type Clock, type Sleep, type TokenBucket } from './rate-limiter.js';

/** HTTP methods the providers use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Headers and body for one attempt; built again for every attempt (fresh signatures). */
export interface PreparedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** One logical request. */
export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path below the base URL, starting with '/'. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Builds headers and body for attempt n (1-based). */
  readonly prepare: (attempt: number) => PreparedRequest;
  /** Override the method's default idempotency (GET/PUT/DELETE are idempotent). */
  readonly idempotent?: boolean;
  /** Retry once after a 401 (the client re-signs with a fresh Date). */
  readonly retryUnauthorizedOnce?: boolean;
  /** What is being done, for error messages ("create certificate \"x\""). */
  readonly operation?: string;
  /** The certificate concerned, for the not-the-owner message. */
  readonly certificateId?: string;
  readonly signal?: AbortSignal;
}

/** A successful (2xx) response with its body read. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly requestId: string | undefined;
  /** The body as JSON; throws PROVIDER_ERROR when it is not JSON. */
  json(): unknown;
}

/** Backoff settings for idempotent calls. */
export interface RetryPolicy {
  /** Attempts in all, including the first. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Give up instead of waiting past this much time since the first attempt. */
  readonly maxTotalMs: number;
}

/** Default backoff: 4 attempts, 0.5 s base, 10 s cap, 60 s overall. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxTotalMs: 60_000 };

/** What the logger is told about each attempt. Never a body, never a header value. */
export interface HttpLogEntry {
  readonly provider: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly attempt: number;
  readonly status?: number;
  readonly error?: string;
  readonly requestId?: string;
  readonly durationMs: number;
}

/** Receives one entry per attempt. */
export type HttpLogger = (entry: HttpLogEntry) => void;

/** Settings for one provider account's HTTP client. */
export interface HttpClientOptions {
  readonly provider: string;
  readonly providerLabel: string;
  readonly baseUrl: string;
  /** Per-attempt timeout (headers and body); default 30 s. */
  readonly timeoutMs?: number;
  readonly rateLimiter?: TokenBucket;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  /** Returns a number in [0, 1); used for jitter. */
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  readonly retry?: Partial<RetryPolicy>;
  /** How many 429s in a row to wait out before giving up; default 3. */
  readonly maxRateLimitWaits?: number;
  /** Give up instead of waiting longer than this for a 429; default 2 minutes. */
  readonly maxRetryAfterMs?: number;
  readonly parseError?: (text: string) => ProviderErrorBody;
  /**
   * Recognises a rate-limit answer by its body, whatever its status (Apinizer documents
   * `{error:"rate_limit_exceeded", retry_after:<seconds>}` but not the status); returns the wait
   * the body asks for, or undefined when the answer is not a rate limit. Treated like a 429.
   */
  readonly rateLimitFromBody?: (status: number, text: string) => { readonly retryAfterMs?: number } | undefined;
  /** Picks the Certdesk code for an error answer when the status alone says too little; undefined keeps the default. */
  readonly classifyError?: (failure: { readonly httpStatus: number; readonly providerCode?: string; readonly providerMessage?: string }) => ErrorCode | undefined;
  /** Extra request-id header names to look at first. */
  readonly requestIdHeaders?: readonly string[];
  readonly logger?: HttpLogger;
  readonly userAgent?: string;
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1']);

/** True for 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (LOOPBACK_NAMES.has(host) || host.endsWith('.localhost')) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return host.split('.').every((part) => Number(part) <= 255);
  // WHATWG URL writes ::ffff:127.0.0.1 as [::ffff:7f00:1]
  const mapped = /^\[?::ffff:7f([0-9a-f]{2}):[0-9a-f]{1,4}\]?$/.exec(host);
  return mapped !== null;
}

/** Throws INSECURE_ENDPOINT unless `url` is https, or http to a loopback host; returns the parsed URL. */
export function assertSecureEndpoint(url: string, providerLabel = 'the provider'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CertdeskError('INVALID_ARGUMENT', `The endpoint for ${providerLabel} is not a valid URL: ${url}`);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return parsed;
  throw new CertdeskError(
    'INSECURE_ENDPOINT',
    `The endpoint ${parsed.origin} for ${providerLabel} is not HTTPS; plain http:// is only allowed for loopback addresses (127.0.0.1, ::1, localhost)`,
    { endpoint: parsed.origin },
  );
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const when = Date.parse(text);
  return Number.isNaN(when) ? undefined : Math.max(0, when - now);
}

/** How long a 429 asks us to wait: the larger of CDN Pro's header and `Retry-After`. */
export function rateLimitDelayMs(headers: { get(name: string): string | null }, now: number): number | undefined {
  const candidates = [
    parseRetryAfter(headers.get('x-rate-limit-retry-after-seconds'), now),
    parseRetryAfter(headers.get('retry-after'), now),
  ].filter((v): v is number => v !== undefined);
  return candidates.length === 0 ? undefined : Math.max(...candidates);
}

function defaultIdempotent(method: HttpMethod): boolean {
  return method === 'GET' || method === 'PUT' || method === 'DELETE';
}

/** A provider account's HTTP client. */
export class HttpClient {
  private readonly base: URL;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly fetchImpl: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpClientOptions) {
    this.base = assertSecureEndpoint(options.baseUrl, options.providerLabel);
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The URL a path and query resolve to. */
  url(path: string, query?: HttpRequest['query']): URL {
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const url = new URL(this.base.origin + basePath + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** Full-jitter exponential backoff for retry number n (1-based). */
  backoffMs(n: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (n - 1));
    return Math.floor(this.random() * ceiling);
  }

  /** Sends a request, with the retry rules above; resolves on 2xx, throws CertdeskError otherwise. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const url = this.url(req.path, req.query);
    const idempotent = req.idempotent ?? defaultIdempotent(req.method);
    const started = this.clock.now();
    let transientRetries = 0;
    let rateWaits = 0;
    let authRetried = false;
    for (let attempt = 1; ; attempt += 1) {
      if (this.options.rateLimiter !== undefined) await this.options.rateLimiter.acquire(this.sleep, req.signal);
      const prepared = req.prepare(attempt);
      const sentAt = this.clock.now();
      const outcome = await this.send(url, req, prepared);
      if ('error' in outcome) {
        this.log({ method: req.method, path: url.pathname, attempt, error: outcome.error.code, durationMs: this.clock.now() - sentAt });
        const delay = this.backoffMs(transientRetries + 1);
        if (idempotent && this.mayRetry(transientRetries, started, delay)) {
          transientRetries += 1;
          await this.sleep(delay, req.signal);
          continue;
        }
        throw outcome.error;
      }
      const { response, text } = outcome;
      const requestId = requestIdFrom(response.headers, this.options.requestIdHeaders ?? []);
      this.log({
        method: req.method,
        path: url.pathname,
        attempt,
        status: response.status,
        ...(requestId !== undefined ? { requestId } : {}),
        durationMs: this.clock.now() - sentAt,
      });
      if (response.status >= 200 && response.status < 300) {
        return {
          status: response.status,
          headers: response.headers,
          text,
          requestId,
          json: () => this.parseJson(text, response.status, requestId, req),
        };
      }
      const bodyLimit = response.status >= 400 ? this.options.rateLimitFromBody?.(response.status, text) : undefined;
      if (response.status === 429 || bodyLimit !== undefined) {
        const fromHeaders = rateLimitDelayMs(response.headers, this.clock.now());
        const asked =
          bodyLimit?.retryAfterMs !== undefined ? Math.max(bodyLimit.retryAfterMs, fromHeaders ?? 0) : fromHeaders;
        const wait = asked ?? Math.min(60_000, 2_000 * 2 ** rateWaits);
        this.options.rateLimiter?.pauseUntil(this.clock.now() + wait);
        const maxWaits = this.options.maxRateLimitWaits ?? 3;
        if (rateWaits < maxWaits && wait <= (this.options.maxRetryAfterMs ?? 120_000)) {
          rateWaits += 1;
          // With a limiter, the next acquire() waits out the pause; without one, wait here.
          if (this.options.rateLimiter === undefined) await this.sleep(wait, req.signal);
          continue;
        }
        throw this.httpError(response, text, requestId, req, asked !== undefined ? Math.ceil(asked / 1000) : undefined, 'PROVIDER_RATE_LIMITED');
      }
      if (response.status === 401 && req.retryUnauthorizedOnce === true && !authRetried) {
        authRetried = true;
        continue;
      }
      if (response.status >= 500 && idempotent) {
        const delay = this.backoffMs(transientRetries + 1);
        if (this.mayRetry(transientRetries, started, delay)) {
          transientRetries += 1;
          await this.sleep(delay, req.signal);
          continue;
        }
      }
      throw this.httpError(response, text, requestId, req);
    }
  }

  private mayRetry(retriesSoFar: number, started: number, delay: number): boolean {
    if (retriesSoFar + 1 >= this.retry.maxAttempts) return false;
    return this.clock.now() - started + delay <= this.retry.maxTotalMs;
  }

  private async send(
    url: URL,
    req: HttpRequest,
    prepared: PreparedRequest,
  ): Promise<{ response: Response; text: string } | { error: CertdeskError }> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = req.signal !== undefined ? AbortSignal.any([timeout, req.signal]) : timeout;
    const headers: Record<string, string> = { ...prepared.headers };
    if (this.options.userAgent !== undefined) headers['User-Agent'] = this.options.userAgent;
    try {
      const response = await this.fetchImpl(url, {
        method: req.method,
        headers,
        ...(prepared.body !== undefined ? { body: prepared.body } : {}),
        redirect: 'manual',
        signal,
      });
      const text = await response.text();
      return { response, text };
    } catch (cause) {
      if (req.signal?.aborted === true) throw cause;
      const base = {
        provider: this.options.provider,
        providerLabel: this.options.providerLabel,
        ...(req.operation !== undefined ? { operation: req.operation } : {}),
        cause,
      };
      return {
        error: timeout.aborted
          ? providerTransportError('timeout', { ...base, timeoutMs: this.timeoutMs })
          : providerTransportError('network', base),
      };
    }
  }

  private httpError(
    response: Response,
    text: string,
    requestId: string | undefined,
    req: HttpRequest,
    retryAfterSeconds?: number,
    forcedCode?: ErrorCode,
  ): CertdeskError {
    const body = (this.options.parseError ?? parseErrorBody)(text);
    const code =
      forcedCode ??
      this.options.classifyError?.({
        httpStatus: response.status,
        ...(body.code !== undefined ? { providerCode: body.code } : {}),
        ...(body.message !== undefined ? { providerMessage: body.message } : {}),
      });
    return providerHttpError({
      ...(code !== undefined ? { code } : {}),
      provider: this.options.provider,
      providerLabel: this.options.providerLabel,
      httpStatus: response.status,
      ...(body.code !== undefined ? { providerCode: body.code } : {}),
      ...(body.message !== undefined ? { providerMessage: body.message } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      ...(req.operation !== undefined ? { operation: req.operation } : {}),
      ...(req.certificateId !== undefined ? { certificateId: req.certificateId } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
  }

  private parseJson(text: string, status: number, requestId: string | undefined, req: HttpRequest): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const rid = requestId !== undefined ? ` (request id ${requestId})` : '';
      throw new CertdeskError(
        'PROVIDER_ERROR',
        `${this.options.providerLabel} sent a response that is not JSON${req.operation !== undefined ? ` to ${req.operation}` : ''} — HTTP ${status}${rid}`,
        { provider: this.options.provider, httpStatus: status, ...(requestId !== undefined ? { requestId } : {}) },
      );
    }
  }

  private log(entry: Omit<HttpLogEntry, 'provider'>): void {
    this.options.logger?.({ provider: this.options.provider, ...entry });
  }
}
