/**
 * Exit codes of the `certdesk` command, as `../shared/cli.md` defines them.
 */
import { type ErrorCode } from '../../shared/errors.js';

/** Exit statuses. */
export const EXIT = {
  ok: 0,
  /** A check ran and its answer is "no" (chain invalid, key does not match). */
  no: 1,
  /** Bad input or usage. */
  usage: 2,
  /** A remote provider failed. */
  provider: 3,
  /** The OS keychain is unavailable. */
  keychain: 4,
  /** A bug in Certdesk (not in the contract's list; never used for expected failures). */
  internal: 70,
} as const;

/** The exit status for a CertdeskError code. */
export function exitCodeFor(code: ErrorCode): number {
  if (code === 'KEYCHAIN_UNAVAILABLE' || code === 'VAULT_KEK_MISMATCH') return EXIT.keychain;
  if (code.startsWith('PROVIDER_')) return EXIT.provider;
  if (code === 'INTERNAL') return EXIT.internal;
  return EXIT.usage;
}
