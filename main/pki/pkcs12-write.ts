/**
 * PKCS#12 (RFC 7292) writing: a private key, its certificate and an optional chain in one
 * password-protected PFX, laid out the way OpenSSL 3 writes it.
 *
 * Default (what `openssl pkcs12 -export` writes on OpenSSL 3): the key in a pkcs8ShroudedKeyBag
 * and the certificates in an encryptedData SafeContents, both PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC); integrity by HMAC-SHA256 keyed with the RFC 7292 appendix B KDF.
 *
 * Legacy (`legacy: true`, for Windows before 10 1709/Server 2019, old Java and old appliances):
 * pbeWithSHAAnd3-KeyTripleDES-CBC for the key AND the certificates, HMAC-SHA1 MAC. OpenSSL's own
 * `-legacy` encrypts certificates with RC2-40, which is weak and needs OpenSSL 3's legacy
 * provider to read; 3DES is read by every PKCS#12 implementation and by OpenSSL 3 without
 * `-legacy`.
 *
 * Passwords: PBKDF2 takes the UTF-8 bytes (as OpenSSL does); the RFC 7292 KDF takes a BMPString
 * with a two-zero-byte terminator, so the empty password is the two bytes 00 00 (as OpenSSL
 * writes it).
 */
import { X509Certificate, createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes, type KeyObject } from 'node:crypto';
import { CertdeskError } from '../../shared/errors.js';
import {
  NULL,
  bmpString,
  encodeDer,
  explicit,
  implicitPrimitive,
  integer,
  octetString,
  oid,
  sequence,
  setOf,
  type Der,
} from './asn1-writer.js';
import { matchKeyToCertificate } from './match.js';
import { bmpPassword, pkcs12Kdf } from './pkcs12-kdf.js';

/** What goes into a PKCS#12 file. */
export interface Pkcs12Input {
  readonly key: KeyObject;
  /** The leaf certificate (DER) belonging to `key`. */
  readonly certificate: Buffer;
  /** Further certificates (DER), written in the given order after the leaf. */
  readonly chain?: readonly Buffer[];
  readonly password: string;
  /** friendlyName attribute on the key and leaf certificate bags. */
  readonly friendlyName?: string;
  /** 3DES + HMAC-SHA1 instead of AES-256 + HMAC-SHA256 (see the module comment). */
  readonly legacy?: boolean;
  /** PBKDF2 / PKCS#12-KDF iteration count for encryption and MAC (default and minimum 2048). */
  readonly iterations?: number;
}

/** OpenSSL's default iteration count (PKCS12_DEFAULT_ITER), also Certdesk's minimum. */
export const DEFAULT_PKCS12_ITERATIONS = 2048;
const MAX_ITERATIONS = 10_000_000;

const OID_DATA = oid('1.2.840.113549.1.7.1');
const OID_ENCRYPTED_DATA = oid('1.2.840.113549.1.7.6');
const OID_KEY_BAG_SHROUDED = oid('1.2.840.113549.1.12.10.1.2');
const OID_CERT_BAG = oid('1.2.840.113549.1.12.10.1.3');
const OID_X509_CERTIFICATE = oid('1.2.840.113549.1.9.22.1');
const OID_FRIENDLY_NAME = oid('1.2.840.113549.1.9.20');
const OID_LOCAL_KEY_ID = oid('1.2.840.113549.1.9.21');
const OID_PBES2 = oid('1.2.840.113549.1.5.13');
const OID_PBKDF2 = oid('1.2.840.113549.1.5.12');
const HMAC_WITH_SHA256 = encodeDer(sequence(oid('1.2.840.113549.2.9'), NULL));
const OID_AES256_CBC = oid('2.16.840.1.101.3.4.1.42');
const OID_PBE_SHA_3DES = oid('1.2.840.113549.1.12.1.3');
const SHA256_ALGORITHM = encodeDer(sequence(oid('2.16.840.1.101.3.4.2.1'), NULL));
const SHA1_ALGORITHM = encodeDer(sequence(oid('1.3.14.3.2.26'), NULL));
const VERSION_0 = encodeDer(integer(0));
const VERSION_3 = encodeDer(integer(3));

interface Encryption {
  readonly algorithm: Der;
  readonly ciphertext: Buffer;
}

function encryptPbes2(plaintext: Buffer, password: string, iterations: number): Encryption {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const algorithm = sequence(
    OID_PBES2,
    sequence(
      sequence(OID_PBKDF2, sequence(octetString(salt), integer(iterations), HMAC_WITH_SHA256)),
      sequence(OID_AES256_CBC, octetString(iv)),
    ),
  );
  return { algorithm, ciphertext };
}

function encrypt3des(plaintext: Buffer, password: string, iterations: number): Encryption {
  const salt = randomBytes(8);
  const bmp = bmpPassword(password);
  const key = pkcs12Kdf('sha1', bmp, salt, 1, iterations, 24);
  const iv = pkcs12Kdf('sha1', bmp, salt, 2, iterations, 8);
  const cipher = createCipheriv('des-ede3-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { algorithm: sequence(OID_PBE_SHA_3DES, sequence(octetString(salt), integer(iterations))), ciphertext };
}

function attribute(type: Buffer, value: Der): Der {
  return sequence(type, setOf(value));
}

function dataContentInfo(content: Buffer): Der {
  return sequence(OID_DATA, explicit(0, octetString(content)));
}

function checkCertificate(der: Buffer, what: string): void {
  try {
    new X509Certificate(der);
  } catch (err) {
    throw new CertdeskError('CERTIFICATE_INVALID', `The ${what} is not a valid DER certificate.`, {}, { cause: err });
  }
}

function checkIterations(iterations: number): void {
  if (!Number.isInteger(iterations) || iterations < DEFAULT_PKCS12_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new CertdeskError(
      'INVALID_ARGUMENT',
      `The PKCS#12 iteration count must be a whole number from ${DEFAULT_PKCS12_ITERATIONS} to ${MAX_ITERATIONS}, not ${String(iterations)}.`,
    );
  }
}

/**
 * Writes a PKCS#12 (PFX) file holding `key`, its certificate and the chain; returns the DER bytes.
 *
 * The key and leaf certificate bags carry localKeyId = SHA-1 of the leaf certificate (as OpenSSL
 * writes it) and, when given, a friendlyName. Throws KEY_MISMATCH when the key does not belong to
 * the certificate, CERTIFICATE_INVALID for a bad certificate, INVALID_ARGUMENT for bad options.
 */
export function pkcs12(input: Pkcs12Input): Buffer {
  const { key, certificate, password } = input;
  const iterations = input.iterations ?? DEFAULT_PKCS12_ITERATIONS;
  checkIterations(iterations);
  if (typeof password !== 'string') throw new CertdeskError('INVALID_ARGUMENT', 'A PKCS#12 password must be text (it may be empty).');
  if (key.type !== 'private') throw new CertdeskError('INVALID_ARGUMENT', 'A PKCS#12 file needs the private key, but a public or secret key was given.');
  checkCertificate(certificate, 'certificate');
  const chain: Buffer[] = [];
  for (const [i, der] of (input.chain ?? []).entries()) {
    checkCertificate(der, `chain certificate #${i + 1}`);
    if (!der.equals(certificate) && !chain.some((c) => c.equals(der))) chain.push(der);
  }
  if (!matchKeyToCertificate(key, certificate)) {
    throw new CertdeskError('KEY_MISMATCH', 'The private key does not belong to the certificate, so they cannot go in one PKCS#12 file.');
  }

  const encryptWith = input.legacy === true ? encrypt3des : encryptPbes2;
  const localKeyId = attribute(OID_LOCAL_KEY_ID, octetString(createHash('sha1').update(certificate).digest()));
  const leafAttributes: Der[] = [localKeyId];
  if (input.friendlyName !== undefined && input.friendlyName !== '') {
    leafAttributes.push(attribute(OID_FRIENDLY_NAME, bmpString(input.friendlyName)));
  }

  const certBag = (der: Buffer, attributes: readonly Der[]): Der =>
    sequence(
      OID_CERT_BAG,
      explicit(0, sequence(OID_X509_CERTIFICATE, explicit(0, octetString(der)))),
      ...(attributes.length > 0 ? [setOf(...attributes)] : []),
    );
  const certContents = encodeDer(sequence(certBag(certificate, leafAttributes), ...chain.map((der) => certBag(der, []))));
  const certsEncrypted = encryptWith(certContents, password, iterations);
  const certsInfo = sequence(
    OID_ENCRYPTED_DATA,
    explicit(
      0,
      sequence(VERSION_0, sequence(OID_DATA, certsEncrypted.algorithm, implicitPrimitive(0, certsEncrypted.ciphertext))),
    ),
  );

  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  let keyEncrypted: Encryption;
  try {
    keyEncrypted = encryptWith(pkcs8, password, iterations);
  } finally {
    pkcs8.fill(0);
  }
  const keyBag = sequence(
    OID_KEY_BAG_SHROUDED,
    explicit(0, sequence(keyEncrypted.algorithm, octetString(keyEncrypted.ciphertext))),
    setOf(...leafAttributes),
  );
  const keyContents = encodeDer(sequence(keyBag));

  const authSafe = encodeDer(sequence(certsInfo, dataContentInfo(keyContents)));
  const macHash = input.legacy === true ? 'sha1' : 'sha256';
  const macSalt = randomBytes(input.legacy === true ? 8 : 16);
  const macKey = pkcs12Kdf(macHash, bmpPassword(password), macSalt, 3, iterations, macHash === 'sha1' ? 20 : 32);
  const mac = createHmac(macHash, macKey).update(authSafe).digest();
  const macData = sequence(
    sequence(macHash === 'sha1' ? SHA1_ALGORITHM : SHA256_ALGORITHM, octetString(mac)),
    octetString(macSalt),
    integer(iterations),
  );
  return encodeDer(sequence(VERSION_3, dataContentInfo(authSafe), macData));
}
