/**
 * Certificates, private keys and CSRs → the `shared/pki-types.ts` shapes `inspect` prints.
 *
 * Certificates are decoded with the small DER walker in der.ts rather than Node's
 * X509Certificate: OpenSSL 3's decoders make `new X509Certificate` and `createPublicKey(spki)`
 * cost ~150 µs each, while everything `inspect` reports can be read straight from the DER. A key
 * object is only built when a self-issued certificate's signature has to be checked (RSA and
 * EdDSA keys through JWK import, which skips the slow decoder path).
 */
import { constants, createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { CertdeskError } from '../../shared/errors.js';
import type { CertificateInfo, CertificateRole, CsrInfo, ObjectInfo, PrivateKeyInfo, PublicKeyInfo, San } from '../../shared/pki-types.js';
import {
  DerError,
  TAG,
  algorithm,
  bitString,
  children,
  content,
  ctxTag,
  decodeTime,
  expect,
  intBitLength,
  intHex,
  oid,
  raw,
  readTlv,
  seq,
  smallInt,
  toBuffer,
  type Tlv,
} from './der.js';
import { describePublicKey, normaliseCurveName, spkiSha256 } from './keys.js';
import { canonicalName, formatGeneralName, formatName } from './names.js';
import type { PkiObject, PrivateKeyObject } from './objects.js';

// ---------------------------------------------------------------------------------------------
// Algorithm names

interface SigAlg {
  /** OpenSSL's long name. */
  readonly name: string;
  readonly scheme: 'rsa' | 'pss' | 'ecdsa' | 'eddsa' | 'dsa' | 'none';
  /** Node digest name (null for EdDSA). */
  readonly digest: string | null;
}

const SIG_ALGS: Readonly<Record<string, SigAlg>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', scheme: 'rsa', digest: 'md2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', scheme: 'rsa', digest: 'md4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', scheme: 'rsa', digest: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', scheme: 'rsa', digest: 'sha1' },
  '1.2.840.113549.1.1.10': { name: 'rsassaPss', scheme: 'pss', digest: null },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', scheme: 'rsa', digest: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', scheme: 'rsa', digest: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', scheme: 'rsa', digest: 'sha512' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', scheme: 'rsa', digest: 'sha224' },
  '1.2.840.113549.1.1.15': { name: 'sha512-224WithRSAEncryption', scheme: 'rsa', digest: 'sha512-224' },
  '1.2.840.113549.1.1.16': { name: 'sha512-256WithRSAEncryption', scheme: 'rsa', digest: 'sha512-256' },
  '1.3.14.3.2.29': { name: 'sha1WithRSA', scheme: 'rsa', digest: 'sha1' },
  '1.3.14.3.2.3': { name: 'md5WithRSA', scheme: 'rsa', digest: 'md5' },
  '2.16.840.1.101.3.4.3.13': { name: 'RSA-SHA3-224', scheme: 'rsa', digest: 'sha3-224' },
  '2.16.840.1.101.3.4.3.14': { name: 'RSA-SHA3-256', scheme: 'rsa', digest: 'sha3-256' },
  '2.16.840.1.101.3.4.3.15': { name: 'RSA-SHA3-384', scheme: 'rsa', digest: 'sha3-384' },
  '2.16.840.1.101.3.4.3.16': { name: 'RSA-SHA3-512', scheme: 'rsa', digest: 'sha3-512' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', scheme: 'ecdsa', digest: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', scheme: 'ecdsa', digest: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', scheme: 'ecdsa', digest: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', scheme: 'ecdsa', digest: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', scheme: 'ecdsa', digest: 'sha512' },
  '2.16.840.1.101.3.4.3.9': { name: 'ecdsa_with_SHA3-224', scheme: 'ecdsa', digest: 'sha3-224' },
  '2.16.840.1.101.3.4.3.10': { name: 'ecdsa_with_SHA3-256', scheme: 'ecdsa', digest: 'sha3-256' },
  '2.16.840.1.101.3.4.3.11': { name: 'ecdsa_with_SHA3-384', scheme: 'ecdsa', digest: 'sha3-384' },
  '2.16.840.1.101.3.4.3.12': { name: 'ecdsa_with_SHA3-512', scheme: 'ecdsa', digest: 'sha3-512' },
  '1.3.101.112': { name: 'ED25519', scheme: 'eddsa', digest: null },
  '1.3.101.113': { name: 'ED448', scheme: 'eddsa', digest: null },
  '1.2.840.10040.4.3': { name: 'dsaWithSHA1', scheme: 'dsa', digest: 'sha1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa_with_SHA224', scheme: 'dsa', digest: 'sha224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa_with_SHA256', scheme: 'dsa', digest: 'sha256' },
  '2.16.840.1.101.3.4.3.3': { name: 'dsa_with_SHA384', scheme: 'dsa', digest: 'sha384' },
  '2.16.840.1.101.3.4.3.4': { name: 'dsa_with_SHA512', scheme: 'dsa', digest: 'sha512' },
  '1.2.156.10197.1.501': { name: 'SM2-with-SM3', scheme: 'none', digest: null },
  '1.2.840.113549.1.1.1': { name: 'rsaEncryption', scheme: 'none', digest: null },
};

const HASH_OIDS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.5': 'sha512-224',
  '2.16.840.1.101.3.4.2.6': 'sha512-256',
  '2.16.840.1.101.3.4.2.8': 'sha3-256',
  '2.16.840.1.101.3.4.2.9': 'sha3-384',
  '2.16.840.1.101.3.4.2.10': 'sha3-512',
};

const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

const EKU_NAMES: Readonly<Record<string, string>> = {
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

/** OpenSSL curve names for the named-curve OIDs whose description needs no key object. */
const FAST_CURVES: Readonly<Record<string, string>> = {
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.132.0.10': 'secp256k1',
};
const CURVE_BITS: Readonly<Record<string, number>> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, secp256k1: 256 };

const OID_RSA = '1.2.840.113549.1.1.1';
const OID_RSA_PSS = '1.2.840.113549.1.1.10';
const OID_EC = '1.2.840.10045.2.1';
const OID_ED25519 = '1.3.101.112';
const OID_ED448 = '1.3.101.113';
const OID_MGF1 = '1.2.840.113549.1.1.8';

/** OpenSSL's long name for a signature algorithm OID (the dotted OID when unknown). */
export function signatureAlgorithmName(algOid: string): string {
  return SIG_ALGS[algOid]?.name ?? algOid;
}

// ---------------------------------------------------------------------------------------------
// Public keys

/** A SubjectPublicKeyInfo: its description and a lazily built Node key. */
interface Spki {
  readonly der: Buffer;
  readonly algorithmOid: string;
  readonly info: PublicKeyInfo;
  /** A Node public key, or null when Node cannot load this key. */
  key(): KeyObject | null;
}

const b64url = (b: Buffer): string => b.toString('base64url');

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** Describes a DER SubjectPublicKeyInfo the way keys.ts's describePublicKey describes a KeyObject. */
function readSpki(buf: Buffer, spkiT: Tlv): Spki {
  const der = raw(buf, spkiT);
  const [algT, bitsT] = children(buf, spkiT);
  const alg = algorithm(buf, algT, 'public key algorithm');
  let cached: KeyObject | null | undefined;
  let jwk: Record<string, string> | undefined;
  const fromSpki = (): KeyObject | null => {
    try {
      return createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      return null;
    }
  };
  const key = (): KeyObject | null => {
    if (cached !== undefined) return cached;
    if (jwk !== undefined) {
      try {
        cached = createPublicKey({ key: jwk, format: 'jwk' });
        return cached;
      } catch {
        // fall back to the SPKI decoder below
      }
    }
    cached = fromSpki();
    return cached;
  };
  let info: PublicKeyInfo | undefined;
  try {
    const { bytes } = bitString(buf, bitsT, 'public key');
    if (alg.oid === OID_RSA || alg.oid === OID_RSA_PSS) {
      const [n, e] = seq(bytes, readTlv(bytes, 0), 'RSA public key');
      const nT = expect(bytes, n, TAG.INTEGER, 'RSA modulus');
      const eT = expect(bytes, e, TAG.INTEGER, 'RSA exponent');
      const bits = intBitLength(bytes, nT);
      if (alg.oid === OID_RSA) {
        const eBytes = stripZeros(content(bytes, eT));
        info = { algorithm: 'RSA', bits, exponent: Number(BigInt(`0x${eBytes.toString('hex') || '0'}`)) };
        jwk = { kty: 'RSA', n: b64url(stripZeros(content(bytes, nT))), e: b64url(stripZeros(content(bytes, eT))) };
      } else {
        info = { algorithm: 'RSA-PSS', bits };
      }
    } else if (alg.oid === OID_EC && alg.params?.tag === TAG.OID) {
      const name = FAST_CURVES[oid(buf, alg.params)];
      if (name !== undefined) {
        const curve = normaliseCurveName(name);
        const bits = CURVE_BITS[curve];
        info = bits !== undefined ? { algorithm: 'EC', curve, bits } : { algorithm: 'EC', curve };
        // JWK import is about twice as fast as the SPKI decoder for P-256 (not for P-384/P-521).
        if (curve === 'P-256' && bytes.length === 65 && bytes[0] === 4) {
          jwk = { kty: 'EC', crv: 'P-256', x: b64url(bytes.subarray(1, 33)), y: b64url(bytes.subarray(33)) };
        }
      }
    } else if (alg.oid === OID_ED25519 || alg.oid === OID_ED448) {
      info = { algorithm: alg.oid === OID_ED25519 ? 'Ed25519' : 'Ed448' };
      jwk = { kty: 'OKP', crv: info.algorithm, x: b64url(bytes) };
    }
  } catch {
    // Damaged key bytes: let Node judge the key below.
    info = undefined;
    jwk = undefined;
  }
  if (info === undefined) {
    // Not a shape we read ourselves (other curves, DSA, damaged keys): ask Node.
    const k = key();
    const d = k === null ? undefined : describePublicKey(k);
    info = d === undefined || d.algorithm === 'unknown' ? { algorithm: 'unknown', oid: alg.oid } : d;
  }
  return { der, algorithmOid: alg.oid, info, key };
}

// ---------------------------------------------------------------------------------------------
// Signatures

/** Verifies `signature` over `data` under the AlgorithmIdentifier `algT`; false when it cannot. */
function verifySignature(buf: Buffer, algT: Tlv, data: Buffer, signature: Buffer, spki: Spki): boolean {
  try {
    const alg = algorithm(buf, algT, 'signature algorithm');
    const spec = SIG_ALGS[alg.oid];
    if (spec === undefined || spec.scheme === 'none') return false;
    const key = spki.key();
    if (key === null) return false;
    switch (spec.scheme) {
      case 'rsa':
        if (key.asymmetricKeyType !== 'rsa') return false;
        return cryptoVerify(spec.digest, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'pss': {
        if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return false;
        const pss = pssParams(buf, alg.params);
        if (pss === null) return false;
        return cryptoVerify(pss.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature);
      }
      case 'ecdsa':
        if (key.asymmetricKeyType !== 'ec') return false;
        return cryptoVerify(spec.digest, data, { key, dsaEncoding: 'der' }, signature);
      case 'dsa':
        if (key.asymmetricKeyType !== 'dsa') return false;
        return cryptoVerify(spec.digest, data, { key, dsaEncoding: 'der' }, signature);
      case 'eddsa':
        return cryptoVerify(null, data, key, signature);
    }
  } catch {
    return false;
  }
}

/** RSASSA-PSS-params (RFC 4055); null when Node cannot verify with them (MGF1 hash ≠ hash). */
function pssParams(buf: Buffer, params: Tlv | undefined): { hash: string; saltLength: number } | null {
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  if (params !== undefined && params.tag === TAG.SEQUENCE) {
    for (const c of children(buf, params)) {
      const [inner] = children(buf, c);
      if (c.tag === ctxTag(0, true)) {
        const h = HASH_OIDS[algorithm(buf, inner).oid];
        if (h === undefined) return null;
        hash = h;
      } else if (c.tag === ctxTag(1, true)) {
        const mgf = algorithm(buf, inner);
        if (mgf.oid !== OID_MGF1) return null;
        const h = HASH_OIDS[algorithm(buf, mgf.params).oid];
        if (h === undefined) return null;
        mgfHash = h;
      } else if (c.tag === ctxTag(2, true)) {
        saltLength = smallInt(buf, inner, 'PSS salt length');
      } else if (c.tag === ctxTag(3, true)) {
        if (smallInt(buf, inner, 'PSS trailer field') !== 1) return null;
      }
    }
  }
  return mgfHash === hash ? { hash, saltLength } : null;
}

// ---------------------------------------------------------------------------------------------
// Certificates

/** One extension: its OID, criticality and the DER inside its OCTET STRING. */
export interface CertExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extension value (the OCTET STRING's contents) as its own buffer view. */
  readonly value: Buffer;
}

/** The decoded layout of an X.509 certificate (RFC 5280 §4.1). */
export interface DecodedCertificate {
  readonly der: Buffer;
  readonly version: number;
  readonly tbs: Tlv;
  readonly serial: Tlv;
  readonly issuer: Tlv;
  readonly subject: Tlv;
  /** The issuer and subject as RFC 4514 strings. */
  readonly issuerName: string;
  readonly subjectName: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly spki: Tlv;
  readonly extensions: readonly CertExtension[];
  readonly signatureAlgorithm: Tlv;
  readonly signature: Buffer;
}

function certError(file: string, err: unknown, code: 'CERTIFICATE_INVALID' | 'CSR_INVALID', what: string): CertdeskError {
  if (err instanceof CertdeskError) return err;
  if (err instanceof DerError && err.truncated) return new CertdeskError('DER_TRUNCATED', `${file}: ${err.message}`, { file });
  const detail = err instanceof Error ? err.message : String(err);
  return new CertdeskError(code, `${file}: the ${what} is malformed (${detail})`, { file });
}

/**
 * Decodes a DER certificate's structure, checking every field's type.
 *
 * Throws CERTIFICATE_INVALID (or DER_TRUNCATED) naming `fileName`.
 */
export function decodeCertificate(der: Uint8Array, fileName = 'certificate'): DecodedCertificate {
  const buf = toBuffer(der);
  try {
    const top = readTlv(buf, 0);
    if (top.end !== buf.length) throw new DerError(`${buf.length - top.end} unexpected bytes follow the certificate`, false);
    const [tbs, sigAlg, sigT, extra] = seq(buf, top, 'certificate');
    if (extra !== undefined) throw new DerError('the certificate has more than three parts', false);
    const sigAlgorithm = expect(buf, sigAlg, TAG.SEQUENCE, 'signature algorithm');
    const sig = bitString(buf, sigT, 'signature');
    const f = seq(buf, tbs, 'tbsCertificate');
    let i = 0;
    let version = 1;
    if (f[0]?.tag === ctxTag(0, true)) {
      const v = smallInt(buf, children(buf, f[0])[0], 'version');
      if (v > 2) throw new DerError(`version ${v + 1} is not an X.509 version`, false);
      version = v + 1;
      i = 1;
    }
    const serial = expect(buf, f[i++], TAG.INTEGER, 'serial number');
    const serialNumber = intHex(buf, serial, 'serial number');
    algorithm(buf, f[i++], 'tbs signature algorithm');
    const issuer = expect(buf, f[i++], TAG.SEQUENCE, 'issuer');
    const issuerName = formatName(buf, issuer);
    const [nb, na] = seq(buf, f[i++], 'validity');
    const notBefore = decodeTime(buf, nb, 'notBefore');
    const notAfter = decodeTime(buf, na, 'notAfter');
    const subject = expect(buf, f[i++], TAG.SEQUENCE, 'subject');
    const subjectName = formatName(buf, subject);
    const spki = checkSpki(buf, f[i++]);
    algorithm(buf, sigAlgorithm, 'signature algorithm');
    const extensions: CertExtension[] = [];
    for (; i < f.length; i++) {
      const t = f[i] as Tlv;
      if (t.tag === ctxTag(3, true)) {
        for (const ext of seq(buf, children(buf, t)[0], 'extensions')) extensions.push(readExtension(buf, ext));
      } else if ((t.tag & 0xdf) !== ctxTag(1, false) && (t.tag & 0xdf) !== ctxTag(2, false)) {
        throw new DerError(`unexpected field with tag 0x${t.tag.toString(16)} in tbsCertificate`, false);
      }
    }
    return {
      der: buf,
      version,
      tbs: tbs as Tlv,
      serial,
      issuer,
      subject,
      issuerName,
      subjectName,
      serialNumber,
      notBefore,
      notAfter,
      spki,
      extensions,
      signatureAlgorithm: sigAlgorithm,
      signature: sig.bytes,
    };
  } catch (err) {
    throw certError(fileName, err, 'CERTIFICATE_INVALID', 'certificate');
  }
}

/** Checks a SubjectPublicKeyInfo's outer shape (AlgorithmIdentifier and BIT STRING). */
function checkSpki(buf: Buffer, t: Tlv | undefined): Tlv {
  const [algT, bits, extra] = seq(buf, t, 'subjectPublicKeyInfo');
  algorithm(buf, algT, 'public key algorithm');
  bitString(buf, bits, 'public key');
  if (extra !== undefined) throw new DerError('subjectPublicKeyInfo has more than two parts', false);
  return t as Tlv;
}

function readExtension(buf: Buffer, ext: Tlv): CertExtension {
  const [idT, second, third] = seq(buf, ext, 'extension');
  const id = oid(buf, idT, 'extension id');
  let critical = false;
  let valueT = second;
  if (second?.tag === TAG.BOOLEAN) {
    critical = buf[second.valueStart] !== 0;
    valueT = third;
  }
  return { oid: id, critical, value: content(buf, expect(buf, valueT, TAG.OCTET_STRING, 'extension value')) };
}

/** Parsed extension values `inspect` reports; a malformed extension is left out, not fatal. */
interface ExtensionFacts {
  sans: San[];
  isCA: boolean;
  pathLength: number | null;
  keyUsage: string[];
  extendedKeyUsage: string[];
  subjectKeyIdentifier: string | null;
  authorityKeyIdentifier: string | null;
  ocsp: string[];
  caIssuers: string[];
  crlDistributionPoints: string[];
}

function readExtensions(extensions: readonly CertExtension[]): ExtensionFacts {
  const facts: ExtensionFacts = {
    sans: [],
    isCA: false,
    pathLength: null,
    keyUsage: [],
    extendedKeyUsage: [],
    subjectKeyIdentifier: null,
    authorityKeyIdentifier: null,
    ocsp: [],
    caIssuers: [],
    crlDistributionPoints: [],
  };
  const seen = new Set<string>();
  for (const ext of extensions) {
    if (seen.has(ext.oid)) continue;
    seen.add(ext.oid);
    const v = ext.value;
    try {
      const top = (): Tlv => {
        const t = readTlv(v, 0);
        if (t.end !== v.length) throw new DerError('trailing bytes in extension', false);
        return t;
      };
      switch (ext.oid) {
        case '2.5.29.17':
          facts.sans = seq(v, top(), 'subjectAltName').map((gn) => formatGeneralName(v, gn));
          break;
        case '2.5.29.19': {
          const c = seq(v, top(), 'basicConstraints');
          let j = 0;
          let ca = false;
          if (c[0]?.tag === TAG.BOOLEAN) {
            ca = v[c[0].valueStart] !== 0;
            j = 1;
          }
          facts.isCA = ca;
          facts.pathLength = ca && c[j] !== undefined ? Math.min(smallInt(v, c[j], 'pathLenConstraint'), Number.MAX_SAFE_INTEGER) : null;
          break;
        }
        case '2.5.29.15': {
          const { bytes } = bitString(v, top(), 'keyUsage');
          facts.keyUsage = KEY_USAGE_NAMES.filter((_, bit) => (((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) === 1);
          break;
        }
        case '2.5.29.37':
          facts.extendedKeyUsage = seq(v, top(), 'extKeyUsage').map((t) => {
            const o = oid(v, t);
            return EKU_NAMES[o] ?? o;
          });
          break;
        case '2.5.29.14':
          facts.subjectKeyIdentifier = content(v, expect(v, top(), TAG.OCTET_STRING, 'subjectKeyIdentifier')).toString('hex');
          break;
        case '2.5.29.35': {
          const kid = seq(v, top(), 'authorityKeyIdentifier').find((t) => t.tag === ctxTag(0, false));
          facts.authorityKeyIdentifier = kid === undefined ? null : content(v, kid).toString('hex');
          break;
        }
        case '1.3.6.1.5.5.7.1.1':
          for (const ad of seq(v, top(), 'authorityInfoAccess')) {
            const [methodT, locT] = seq(v, ad, 'AccessDescription');
            const method = oid(v, methodT);
            if (locT === undefined || locT.tag !== ctxTag(6, false)) continue;
            const uri = content(v, locT).toString('latin1');
            if (method === '1.3.6.1.5.5.7.48.1') facts.ocsp.push(uri);
            else if (method === '1.3.6.1.5.5.7.48.2') facts.caIssuers.push(uri);
          }
          break;
        case '2.5.29.31':
          for (const dp of seq(v, top(), 'cRLDistributionPoints')) {
            const dpName = seq(v, dp, 'DistributionPoint').find((t) => t.tag === ctxTag(0, true));
            if (dpName === undefined) continue;
            for (const choice of children(v, dpName)) {
              if (choice.tag !== ctxTag(0, true)) continue;
              for (const gn of children(v, choice)) {
                if (gn.tag === ctxTag(6, false)) facts.crlDistributionPoints.push(content(v, gn).toString('latin1'));
              }
            }
          }
          break;
        default:
          break;
      }
    } catch {
      // A damaged extension is reported as absent; lint flags the damage.
    }
  }
  return facts;
}

function sameName(buf: Buffer, a: Tlv, b: Tlv): boolean {
  if (a.end - a.start === b.end - b.start && raw(buf, a).equals(raw(buf, b))) return true;
  try {
    return canonicalName(buf, a) === canonicalName(buf, b);
  } catch {
    return false;
  }
}

function role(isCA: boolean, selfSigned: boolean): CertificateRole {
  if (!isCA) return 'leaf';
  return selfSigned ? 'root' : 'intermediate';
}

/**
 * Everything `inspect` reports about a DER certificate.
 *
 * `warnings` is left empty: lint findings are attached by the caller (describe.ts).
 */
export function inspectCertificate(der: Uint8Array, fileName = 'certificate'): CertificateInfo {
  const c = decodeCertificate(der, fileName);
  const buf = c.der;
  try {
    const facts = readExtensions(c.extensions);
    const spki = readSpki(buf, c.spki);
    const selfIssued = sameName(buf, c.subject, c.issuer);
    const selfSigned = selfIssued && verifySignature(buf, c.signatureAlgorithm, raw(buf, c.tbs), c.signature, spki);
    const algOid = algorithm(buf, c.signatureAlgorithm, 'signature algorithm').oid;
    return {
      kind: 'certificate',
      role: role(facts.isCA, selfSigned),
      subject: c.subjectName,
      issuer: c.issuerName,
      sans: facts.sans,
      serialNumber: c.serialNumber,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      fingerprints: {
        sha256: createHash('sha256').update(buf).digest('hex'),
        sha1: createHash('sha1').update(buf).digest('hex'),
      },
      spkiSha256: createHash('sha256').update(spki.der).digest('hex'),
      publicKey: spki.info,
      signatureAlgorithm: signatureAlgorithmName(algOid),
      isCA: facts.isCA,
      pathLength: facts.pathLength,
      keyUsage: facts.keyUsage,
      extendedKeyUsage: facts.extendedKeyUsage,
      subjectKeyIdentifier: facts.subjectKeyIdentifier,
      authorityKeyIdentifier: facts.authorityKeyIdentifier,
      ocsp: facts.ocsp,
      caIssuers: facts.caIssuers,
      crlDistributionPoints: facts.crlDistributionPoints,
      selfSigned,
      version: c.version,
      warnings: [],
    };
  } catch (err) {
    throw certError(fileName, err, 'CERTIFICATE_INVALID', 'certificate');
  }
}

/**
 * Where a certificate sits in a chain, from the certificate alone: root = self-issued and
 * self-signed CA, intermediate = any other CA, leaf otherwise.
 */
export function classifyCertificate(der: Uint8Array): CertificateRole {
  const c = decodeCertificate(der);
  const buf = c.der;
  const { isCA } = readExtensions(c.extensions);
  if (!isCA) return 'leaf';
  const selfSigned =
    sameName(buf, c.subject, c.issuer) && verifySignature(buf, c.signatureAlgorithm, raw(buf, c.tbs), c.signature, readSpki(buf, c.spki));
  return role(isCA, selfSigned);
}

// ---------------------------------------------------------------------------------------------
// CSRs

/** The decoded layout of a PKCS#10 CertificationRequest (RFC 2986). */
export interface DecodedCsr {
  readonly der: Buffer;
  readonly info: Tlv;
  readonly subject: Tlv;
  readonly subjectName: string;
  readonly spki: Tlv;
  readonly attributes: readonly Tlv[];
  readonly signatureAlgorithm: Tlv;
  readonly signature: Buffer;
}

/** Decodes a DER CSR's structure; throws CSR_INVALID (or DER_TRUNCATED) naming `fileName`. */
export function decodeCsr(der: Uint8Array, fileName = 'CSR'): DecodedCsr {
  const buf = toBuffer(der);
  try {
    const top = readTlv(buf, 0);
    if (top.end !== buf.length) throw new DerError(`${buf.length - top.end} unexpected bytes follow the CSR`, false);
    const [info, sigAlg, sigT, extra] = seq(buf, top, 'CertificationRequest');
    if (extra !== undefined) throw new DerError('the CSR has more than three parts', false);
    const signatureAlgorithm = expect(buf, sigAlg, TAG.SEQUENCE, 'signature algorithm');
    const sig = bitString(buf, sigT, 'signature');
    const [version, subject, spki, attrs] = seq(buf, info, 'CertificationRequestInfo');
    smallInt(buf, version, 'CSR version');
    const subjectName = formatName(buf, expect(buf, subject, TAG.SEQUENCE, 'subject'));
    checkSpki(buf, spki);
    algorithm(buf, signatureAlgorithm, 'signature algorithm');
    const attributes = attrs === undefined ? [] : children(buf, expect(buf, attrs, ctxTag(0, true), 'attributes'));
    return {
      der: buf,
      info: info as Tlv,
      subject: subject as Tlv,
      subjectName,
      spki: spki as Tlv,
      attributes,
      signatureAlgorithm,
      signature: sig.bytes,
    };
  } catch (err) {
    throw certError(fileName, err, 'CSR_INVALID', 'CSR');
  }
}

const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const OID_MS_EXTENSION_REQUEST = '1.3.6.1.4.1.311.2.1.14';

/** What `inspect` reports about a DER CSR, with its signature really verified. */
export function inspectCsr(der: Uint8Array, fileName = 'CSR'): CsrInfo {
  const c = decodeCsr(der, fileName);
  const buf = c.der;
  try {
    const extensions: CertExtension[] = [];
    for (const attr of c.attributes) {
      try {
        const [typeT, valuesT] = seq(buf, attr, 'attribute');
        const type = oid(buf, typeT);
        if (type !== OID_EXTENSION_REQUEST && type !== OID_MS_EXTENSION_REQUEST) continue;
        const [exts] = seq(buf, valuesT, 'attribute values', TAG.SET);
        for (const ext of seq(buf, exts, 'extensions')) extensions.push(readExtension(buf, ext));
      } catch {
        // A damaged attribute is skipped like a damaged extension.
      }
    }
    const spki = readSpki(buf, c.spki);
    const algOid = algorithm(buf, c.signatureAlgorithm, 'signature algorithm').oid;
    return {
      kind: 'csr',
      subject: c.subjectName,
      sans: readExtensions(extensions).sans,
      publicKey: spki.info,
      spkiSha256: createHash('sha256').update(spki.der).digest('hex'),
      signatureAlgorithm: signatureAlgorithmName(algOid),
      signatureValid: verifySignature(buf, c.signatureAlgorithm, raw(buf, c.info), c.signature, spki),
      warnings: [],
    };
  } catch (err) {
    throw certError(fileName, err, 'CSR_INVALID', 'CSR');
  }
}

// ---------------------------------------------------------------------------------------------
// Keys and dispatch

/** What `inspect` reports about a private key (never the key itself). */
export function inspectPrivateKey(obj: PrivateKeyObject): PrivateKeyInfo {
  return {
    kind: 'private-key',
    publicKey: describePublicKey(obj.key),
    spkiSha256: spkiSha256(obj.key),
    encrypted: obj.encrypted,
    format: obj.format,
  };
}

/** Inspects any object `readMaterial` returns. */
export function inspectObject(obj: PkiObject): ObjectInfo {
  switch (obj.kind) {
    case 'certificate':
      return inspectCertificate(obj.der);
    case 'csr':
      return inspectCsr(obj.der);
    case 'private-key':
      return inspectPrivateKey(obj);
  }
}
