/**
 * What the provider clients (CDN Pro, Apinizer, Gcore CDN, Gcore web security) share around the
 * HTTP layer: their injectable options and how those become one account's `HttpClient`, the
 * JSON request with an `Authorization` header, the rules that sort failures ("the provider said
 * no" against "the outcome is unknown"), and the in-memory log of the finished tasks returned
 * by providers that keep none.
 */
import { randomBytes } from 'node:crypto';
import { CertdeskError, isCertdeskError, type ErrorCode } from '../../shared/errors.js';
import { HttpClient, type HttpClientOptions, type HttpLogger, type HttpMethod, type HttpRequest, type RetryPolicy } from './http.js';
import {
  realSleep,
  sharedRateLimiters,
  systemClock,
  type Clock,
  type RateLimitOptions,
  type RateLimiterRegistry,
  type Sleep,
} from './rate-limiter.js';
import type { DeploymentAction, EnvironmentResult, ProviderTask } from './types.js';

/** Injectable behaviour every provider client takes, for tests and tuning. */
export interface ProviderClientOptions {
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: HttpLogger;
  /** Where the per-account buckets live; `null` turns client-side limiting off. */
  readonly rateLimiters?: RateLimiterRegistry | null;
  /** Pause before reading back (reconciling) after a lost answer, so a slow write can land; default 2 s. */
  readonly reconcileDelayMs?: number;
  /** Sends of one non-idempotent request in all (each after a read-back); default 2. */
  readonly maxSubmitAttempts?: number;
  /** Make 429 handling give up sooner or later (see HttpClientOptions). */
  readonly maxRateLimitWaits?: number;
}

/** What one provider's HTTP client is: its names, endpoint, error rules and rate-limit bucket. */
export interface ProviderHttpSettings
  extends Pick<HttpClientOptions, 'provider' | 'providerLabel' | 'baseUrl' | 'rateLimitFromBody' | 'classifyError' | 'requestIdHeaders'> {
  /** The account's bucket in the limiter registry (accounts sharing the provider's limit share it). */
  readonly rateLimitKey: string;
  /** The limit a new bucket starts with. */
  readonly rateLimit: RateLimitOptions;
}

/** One account's HTTP client, with the clock and sleep the client itself uses too. */
export interface ProviderHttp {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly sleep: Sleep;
}

/** Builds the account's `HttpClient` from the provider's settings and the client's options. */
export function providerHttp(settings: ProviderHttpSettings, options: ProviderClientOptions): ProviderHttp {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const registry = options.rateLimiters === undefined ? sharedRateLimiters : options.rateLimiters;
  const limiter = registry === null ? undefined : registry.get(settings.rateLimitKey, settings.rateLimit);
  const { rateLimitKey: _key, rateLimit: _limit, ...http } = settings;
  return {
    clock,
    sleep,
    http: new HttpClient({
      ...http,
      clock,
      sleep,
      ...(limiter !== undefined ? { rateLimiter: limiter } : {}),
      ...(options.random !== undefined ? { random: options.random } : {}),
      ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry !== undefined ? { retry: options.retry } : {}),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
      ...(options.maxRateLimitWaits !== undefined ? { maxRateLimitWaits: options.maxRateLimitWaits } : {}),
      userAgent: 'certdesk',
    }),
  };
}

/** What a client's `call` says about one request besides method and path. */
export interface CallOptions {
  readonly operation: string;
  readonly certificateId?: string;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly idempotent?: boolean;
}

/** A request body already in its wire form. */
export interface RequestBody {
  readonly text: string;
  readonly contentType: string;
}

/** The JSON body of a request, or undefined for none. */
export function jsonBody(body: unknown): RequestBody | undefined {
  return body !== undefined ? { text: JSON.stringify(body), contentType: 'application/json' } : undefined;
}

/** A request that accepts JSON and carries `authorization` (the same on every attempt) and an optional body. */
export function authorizedRequest(method: HttpMethod, path: string, extra: CallOptions, authorization: string, body?: RequestBody): HttpRequest {
  return {
    method,
    path,
    ...(extra.query !== undefined ? { query: extra.query } : {}),
    ...(extra.idempotent !== undefined ? { idempotent: extra.idempotent } : {}),
    operation: extra.operation,
    ...(extra.certificateId !== undefined ? { certificateId: extra.certificateId } : {}),
    prepare: () => {
      const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json' };
      if (body === undefined) return { headers };
      headers['Content-Type'] = body.contentType;
      return { headers, body: body.text };
    },
  };
}

/** ISO 8601 UTC without milliseconds. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The clock's now as ISO 8601. */
export function isoNow(clock: Clock): string {
  return isoAt(clock.now());
}

/** True for an error whose outcome the provider did not confirm (lost answer, 5xx). */
export function outcomeUnknown(error: unknown): error is CertdeskError {
  return isCertdeskError(error) && error.details.outcomeUnknown === true;
}

/** True when the failure happened below HTTP (the request may never have arrived). */
export function belowHttp(error: CertdeskError): boolean {
  return error.details.transport !== undefined;
}

/** True when `error` is a CertdeskError with `code`. */
export function hasCode(error: unknown, code: ErrorCode): error is CertdeskError {
  return isCertdeskError(error) && error.code === code;
}

/** Rethrows an error saying that whether `what` happened could not be confirmed. */
export type Unconfirmed = (error: CertdeskError, what: string, reconcileError?: unknown) => CertdeskError;

/**
 * A provider's {@link Unconfirmed}: `check` names how it looks ("reading it back"), `advice`
 * what the person should look at before trying again ("look at it in Gcore").
 */
export function unconfirmedBy(check: string, advice: string): Unconfirmed {
  return (error, what, reconcileError) => {
    const why = reconcileError !== undefined && isCertdeskError(reconcileError) ? ` (${check} failed too: ${reconcileError.message})` : '';
    return new CertdeskError(
      error.code,
      `${error.message}. Certdesk could not confirm whether ${what}${why}; ${advice} before trying again`,
      { ...error.details, outcomeUnknown: true },
      { cause: error },
    );
  };
}

/** A non-idempotent request and how to tell, after a lost answer, whether it took effect. */
export interface ReconciledRequest<T> {
  /** What the request does, for "could not confirm whether …" ('certificate "x" was created'). */
  readonly what: string;
  /** Sends the request once. */
  readonly send: () => Promise<T>;
  /** Looks at the provider after a lost answer: the request's result when it took effect, undefined when it did not. */
  readonly reconcile: () => Promise<T | undefined>;
  /** Errors of `reconcile` that are a definite answer and are thrown as they are; any other leaves the outcome unconfirmed. */
  readonly checkStands?: (error: unknown) => boolean;
  /** A later send's error that may mean an earlier, lost one landed (name taken, already gone): the result, or undefined to go on with the error. */
  readonly afterRetryError?: (error: unknown) => Promise<T | undefined>;
  /** Send again after a definite 5xx too when `reconcile` saw no effect (for requests harmless to repeat, like a delete). */
  readonly resendAfterHttpError?: boolean;
}

/** What runs reconciled requests for a client: its sleep, its options (attempts, delay) and its wording. */
export interface Reconciler {
  readonly sleep: Sleep;
  readonly options: ProviderClientOptions;
  readonly unconfirmed: Unconfirmed;
}

/**
 * Sends a non-idempotent request; after a lost answer or a 5xx, asks `reconcile` whether it
 * took effect, and sends again (up to `maxSubmitAttempts` sends) only when it did not and the
 * failure was below HTTP (or `resendAfterHttpError`). A lost answer never produces a duplicate.
 */
export async function submitReconciled<T>(client: Reconciler, request: ReconciledRequest<T>): Promise<T> {
  const maxAttempts = Math.max(1, client.options.maxSubmitAttempts ?? 2);
  let lastUnknown: CertdeskError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    try {
      return await request.send();
    } catch (error) {
      if (lastUnknown !== undefined && request.afterRetryError !== undefined) {
        const found = await request.afterRetryError(error);
        if (found !== undefined) return found;
      }
      if (!outcomeUnknown(error)) throw error;
      lastUnknown = error;
      await client.sleep(client.options.reconcileDelayMs ?? 2_000);
      let found: T | undefined;
      try {
        found = await request.reconcile();
      } catch (reconcileError) {
        if (request.checkStands?.(reconcileError) === true) throw reconcileError;
        throw client.unconfirmed(error, request.what, reconcileError);
      }
      if (found !== undefined) return found;
      if (!belowHttp(error) && request.resendAfterHttpError !== true) throw error; // a definite 5xx answer: never sent twice
    }
  }
  throw lastUnknown ?? new CertdeskError('INTERNAL', `could not confirm whether ${request.what}`);
}

const REFUSAL_CODES = new Set<ErrorCode>(['PROVIDER_REJECTED', 'PROVIDER_CONFLICT', 'PROVIDER_NOT_FOUND', 'PROVIDER_NOT_OWNER']);

/** A write the provider answered with a definite 4xx refusal (name taken, environment missing…); turned into a failed task. */
export class RefusedWrite extends Error {
  constructor(readonly error: CertdeskError) {
    super(error.message);
  }
}

/** Runs a write; a definite 4xx refusal becomes a `RefusedWrite`, everything else passes through. */
export async function write<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isCertdeskError(error) && REFUSAL_CODES.has(error.code) && typeof error.details.httpStatus === 'number' && error.details.outcomeUnknown !== true) {
      throw new RefusedWrite(error);
    }
    throw error;
  }
}

/** Turns a refused write into the failed outcome of a task. */
export function refusedOutcome(error: RefusedWrite, env: string): { succeeded: false; detail: string; environmentResults: EnvironmentResult[] } {
  const refused = error.error;
  return {
    succeeded: false,
    detail: refused.message,
    environmentResults: [{ environment: env, success: false, message: String(refused.details.message ?? refused.message) }],
  };
}

/** Finished tasks a client returned, for `getTask` / `listTasks` (for providers that keep no tasks). */
export class TaskLog {
  private readonly tasks = new Map<string, ProviderTask>();

  constructor(private readonly prefix: string) {}

  /** Records a finished task and returns it. */
  record(fields: {
    readonly action: DeploymentAction;
    readonly certificateId: string;
    readonly version: number | null;
    readonly env: string;
    readonly succeeded: boolean;
    readonly detail: string;
    readonly submittedAt: string;
    readonly finishedAt: string;
    readonly environmentResults: readonly EnvironmentResult[];
  }): ProviderTask {
    const task: ProviderTask = {
      id: `${this.prefix}-${randomBytes(8).toString('hex')}`,
      status: fields.succeeded ? 'succeeded' : 'failed',
      detail: fields.detail,
      submittedAt: fields.submittedAt,
      finishedAt: fields.finishedAt,
      env: fields.env,
      name: `certdesk-${fields.action}`,
      actions: [{ action: fields.action, certificateId: fields.certificateId, version: fields.version }],
      environmentResults: fields.environmentResults,
    };
    this.tasks.set(task.id, task);
    return task;
  }

  /** The task, or undefined. */
  get(id: string): ProviderTask | undefined {
    return this.tasks.get(id);
  }

  /** Tasks for a certificate (and environment), newest first. */
  list(certificateId: string, env?: string): ProviderTask[] {
    return [...this.tasks.values()]
      .filter((t) => t.actions.some((a) => a.certificateId === certificateId) && (env === undefined || t.env === env))
      .reverse();
  }
}

/** The error for a task id this session does not know. */
export function unknownTask(provider: string, providerLabel: string, taskId: string): CertdeskError {
  return new CertdeskError(
    'PROVIDER_NOT_FOUND',
    `${providerLabel} keeps no deployment tasks and this session has no record of task ${taskId}; its result was returned when it ran`,
    { provider, taskId },
  );
}
