/**
 * Typed errors shared by main, the CLI and the renderer.
 *
 * Every expected failure in Certdesk is a `CertdeskError` with a stable `code` that callers
 * (and tests, and the CLI's exit-code mapping) switch on, and a message a person can act on.
 * Messages never contain private key material or account secrets.
 */

/** Stable error codes, grouped by area. Add new codes here; never rename one. */
export const ERROR_CODES = [
  // input files and formats
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'FILE_TOO_LARGE',
  'FILE_WRITE_FAILED',
  'FILE_EMPTY',
  'UNRECOGNISED_FORMAT',
  'PEM_INVALID',
  'DER_INVALID',
  'DER_TRUNCATED',
  'NOT_A_CERTIFICATE',
  'CERTIFICATE_INVALID',
  'CSR_INVALID',
  'KEY_INVALID',
  'PKCS7_INVALID',
  'PKCS12_INVALID',
  'UNSUPPORTED_ALGORITHM',
  'UNSUPPORTED_FORMAT',
  'PASSWORD_REQUIRED',
  'WRONG_PASSWORD',
  // PKI checks
  'KEY_MISMATCH',
  'CHAIN_INCOMPLETE',
  'CHAIN_INVALID',
  'INVALID_NAME',
  // keys and the vault
  'KEY_NOT_FOUND',
  'KEYCHAIN_UNAVAILABLE',
  'VAULT_KEY_TAMPERED',
  'VAULT_KEK_MISMATCH',
  // store
  'STORE_CORRUPT',
  'STORE_WRITE_FAILED',
  // usage
  'INVALID_ARGUMENT',
  'USAGE',
  'NOT_FOUND',
  'CONFLICT',
  // providers
  'PROVIDER_ERROR',
  'PROVIDER_AUTH_FAILED',
  'PROVIDER_NOT_OWNER',
  'PROVIDER_NOT_FOUND',
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_TIMEOUT',
  'PROVIDER_CONFLICT',
  'PROVIDER_REJECTED',
  'INSECURE_ENDPOINT',
  'PROVIDER_UNSUPPORTED',
  // anything else
  'INTERNAL',
] as const;

/** One of the stable error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Extra, non-secret facts about a failure (file name, HTTP status, provider request id…). */
export interface ErrorDetails {
  readonly file?: string;
  readonly provider?: string;
  readonly httpStatus?: number;
  readonly providerCode?: string;
  readonly requestId?: string;
  readonly [key: string]: unknown;
}

/** The error every Certdesk layer throws for an expected failure. */
export class CertdeskError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertdeskError';
    this.code = code;
    this.details = details;
  }

  /** A plain, serialisable form for JSON output and IPC envelopes. */
  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `value` is a CertdeskError (also across module copies, by shape). */
export function isCertdeskError(value: unknown): value is CertdeskError {
  return (
    value instanceof CertdeskError ||
    (value instanceof Error &&
      value.name === 'CertdeskError' &&
      (ERROR_CODES as readonly unknown[]).includes((value as { code?: unknown }).code))
  );
}

/** Exhaustiveness guard for `switch` statements over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new CertdeskError('INTERNAL', `Unexpected ${what}: ${String(value)}`);
}
