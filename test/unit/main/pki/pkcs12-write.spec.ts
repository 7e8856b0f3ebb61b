import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import type { ContentInfo } from '@peculiar/asn1-cms';
import { AuthenticatedSafe, PFX, SafeContents } from '@peculiar/asn1-pfx';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { TAG, readChildren, readWhole } from '../../../../main/pki/der.js';
import { generateKey } from '../../../../main/pki/keygen.js';
import { bmpPassword, pkcs12Kdf } from '../../../../main/pki/pkcs12-kdf.js';
import { DEFAULT_PKCS12_ITERATIONS, pkcs12, type Pkcs12Input } from '../../../../main/pki/pkcs12-write.js';
import { createSelfSigned } from '../../../../main/pki/selfsign.js';
import { openssl } from '../../../support/openssl.js';
import { thrownBy as error } from '../../../support/certdesk-error.js';

const NOW = new Date('2026-03-01T00:00:00Z');
let rsa: KeyObject;
let ec: KeyObject;
let rsaCert: Buffer;
let ecCert: Buffer;
let extraCert: Buffer;

beforeAll(async () => {
  rsa = await generateKey('rsa-2048');
  ec = await generateKey('ec-p256');
  rsaCert = createSelfSigned({ key: rsa, subject: { commonName: 'rsa.example' }, sans: [], days: 30, now: NOW }).der;
  ecCert = createSelfSigned({ key: ec, subject: { commonName: 'ec.example' }, sans: [], days: 30, now: NOW }).der;
  extraCert = createSelfSigned({ key: await generateKey('ec-p256'), subject: { commonName: 'Extra CA' }, sans: [], days: 30, now: NOW }).der;
});

/** Reads a PFX with node-forge (an independent implementation), checking the MAC. */
function forgeRead(pfx: Buffer, password: string) {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary')));
  const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  const bags = p12.safeContents.flatMap((sc) => sc.safeBags.map((bag) => ({ ...bag, encrypted: sc.encrypted })));
  return bags;
}

function bagDer(bag: { asn1?: forge.asn1.Asn1; cert?: forge.pki.Certificate }): Buffer {
  if (bag.cert) return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary');
  return Buffer.from(forge.asn1.toDer(bag.asn1 as forge.asn1.Asn1).getBytes(), 'binary');
}

function structure(pfx: Buffer) {
  const parsed = AsnConvert.parse(pfx, PFX);
  expect(parsed.version).toBe(3);
  expect(parsed.authSafe.contentType).toBe('1.2.840.113549.1.7.1');
  // The authSafe content is an OCTET STRING holding the DER AuthenticatedSafe.
  const authSafeBytes = AsnConvert.parse(parsed.authSafe.content, OctetString);
  const safe = AsnConvert.parse(authSafeBytes, AuthenticatedSafe);
  return { parsed, safe };
}

/** EncryptedData ::= SEQUENCE { version, EncryptedContentInfo { contentType, algorithm, [0] IMPLICIT content } }, as hex. */
function encryptedDataParts(content: ArrayBuffer) {
  const der = Buffer.from(content);
  const [version, info] = readChildren(der, readWhole(der, TAG.SEQUENCE));
  const [contentType, algorithm, encrypted] = readChildren(der, info as NonNullable<typeof info>);
  return {
    version: version?.encoded.toString('hex'),
    contentType: contentType?.encoded.toString('hex'),
    algorithm: algorithm?.content.toString('hex') ?? '',
    contentTag: encrypted?.tag,
  };
}

describe('bmpPassword', () => {
  it('is UTF-16BE with a two-byte terminator (RFC 7292 B.1)', () => {
    expect(bmpPassword('').toString('hex')).toBe('0000');
    expect(bmpPassword('ab').toString('hex')).toBe('006100620000');
    expect(bmpPassword('ä😀').toString('hex')).toBe('00e4d83dde000000');
  });
});

describe('pkcs12Kdf (RFC 7292 appendix B.2)', () => {
  it('matches the published test vector', () => {
    const salt = Buffer.from('0a58cf64530d823f', 'hex');
    expect(pkcs12Kdf('sha1', bmpPassword('smeg'), salt, 1, 1, 24).toString('hex')).toBe('8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3');
  });

  it('agrees with OpenSSL’s PKCS12KDF for many lengths, ids, hashes and iteration counts', () => {
    const cases: [hash: 'sha1' | 'sha256', password: Buffer, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number][] = [
      ['sha1', bmpPassword(''), randomBytes(8), 1, 1, 24],
      ['sha1', bmpPassword('queeg'), randomBytes(8), 2, 1000, 8],
      ['sha1', bmpPassword('x'.repeat(40)), randomBytes(20), 3, 3, 20],
      ['sha256', bmpPassword('pässword'), randomBytes(16), 3, 2048, 32],
      ['sha256', bmpPassword('a'.repeat(31)), randomBytes(65), 1, 2, 70],
      ['sha256', Buffer.alloc(0), randomBytes(64), 2, 1, 33],
    ];
    for (const [hash, password, salt, id, iterations, length] of cases) {
      const args = ['kdf', '-keylen', String(length), '-kdfopt', `digest:${hash.toUpperCase()}`, '-kdfopt', `hexsalt:${salt.toString('hex')}`];
      if (password.length > 0) args.push('-kdfopt', `hexpass:${password.toString('hex')}`);
      else args.push('-kdfopt', 'pass:');
      args.push('-kdfopt', `iter:${iterations}`, '-kdfopt', `id:${id}`, 'PKCS12KDF');
      const expected = openssl(args).toString().trim().replace(/:/g, '').toLowerCase();
      expect(pkcs12Kdf(hash, password, salt, id, iterations, length).toString('hex')).toBe(expected);
    }
  });
});

describe('pkcs12 (default: PBES2 AES-256-CBC, HMAC-SHA256)', () => {
  it.each(['rsa', 'ec'] as const)('writes a PFX that node-forge opens and verifies (%s)', (kind) => {
    const key = kind === 'rsa' ? rsa : ec;
    const cert = kind === 'rsa' ? rsaCert : ecCert;
    const pfx = pkcs12({ key, certificate: cert, chain: [extraCert], password: 'secret', friendlyName: 'My Site' });
    const bags = forgeRead(pfx, 'secret');
    const certBags = bags.filter((b) => b.type === forge.pki.oids.certBag);
    const keyBags = bags.filter((b) => b.type === forge.pki.oids.pkcs8ShroudedKeyBag);
    expect(certBags).toHaveLength(2);
    expect(keyBags).toHaveLength(1);
    expect(certBags.every((b) => b.encrypted)).toBe(true);
    expect(keyBags[0]?.encrypted).toBe(false);
    const localKeyId = createHash('sha1').update(cert).digest('binary');
    expect(certBags[0]?.attributes.localKeyId).toEqual([localKeyId]);
    expect(certBags[0]?.attributes.friendlyName).toEqual(['My Site']);
    expect(certBags[1]?.attributes.localKeyId).toBeUndefined();
    expect(keyBags[0]?.attributes.localKeyId).toEqual([localKeyId]);
    expect(keyBags[0]?.attributes.friendlyName).toEqual(['My Site']);

    // Certificates: leaf first, then the chain, byte for byte. (forge only parses RSA certs.)
    const leafDer = kind === 'rsa' ? bagDer(certBags[0] as never) : null;
    if (leafDer) expect(leafDer.equals(cert)).toBe(true);
    // The key inside is our key.
    const keyBag = keyBags[0] as { key?: forge.pki.PrivateKey; asn1?: forge.asn1.Asn1 };
    const pkcs8 = keyBag.key
      ? Buffer.from(forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key))).getBytes(), 'binary')
      : bagDer(keyBag);
    const inner = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    expect(createPublicKey(inner).equals(createPublicKey(key))).toBe(true);
  });

  it('lays out the structure like OpenSSL 3: encrypted certificates, then the shrouded key; SHA-256 MAC', () => {
    const pfx = pkcs12({ key: ec, certificate: ecCert, password: 'secret' });
    const { parsed, safe } = structure(pfx);
    expect(safe.map((ci: ContentInfo) => ci.contentType)).toEqual(['1.2.840.113549.1.7.6', '1.2.840.113549.1.7.1']);
    const encrypted = encryptedDataParts(safe[0]?.content as ArrayBuffer);
    expect(encrypted.version).toBe('020100');
    expect(encrypted.contentType).toBe('06092a864886f70d010701');
    expect(encrypted.algorithm).toMatch(/^06092a864886f70d01050d/); // PBES2
    expect(encrypted.contentTag).toBe(0x80); // [0] IMPLICIT OCTET STRING
    const params = encrypted.algorithm;
    expect(params).toContain('06082a864886f70d0209'); // hmacWithSHA256
    expect(params).toContain('060960864801650304012a'); // aes256-CBC
    expect(params).toContain('02020800'); // 2048 iterations
    const keyContents = AsnConvert.parse(AsnConvert.parse(safe[1]?.content as ArrayBuffer, OctetString), SafeContents);
    expect(keyContents.map((b) => b.bagId)).toEqual(['1.2.840.113549.1.12.10.1.2']);
    expect(parsed.macData.mac.digestAlgorithm.algorithm).toBe('2.16.840.1.101.3.4.2.1');
    expect(parsed.macData.mac.digest.byteLength).toBe(32);
    expect(parsed.macData.macSalt.byteLength).toBe(16);
    expect(parsed.macData.iterations).toBe(DEFAULT_PKCS12_ITERATIONS);
    expect(pfx.toString('hex')).toContain('300d06096086480165030402010500'); // sha256 AlgorithmIdentifier with NULL
  });

  it('uses the given iteration count everywhere, and fresh salts every time', () => {
    const a = pkcs12({ key: ec, certificate: ecCert, password: 'secret', iterations: 4096 });
    const b = pkcs12({ key: ec, certificate: ecCert, password: 'secret', iterations: 4096 });
    expect(a.equals(b)).toBe(false);
    expect(AsnConvert.parse(a, PFX).macData.iterations).toBe(4096);
    expect(a.toString('hex').split('02021000').length - 1).toBe(3); // certs PBKDF2, key PBKDF2, MAC
    expect(forgeRead(a, 'secret')).toHaveLength(2);
  });

  it('works with an empty password (BMPString "00 00" for the MAC)', () => {
    const pfx = pkcs12({ key: rsa, certificate: rsaCert, password: '' });
    expect(forgeRead(pfx, '').filter((b) => b.type === forge.pki.oids.pkcs8ShroudedKeyBag)).toHaveLength(1);
    expect(() => forgeRead(pfx, 'x')).toThrow();
  });

  it('drops copies of the leaf and duplicate chain certificates', () => {
    const pfx = pkcs12({ key: ec, certificate: ecCert, chain: [ecCert, extraCert, extraCert], password: 'secret' });
    expect(forgeRead(pfx, 'secret').filter((b) => b.type === forge.pki.oids.certBag)).toHaveLength(2);
  });
});

describe('pkcs12 legacy (3DES, HMAC-SHA1)', () => {
  it('encrypts key and certificates with pbeWithSHAAnd3-KeyTripleDES-CBC and MACs with SHA-1', () => {
    const pfx = pkcs12({ key: rsa, certificate: rsaCert, chain: [extraCert], password: 'secret', legacy: true });
    const bags = forgeRead(pfx, 'secret');
    expect(bags.filter((b) => b.type === forge.pki.oids.certBag)).toHaveLength(2);
    const keyBag = bags.find((b) => b.type === forge.pki.oids.pkcs8ShroudedKeyBag) as { key?: forge.pki.rsa.PrivateKey };
    expect(keyBag.key?.n.toString(16)).toBe(Buffer.from(createPublicKey(rsa).export({ format: 'jwk' }).n as string, 'base64url').toString('hex').replace(/^0+/, ''));
    const { parsed, safe } = structure(pfx);
    expect(parsed.macData.mac.digestAlgorithm.algorithm).toBe('1.3.14.3.2.26');
    expect(parsed.macData.mac.digest.byteLength).toBe(20);
    expect(encryptedDataParts(safe[0]?.content as ArrayBuffer).algorithm).toMatch(/^060a2a864886f70d010c0103/);
    expect(pfx.toString('hex').split('060a2a864886f70d010c0103').length - 1).toBe(2); // key + certs
  });

  it('works with an empty password', () => {
    const pfx = pkcs12({ key: ec, certificate: ecCert, password: '', legacy: true });
    expect(forgeRead(pfx, '')).toHaveLength(2);
  });
});

describe('pkcs12 errors', () => {
  const base = (): Pkcs12Input => ({ key: ec, certificate: ecCert, password: 'x' });

  it('refuses a key that does not belong to the certificate', () => {
    expect(error(() => pkcs12({ ...base(), key: rsa })).code).toBe('KEY_MISMATCH');
  });

  it('refuses bad certificates, keys and options', () => {
    expect(error(() => pkcs12({ ...base(), certificate: Buffer.from('nope') })).code).toBe('CERTIFICATE_INVALID');
    expect(error(() => pkcs12({ ...base(), chain: [Buffer.from('nope')] })).message).toContain('#1');
    expect(error(() => pkcs12({ ...base(), key: createPublicKey(ec) })).code).toBe('INVALID_ARGUMENT');
    expect(error(() => pkcs12({ ...base(), iterations: 1000 })).code).toBe('INVALID_ARGUMENT');
    expect(error(() => pkcs12({ ...base(), iterations: 2048.5 })).code).toBe('INVALID_ARGUMENT');
    expect(error(() => pkcs12({ ...base(), password: undefined as unknown as string })).code).toBe('INVALID_ARGUMENT');
  });

  it('never puts the password in an error message', () => {
    const err = error(() => pkcs12({ ...base(), key: rsa, password: 'hunter2-secret' }));
    expect(err.message).not.toContain('hunter2');
    expect(JSON.stringify(err.toJSON())).not.toContain('hunter2');
  });
});
