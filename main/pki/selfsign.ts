/**
 * Self-signed X.509 v3 end-entity certificates (RFC 5280), e.g. the placeholder certificate of a
 * freshly generated key, built with the same DER writer and signer as CSRs.
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { CertdeskError } from '../../shared/errors.js';
import type { San, SubjectFields } from '../../shared/pki-types.js';
import {
  TRUE,
  encodeDer,
  explicit,
  implicitPrimitive,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  unsignedInteger,
  x509Time,
  type Der,
} from './asn1-writer.js';
import { encodeSubject, prepareSigner, signStructure } from './csr.js';
import { pemBlock } from './pem.js';
import { encodeSans } from './san.js';

/** What a self-signed certificate is made from. */
export interface SelfSignedInput {
  readonly key: KeyObject;
  readonly subject: SubjectFields;
  readonly sans: readonly San[];
  /** Validity in days from `now` (1 to 36 500). */
  readonly days: number;
  /** The time the certificate starts to be valid (the caller's clock). */
  readonly now: Date;
  /** Serial number as an unsigned big-endian magnitude (at most 20 octets once encoded); random 16 bytes by default. */
  readonly serial?: Buffer;
}

/** A certificate as DER and PEM. */
export interface CertificateOutput {
  readonly der: Buffer;
  readonly pem: string;
}

const MAX_DAYS = 36_500;
const DAY_MS = 86_400_000;

const VERSION_3 = encodeDer(explicit(0, integer(2)));
const OID_BASIC_CONSTRAINTS = oid('2.5.29.19');
const OID_KEY_USAGE = oid('2.5.29.15');
const OID_EXT_KEY_USAGE = oid('2.5.29.37');
const OID_SUBJECT_ALT_NAME = oid('2.5.29.17');
const OID_SUBJECT_KEY_ID = oid('2.5.29.14');
const OID_AUTHORITY_KEY_ID = oid('2.5.29.35');

// basicConstraints: cA FALSE is the DEFAULT, so DER leaves the SEQUENCE empty.
const BASIC_CONSTRAINTS_END_ENTITY = encodeDer(sequence(OID_BASIC_CONSTRAINTS, TRUE, octetString(sequence())));
// keyUsage bits (RFC 5280 4.2.1.3): digitalSignature (0), keyEncipherment (2).
const KEY_USAGE_SIGN = encodeDer(sequence(OID_KEY_USAGE, TRUE, octetString(namedBits([0]))));
const KEY_USAGE_SIGN_ENCIPHER = encodeDer(sequence(OID_KEY_USAGE, TRUE, octetString(namedBits([0, 2]))));
// extKeyUsage: id-kp-serverAuth, id-kp-clientAuth.
const EXT_KEY_USAGE_TLS = encodeDer(
  sequence(OID_EXT_KEY_USAGE, octetString(sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2')))),
);

function extension(id: Buffer, value: Der, critical = false): Der {
  return critical ? sequence(id, TRUE, octetString(value)) : sequence(id, octetString(value));
}

/** A random positive 16-byte serial whose first byte is non-zero, so it always encodes as exactly 16 octets. */
export function randomSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

function checkSerial(serial: Buffer): Der {
  const encoded = unsignedInteger(serial);
  if (serial.every((b) => b === 0)) throw new CertdeskError('INVALID_ARGUMENT', 'The serial number must be positive, not zero.');
  if (encoded.contentLength > 20) {
    throw new CertdeskError('INVALID_ARGUMENT', 'The serial number is longer than the 20 octets RFC 5280 allows.');
  }
  return encoded;
}

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new CertdeskError('INVALID_ARGUMENT', 'The start time of the certificate is not a valid date.');
  }
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new CertdeskError('INVALID_ARGUMENT', `The validity must be a whole number of days from 1 to ${MAX_DAYS}, not ${String(days)}.`);
  }
  const start = Math.floor(now.getTime() / 1000) * 1000;
  const notAfter = new Date(start + days * DAY_MS);
  if (now.getUTCFullYear() < 0 || notAfter.getUTCFullYear() > 9999) {
    throw new CertdeskError('INVALID_ARGUMENT', 'The validity period must lie between the years 0 and 9999.');
  }
  return { notBefore: new Date(start), notAfter };
}

/**
 * Creates a self-signed X.509 v3 end-entity certificate.
 *
 * notBefore is `now` (whole seconds), notAfter `now + days`; UTCTime before 2050, GeneralizedTime
 * from 2050 (RFC 5280 4.1.2.5). Extensions: basicConstraints cA=FALSE (critical), keyUsage
 * digitalSignature (+ keyEncipherment for RSA) (critical), extKeyUsage serverAuth + clientAuth,
 * subjectAltName when SANs are given (non-critical: the subject always holds a CN, since a
 * self-signed certificate's issuer — its subject — must not be empty), subjectKeyIdentifier
 * (SHA-1 of the public key bits, RFC 5280 4.2.1.2 method 1) and authorityKeyIdentifier = SKI.
 */
export function createSelfSigned(input: SelfSignedInput): CertificateOutput {
  const signer = prepareSigner(input.key);
  const { notBefore, notAfter } = validity(input.now, input.days);
  const serial = checkSerial(input.serial ?? randomSerial());
  const name = encodeDer(encodeSubject(input.subject));
  const { sans, generalNames } = encodeSans(input.sans);
  const keyId = createHash('sha1').update(signer.publicKeyBits).digest();

  const extensions: Der[] = [
    BASIC_CONSTRAINTS_END_ENTITY,
    signer.isRsa ? KEY_USAGE_SIGN_ENCIPHER : KEY_USAGE_SIGN,
    EXT_KEY_USAGE_TLS,
  ];
  if (sans.length > 0) extensions.push(extension(OID_SUBJECT_ALT_NAME, generalNames));
  extensions.push(extension(OID_SUBJECT_KEY_ID, octetString(keyId)));
  extensions.push(extension(OID_AUTHORITY_KEY_ID, sequence(implicitPrimitive(0, keyId))));

  const tbs = sequence(
    VERSION_3,
    serial,
    signer.scheme.algorithmIdentifier,
    name,
    sequence(x509Time(notBefore), x509Time(notAfter)),
    name,
    signer.publicKeyInfo,
    explicit(3, sequence(...extensions)),
  );
  const der = signStructure(signer, tbs);
  return { der, pem: pemBlock('CERTIFICATE', der) };
}
