/**
 * Turns provider HTTP failures into `CertdeskError`s with stable codes.
 *
 * Every provider error body shape in providers.md §7.8 is understood: `{code, message}`
 * (CDN Pro), `{error, error_description}` (Apinizer), `{errors}` / `{message}` (Gcore),
 * problem+json (Akamai) and Cloudflare's `{errors:[{code, message}]}`. The message always names
 * the HTTP status, the provider's code and its request id, and never echoes a request body.
 */
import { CertdeskError, type ErrorCode } from '../../shared/errors.js';

/** The provider's own code and message, pulled out of an error body. */
export interface ProviderErrorBody {
  readonly code?: string;
  readonly message?: string;
}

/** What is known about a failed provider call. */
export interface ProviderFailure {
  /** Machine name of the provider, e.g. 'cdnpro'. */
  readonly provider: string;
  /** Human name, e.g. 'CDN Pro'. */
  readonly providerLabel: string;
  readonly httpStatus: number;
  readonly providerCode?: string;
  readonly providerMessage?: string;
  readonly requestId?: string;
  /** What was being done, e.g. 'create a version of certificate 5c5a…'. */
  readonly operation?: string;
  /** The certificate concerned, for the not-the-owner message. */
  readonly certificateId?: string;
  /** Seconds the provider asked us to wait (429). */
  readonly retryAfterSeconds?: number;
  /** The Certdesk code, when the provider's code or message says more than the status (e.g. Apinizer's 400 "is not found"). */
  readonly code?: ErrorCode;
}

/** Headers that carry a provider's request id, in order of preference. */
export const REQUEST_ID_HEADERS = ['qtl-request-id', 'x-cnc-request-id', 'x-request-id', 'cf-ray', 'x-amzn-requestid'] as const;

/** 403 codes that mean "over a quota", not "not yours". */
const QUOTA_CODES = new Set(['toomanycerts', 'toomanyversions', 'toomanyhostnames', 'toomanywebhooks', 'quotaexceeded']);

/** The longest provider message we repeat. */
const MAX_PROVIDER_MESSAGE = 300;

/** The request id a response carries, from the first known header present. */
export function requestIdFrom(headers: { get(name: string): string | null }, extra: readonly string[] = []): string | undefined {
  for (const name of [...extra, ...REQUEST_ID_HEADERS]) {
    const value = headers.get(name);
    if (value !== null && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function firstOf(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const text = asText(record[key]);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Extracts `{code, message}` from any of the known error body shapes; `{}` when there is none. */
export function parseErrorBody(text: string): ProviderErrorBody {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // A non-JSON body (an HTML error page from a proxy): keep a short, single-line excerpt.
    const excerpt = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return excerpt === '' ? {} : { message: excerpt.slice(0, 120) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const body = value as Record<string, unknown>;
  // Cloudflare: {success:false, errors:[{code, message}]}
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const first: unknown = body.errors[0];
    if (typeof first === 'object' && first !== null) {
      const entry = first as Record<string, unknown>;
      const code = firstOf(entry, ['code', 'error']);
      const message = firstOf(entry, ['message', 'detail', 'error_description']);
      return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
    }
    const message = asText(first);
    return message !== undefined ? { message } : {};
  }
  // Gcore: {errors: {field: [messages]}}
  if (typeof body.errors === 'object' && body.errors !== null && !Array.isArray(body.errors)) {
    const parts = Object.entries(body.errors as Record<string, unknown>).map(
      ([field, messages]) => `${field}: ${Array.isArray(messages) ? messages.map(String).join(', ') : String(messages)}`,
    );
    const message = parts.join('; ') || undefined;
    return message !== undefined ? { message } : {};
  }
  const code = firstOf(body, ['code', 'error', 'type', 'title']);
  const message = firstOf(body, ['message', 'error_description', 'detail', 'msg']);
  return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
}

/** The Certdesk code for an HTTP status and provider code. */
export function errorCodeForStatus(httpStatus: number, providerCode?: string): ErrorCode {
  const code = (providerCode ?? '').toLowerCase();
  if (httpStatus === 401) return 'PROVIDER_AUTH_FAILED';
  if (httpStatus === 402 || (httpStatus === 403 && QUOTA_CODES.has(code))) return 'PROVIDER_REJECTED';
  if (httpStatus === 403) return 'PROVIDER_NOT_OWNER';
  if (httpStatus === 404 || httpStatus === 410) return 'PROVIDER_NOT_FOUND';
  if (httpStatus === 408) return 'PROVIDER_TIMEOUT';
  if (httpStatus === 409 || httpStatus === 412) return 'PROVIDER_CONFLICT';
  if (httpStatus === 429) return 'PROVIDER_RATE_LIMITED';
  if (httpStatus >= 500) return 'PROVIDER_UNAVAILABLE';
  if (httpStatus >= 400) return 'PROVIDER_REJECTED';
  return 'PROVIDER_ERROR';
}

function clip(message: string): string {
  const single = message.replace(/\s+/g, ' ').trim();
  return single.length > MAX_PROVIDER_MESSAGE ? `${single.slice(0, MAX_PROVIDER_MESSAGE)}…` : single;
}

/** A short "what happened" lead for each code. */
function lead(code: ErrorCode, failure: ProviderFailure): string {
  const label = failure.providerLabel;
  const doing = failure.operation !== undefined ? ` to ${failure.operation}` : '';
  switch (code) {
    case 'PROVIDER_AUTH_FAILED':
      return `${label} refused the credentials${doing}; check the API user and key (and that this computer's clock is correct)`;
    case 'PROVIDER_NOT_OWNER':
      return failure.certificateId !== undefined
        ? `${label}: you are not the owner of certificate ${failure.certificateId}; only its owner may change, deploy or delete it`
        : `${label}: this account is not allowed to do that (you are not the owner)`;
    case 'PROVIDER_NOT_FOUND':
      return `${label} found nothing${failure.operation !== undefined ? ` when trying to ${failure.operation}` : ''}`;
    case 'PROVIDER_CONFLICT':
      return `${label} refused the request${doing} because it conflicts with the current state`;
    case 'PROVIDER_RATE_LIMITED':
      return `${label} is rate-limiting this account${
        failure.retryAfterSeconds !== undefined ? ` (asked to wait ${failure.retryAfterSeconds} s)` : ''
      }; try again later`;
    case 'PROVIDER_UNAVAILABLE':
      return `${label} failed${doing}; the service is having trouble`;
    case 'PROVIDER_TIMEOUT':
      return `${label} timed out${doing}`;
    default:
      return `${label} rejected the request${doing}`;
  }
}

/** Builds the normalised error for a provider's non-2xx answer. */
export function providerHttpError(failure: ProviderFailure): CertdeskError {
  const code = failure.code ?? errorCodeForStatus(failure.httpStatus, failure.providerCode);
  const facts = [`HTTP ${failure.httpStatus}`];
  if (failure.providerCode !== undefined) facts.push(failure.providerCode);
  const said = failure.providerMessage !== undefined ? `: ${clip(failure.providerMessage)}` : '';
  const rid = failure.requestId !== undefined ? ` (request id ${failure.requestId})` : '';
  const message = `${lead(code, failure)} — ${facts.join(' ')}${said}${rid}`;
  return new CertdeskError(code, message, {
    provider: failure.provider,
    httpStatus: failure.httpStatus,
    ...(failure.providerCode !== undefined ? { providerCode: failure.providerCode } : {}),
    ...(failure.providerMessage !== undefined ? { message: clip(failure.providerMessage) } : {}),
    ...(failure.requestId !== undefined ? { requestId: failure.requestId } : {}),
    ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
    ...(failure.httpStatus >= 500 ? { outcomeUnknown: true } : {}),
  });
}

/** What went wrong below HTTP. */
export type TransportFailureKind = 'timeout' | 'network';

/** Builds the normalised error for a timeout or a broken connection. */
export function providerTransportError(
  kind: TransportFailureKind,
  info: { provider: string; providerLabel: string; operation?: string; timeoutMs?: number; cause?: unknown },
): CertdeskError {
  const doing = info.operation !== undefined ? ` to ${info.operation}` : '';
  const message =
    kind === 'timeout'
      ? `${info.providerLabel} did not answer the request${doing} within ${Math.round((info.timeoutMs ?? 0) / 1000)} s`
      : `Could not reach ${info.providerLabel}${doing}: ${describeCause(info.cause)}`;
  return new CertdeskError(
    kind === 'timeout' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE',
    message,
    { provider: info.provider, transport: kind, outcomeUnknown: true },
    { cause: info.cause },
  );
}

/** A one-line, secret-free description of a network error (undici nests the useful part in `cause`). */
export function describeCause(cause: unknown): string {
  let current: unknown = cause;
  let text = 'connection failed';
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    text = typeof code === 'string' ? `${code} (${current.message})` : current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return text;
}

/** The error for an operation a provider does not offer (check its capabilities first). */
export function unsupportedOperation(provider: string, providerLabel: string, operation: string): CertdeskError {
  return new CertdeskError('PROVIDER_UNSUPPORTED', `${providerLabel} does not support ${operation}`, { provider });
}
