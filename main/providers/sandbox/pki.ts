/**
 * The sandbox's own small PKI: reading uploaded certificates and keys, generating the
 * self-signed placeholder ("GENERATE", valid 10 days) and the PKCS#10 CSR of a version's key.
 *
 * TODO: switch to main/pki/selfsign.ts `createSelfSigned` and main/pki/csr.ts `createCsr` once
 * they are committed; until then this builds the DER with @peculiar/asn1-* and signs with
 * Node's crypto (no openssl, no Reflect polyfill).
 */
import {
  X509Certificate as NodeX509Certificate,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { isIP } from 'node:net';
import { CertificationRequest, CertificationRequestInfo, Attributes } from '@peculiar/asn1-csr';
import { AsnConvert, OctetString as OctetStringValue } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Attribute,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';

/** Subject fields CDN Pro calls `identificationInfo`. */
export interface IdentificationInfo {
  readonly commonName: string;
  readonly subjectAlternativeNames: readonly string[];
  readonly country?: string;
  readonly state?: string;
  readonly city?: string;
  readonly company?: string;
  readonly department?: string;
  readonly email?: string;
}

/** What the sandbox reports about a certificate. */
export interface CertFacts {
  readonly pem: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Lowercase hex, no leading zeros. */
  readonly serialNumber: string;
  readonly signatureAlgo: string;
  /** SHA-256 of the DER, lowercase hex. */
  readonly fingerprint: string;
  readonly algorithm: 'RSA' | 'ECC' | 'OTHER';
  readonly keyLength: number;
  readonly sans: string[];
  readonly commonName: string | null;
  /** The certificate's public key. */
  readonly publicKey: KeyObject;
}

/** A sandbox PKI failure (the server maps it to a 400). */
export class SandboxPkiError extends Error {}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Certificate PEM blocks in `text`. */
export function pemCertificates(text: string): string[] {
  return [...text.matchAll(PEM_CERT)].map((m) => `${m[0]}\n`);
}

function algorithmOf(key: KeyObject): { algorithm: CertFacts['algorithm']; keyLength: number } {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { algorithm: 'RSA', keyLength: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const bits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
    return { algorithm: 'ECC', keyLength: bits[details.namedCurve ?? ''] ?? 0 };
  }
  return { algorithm: 'OTHER', keyLength: 0 };
}

/** Key algorithm family and size of a private or public key. */
export function keyAlgorithm(key: KeyObject): { algorithm: CertFacts['algorithm']; keyLength: number } {
  return algorithmOf(key.type === 'private' ? createPublicKey(key) : key);
}

const SIGNATURE_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
};

/** "CN=a\nO=b" (Node's form) → "CN=a, O=b". */
function oneLineName(multiLine: string): string {
  return multiLine.split('\n').filter((l) => l !== '').join(', ');
}

function sansOf(cert: NodeX509Certificate): string[] {
  const text = cert.subjectAltName;
  if (text === undefined) return [];
  return text
    .split(', ')
    .map((entry) => /^(DNS|IP Address):(.*)$/.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[2] ?? '');
}

/** Reads one certificate PEM block; throws SandboxPkiError when it is not a certificate. */
export function readCertificate(pem: string): CertFacts {
  let node: NodeX509Certificate;
  let sigOid: string;
  try {
    node = new NodeX509Certificate(pem);
    sigOid = AsnConvert.parse(node.raw, Certificate).signatureAlgorithm.algorithm;
  } catch {
    throw new SandboxPkiError('The certificate is not a valid PEM X.509 certificate');
  }
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(node.subject)?.[1] ?? null;
  return {
    pem,
    subject: oneLineName(node.subject),
    issuer: oneLineName(node.issuer),
    notBefore: new Date(node.validFrom),
    notAfter: new Date(node.validTo),
    serialNumber: node.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
    signatureAlgo: SIGNATURE_NAMES[sigOid] ?? sigOid,
    fingerprint: node.fingerprint256.replace(/:/g, '').toLowerCase(),
    ...algorithmOf(node.publicKey),
    sans: sansOf(node),
    commonName: cn,
    publicKey: node.publicKey,
  };
}

/** Reads an unencrypted private key PEM (PKCS#8, PKCS#1 or SEC1); throws SandboxPkiError otherwise. */
export function readPrivateKey(pem: string): KeyObject {
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
      throw new SandboxPkiError('Only RSA and ECC keys are supported');
    }
    return key;
  } catch (error) {
    if (error instanceof SandboxPkiError) throw error;
    throw new SandboxPkiError('The private key is not a valid unencrypted PEM private key');
  }
}

/** True when `key` is the private half of `cert`'s public key. */
export function keyMatchesCertificate(key: KeyObject, cert: CertFacts): boolean {
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const fromCert = cert.publicKey.export({ type: 'spki', format: 'der' });
  return fromKey.equals(fromCert);
}

/** A new key for "RSA2048" or "ECC256", as PKCS#8 PEM. */
export function generateKey(kind: 'RSA2048' | 'ECC256'): string {
  const { privateKey } =
    kind === 'RSA2048'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

/** Digest and AlgorithmIdentifier for signing with `key` (SHA-256 for RSA and P-256). */
function signatureFor(key: KeyObject): { digest: string; algorithm: AlgorithmIdentifier } {
  if (key.asymmetricKeyType === 'rsa') {
    return { digest: 'sha256', algorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: DER_NULL }) };
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return { digest: 'sha384', algorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.3' }) };
  if (curve === 'secp521r1') return { digest: 'sha512', algorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.4' }) };
  return { digest: 'sha256', algorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' }) };
}

function rdn(type: string, value: AttributeValue): RelativeDistinguishedName {
  return new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value })]);
}

function subjectName(id: IdentificationInfo): Name {
  const rdns: RelativeDistinguishedName[] = [];
  const utf8 = (v: string): AttributeValue => new AttributeValue({ utf8String: v });
  if (id.country !== undefined && id.country !== '') rdns.push(rdn('2.5.4.6', new AttributeValue({ printableString: id.country })));
  if (id.state !== undefined && id.state !== '') rdns.push(rdn('2.5.4.8', utf8(id.state)));
  if (id.city !== undefined && id.city !== '') rdns.push(rdn('2.5.4.7', utf8(id.city)));
  if (id.company !== undefined && id.company !== '') rdns.push(rdn('2.5.4.10', utf8(id.company)));
  if (id.department !== undefined && id.department !== '') rdns.push(rdn('2.5.4.11', utf8(id.department)));
  rdns.push(rdn('2.5.4.3', utf8(id.commonName)));
  if (id.email !== undefined && id.email !== '') rdns.push(rdn('1.2.840.113549.1.9.1', new AttributeValue({ ia5String: id.email })));
  return new Name(rdns);
}

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetStringValue(AsnConvert.serialize(value)) });
}

function sanExtension(names: readonly string[]): Extension {
  const items = names.map((value) => (isIP(value) !== 0 ? new GeneralName({ iPAddress: value }) : new GeneralName({ dNSName: value })));
  return extension(id_ce_subjectAltName, false, new SubjectAlternativeName(items));
}

function spkiOf(key: KeyObject): SubjectPublicKeyInfo {
  return AsnConvert.parse(createPublicKey(key).export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);
}

function toPem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** A self-signed certificate for `key` and `id`, valid `days` days from `now`; PEM. */
export function selfSignedCertificate(key: KeyObject, id: IdentificationInfo, now: Date, days: number): string {
  const { digest, algorithm } = signatureFor(key);
  const name = subjectName(id);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f | 0x01; // positive, no leading zero byte
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serial.buffer.slice(serial.byteOffset, serial.byteOffset + serial.length),
    signature: algorithm,
    issuer: name,
    validity: new Validity({ notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + days * 86_400_000) }),
    subject: name,
    subjectPublicKeyInfo: spkiOf(key),
    extensions: new Extensions([
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
      extension(id_ce_keyUsage, true, new KeyUsage(key.asymmetricKeyType === 'rsa' ? KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment : KeyUsageFlags.digitalSignature)),
      extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth])),
      sanExtension(id.subjectAlternativeNames),
    ]),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign(digest, tbsDer, key);
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: new Uint8Array(signature).buffer });
  return toPem('CERTIFICATE', AsnConvert.serialize(cert));
}

/** A PKCS#10 CSR for `key` with `id`'s subject and SANs (as an extensionRequest); PEM. */
export function certificateRequest(key: KeyObject, id: IdentificationInfo): string {
  const { digest, algorithm } = signatureFor(key);
  const extensionRequest = new Attribute({
    type: '1.2.840.113549.1.9.14',
    values: [AsnConvert.serialize(new Extensions([sanExtension(id.subjectAlternativeNames)]))],
  });
  const info = new CertificationRequestInfo({
    version: 0,
    subject: subjectName(id),
    subjectPKInfo: spkiOf(key),
    attributes: new Attributes(id.subjectAlternativeNames.length > 0 ? [extensionRequest] : []),
  });
  const signature = sign(digest, Buffer.from(AsnConvert.serialize(info)), key);
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: algorithm,
    signature: new Uint8Array(signature).buffer,
  });
  return toPem('CERTIFICATE REQUEST', AsnConvert.serialize(csr));
}
