import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateDer, certificatePem, encryptedPkcs8Pem, fullChainPem } from '../../../../main/pki/export.js';
import { createSelfSigned } from '../../../../main/pki/selfsign.js';
import { openssl, tempDir } from '../../../support/openssl.js';
import { thrownBy as error } from '../../../support/certdesk-error.js';

const tmp = tempDir('certdesk-export-');
const file = (name: string): string => join(tmp.dir, name);
const der = (name: string): Buffer => new X509Certificate(readFileSync(file(name))).raw;

// root → intermediate → leaf, plus an unrelated self-signed certificate and a look-alike
// intermediate (same subject, different key) that must not be chosen.
beforeAll(() => {
  const ext = file('ext.cnf');
  writeFileSync(
    ext,
    [
      '[ca]',
      'basicConstraints = critical, CA:true',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      '[leaf]',
      'basicConstraints = critical, CA:false',
      'keyUsage = critical, digitalSignature',
      'subjectAltName = DNS:leaf.example',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
    ].join('\n'),
  );
  const key = (name: string): void => void openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file(name)]);
  for (const k of ['root.key', 'inter.key', 'fake.key', 'leaf.key', 'other.key']) key(k);
  openssl(['req', '-x509', '-new', '-key', file('root.key'), '-subj', '/CN=Test Root', '-days', '30', '-out', file('root.pem'), '-config', ext, '-extensions', 'ca']);
  openssl(['req', '-x509', '-new', '-key', file('other.key'), '-subj', '/CN=Other Root', '-days', '30', '-out', file('other.pem'), '-config', ext, '-extensions', 'ca']);
  for (const [name, signer, signerKey] of [
    ['inter', 'root.pem', 'root.key'],
    ['fake', 'other.pem', 'other.key'],
  ] as const) {
    openssl(['req', '-new', '-key', file(`${name}.key`), '-subj', '/CN=Test Intermediate', '-out', file(`${name}.csr`)]);
    openssl(['x509', '-req', '-in', file(`${name}.csr`), '-CA', file(signer), '-CAkey', file(signerKey), '-CAcreateserial', '-days', '30', '-extfile', ext, '-extensions', 'ca', '-out', file(`${name}.pem`)]);
  }
  openssl(['req', '-new', '-key', file('leaf.key'), '-subj', '/CN=leaf.example', '-out', file('leaf.csr')]);
  openssl(['x509', '-req', '-in', file('leaf.csr'), '-CA', file('inter.pem'), '-CAkey', file('inter.key'), '-CAcreateserial', '-days', '30', '-extfile', ext, '-extensions', 'leaf', '-out', file('leaf.pem')]);
}, 60_000);
afterAll(() => tmp.cleanup());

describe('certificatePem / certificateDer', () => {
  it('round-trips between DER and PEM', () => {
    const leaf = der('leaf.pem');
    const pem = certificatePem(leaf);
    expect(pem.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    expect(new X509Certificate(pem).raw.equals(leaf)).toBe(true);
    expect(certificateDer(pem).equals(leaf)).toBe(true);
    expect(certificateDer(Buffer.from(pem)).equals(leaf)).toBe(true);
    expect(certificateDer(leaf).equals(leaf)).toBe(true);
    expect(certificateDer(readFileSync(file('leaf.pem'), 'utf8').replace(/\n/g, '\r\n')).equals(leaf)).toBe(true);
  });

  it('takes the first certificate of a full-chain file and skips other blocks and text', () => {
    const key = readFileSync(file('leaf.key'), 'utf8');
    const text = `subject=CN = leaf\n${key}${readFileSync(file('leaf.pem'), 'utf8')}${readFileSync(file('inter.pem'), 'utf8')}`;
    expect(certificateDer(text).equals(der('leaf.pem'))).toBe(true);
  });

  it('says what is wrong, naming the file', () => {
    const notCert = error(() => certificateDer(readFileSync(file('leaf.key')), 'leaf.key'));
    expect(notCert.code).toBe('NOT_A_CERTIFICATE');
    expect(notCert.message).toContain('leaf.key');
    expect(notCert.message).toContain('PRIVATE KEY');
    expect(error(() => certificateDer('-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n', 'x.pem')).code).toBe('PEM_INVALID');
    expect(error(() => certificateDer('-----BEGIN CERTIFICATE-----\nAAAA\n', 'x.pem')).code).toBe('PEM_INVALID');
    expect(error(() => certificateDer('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'x.pem')).code).toBe('CERTIFICATE_INVALID');
    expect(error(() => certificateDer(Buffer.from([0x30, 0x03, 1, 2, 3]), 'x.der')).code).toBe('CERTIFICATE_INVALID');
    expect(error(() => certificateDer(Buffer.alloc(0), 'empty.der')).code).toBe('FILE_EMPTY');
    expect(error(() => certificatePem(Buffer.from('junk'), 'junk.der')).message).toContain('junk.der');
  });
});

describe('fullChainPem', () => {
  it('orders the chain issued-to-issuer from the leaf, drops duplicates and returns unrelated certificates', () => {
    const leaf = der('leaf.pem');
    const given = [der('other.pem'), der('root.pem'), der('fake.pem'), der('inter.pem'), der('root.pem'), leaf];
    const result = fullChainPem(leaf, given);
    expect(result.chain.map((d) => new X509Certificate(d).subject)).toEqual(['CN=leaf.example', 'CN=Test Intermediate', 'CN=Test Root']);
    expect(result.chain[1]?.equals(der('inter.pem'))).toBe(true);
    expect(result.unused.map((d) => d.toString('hex'))).toEqual([der('other.pem'), der('fake.pem')].map((d) => d.toString('hex')));
    const pemBlocks = result.pem.match(/-----BEGIN CERTIFICATE-----/g);
    expect(pemBlocks).toHaveLength(3);
    // Each certificate is signed by the next.
    const certs = result.chain.map((d) => new X509Certificate(d));
    for (let i = 0; i + 1 < certs.length; i++) expect(certs[i]?.verify((certs[i + 1] as X509Certificate).publicKey)).toBe(true);
  });

  it('stops where the given certificates run out, and handles a lone self-signed leaf', () => {
    const partial = fullChainPem(der('leaf.pem'), [der('root.pem')]);
    expect(partial.chain).toHaveLength(1);
    expect(partial.unused).toHaveLength(1);
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const self = createSelfSigned({ key, subject: { commonName: 'self' }, sans: [], days: 1, now: new Date() }).der;
    const alone = fullChainPem(self, [self, der('root.pem')]);
    expect(alone.chain).toHaveLength(1);
    expect(alone.unused).toHaveLength(1);
    expect(alone.pem).toBe(certificatePem(self));
  });

  it('rejects an invalid chain member, saying which one', () => {
    const err = error(() => fullChainPem(der('leaf.pem'), [der('inter.pem'), Buffer.from('garbage')]));
    expect(err.code).toBe('CERTIFICATE_INVALID');
    expect(err.message).toContain('#2');
  });
});

describe('encryptedPkcs8Pem', () => {
  it('writes PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC that Node reads back with the password only', () => {
    for (const key of [
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
    ]) {
      const pem = encryptedPkcs8Pem(key, 'correct horse');
      expect(pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----')).toBe(true);
      const info = AsnConvert.parse(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'), EncryptedPrivateKeyInfo);
      expect(info.encryptionAlgorithm.algorithm).toBe('1.2.840.113549.1.5.13');
      const params = Buffer.from(info.encryptionAlgorithm.parameters as ArrayBuffer).toString('hex');
      expect(params).toContain('06092a864886f70d01050c'); // PBKDF2
      expect(params).toContain('06082a864886f70d0209'); // hmacWithSHA256
      expect(params).toContain('060960864801650304012a'); // aes256-CBC
      const back = createPrivateKey({ key: pem, passphrase: 'correct horse' });
      expect(createPublicKey(back).equals(createPublicKey(key))).toBe(true);
      expect(() => createPrivateKey({ key: pem, passphrase: 'wrong' })).toThrow();
    }
  });

  it('uses non-ASCII passwords as UTF-8 and accepts an empty password', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const pem = encryptedPkcs8Pem(key, 'pässwörd');
    expect(createPublicKey(createPrivateKey({ key: pem, passphrase: Buffer.from('pässwörd', 'utf8') })).equals(createPublicKey(key))).toBe(true);
    const empty = encryptedPkcs8Pem(key, '');
    expect(createPublicKey(createPrivateKey({ key: empty, passphrase: '' })).equals(createPublicKey(key))).toBe(true);
  });

  it('refuses public keys', () => {
    const pub = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(error(() => encryptedPkcs8Pem(pub, 'x')).code).toBe('INVALID_ARGUMENT');
  });
});
