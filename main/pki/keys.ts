/**
 * Public-key facts shared by every PKI module: SPKI bytes, SPKI fingerprints, and a
 * human description (algorithm and size or curve).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { PublicKeyInfo } from '../../shared/pki-types.js';

const CURVE_NAMES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp256r1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp256k1: 'secp256k1',
};

const CURVE_BITS: Readonly<Record<string, number>> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, secp256k1: 256 };

/** The DER SubjectPublicKeyInfo of a public or private key. */
export function spkiDer(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' });
}

/** Lowercase hex SHA-256 of DER bytes. */
export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** Lowercase hex SHA-256 of a key's DER SubjectPublicKeyInfo (the key's identity everywhere in Certdesk). */
export function spkiSha256(key: KeyObject): string {
  return sha256Hex(spkiDer(key));
}

/** Maps OpenSSL/Node curve names to the NIST names people use (prime256v1 → P-256). */
export function normaliseCurveName(name: string): string {
  return CURVE_NAMES[name] ?? name;
}

/** Describes a key's algorithm and size or curve; never exposes key material. */
export function describePublicKey(key: KeyObject): PublicKeyInfo {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return {
        algorithm: 'RSA',
        bits: details.modulusLength ?? 0,
        ...(details.publicExponent !== undefined ? { exponent: Number(details.publicExponent) } : {}),
      };
    case 'rsa-pss':
      return { algorithm: 'RSA-PSS', bits: details.modulusLength ?? 0 };
    case 'ec': {
      const curve = normaliseCurveName(details.namedCurve ?? 'unknown');
      const bits = CURVE_BITS[curve];
      return bits !== undefined ? { algorithm: 'EC', curve, bits } : { algorithm: 'EC', curve };
    }
    case 'ed25519':
      return { algorithm: 'Ed25519' };
    case 'ed448':
      return { algorithm: 'Ed448' };
    default:
      return { algorithm: 'unknown', oid: key.asymmetricKeyType ?? 'unknown' };
  }
}
