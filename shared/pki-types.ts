/**
 * Plain data describing certificates, keys and CSRs, as the CLI prints them and the UI shows them.
 *
 * These shapes are the `inspect --json` contract in `../shared/cli.md`; extra fields are allowed,
 * renaming one is not. Hex strings are lowercase without separators; times are ISO 8601 UTC
 * without milliseconds (`2026-11-23T07:06:00Z`).
 */

/** A subjectAltName entry. */
export interface San {
  readonly type: 'dns' | 'ip' | 'email' | 'uri' | 'other';
  readonly value: string;
}

/** The public half of a key, as people talk about it. */
export type PublicKeyInfo =
  | { readonly algorithm: 'RSA'; readonly bits: number; readonly exponent?: number }
  | { readonly algorithm: 'RSA-PSS'; readonly bits: number }
  | { readonly algorithm: 'EC'; readonly curve: string; readonly bits?: number }
  | { readonly algorithm: 'Ed25519' | 'Ed448' }
  | { readonly algorithm: 'unknown'; readonly oid: string };

/** A lint finding or other remark with a stable code. */
export interface Finding {
  readonly code: string;
  readonly message: string;
  readonly severity?: 'error' | 'warning' | 'info';
}

/** Where a certificate sits in a chain, judged from the certificate alone. */
export type CertificateRole = 'leaf' | 'intermediate' | 'root';

/** Everything `inspect` reports about one certificate. */
export interface CertificateInfo {
  readonly kind: 'certificate';
  readonly role: CertificateRole;
  readonly subject: string;
  readonly issuer: string;
  readonly sans: readonly San[];
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly fingerprints: { readonly sha256: string; readonly sha1: string };
  readonly spkiSha256: string;
  readonly publicKey: PublicKeyInfo;
  readonly signatureAlgorithm: string;
  readonly isCA: boolean;
  readonly pathLength: number | null;
  readonly keyUsage: readonly string[];
  readonly extendedKeyUsage: readonly string[];
  readonly subjectKeyIdentifier: string | null;
  readonly authorityKeyIdentifier: string | null;
  readonly ocsp: readonly string[];
  readonly caIssuers: readonly string[];
  readonly crlDistributionPoints: readonly string[];
  readonly selfSigned: boolean;
  readonly version: number;
  readonly warnings: readonly Finding[];
}

/** What `inspect` reports about a private key (never the key itself). */
export interface PrivateKeyInfo {
  readonly kind: 'private-key';
  readonly publicKey: PublicKeyInfo;
  readonly spkiSha256: string;
  readonly encrypted: boolean;
  readonly format: 'pkcs8' | 'pkcs8-encrypted' | 'pkcs1' | 'sec1' | 'legacy-encrypted-pem' | 'pkcs12';
}

/** What `inspect` reports about a certificate signing request. */
export interface CsrInfo {
  readonly kind: 'csr';
  readonly subject: string;
  readonly sans: readonly San[];
  readonly publicKey: PublicKeyInfo;
  readonly spkiSha256: string;
  readonly signatureAlgorithm: string;
  readonly signatureValid: boolean;
  readonly warnings: readonly Finding[];
}

/** One inspected object. */
export type ObjectInfo = CertificateInfo | PrivateKeyInfo | CsrInfo;

/** Key types Certdesk generates. */
export const KEY_TYPES = ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384'] as const;
/** One of the key types Certdesk generates. */
export type KeyType = (typeof KEY_TYPES)[number];

/** Subject fields for CSRs and self-signed certificates. */
export interface SubjectFields {
  readonly commonName: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly locality?: string;
  readonly state?: string;
  readonly country?: string;
  readonly email?: string;
}
