import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { Extensions, GeneralNames, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEY_TYPES, type KeyType, type San, type SubjectFields } from '../../../../shared/pki-types.js';
import { createCsr, csrPem, encodeSubject, prepareSigner, publicKeyInfoOf } from '../../../../main/pki/csr.js';
import { pemBlock } from '../../../../main/pki/pem.js';
import { encodeDer } from '../../../../main/pki/asn1-writer.js';
import { generateKey } from '../../../../main/pki/keygen.js';
import { thrownCode as code } from '../../../support/certdesk-error.js';

const SIG_OIDS: Record<KeyType, { oid: string; digest: string }> = {
  'rsa-2048': { oid: '1.2.840.113549.1.1.11', digest: 'sha256' },
  'rsa-3072': { oid: '1.2.840.113549.1.1.11', digest: 'sha256' },
  'rsa-4096': { oid: '1.2.840.113549.1.1.11', digest: 'sha256' },
  'ec-p256': { oid: '1.2.840.10045.4.3.2', digest: 'sha256' },
  'ec-p384': { oid: '1.2.840.10045.4.3.3', digest: 'sha384' },
};

const subject: SubjectFields = {
  commonName: 'www.example.com',
  organization: 'Exämple GmbH',
  organizationalUnit: 'Web',
  locality: 'München',
  state: 'Bayern',
  country: 'de',
  email: 'hostmaster@example.com',
};
const sans: San[] = [
  { type: 'dns', value: 'www.example.com' },
  { type: 'dns', value: '*.example.com' },
  { type: 'ip', value: '192.0.2.10' },
  { type: 'ip', value: '2001:db8::10' },
  { type: 'email', value: 'hostmaster@example.com' },
];

function parse(der: Buffer): CertificationRequest {
  return AsnConvert.parse(der, CertificationRequest);
}

const keys = new Map<KeyType, KeyObject>();
beforeAll(async () => {
  for (const type of KEY_TYPES) keys.set(type, await generateKey(type));
}, 120_000);

describe('createCsr', () => {
  it.each(KEY_TYPES)('writes a valid, verifiable PKCS#10 request for %s', (type) => {
    const key = keys.get(type) as KeyObject;
    const { der, pem } = createCsr({ key, subject, sans });
    const csr = parse(der);
    const info = csr.certificationRequestInfo;
    expect(info.version).toBe(0);
    expect(csr.signatureAlgorithm.algorithm).toBe(SIG_OIDS[type].oid);
    // RSA: parameters NULL (RFC 4055); ECDSA: parameters absent (RFC 5758 3.2).
    const algorithmHex = type.startsWith('rsa') ? '300d06092a864886f70d01010b0500' : type === 'ec-p256' ? '300a06082a8648ce3d040302' : '300a06082a8648ce3d040303';
    expect(der.toString('hex')).toContain(algorithmHex);

    // The public key is the key's own SPKI, and the signature verifies over the exact info bytes.
    const spki = Buffer.from(AsnConvert.serialize(info.subjectPKInfo));
    expect(spki.equals(createPublicKey(key).export({ type: 'spki', format: 'der' }))).toBe(true);
    const infoDer = Buffer.from(csr.certificationRequestInfoRaw as ArrayBuffer);
    expect(verify(SIG_OIDS[type].digest, infoDer, createPublicKey(key), Buffer.from(csr.signature))).toBe(true);
    const tampered = Buffer.from(infoDer);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(verify(SIG_OIDS[type].digest, tampered, createPublicKey(key), Buffer.from(csr.signature))).toBe(false);

    expect(pem).toBe(csrPem(der));
    expect(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64').equals(der)).toBe(true);
  });

  it('writes the subject in C, ST, L, O, OU, CN, emailAddress order with the right string types', () => {
    const info = parse(createCsr({ key: keys.get('ec-p256') as KeyObject, subject, sans }).der).certificationRequestInfo;
    const rdns = info.subject.map((rdn) => {
      expect(rdn).toHaveLength(1);
      return rdn[0];
    });
    expect(rdns.map((a) => a?.type)).toEqual([
      '2.5.4.6',
      '2.5.4.8',
      '2.5.4.7',
      '2.5.4.10',
      '2.5.4.11',
      '2.5.4.3',
      '1.2.840.113549.1.9.1',
    ]);
    expect(rdns[0]?.value.printableString).toBe('DE');
    expect(rdns[1]?.value.utf8String).toBe('Bayern');
    expect(rdns[2]?.value.utf8String).toBe('München');
    expect(rdns[3]?.value.utf8String).toBe('Exämple GmbH');
    expect(rdns[4]?.value.utf8String).toBe('Web');
    expect(rdns[5]?.value.utf8String).toBe('www.example.com');
    expect(rdns[6]?.value.ia5String).toBe('hostmaster@example.com');
  });

  it('requests the SANs in a non-critical subjectAltName inside one extensionRequest attribute', () => {
    const info = parse(createCsr({ key: keys.get('ec-p384') as KeyObject, subject: { commonName: 'x' }, sans }).der).certificationRequestInfo;
    expect(info.attributes).toHaveLength(1);
    const attr = info.attributes[0];
    expect(attr?.type).toBe('1.2.840.113549.1.9.14');
    expect(attr?.values).toHaveLength(1);
    const extensions = AsnConvert.parse(attr?.values[0] as ArrayBuffer, Extensions);
    expect(extensions).toHaveLength(1);
    expect(extensions[0]?.extnID).toBe(id_ce_subjectAltName);
    expect(extensions[0]?.critical).toBe(false);
    const names = AsnConvert.parse(extensions[0]?.extnValue.buffer as ArrayBuffer, GeneralNames);
    expect(names.map((n) => n.dNSName ?? n.rfc822Name ?? (n.iPAddress && Buffer.from(n.iPAddress, 'hex').length))).toEqual([
      'www.example.com',
      '*.example.com',
      expect.anything(),
      expect.anything(),
      'hostmaster@example.com',
    ]);
  });

  it('writes an empty attribute set when there are no SANs, and leaves out empty optional fields', () => {
    const { der } = createCsr({ key: keys.get('ec-p256') as KeyObject, subject: { commonName: 'only-cn', organization: '' }, sans: [] });
    const info = parse(der).certificationRequestInfo;
    expect(info.attributes ?? []).toHaveLength(0);
    expect(der.includes(Buffer.from([0xa0, 0x00]))).toBe(true);
    expect(info.subject).toHaveLength(1);
  });

  it('removes duplicate SANs and normalises them', () => {
    const info = parse(
      createCsr({
        key: keys.get('ec-p256') as KeyObject,
        subject: { commonName: 'x' },
        sans: [
          { type: 'dns', value: 'A.example' },
          { type: 'dns', value: 'a.example' },
        ],
      }).der,
    ).certificationRequestInfo;
    const names = AsnConvert.parse(
      AsnConvert.parse(info.attributes[0]?.values[0] as ArrayBuffer, Extensions)[0]?.extnValue.buffer as ArrayBuffer,
      GeneralNames,
    );
    expect(names.map((n) => n.dNSName)).toEqual(['a.example']);
  });

  it('signs with every other key type Node can sign X.509 with: P-521, secp256k1, Ed25519, Ed448', () => {
    for (const [kind, options, oid] of [
      ['ec', { namedCurve: 'P-521' }, '1.2.840.10045.4.3.4'],
      ['ec', { namedCurve: 'secp256k1' }, '1.2.840.10045.4.3.2'],
      ['ed25519', {}, '1.3.101.112'],
      ['ed448', {}, '1.3.101.113'],
    ] as const) {
      const { privateKey, publicKey } = generateKeyPairSync(kind as 'ec', options as { namedCurve: string });
      const csr = parse(createCsr({ key: privateKey, subject: { commonName: 'x' }, sans: [] }).der);
      expect(csr.signatureAlgorithm.algorithm).toBe(oid);
      const digest = kind === 'ec' ? (oid.endsWith('.4') ? 'sha512' : 'sha256') : null;
      expect(verify(digest, Buffer.from(csr.certificationRequestInfoRaw as ArrayBuffer), publicKey, Buffer.from(csr.signature))).toBe(true);
    }
  });

  it('rejects bad subjects with INVALID_ARGUMENT', () => {
    const key = keys.get('ec-p256') as KeyObject;
    const make = (s: SubjectFields) => () => createCsr({ key, subject: s, sans: [] });
    expect(code(make({ commonName: '' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: '   ' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: ' lead' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'tab\there' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'a'.repeat(65) }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'é'.repeat(64) }))).toBe('no error'); // 64 characters, 128 bytes
    expect(code(make({ commonName: 'x', country: 'USA' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'x', country: 'U1' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'x', country: 'Ü' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'x', email: 'not-an-email' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'x', email: 'jörg@example.com' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'x', organization: 'o'.repeat(65) }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'x', locality: 'l'.repeat(129) }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'x', state: '\u0000' }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ commonName: 'x', organizationalUnit: ' ' }))).toBe('INVALID_ARGUMENT');
  });

  it('names the field and the problem in subject errors', () => {
    expect(() => encodeSubject({ commonName: 'x', country: 'USA' })).toThrow(/two-letter ISO 3166 code.*USA/);
    expect(() => encodeSubject({ commonName: '' })).toThrow(/common name/i);
    expect(() => encodeSubject({ commonName: 'a'.repeat(70) })).toThrow(/70 characters.*limit is 64/);
  });

  it('rejects bad SANs with INVALID_NAME and unusable keys with INVALID_ARGUMENT / UNSUPPORTED_ALGORITHM', () => {
    const key = keys.get('ec-p256') as KeyObject;
    expect(code(() => createCsr({ key, subject: { commonName: 'x' }, sans: [{ type: 'dns', value: 'bad name' }] }))).toBe('INVALID_NAME');
    expect(code(() => createCsr({ key: createPublicKey(key), subject: { commonName: 'x' }, sans: [] }))).toBe('INVALID_ARGUMENT');
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey;
    expect(code(() => createCsr({ key: pss, subject: { commonName: 'x' }, sans: [] }))).toBe('UNSUPPORTED_ALGORITHM');
    const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey;
    expect(code(() => createCsr({ key: dsa, subject: { commonName: 'x' }, sans: [] }))).toBe('UNSUPPORTED_ALGORITHM');
    const brainpool = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' }).privateKey;
    expect(code(() => createCsr({ key: brainpool, subject: { commonName: 'x' }, sans: [] }))).toBe('UNSUPPORTED_ALGORITHM');
  });
});

describe('publicKeyInfoOf / prepareSigner', () => {
  it('builds SPKI bytes identical to Node’s own export for every supported key kind', () => {
    const pairs = [
      ...[...keys.values()],
      generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey,
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey,
      generateKeyPairSync('ed25519').privateKey,
      generateKeyPairSync('ed448').privateKey,
      generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).privateKey,
    ];
    for (const key of pairs) {
      expect(publicKeyInfoOf(key).toString('hex')).toBe(createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('hex'));
    }
  });

  it('knows which keys can encipher', () => {
    expect(prepareSigner(keys.get('rsa-2048') as KeyObject).isRsa).toBe(true);
    expect(prepareSigner(keys.get('ec-p256') as KeyObject).isRsa).toBe(false);
  });
});

describe('csrPem / pemBlock', () => {
  it('wraps base64 at 64 characters with the right label', () => {
    const der = encodeDer({ tag: 0x04, contentLength: 100, size: 102, bytes: Buffer.alloc(100, 7) });
    const pem = csrPem(der);
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE REQUEST-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE REQUEST-----');
    expect(lines.slice(1, -1).every((l) => l.length <= 64)).toBe(true);
    expect(lines[1]).toHaveLength(64);
    expect(pemBlock('X', Buffer.alloc(0))).toBe('-----BEGIN X-----\n-----END X-----\n');
  });
});
