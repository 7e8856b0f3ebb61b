/**
 * OpenSSL interop for the writing half of main/pki: CSRs, self-signed certificates, PKCS#12,
 * encrypted PKCS#8 and matching. Everything Certdesk writes must be read, verified and described
 * by OpenSSL exactly as intended, for all five key types.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_TYPES, type KeyType, type SubjectFields } from '../../shared/pki-types.js';
import { createCsr } from '../../main/pki/csr.js';
import { certificatePem, encryptedPkcs8Pem, fullChainPem } from '../../main/pki/export.js';
import { generateKey } from '../../main/pki/keygen.js';
import { matchCsrToCertificate, matchKeyToCertificate, matchKeyToCsr } from '../../main/pki/match.js';
import { pkcs12 } from '../../main/pki/pkcs12-write.js';
import { parseSanArgument } from '../../main/pki/san.js';
import { createSelfSigned } from '../../main/pki/selfsign.js';
import { openssl, tempDir } from '../support/openssl.js';

const tmp = tempDir('certdesk-pki-write-');
const file = (name: string): string => join(tmp.dir, name);
afterAll(() => tmp.cleanup());

/** Runs openssl and returns exit status with stdout and stderr together (verify results go to stderr). */
function run(args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const NOW = new Date('2026-11-23T07:06:00Z');
const SUBJECT: SubjectFields = {
  commonName: 'shop.example.com',
  organization: 'Example Trading Ltd',
  organizationalUnit: 'Web Platform',
  locality: 'Zürich',
  state: 'Zürich',
  country: 'CH',
  email: 'pki@example.com',
};
const SANS = ['shop.example.com', 'DNS:*.shop.example.com', 'IP:192.0.2.44', '2001:db8::44', 'EMAIL:pki@example.com'].map(parseSanArgument);
const SAN_TEXT = 'DNS:shop.example.com, DNS:*.shop.example.com, IP Address:192.0.2.44, IP Address:2001:DB8:0:0:0:0:0:44, email:pki@example.com';
const SIGNATURE: Record<KeyType, string> = {
  'rsa-2048': 'sha256WithRSAEncryption',
  'rsa-3072': 'sha256WithRSAEncryption',
  'rsa-4096': 'sha256WithRSAEncryption',
  'ec-p256': 'ecdsa-with-SHA256',
  'ec-p384': 'ecdsa-with-SHA384',
};
const PUBLIC_KEY_TEXT: Record<KeyType, RegExp> = {
  'rsa-2048': /Public-Key: \(2048 bit\)/,
  'rsa-3072': /Public-Key: \(3072 bit\)/,
  'rsa-4096': /Public-Key: \(4096 bit\)/,
  'ec-p256': /NIST CURVE: P-256/,
  'ec-p384': /NIST CURVE: P-384/,
};

const keys = new Map<KeyType, KeyObject>();
beforeAll(async () => {
  for (const type of KEY_TYPES) keys.set(type, await generateKey(type));
}, 120_000);

function spkiPem(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

describe.each(KEY_TYPES)('%s', (type) => {
  const key = (): KeyObject => keys.get(type) as KeyObject;

  it('writes a CSR that OpenSSL verifies and describes with every subject field and SAN', () => {
    const csr = createCsr({ key: key(), subject: SUBJECT, sans: SANS });
    writeFileSync(file(`${type}.csr`), csr.pem);
    const verified = run(['req', '-in', file(`${type}.csr`), '-verify', '-noout']);
    expect(verified.output).toContain('verify OK');
    expect(verified.status).toBe(0);
    const text = openssl(['req', '-in', file(`${type}.csr`), '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space']).toString();
    expect(text).toContain('Subject: C=CH, ST=Zürich, L=Zürich, O=Example Trading Ltd, OU=Web Platform, CN=shop.example.com, emailAddress=pki@example.com');
    expect(text).toContain('Requested Extensions:');
    expect(text).toContain(SAN_TEXT);
    expect(text).toContain(`Signature Algorithm: ${SIGNATURE[type]}`);
    expect(text).toMatch(PUBLIC_KEY_TEXT[type]);
    // DER form too, and the public key is the key's.
    writeFileSync(file(`${type}.csr.der`), csr.der);
    const pub = openssl(['req', '-in', file(`${type}.csr.der`), '-inform', 'DER', '-noout', '-pubkey']).toString();
    expect(pub).toBe(spkiPem(key()));
    expect(matchKeyToCsr(key(), csr.der)).toBe(true);
  });

  it('writes a CSR that an OpenSSL CA signs, keeping the key and the requested SANs', () => {
    const csr = createCsr({ key: key(), subject: SUBJECT, sans: SANS });
    writeFileSync(file(`${type}-ca.csr`), csr.pem);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('ca.key'), '-subj', '/CN=Interop CA', '-days', '2', '-out', file('ca.pem')]);
    openssl(['x509', '-req', '-in', file(`${type}-ca.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-copy_extensions', 'copy', '-out', file(`${type}-issued.pem`)]);
    const issued = new X509Certificate(readFileSync(file(`${type}-issued.pem`)));
    expect(issued.subjectAltName).toBe(SAN_TEXT);
    expect(matchCsrToCertificate(csr.der, issued.raw)).toBe(true);
    expect(matchKeyToCertificate(key(), issued.raw)).toBe(true);
    const chain = fullChainPem(issued.raw, [new X509Certificate(readFileSync(file('ca.pem'))).raw]);
    expect(chain.chain).toHaveLength(2);
    writeFileSync(file(`${type}-fullchain.pem`), chain.pem);
    expect(run(['verify', '-CAfile', file('ca.pem'), file(`${type}-issued.pem`)]).output).toContain(': OK');
  });

  it('writes a self-signed certificate that OpenSSL verifies strictly, with the right dates, SANs and extensions', () => {
    const cert = createSelfSigned({ key: key(), subject: SUBJECT, sans: SANS, days: 397, now: NOW });
    writeFileSync(file(`${type}-self.pem`), cert.pem);
    const verified = run(['verify', '-x509_strict', '-purpose', 'sslserver', '-attime', String(NOW.getTime() / 1000 + 60), '-CAfile', file(`${type}-self.pem`), file(`${type}-self.pem`)]);
    expect(verified.output).toContain(`${type}-self.pem: OK`);
    expect(verified.status).toBe(0);
    const facts = openssl(['x509', '-in', file(`${type}-self.pem`), '-noout', '-dates', '-ext', 'subjectAltName,basicConstraints,keyUsage,extendedKeyUsage']).toString();
    expect(facts).toContain('notBefore=Nov 23 07:06:00 2026 GMT');
    expect(facts).toContain('notAfter=Dec 25 07:06:00 2027 GMT');
    expect(facts).toContain(SAN_TEXT);
    expect(facts).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(facts).toMatch(type.startsWith('rsa') ? /Key Usage: critical\s+Digital Signature, Key Encipherment\n/ : /Key Usage: critical\s+Digital Signature\n/);
    expect(facts).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
    const text = openssl(['x509', '-in', file(`${type}-self.pem`), '-noout', '-text']).toString();
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toContain(`Signature Algorithm: ${SIGNATURE[type]}`);
    expect(openssl(['x509', '-in', file(`${type}-self.pem`), '-noout', '-pubkey']).toString()).toBe(spkiPem(key()));

    // The subject key identifier is the one OpenSSL computes for the same key.
    writeFileSync(file(`${type}.key`), key().export({ type: 'pkcs8', format: 'pem' }));
    openssl(['req', '-x509', '-new', '-key', file(`${type}.key`), '-subj', '/CN=ski', '-days', '1', '-out', file(`${type}-ski.pem`)]);
    const ski = (f: string): string => openssl(['x509', '-in', f, '-noout', '-ext', 'subjectKeyIdentifier']).toString().split('\n')[1]?.trim() ?? 'none';
    expect(ski(file(`${type}-self.pem`))).toBe(ski(file(`${type}-ski.pem`)));
    const aki = openssl(['x509', '-in', file(`${type}-self.pem`), '-noout', '-ext', 'authorityKeyIdentifier']).toString();
    expect(aki).toContain(ski(file(`${type}-self.pem`)));
  });

  it.each([
    ['default', false],
    ['legacy', true],
  ] as const)('writes a %s PKCS#12 that OpenSSL reads without -legacy, holding our key and certificate', (_name, legacy) => {
    const cert = createSelfSigned({ key: key(), subject: { commonName: 'p12.example' }, sans: [], days: 30, now: NOW });
    const extra = createSelfSigned({ key: keys.get('ec-p256') as KeyObject, subject: { commonName: 'Extra' }, sans: [], days: 30, now: NOW });
    const f = file(`${type}-${legacy ? 'legacy' : 'default'}.p12`);
    writeFileSync(f, pkcs12({ key: key(), certificate: cert.der, chain: [extra.der], password: 'Pa55 wörd', friendlyName: 'Shop', legacy }));
    const out = openssl(['pkcs12', '-in', f, '-info', '-nodes', '-passin', 'pass:Pa55 wörd']).toString('utf8');
    const info = run(['pkcs12', '-in', f, '-info', '-noout', '-passin', 'pass:Pa55 wörd']).output;
    if (legacy) {
      expect(info).toContain('MAC: sha1, Iteration 2048');
      expect(info).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
      expect(info).toContain('PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
    } else {
      expect(info).toContain('MAC: sha256, Iteration 2048');
      expect(info).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256');
      expect(info).toContain('PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256');
    }
    expect(out).toContain('friendlyName: Shop');
    const certs = [...out.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => new X509Certificate(m[0]).raw);
    expect(certs).toHaveLength(2);
    expect(certs[0]?.equals(cert.der)).toBe(true);
    expect(certs[1]?.equals(extra.der)).toBe(true);
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(out)?.[0] ?? '';
    expect(createPublicKey(createPrivateKey(keyPem)).equals(createPublicKey(key()))).toBe(true);
    expect(run(['pkcs12', '-in', f, '-noout', '-passin', 'pass:wrong']).status).not.toBe(0);
  });

  it('writes encrypted PKCS#8 that openssl pkey opens with the password', () => {
    writeFileSync(file(`${type}-enc.pem`), encryptedPkcs8Pem(key(), 'pkey pässword'));
    const pub = openssl(['pkey', '-in', file(`${type}-enc.pem`), '-passin', 'pass:pkey pässword', '-pubout']).toString();
    expect(pub).toBe(spkiPem(key()));
    expect(run(['pkey', '-in', file(`${type}-enc.pem`), '-passin', 'pass:nope', '-noout']).status).not.toBe(0);
    const params = openssl(['asn1parse', '-in', file(`${type}-enc.pem`)]).toString();
    expect(params).toContain(':PBES2');
    expect(params).toContain(':hmacWithSHA256');
    expect(params).toContain(':aes-256-cbc');
  });
});

describe('PKCS#12 with an empty password', () => {
  it.each([false, true])('is read by OpenSSL with -passin pass: (legacy %s)', (legacy) => {
    const key = keys.get('ec-p384') as KeyObject;
    const cert = createSelfSigned({ key, subject: { commonName: 'empty' }, sans: [], days: 1, now: NOW });
    const f = file(`empty-${String(legacy)}.p12`);
    writeFileSync(f, pkcs12({ key, certificate: cert.der, password: '', legacy }));
    const out = openssl(['pkcs12', '-in', f, '-nodes', '-passin', 'pass:']).toString();
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(out)?.[0] ?? '';
    expect(createPublicKey(createPrivateKey(keyPem)).equals(createPublicKey(key))).toBe(true);
  });
});

describe('matching against OpenSSL-made material', () => {
  beforeAll(() => {
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file('o-rsa.key')]);
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', file('o-ec.key')]);
    for (const k of ['o-rsa', 'o-ec']) {
      openssl(['req', '-x509', '-new', '-key', file(`${k}.key`), '-subj', `/CN=${k}`, '-days', '1', '-out', file(`${k}.pem`)]);
      openssl(['req', '-new', '-key', file(`${k}.key`), '-subj', `/CN=${k}`, '-outform', 'DER', '-out', file(`${k}.csr`)]);
    }
  }, 60_000);

  const key = (name: string): KeyObject => createPrivateKey(readFileSync(file(`${name}.key`)));
  const cert = (name: string): Buffer => new X509Certificate(readFileSync(file(`${name}.pem`))).raw;
  const csr = (name: string): Buffer => readFileSync(file(`${name}.csr`));

  it('matches right pairs and rejects wrong ones, including an RSA key against an EC certificate', () => {
    expect(matchKeyToCertificate(key('o-rsa'), cert('o-rsa'))).toBe(true);
    expect(matchKeyToCertificate(key('o-ec'), cert('o-ec'))).toBe(true);
    expect(matchKeyToCertificate(key('o-rsa'), cert('o-ec'))).toBe(false);
    expect(matchKeyToCertificate(key('o-ec'), cert('o-rsa'))).toBe(false);
    expect(matchKeyToCertificate(keys.get('ec-p384') as KeyObject, cert('o-ec'))).toBe(false);
    expect(matchKeyToCsr(key('o-ec'), csr('o-ec'))).toBe(true);
    expect(matchKeyToCsr(key('o-rsa'), csr('o-ec'))).toBe(false);
    expect(matchCsrToCertificate(csr('o-rsa'), cert('o-rsa'))).toBe(true);
    expect(matchCsrToCertificate(csr('o-rsa'), cert('o-ec'))).toBe(false);
    expect(certificatePem(cert('o-ec'))).toBe(readFileSync(file('o-ec.pem'), 'utf8'));
  });
});
