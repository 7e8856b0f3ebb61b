/**
 * PKCS#10 certificate signing requests (RFC 2986) for every key type Certdesk generates, built
 * with the small DER writer and signed with one synchronous native `crypto.sign`.
 *
 * Also holds what CSRs and self-signed certificates share: subject validation and encoding,
 * and the signature algorithm for a key (RSA: sha256WithRSAEncryption, PKCS#1 v1.5;
 * ECDSA: the hash that matches the curve — SHA-256 for P-256, SHA-384 for P-384, SHA-512 for
 * P-521, as RFC 5480 section 4 recommends and CAs expect; Ed25519/Ed448: PureEdDSA).
 */
import { KeyObject, sign, type JsonWebKey } from 'node:crypto';
import { CertdeskError } from '../../shared/errors.js';
import type { San, SubjectFields } from '../../shared/pki-types.js';
import {
  NULL,
  bitString,
  encodeDer,
  ia5String,
  implicitConstructed,
  integer,
  octetString,
  oid,
  printableString,
  sequence,
  setOf,
  utf8String,
  type Der,
} from './asn1-writer.js';
import { publicKeyOf } from './keygen.js';
import { ATTRIBUTE_NAMES } from './names.js';
import { pemBlock } from './pem.js';
import { encodeSans } from './san.js';

/** How a key signs: the digest name for `crypto.sign` and the encoded AlgorithmIdentifier. */
export interface SignatureScheme {
  readonly digest: string | null;
  /** The encoded AlgorithmIdentifier. */
  readonly algorithmIdentifier: Buffer;
  readonly name: string;
}

const SCHEMES = {
  rsaSha256: { digest: 'sha256', algorithmIdentifier: encodeDer(sequence(oid('1.2.840.113549.1.1.11'), NULL)), name: 'sha256WithRSAEncryption' },
  ecdsaSha256: { digest: 'sha256', algorithmIdentifier: encodeDer(sequence(oid('1.2.840.10045.4.3.2'))), name: 'ecdsa-with-SHA256' },
  ecdsaSha384: { digest: 'sha384', algorithmIdentifier: encodeDer(sequence(oid('1.2.840.10045.4.3.3'))), name: 'ecdsa-with-SHA384' },
  ecdsaSha512: { digest: 'sha512', algorithmIdentifier: encodeDer(sequence(oid('1.2.840.10045.4.3.4'))), name: 'ecdsa-with-SHA512' },
  ed25519: { digest: null, algorithmIdentifier: encodeDer(sequence(oid('1.3.101.112'))), name: 'Ed25519' },
  ed448: { digest: null, algorithmIdentifier: encodeDer(sequence(oid('1.3.101.113'))), name: 'Ed448' },
} satisfies Record<string, SignatureScheme>;

const RSA_ALGORITHM = encodeDer(sequence(oid('1.2.840.113549.1.1.1'), NULL));
const EC_PUBLIC_KEY = oid('1.2.840.10045.2.1');
const EC_POINT_PREFIX = Buffer.from([0x04]);

interface CurveInfo {
  readonly algorithm: Buffer;
  readonly scheme: SignatureScheme;
}

// Keyed by JWK "crv" names, which Node gives for the curves it can export as JWK.
const EC_CURVES: Readonly<Record<string, CurveInfo>> = {
  'P-256': { algorithm: encodeDer(sequence(EC_PUBLIC_KEY, oid('1.2.840.10045.3.1.7'))), scheme: SCHEMES.ecdsaSha256 },
  'P-384': { algorithm: encodeDer(sequence(EC_PUBLIC_KEY, oid('1.3.132.0.34'))), scheme: SCHEMES.ecdsaSha384 },
  'P-521': { algorithm: encodeDer(sequence(EC_PUBLIC_KEY, oid('1.3.132.0.35'))), scheme: SCHEMES.ecdsaSha512 },
  secp256k1: { algorithm: encodeDer(sequence(EC_PUBLIC_KEY, oid('1.3.132.0.10'))), scheme: SCHEMES.ecdsaSha256 },
};
const ED_ALGORITHMS: Readonly<Record<string, Buffer>> = {
  Ed25519: encodeDer(sequence(oid('1.3.101.112'))),
  Ed448: encodeDer(sequence(oid('1.3.101.113'))),
};

/** A private key ready to sign X.509 structures: how it signs and its public key. */
export interface Signer {
  readonly key: KeyObject;
  readonly scheme: SignatureScheme;
  /** DER SubjectPublicKeyInfo, byte-identical to Node's `spki` export. */
  readonly publicKeyInfo: Buffer;
  /** The key bytes inside the subjectPublicKey BIT STRING (for key identifiers). */
  readonly publicKeyBits: Buffer;
  /** RSA keys may also encipher keys (keyUsage keyEncipherment). */
  readonly isRsa: boolean;
}

function unsupported(what: string): CertdeskError {
  return new CertdeskError('UNSUPPORTED_ALGORITHM', `Cannot sign with ${what}: use an RSA or ECDSA (P-256, P-384) key.`);
}

function signer(key: KeyObject, scheme: SignatureScheme, algorithm: Buffer, bits: Buffer, isRsa = false): Signer {
  return { key, scheme, publicKeyInfo: encodeDer(sequence(algorithm, bitString(bits))), publicKeyBits: bits, isRsa };
}

/**
 * Checks `key` is a private key Certdesk can sign with and works out its signature scheme and
 * SubjectPublicKeyInfo.
 *
 * The SPKI is built from the PKCS#1 (RSA) or JWK (EC, EdDSA) export, and the curve read from the
 * JWK, because on OpenSSL 3 Node's `spki` export (~140 µs) and `asymmetricKeyDetails` on a fresh
 * EC key (~40 µs) each cost more than generating a P-256 key; these take a few microseconds.
 */
export function prepareSigner(key: KeyObject): Signer {
  if (!(key instanceof KeyObject) || key.type !== 'private') {
    throw new CertdeskError('INVALID_ARGUMENT', 'Signing needs a private key, but a public or secret key was given.');
  }
  const pub = publicKeyOf(key);
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return signer(key, SCHEMES.rsaSha256, RSA_ALGORITHM, pub.export({ type: 'pkcs1', format: 'der' }), true);
    case 'ec': {
      let jwk: JsonWebKey;
      try {
        jwk = pub.export({ format: 'jwk' });
      } catch {
        throw unsupported(`an EC key on curve ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown'}`);
      }
      const curve = jwk.crv === undefined ? undefined : EC_CURVES[jwk.crv];
      if (curve === undefined || jwk.x === undefined || jwk.y === undefined) {
        throw unsupported(`an EC key on curve ${jwk.crv ?? 'unknown'}`);
      }
      const point = Buffer.concat([EC_POINT_PREFIX, Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
      return signer(key, curve.scheme, curve.algorithm, point);
    }
    case 'ed25519':
    case 'ed448': {
      const jwk = pub.export({ format: 'jwk' });
      const algorithm = jwk.crv === undefined ? undefined : ED_ALGORITHMS[jwk.crv];
      if (algorithm === undefined || jwk.x === undefined) throw unsupported(`an ${key.asymmetricKeyType} key`);
      const scheme = key.asymmetricKeyType === 'ed25519' ? SCHEMES.ed25519 : SCHEMES.ed448;
      return signer(key, scheme, algorithm, Buffer.from(jwk.x, 'base64url'));
    }
    default:
      throw unsupported(`a ${key.asymmetricKeyType ?? 'unknown'} key`);
  }
}

/** Signs DER `data`; ECDSA signatures come out DER-encoded (Node's default), as X.509 wants. */
export function signDer(signer: Signer, data: Buffer): Buffer {
  return sign(signer.scheme.digest, data, signer.key);
}

/**
 * Encodes a to-be-signed structure, signs it and returns the DER of
 * SEQUENCE { tbs, signatureAlgorithm, signature BIT STRING } — the shape of both a CSR and a certificate.
 */
export function signStructure(signer: Signer, tbs: Der): Buffer {
  const tbsDer = encodeDer(tbs);
  return encodeDer(sequence(tbsDer, signer.scheme.algorithmIdentifier, bitString(signDer(signer, tbsDer))));
}

/** The DER SubjectPublicKeyInfo of a private key (see {@link prepareSigner}). */
export function publicKeyInfoOf(key: KeyObject): Buffer {
  return prepareSigner(key).publicKeyInfo;
}

interface AttributeSpec {
  readonly field: keyof SubjectFields;
  readonly label: string;
  readonly dotted: string;
  readonly oid: Buffer;
  readonly max: number;
}

const spec = (field: keyof SubjectFields, label: string, dotted: string, max: number): AttributeSpec => ({ field, label, dotted, oid: oid(dotted), max });

// RDN order: C, ST, L, O, OU, CN, emailAddress (most significant first, as OpenSSL and CAs write it).
// Upper bounds are RFC 5280 Appendix A's ub-* values.
const SUBJECT_ATTRIBUTES: readonly AttributeSpec[] = [
  spec('country', 'country', '2.5.4.6', 2),
  spec('state', 'state or province', '2.5.4.8', 128),
  spec('locality', 'locality', '2.5.4.7', 128),
  spec('organization', 'organization', '2.5.4.10', 64),
  spec('organizationalUnit', 'organizational unit', '2.5.4.11', 64),
  spec('commonName', 'common name', '2.5.4.3', 64),
  spec('email', 'email address', '1.2.840.113549.1.9.1', 255),
];

/** The subject fields a certificate's name fills, and the attributes a request from Certdesk cannot repeat. */
export interface SubjectFieldsOf {
  readonly fields: SubjectFields;
  /** Attributes left out, as `SERIALNUMBER=…` (an EV certificate) or `OU=…` (a second OU). */
  readonly omitted: readonly string[];
}

/**
 * Reads the subject fields of a parsed name (for a re-key: a new CSR with the same subject). The
 * first value of each field is kept; other attributes, repeated fields and non-text values are
 * listed in `omitted`. A name without a common name gives `commonName: ''`.
 */
export function subjectFieldsOf(rdns: readonly (readonly { readonly oid: string; readonly text: string | null }[])[]): SubjectFieldsOf {
  const fields: { -readonly [K in keyof SubjectFields]?: string } = {};
  const omitted: string[] = [];
  for (const ava of rdns.flat()) {
    const attribute = SUBJECT_ATTRIBUTES.find((a) => a.dotted === ava.oid);
    if (attribute !== undefined && ava.text !== null && fields[attribute.field] === undefined) fields[attribute.field] = ava.text;
    else omitted.push(`${ATTRIBUTE_NAMES[ava.oid] ?? ava.oid}=${ava.text ?? '(not text)'}`);
  }
  return { fields: { ...fields, commonName: fields.commonName ?? '' }, omitted };
}

function badSubject(message: string, field: string): CertdeskError {
  return new CertdeskError('INVALID_ARGUMENT', message, { field });
}

function encodeAttributeValue(spec: AttributeSpec, value: string): Der {
  if (spec.field === 'country') {
    if (!/^[A-Za-z]{2}$/.test(value)) {
      throw badSubject(`The country must be a two-letter ISO 3166 code such as "US" or "DE", not "${value}".`, spec.field);
    }
    return printableString(value.toUpperCase());
  }
  // One cheap test for the common case (printable ASCII, no outer spaces); details only on failure.
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value) || value.length > spec.max) {
    if (value.trim().length === 0) throw badSubject(`The ${spec.label} is blank.`, spec.field);
    if (value !== value.trim()) throw badSubject(`The ${spec.label} "${value}" starts or ends with a space; remove it.`, spec.field);
    if (/\p{Cc}/u.test(value)) throw badSubject(`The ${spec.label} contains a control character.`, spec.field);
    const length = [...value].length;
    if (length > spec.max) {
      throw badSubject(`The ${spec.label} is ${length} characters long; the limit is ${spec.max} (RFC 5280).`, spec.field);
    }
  }
  if (spec.field === 'email') {
    if (!/^[\x21-\x7e]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$/.test(value) || value.indexOf('@') !== value.lastIndexOf('@')) {
      throw badSubject(`The email address "${value}" is not a valid ASCII address of the form name@example.com.`, spec.field);
    }
    return ia5String(value);
  }
  return utf8String(value);
}

/**
 * Validates subject fields and encodes the X.501 Name (one attribute per RDN). The common name is
 * required; an optional field that is undefined or "" is left out. INVALID_ARGUMENT otherwise.
 */
export function encodeSubject(subject: SubjectFields): Der {
  if (typeof subject.commonName !== 'string' || subject.commonName.trim().length === 0) {
    throw badSubject('The common name (CN) is required and cannot be empty.', 'commonName');
  }
  const rdns: Der[] = [];
  for (const spec of SUBJECT_ATTRIBUTES) {
    const value = subject[spec.field];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw badSubject(`The ${spec.label} must be text.`, spec.field);
    rdns.push(setOf(sequence(spec.oid, encodeAttributeValue(spec, value))));
  }
  return sequence(...rdns);
}

const OID_EXTENSION_REQUEST = oid('1.2.840.113549.1.9.14');
const OID_SUBJECT_ALT_NAME = oid('2.5.29.17');
const VERSION_1 = encodeDer(integer(0));
const EMPTY_ATTRIBUTES = encodeDer(implicitConstructed(0, []));

/** A certificate signing request as DER and PEM. */
export interface CsrOutput {
  readonly der: Buffer;
  readonly pem: string;
}

/** What a CSR is made from. */
export interface CsrInput {
  readonly key: KeyObject;
  readonly subject: SubjectFields;
  readonly sans: readonly San[];
}

/** PEM text ("CERTIFICATE REQUEST") for a DER CSR. */
export function csrPem(der: Uint8Array): string {
  return pemBlock('CERTIFICATE REQUEST', der);
}

/**
 * Builds and signs a PKCS#10 CSR. SANs (validated, de-duplicated) go in an extensionRequest
 * attribute as a non-critical subjectAltName; with no SANs the attribute set is empty.
 */
export function createCsr(input: CsrInput): CsrOutput {
  const signer = prepareSigner(input.key);
  const name = encodeSubject(input.subject);
  const { sans, generalNames } = encodeSans(input.sans);
  const attributes =
    sans.length === 0
      ? EMPTY_ATTRIBUTES
      : implicitConstructed(0, [
          sequence(OID_EXTENSION_REQUEST, setOf(sequence(sequence(OID_SUBJECT_ALT_NAME, octetString(generalNames))))),
        ]);
  const der = signStructure(signer, sequence(VERSION_1, name, signer.publicKeyInfo, attributes));
  return { der, pem: csrPem(der) };
}
