/**
 * Which key, certificate and CSR belong together: all three are compared by their public key
 * (SubjectPublicKeyInfo). A mismatch is `false`; only malformed input throws.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { CertdeskError } from '../../shared/errors.js';
import { DerReadError, TAG, readChildren, readElement, readWhole, type DerElement } from './der.js';
import { sha256Hex, spkiDer } from './keys.js';

/** Optional labels used in error messages (a path or "pasted text"). */
export interface MatchNames {
  readonly certificate?: string;
  readonly csr?: string;
}

function child(children: readonly DerElement[], index: number, tag: number): DerElement {
  const element = children[index];
  if (element === undefined || element.tag !== tag) throw new DerReadError(`unexpected structure at element ${index}`);
  return element;
}

/**
 * The DER SubjectPublicKeyInfo inside a certificate (RFC 5280 TBSCertificate.subjectPublicKeyInfo).
 * CERTIFICATE_INVALID when the bytes are not a certificate.
 */
export function spkiOfCertificate(der: Buffer, fileName = 'the certificate'): Buffer {
  try {
    const cert = readWhole(der, TAG.SEQUENCE);
    const [tbs, algorithm, signature, ...extra] = readChildren(der, cert);
    if (tbs?.tag !== TAG.SEQUENCE || algorithm?.tag !== TAG.SEQUENCE || signature?.tag !== TAG.BIT_STRING || extra.length > 0) {
      throw new DerReadError('not a Certificate');
    }
    const fields = readChildren(der, tbs);
    const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version, absent for v1
    child(fields, offset, TAG.INTEGER); // serialNumber
    child(fields, offset + 1, TAG.SEQUENCE); // signature
    child(fields, offset + 2, TAG.SEQUENCE); // issuer
    child(fields, offset + 3, TAG.SEQUENCE); // validity
    child(fields, offset + 4, TAG.SEQUENCE); // subject
    const spki = child(fields, offset + 5, TAG.SEQUENCE);
    checkSpkiShape(der, spki);
    return Buffer.from(spki.encoded);
  } catch (err) {
    if (!(err instanceof DerReadError)) throw err;
    throw new CertdeskError('CERTIFICATE_INVALID', `${fileName} is not a valid DER certificate (${err.message}).`, { file: fileName }, { cause: err });
  }
}

/**
 * The DER SubjectPublicKeyInfo inside a PKCS#10 CSR (RFC 2986 CertificationRequestInfo.subjectPKInfo).
 * CSR_INVALID when the bytes are not a CSR.
 */
export function spkiOfCsr(der: Buffer, fileName = 'the CSR'): Buffer {
  try {
    const csr = readWhole(der, TAG.SEQUENCE);
    const [info, algorithm, signature, ...extra] = readChildren(der, csr);
    if (info?.tag !== TAG.SEQUENCE || algorithm?.tag !== TAG.SEQUENCE || signature?.tag !== TAG.BIT_STRING || extra.length > 0) {
      throw new DerReadError('not a CertificationRequest');
    }
    const fields = readChildren(der, info);
    child(fields, 0, TAG.INTEGER); // version
    child(fields, 1, TAG.SEQUENCE); // subject
    const spki = child(fields, 2, TAG.SEQUENCE);
    if (fields[3]?.tag !== 0xa0 || fields.length !== 4) throw new DerReadError('missing or misplaced attributes');
    checkSpkiShape(der, spki);
    return Buffer.from(spki.encoded);
  } catch (err) {
    if (!(err instanceof DerReadError)) throw err;
    throw new CertdeskError('CSR_INVALID', `${fileName} is not a valid DER certificate signing request (${err.message}).`, { file: fileName }, { cause: err });
  }
}

function checkSpkiShape(buf: Buffer, spki: DerElement): void {
  const parts = readChildren(buf, spki);
  if (parts.length !== 2 || parts[0]?.tag !== TAG.SEQUENCE || parts[1]?.tag !== TAG.BIT_STRING) {
    throw new DerReadError('malformed SubjectPublicKeyInfo');
  }
}

/** The key bytes inside a SubjectPublicKeyInfo's BIT STRING (what key identifiers hash). */
export function publicKeyBitsOfSpki(spki: Buffer): Buffer {
  const outer = readWhole(spki, TAG.SEQUENCE);
  const algorithm = readElement(spki, outer.contentStart, outer.end);
  const bits = readElement(spki, algorithm.end, outer.end);
  if (bits.tag !== TAG.BIT_STRING || bits.content[0] !== 0) throw new DerReadError('malformed subjectPublicKey');
  return Buffer.from(bits.content.subarray(1));
}

function keyFromSpki(spki: Buffer, code: 'CERTIFICATE_INVALID' | 'CSR_INVALID', fileName: string): KeyObject {
  try {
    return createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (err) {
    throw new CertdeskError(
      code === 'CSR_INVALID' ? 'CSR_INVALID' : 'UNSUPPORTED_ALGORITHM',
      `The public key in ${fileName} cannot be read (unsupported or malformed key).`,
      { file: fileName },
      { cause: err },
    );
  }
}

/** The public key of a DER certificate. */
export function publicKeyOfCertificate(der: Buffer, fileName = 'the certificate'): KeyObject {
  return keyFromSpki(spkiOfCertificate(der, fileName), 'CERTIFICATE_INVALID', fileName);
}

/** The public key of a DER PKCS#10 CSR. */
export function publicKeyOfCsr(der: Buffer, fileName = 'the CSR'): KeyObject {
  return keyFromSpki(spkiOfCsr(der, fileName), 'CSR_INVALID', fileName);
}

/** SHA-256 (hex) of the SPKI as Node re-encodes it — the same value `spkiSha256(key)` gives; raw bytes when Node cannot read the key. */
function canonicalSpkiSha256(spki: Buffer): string {
  try {
    return sha256Hex(spkiDer(createPublicKey({ key: spki, format: 'der', type: 'spki' })));
  } catch {
    return sha256Hex(spki);
  }
}

/** The SPKI SHA-256 of a DER certificate's public key, comparable with `spkiSha256(key)` from keys.ts. */
export function spkiSha256OfCertificate(der: Buffer, fileName = 'the certificate'): string {
  return canonicalSpkiSha256(spkiOfCertificate(der, fileName));
}

/** The SPKI SHA-256 of a DER CSR's public key, comparable with `spkiSha256(key)` from keys.ts. */
export function spkiSha256OfCsr(der: Buffer, fileName = 'the CSR'): string {
  return canonicalSpkiSha256(spkiOfCsr(der, fileName));
}

function publicOf(key: KeyObject): KeyObject {
  if (key.type === 'secret') throw new CertdeskError('KEY_INVALID', 'A secret (symmetric) key has no public key to compare.');
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** True when two SPKIs hold the same public key (byte-equal, or equal once decoded, e.g. compressed vs uncompressed EC points). */
function sameKey(a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  try {
    return sameKeyObject(createPublicKey({ key: a, format: 'der', type: 'spki' }), createPublicKey({ key: b, format: 'der', type: 'spki' }));
  } catch {
    return false;
  }
}

// KeyObject.equals on keys of different types returns false but, on Node 20, leaves an error on
// OpenSSL's queue, so the next unrelated call (e.g. createPrivateKey of a PEM) then throws
// "different key types". Only ever compare keys of the same type and curve.
function sameKeyObject(a: KeyObject, b: KeyObject): boolean {
  if (a.asymmetricKeyType !== b.asymmetricKeyType) return false;
  if (a.asymmetricKeyDetails?.namedCurve !== b.asymmetricKeyDetails?.namedCurve) return false;
  return a.equals(b);
}

function keyMatchesSpki(key: KeyObject, spki: Buffer): boolean {
  const pub = publicOf(key);
  if (spkiDer(pub).equals(spki)) return true;
  try {
    return sameKeyObject(pub, createPublicKey({ key: spki, format: 'der', type: 'spki' }));
  } catch {
    return false;
  }
}

/** True when `key` (private or public) is the key of the DER certificate. */
export function matchKeyToCertificate(key: KeyObject, certDer: Buffer, names: MatchNames = {}): boolean {
  return keyMatchesSpki(key, spkiOfCertificate(certDer, names.certificate));
}

/** True when `key` (private or public) is the key of the DER CSR. */
export function matchKeyToCsr(key: KeyObject, csrDer: Buffer, names: MatchNames = {}): boolean {
  return keyMatchesSpki(key, spkiOfCsr(csrDer, names.csr));
}

/** True when the DER CSR and the DER certificate carry the same public key. */
export function matchCsrToCertificate(csrDer: Buffer, certDer: Buffer, names: MatchNames = {}): boolean {
  return sameKey(spkiOfCsr(csrDer, names.csr), spkiOfCertificate(certDer, names.certificate));
}
