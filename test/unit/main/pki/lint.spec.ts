import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintCertificate, lintCsr, maxValidityDays } from '../../../../main/pki/lint.js';
import { openssl, tempDir } from '../../../support/openssl.js';
import { DAY, issue, newKey, NOW, OIDS } from './fixtures.js';

const codes = (fs: readonly { code: string }[]): string[] => fs.map((x) => x.code);
const lint = (spec: Parameters<typeof issue>[0], opts: Partial<Parameters<typeof lintCertificate>[1]> = {}) => lintCertificate(issue(spec).der, { now: NOW, ...opts });
const ca = issue({ cn: 'Lint CA', ca: true });
const leaf = (spec: Parameters<typeof issue>[0] = {}) => lintCertificate(issue({ cn: 'www.example.com', ...spec }, ca).der, { now: NOW });

describe('lintCertificate', () => {
  it('is quiet about a well-formed certificate', () => {
    expect(leaf()).toEqual([]);
  });

  it('reports expiry, not-yet-valid and the expiry window', () => {
    expect(codes(leaf({ notAfter: new Date(NOW.getTime() - DAY) }))).toContain('EXPIRED');
    expect(codes(leaf({ notBefore: new Date(NOW.getTime() + DAY) }))).toContain('NOT_YET_VALID');
    const soon = leaf({ notAfter: new Date(NOW.getTime() + 10 * DAY) });
    expect(codes(soon)).toContain('EXPIRING_SOON');
    expect(soon.find((x) => x.code === 'EXPIRING_SOON')?.message).toMatch(/in 10 days/);
    const c = issue({ cn: 'www.example.com', notAfter: new Date(NOW.getTime() + 10 * DAY) }, ca);
    expect(codes(lintCertificate(c.der, { now: NOW, expiryWindowDays: 5 }))).not.toContain('EXPIRING_SOON');
  });

  it('reports weak keys, unusual curves and bad RSA exponents', () => {
    expect(codes(leaf({ key: newKey('rsa1024') }))).toContain('WEAK_KEY');
    expect(codes(leaf({ key: newKey('secp256k1') }))).toContain('UNUSUAL_CURVE');
    expect(leaf({ key: newKey('p521') }).find((x) => x.code === 'UNUSUAL_CURVE')?.severity).toBe('info');
  });

  it('reports a bad RSA exponent (key made by openssl with e=3)', () => {
    const { dir, cleanup } = tempDir();
    try {
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:3', '-out', join(dir, 'k.pem')]);
      openssl(['req', '-x509', '-new', '-key', join(dir, 'k.pem'), '-subj', '/CN=e3.example.com', '-addext', 'subjectAltName=DNS:e3.example.com', '-days', '30', '-out', join(dir, 'c.der'), '-outform', 'DER']);
      const der = openssl(['x509', '-in', join(dir, 'c.der'), '-inform', 'DER', '-outform', 'DER']);
      const found = lintCertificate(der, { now: new Date(), role: 'leaf' });
      expect(found.find((x) => x.code === 'BAD_RSA_EXPONENT')?.message).toMatch(/\(3\)/);
    } finally {
      cleanup();
    }
  });

  it('reports SHA-1/MD5 signatures, but only as info on a root', () => {
    const rsaCa = issue({ cn: 'RSA CA', ca: true, key: newKey('rsa2048') });
    const sha1 = issue({ cn: 'www.example.com', sig: 'sha1' }, rsaCa);
    expect(lintCertificate(sha1.der, { now: NOW }).find((x) => x.code === 'WEAK_SIGNATURE_ALGORITHM')?.severity).toBe('error');
    const md5 = issue({ cn: 'www.example.com', sig: 'md5' }, rsaCa);
    expect(codes(lintCertificate(md5.der, { now: NOW }))).toContain('WEAK_SIGNATURE_ALGORITHM');
    const sha1Root = issue({ cn: 'Old Root', ca: true, key: newKey('rsa2048'), sig: 'sha1' });
    expect(lintCertificate(sha1Root.der, { now: NOW }).find((x) => x.code === 'WEAK_SIGNATURE_ALGORITHM')?.severity).toBe('info');
  });

  it('reports missing SAN and a CN that is not among the SANs', () => {
    expect(codes(leaf({ san: null }))).toContain('SAN_MISSING');
    expect(codes(leaf({ san: ['DNS:example.com'] }))).toContain('CN_NOT_IN_SAN');
  });

  it('applies the CA/Browser Forum maximum validity in force at issuance', () => {
    expect(maxValidityDays(new Date('2019-06-01T00:00:00Z')).days).toBe(825);
    expect(maxValidityDays(new Date('2021-01-01T00:00:00Z')).days).toBe(398);
    expect(maxValidityDays(new Date('2026-03-15T00:00:00Z')).days).toBe(200);
    expect(maxValidityDays(new Date('2027-03-15T00:00:00Z')).days).toBe(100);
    expect(maxValidityDays(new Date('2029-03-15T00:00:00Z')).days).toBe(47);
    const nb = new Date('2025-01-01T00:00:00Z');
    expect(codes(leaf({ notBefore: nb, notAfter: new Date(nb.getTime() + 397 * DAY) }))).not.toContain('VALIDITY_TOO_LONG');
    expect(codes(leaf({ notBefore: nb, notAfter: new Date(nb.getTime() + 399 * DAY) }))).toContain('VALIDITY_TOO_LONG');
    const nb2 = new Date('2026-04-01T00:00:00Z');
    const c = issue({ cn: 'www.example.com', notBefore: nb2, notAfter: new Date(nb2.getTime() + 300 * DAY) }, ca);
    expect(codes(lintCertificate(c.der, { now: new Date('2026-05-01T00:00:00Z') }))).toContain('VALIDITY_TOO_LONG');
  });

  it('reports a leaf that is a CA and missing serverAuth', () => {
    expect(codes(lint({ cn: 'x.example.com', ca: true, san: ['DNS:x.example.com'] }, { role: 'leaf' }))).toContain('LEAF_IS_CA');
    expect(codes(leaf({ eku: [OIDS.clientAuth] }))).toContain('EKU_NO_SERVER_AUTH');
    expect(codes(leaf({ eku: null }))).toContain('EKU_MISSING');
  });

  it('reports wildcard misuse', () => {
    const w = leaf({ cn: 'ok.example.com', san: ['DNS:ok.example.com', 'DNS:*.co.uk', 'DNS:f*.example.com', 'DNS:a.*.example.com'] });
    expect(w.filter((x) => x.code === 'WILDCARD_MISUSE')).toHaveLength(3);
  });

  it('treats missing OCSP as info when a CRL is published, and warns when neither is', () => {
    expect(leaf({ aia: { caIssuers: 'http://ca.example.test/ca.crt' } }).find((x) => x.code === 'OCSP_MISSING')?.severity).toBe('info');
    expect(codes(leaf({ aia: null, crl: null }))).toEqual(expect.arrayContaining(['REVOCATION_INFO_MISSING', 'AIA_MISSING']));
  });

  it('reports short and non-positive serial numbers', () => {
    expect(codes(leaf({ serial: Buffer.from([0x01, 0x02]) }))).toContain('SERIAL_LOW_ENTROPY');
    expect(codes(leaf({ serial: Buffer.from('ff0102030405060708', 'hex') }))).toContain('SERIAL_NOT_POSITIVE');
    expect(codes(leaf({ serial: Buffer.from([0]) }))).toContain('SERIAL_NOT_POSITIVE');
  });
});

describe('lintCsr', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const csr = (subj: string, san?: string, keyArgs: string[] = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']): Buffer => {
    const out = join(dir, `r${Math.random().toString(36).slice(2)}.der`);
    openssl(['req', '-new', ...keyArgs, '-nodes', '-keyout', join(dir, 'k.pem'), '-subj', subj, ...(san ? ['-addext', `subjectAltName=${san}`] : []), '-outform', 'DER', '-out', out]);
    return openssl(['req', '-in', out, '-inform', 'DER', '-outform', 'DER']);
  };

  it('accepts a clean request', () => {
    expect(lintCsr(csr('/CN=www.example.com', 'DNS:www.example.com,DNS:example.com'))).toEqual([]);
  });
  it('checks names, wildcards and public suffixes', () => {
    expect(codes(lintCsr(csr('/CN=*.com', 'DNS:*.com')))).toContain('WILDCARD_MISUSE');
    expect(codes(lintCsr(csr('/CN=co.uk', 'DNS:co.uk')))).toContain('PUBLIC_SUFFIX_NAME');
    expect(codes(lintCsr(csr('/CN=www.example.com')))).toContain('SAN_MISSING');
    expect(codes(lintCsr(csr('/CN=a.example.com', 'DNS:b.example.com')))).toContain('CN_NOT_IN_SAN');
    expect(codes(lintCsr(csr('/CN=bad name!', 'DNS:bad_name!.example.com')))).toContain('INVALID_DNS_NAME');
  });
  it('checks key strength', () => {
    expect(codes(lintCsr(csr('/CN=www.example.com', 'DNS:www.example.com', ['-newkey', 'rsa:1024'])))).toContain('WEAK_KEY');
  });
  it('checks the signature', () => {
    const good = csr('/CN=www.example.com', 'DNS:www.example.com');
    const bad = Buffer.from(good);
    bad[bad.length - 3] = (bad[bad.length - 3] as number) ^ 0x01;
    expect(codes(lintCsr(bad))).toContain('CSR_SIGNATURE_INVALID');
    writeFileSync(join(dir, 'x'), '');
    expect(() => lintCsr(Buffer.from('not a csr'), 'x.csr')).toThrow(/x.csr/);
  });
});
