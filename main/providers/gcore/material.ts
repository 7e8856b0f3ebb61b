/**
 * Certificate material in the shapes Gcore expects (providers.md §3).
 *
 * - The chain: leaf first, then each issuer (leaf → intermediate → root, the order the web
 *   security docs ask for), one PEM block after another separated by "\n", ending in a
 *   newline (the docs want an empty line at the end). Blocks are re-encoded from their DER, so
 *   CRLF, stray text and "Bag Attributes" never reach the provider.
 * - The key: PEM `BEGIN PRIVATE KEY` (PKCS#8). PKCS#1 (`BEGIN RSA PRIVATE KEY`) and SEC1
 *   (`BEGIN EC PRIVATE KEY`) keys are converted with Node's crypto. The key is checked against
 *   the leaf before anything is sent. Key text never appears in an error.
 */
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { CertdeskError } from '../../../shared/errors.js';
import { parsePem } from '../../pki/pem.js';
import type { UploadedMaterial } from '../types.js';

/** The material ready for Gcore. */
export interface GcoreMaterial {
  /** Leaf → intermediates → root, "\n"-separated PEM blocks, ending in "\n". */
  readonly chainPem: string;
  /** PKCS#8 PEM, or undefined when the material has no key. */
  readonly privateKeyPem: string | undefined;
  readonly leaf: X509Certificate;
  /** Lowercase hex SHA-256 of the leaf's DER. */
  readonly leafSha256: string;
  /** The leaf's notAfter as ISO 8601 UTC (no milliseconds). */
  readonly leafNotAfter: string;
}

function certificates(pem: string, what: string): X509Certificate[] {
  return parsePem(pem, what)
    .filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE')
    .map((b) => {
      try {
        return new X509Certificate(b.der);
      } catch {
        throw new CertdeskError('CERTIFICATE_INVALID', `Block ${b.index} of ${what} is not a valid X.509 certificate`, { file: what });
      }
    });
}

/** Leaf first, then each certificate's issuer in turn; certificates that link to nothing follow in their given order. */
export function orderChain(leaf: X509Certificate, rest: readonly X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>([leaf.fingerprint256]);
  const pool = rest.filter((c) => {
    if (seen.has(c.fingerprint256)) return false;
    seen.add(c.fingerprint256);
    return true;
  });
  const ordered = [leaf];
  for (let current = leaf; ; ) {
    if (current.checkIssued(current)) break; // self-signed: the root ends the chain
    const next = pool.findIndex((c) => current.checkIssued(c));
    if (next < 0) break;
    const [issuer] = pool.splice(next, 1);
    if (issuer === undefined) break;
    ordered.push(issuer);
    current = issuer;
  }
  return [...ordered, ...pool];
}

/** The private key as PKCS#8 PEM; throws KEY_INVALID / PASSWORD_REQUIRED without echoing the key. */
export function pkcs8PrivateKeyPem(privateKeyPem: string): { pem: string; key: KeyObject } {
  const encrypted = new CertdeskError('PASSWORD_REQUIRED', 'The private key is encrypted; Gcore needs the key unencrypted, so unlock it in Certdesk first');
  // Node reports a missing passphrase as "interrupted or cancelled"; recognise encryption by its PEM form.
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED/i.test(privateKeyPem)) throw encrypted;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MISSING_PASSPHRASE' || /passphrase|encrypted/i.test(String((error as Error).message))) throw encrypted;
    throw new CertdeskError('KEY_INVALID', 'The private key could not be read (expected a PEM private key)');
  }
  return { pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), key };
}

/** Builds the chain (and key) for Gcore; checks the key belongs to the leaf. */
export function gcoreMaterial(material: UploadedMaterial, options: { requireKey: boolean }): GcoreMaterial {
  const given = certificates(material.certificatePem, 'the certificate');
  const leaf = given[0];
  if (leaf === undefined) throw new CertdeskError('INVALID_ARGUMENT', 'The certificate material holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  const chain = orderChain(leaf, [...given.slice(1), ...(material.chainPem !== undefined ? certificates(material.chainPem, 'the chain') : [])]);
  const chainPem = chain.map((c) => c.toString().trimEnd()).join('\n') + '\n';
  let privateKeyPem: string | undefined;
  if (material.privateKeyPem !== undefined) {
    const { pem, key } = pkcs8PrivateKeyPem(material.privateKeyPem);
    if (!leaf.checkPrivateKey(key)) {
      throw new CertdeskError('KEY_MISMATCH', `The private key does not belong to the certificate for ${leaf.subject.replace(/\n/g, ', ')}`);
    }
    privateKeyPem = pem;
  } else if (options.requireKey) {
    throw new CertdeskError('INVALID_ARGUMENT', 'Gcore needs the private key together with the certificate');
  }
  return {
    chainPem,
    privateKeyPem,
    leaf,
    leafSha256: createHash('sha256').update(leaf.raw).digest('hex'),
    leafNotAfter: new Date(leaf.validTo).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** SHA-256 (hex), subject, validity and PEM of the first certificate in `pem`, or null when there is none. */
export function describeFirstCertificate(pem: string): { sha256: string; subject: string; notBefore: string; notAfter: string; pem: string } | null {
  try {
    const first = certificates(pem, 'the provider certificate')[0];
    if (first === undefined) return null;
    return {
      sha256: createHash('sha256').update(first.raw).digest('hex'),
      subject: first.subject.split('\n').reverse().join(', '),
      notBefore: new Date(first.validFrom).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      notAfter: new Date(first.validTo).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      pem: first.toString(),
    };
  } catch {
    return null;
  }
}
