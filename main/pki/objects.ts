/**
 * The in-memory form of what `readMaterial` finds in a file.
 *
 * Certificates and CSRs stay as DER; private keys are Node `KeyObject`s that never leave main.
 */
import type { KeyObject } from 'node:crypto';
import type { PrivateKeyInfo } from '../../shared/pki-types.js';

/** A certificate as found in a file. */
export interface CertificateObject {
  readonly kind: 'certificate';
  readonly der: Buffer;
}

/** A private key as found in a file; `key` is a Node KeyObject of type 'private'. */
export interface PrivateKeyObject {
  readonly kind: 'private-key';
  readonly key: KeyObject;
  readonly format: PrivateKeyInfo['format'];
  readonly encrypted: boolean;
}

/** A PKCS#10 certificate signing request as found in a file. */
export interface CsrObject {
  readonly kind: 'csr';
  readonly der: Buffer;
}

/** Anything `readMaterial` returns. */
export type PkiObject = CertificateObject | PrivateKeyObject | CsrObject;

/** Options for reading one file's bytes. */
export interface ReadOptions {
  /** The name shown in error messages (a path or a label such as "pasted text"). */
  readonly fileName: string;
  /** Password for PKCS#12 and encrypted keys; `undefined` means none was given. */
  readonly password?: string;
}

/** The largest file Certdesk reads (10 MiB). */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;
