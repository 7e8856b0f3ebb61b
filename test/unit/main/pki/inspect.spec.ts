import { X509Certificate, constants, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { inspectCertificate, inspectCsr, inspectObject, inspectPrivateKey } from '../../../../main/pki/inspect.js';
import { describePublicKey, sha256Hex, spkiDer, spkiSha256 } from '../../../../main/pki/keys.js';
import { readMaterial } from '../../../../main/pki/read.js';
import {
  FIXTURE_PASSWORD,
  buildCert,
  buildCsr,
  captureError,
  extensionDer,
  fixture,
  nameDer,
  oidDer,
  pemCertificates,
  seqOf,
  setOf,
  tlv,
  utf8Der,
} from './read-test-helpers.js';

const leafDer = pemCertificates(fixture('leaf.pem').toString())[0] as Buffer;
const intDer = pemCertificates(fixture('int.pem').toString())[0] as Buffer;
const caDer = pemCertificates(fixture('ca.pem').toString())[0] as Buffer;

const CN = '2.5.4.3';
const ECDSA_SHA256 = seqOf(oidDer('1.2.840.10045.4.3.2'));
const SHA256_RSA = seqOf(oidDer('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0)));
const ED25519 = seqOf(oidDer('1.3.101.112'));

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ec2 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');
const spkiOf = (k: KeyObject): Buffer => spkiDer(k);
const ecSign = (k: KeyObject) => (tbs: Buffer): Buffer => sign('sha256', tbs, k);
const cn = (s: string): Buffer => nameDer([[[CN, utf8Der(s)]]]);

function nodeIso(d: string): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

describe('inspectCertificate on the fixture chain', () => {
  it('reports every field of a leaf', () => {
    const info = inspectCertificate(leafDer);
    const x = new X509Certificate(leafDer);
    expect(info).toMatchObject({
      kind: 'certificate',
      role: 'leaf',
      subject: 'CN=example.com, O=Example\\, Ltd., L=London, ST=London, C=GB',
      issuer: 'CN=Certdesk Test Issuing CA, OU=Issuing, O=Certdesk Test, C=GB',
      sans: [
        { type: 'dns', value: 'example.com' },
        { type: 'dns', value: '*.example.com' },
        { type: 'ip', value: '192.0.2.1' },
        { type: 'ip', value: '2001:db8::1' },
        { type: 'email', value: 'admin@example.com' },
        { type: 'uri', value: 'https://example.com/' },
      ],
      serialNumber: 'ff00112233445566778899aabbccddeeff',
      publicKey: { algorithm: 'RSA', bits: 2048, exponent: 65537 },
      signatureAlgorithm: 'ecdsa-with-SHA256',
      isCA: false,
      pathLength: null,
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extendedKeyUsage: ['serverAuth', 'clientAuth'],
      ocsp: ['http://ocsp.example.com'],
      caIssuers: ['http://ca.example.com/int.crt'],
      crlDistributionPoints: ['http://crl.example.com/int.crl'],
      selfSigned: false,
      version: 3,
      warnings: [],
    });
    expect(info.fingerprints.sha256).toBe(x.fingerprint256.replace(/:/g, '').toLowerCase());
    expect(info.fingerprints.sha1).toBe(x.fingerprint.replace(/:/g, '').toLowerCase());
    expect(info.notBefore).toBe(nodeIso(x.validFrom));
    expect(info.notAfter).toBe(nodeIso(x.validTo));
    expect(info.serialNumber).toBe(x.serialNumber.toLowerCase().replace(/^0+/, ''));
    expect(info.spkiSha256).toBe(spkiSha256(x.publicKey));
    expect(info.authorityKeyIdentifier).toBe(inspectCertificate(intDer).subjectKeyIdentifier);
    expect(info.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reports CA facts for the intermediate and root', () => {
    expect(inspectCertificate(intDer)).toMatchObject({ role: 'intermediate', isCA: true, pathLength: 0, selfSigned: false, keyUsage: ['keyCertSign', 'cRLSign'] });
    expect(inspectCertificate(caDer)).toMatchObject({
      role: 'root',
      isCA: true,
      pathLength: null,
      selfSigned: true,
      subject: 'CN=Certdesk Test Root, O=Certdesk Test, C=GB',
      serialNumber: '1',
      publicKey: { algorithm: 'EC', curve: 'P-256', bits: 256 },
    });
  });
});

describe('inspectCertificate on the system roots', () => {
  it('inspects every root in tls.rootCertificates and agrees with X509Certificate', () => {
    expect(rootCertificates.length).toBeGreaterThan(100);
    for (const pem of rootCertificates) {
      const der = pemCertificates(pem)[0] as Buffer;
      const x = new X509Certificate(der);
      const info = inspectCertificate(der);
      expect(info.fingerprints.sha256).toBe(x.fingerprint256.replace(/:/g, '').toLowerCase());
      expect(info.fingerprints.sha1).toBe(x.fingerprint.replace(/:/g, '').toLowerCase());
      expect(info.serialNumber).toBe(x.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''));
      expect(info.notBefore).toBe(nodeIso(x.validFrom));
      expect(info.notAfter).toBe(nodeIso(x.validTo));
      expect(info.publicKey).toEqual(describePublicKey(x.publicKey));
      expect(info.spkiSha256).toBe(spkiSha256(x.publicKey));
      expect(info.selfSigned).toBe(x.verify(x.publicKey));
      expect(info.selfSigned).toBe(true);
      expect(info.role).toBe(info.isCA ? 'root' : 'leaf');
      expect(info.isCA).toBe(x.ca);
    }
  });
});

describe('inspectCertificate on hand-built certificates', () => {
  const base = { signatureAlgorithm: ECDSA_SHA256, issuer: cn('Issuer'), subject: cn('Subject'), spki: spkiOf(ec.publicKey) };

  it('handles UTCTime century rules, GeneralizedTime 9999 and odd serials', () => {
    const der = buildCert(
      { ...base, version: 3, serial: tlv(0x02, Buffer.from([0])), notBefore: tlv(0x17, Buffer.from('500101000000Z')), notAfter: tlv(0x18, Buffer.from('99991231235959Z')) },
      ecSign(ec.privateKey),
    );
    const info = inspectCertificate(der);
    expect(info.notBefore).toBe('1950-01-01T00:00:00Z');
    expect(info.notAfter).toBe('9999-12-31T23:59:59Z');
    expect(info.serialNumber).toBe('0');
    const x = new X509Certificate(der);
    expect(info.notAfter).toBe(nodeIso(x.validTo));
    const high = buildCert({ ...base, serial: tlv(0x02, Buffer.from('0080000000000000000000000000000001', 'hex')) }, ecSign(ec.privateKey));
    expect(inspectCertificate(high).serialNumber).toBe('80000000000000000000000000000001');
    expect(inspectCertificate(high).version).toBe(1);
  });

  it('judges self-signed by name and signature, not by name alone', () => {
    const ca = [extensionDer('2.5.29.19', seqOf(tlv(0x01, Buffer.from([0xff]))), true)];
    const self = buildCert({ ...base, version: 3, issuer: cn('Same'), subject: cn('Same'), extensions: ca }, ecSign(ec.privateKey));
    expect(inspectCertificate(self)).toMatchObject({ selfSigned: true, role: 'root', isCA: true });
    // Same names, signed by another key: self-issued but not self-signed.
    const other = buildCert({ ...base, version: 3, issuer: cn('Same'), subject: cn('Same'), extensions: ca }, ecSign(ec2.privateKey));
    expect(inspectCertificate(other)).toMatchObject({ selfSigned: false, role: 'intermediate' });
    // Names equal after case folding and whitespace collapsing count as the same name.
    const folded = buildCert({ ...base, version: 3, issuer: nameDer([[[CN, tlv(0x13, Buffer.from('SAME  NAME'))]]]), subject: cn('same name'), extensions: ca }, ecSign(ec.privateKey));
    expect(inspectCertificate(folded).selfSigned).toBe(true);
  });

  it('verifies RSA, RSA-PSS and Ed25519 self-signatures', () => {
    const rsaCert = buildCert({ ...base, signatureAlgorithm: SHA256_RSA, issuer: cn('R'), subject: cn('R'), spki: spkiOf(rsa.publicKey) }, (t) => sign('sha256', t, rsa.privateKey));
    expect(inspectCertificate(rsaCert)).toMatchObject({ selfSigned: true, signatureAlgorithm: 'sha256WithRSAEncryption' });
    const pssAlg = seqOf(
      oidDer('1.2.840.113549.1.1.10'),
      seqOf(
        tlv(0xa0, seqOf(oidDer('2.16.840.1.101.3.4.2.1'))),
        tlv(0xa1, seqOf(oidDer('1.2.840.113549.1.1.8'), seqOf(oidDer('2.16.840.1.101.3.4.2.1')))),
        tlv(0xa2, tlv(0x02, Buffer.from([32]))),
      ),
    );
    const pss = buildCert({ ...base, signatureAlgorithm: pssAlg, issuer: cn('P'), subject: cn('P'), spki: spkiOf(rsa.publicKey) }, (t) =>
      sign('sha256', t, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    );
    expect(inspectCertificate(pss)).toMatchObject({ selfSigned: true, signatureAlgorithm: 'rsassaPss' });
    expect(new X509Certificate(pss).verify(rsa.publicKey)).toBe(true);
    const edCert = buildCert({ ...base, signatureAlgorithm: ED25519, issuer: cn('E'), subject: cn('E'), spki: spkiOf(ed.publicKey) }, (t) => sign(null, t, ed.privateKey));
    expect(inspectCertificate(edCert)).toMatchObject({ selfSigned: true, signatureAlgorithm: 'ED25519', publicKey: { algorithm: 'Ed25519' } });
  });

  it('falls back to the SPKI algorithm OID when Node cannot load the key', () => {
    const spki = seqOf(seqOf(oidDer('1.2.3.4.5.99')), tlv(0x03, Buffer.from([0, 1, 2, 3])));
    const info = inspectCertificate(buildCert({ ...base, spki }, ecSign(ec.privateKey)));
    expect(info.publicKey).toEqual({ algorithm: 'unknown', oid: '1.2.3.4.5.99' });
    expect(info.spkiSha256).toBe(sha256Hex(spki));
    const brainpool = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
    const bp = inspectCertificate(buildCert({ ...base, spki: spkiOf(brainpool.publicKey) }, ecSign(ec.privateKey)));
    expect(bp.publicKey).toEqual(describePublicKey(brainpool.publicKey));
  });

  it('leaves out a damaged extension instead of failing, and reads unknown EKUs as OIDs', () => {
    const exts = [
      extensionDer('2.5.29.17', Buffer.from([0x30, 0x09, 0x82])), // truncated SAN
      extensionDer('2.5.29.37', seqOf(oidDer('1.3.6.1.5.5.7.3.1'), oidDer('1.3.6.1.4.1.311.10.3.3'), oidDer('2.5.29.37.0'))),
      extensionDer('2.5.29.19', seqOf(tlv(0x01, Buffer.from([0xff])), tlv(0x02, Buffer.from([3])))),
      extensionDer('2.5.29.15', tlv(0x03, Buffer.from([7, 0x80, 0x80]))),
    ];
    const info = inspectCertificate(buildCert({ ...base, version: 3, extensions: exts }, ecSign(ec.privateKey)));
    expect(info.sans).toEqual([]);
    expect(info.extendedKeyUsage).toEqual(['serverAuth', '1.3.6.1.4.1.311.10.3.3', 'anyExtendedKeyUsage']);
    expect(info.pathLength).toBe(3);
    expect(info.keyUsage).toEqual(['digitalSignature', 'decipherOnly']);
  });

  it('throws CERTIFICATE_INVALID for non-certificates, naming the file', () => {
    const err = captureError(() => inspectCertificate(fixture('leaf-csr.der'), 'req.der'));
    expect(err.code).toBe('CERTIFICATE_INVALID');
    expect(err.message).toMatch(/^req\.der: the certificate is malformed/);
    expect(captureError(() => inspectCertificate(leafDer.subarray(0, 100))).code).toBe('DER_TRUNCATED');
  });
});

describe('inspectCsr', () => {
  it('reports the fixture CSR with a verified signature and its SANs', () => {
    const info = inspectCsr(fixture('leaf-csr.der'));
    const key = createPrivateKey(fixture('leaf-key.pem'));
    expect(info).toMatchObject({
      kind: 'csr',
      subject: 'CN=example.com, O=Example\\, Ltd., L=London, ST=London, C=GB',
      sans: [
        { type: 'dns', value: 'example.com' },
        { type: 'dns', value: '*.example.com' },
        { type: 'ip', value: '192.0.2.1' },
        { type: 'ip', value: '2001:db8::1' },
      ],
      publicKey: { algorithm: 'RSA', bits: 2048, exponent: 65537 },
      signatureAlgorithm: 'sha256WithRSAEncryption',
      signatureValid: true,
      warnings: [],
    });
    expect(info.spkiSha256).toBe(spkiSha256(key));
  });

  it('detects a tampered CSR', () => {
    const der = Buffer.from(fixture('leaf-csr.der'));
    const at = der.indexOf(Buffer.from('London'));
    der[at] = 'l'.charCodeAt(0);
    expect(inspectCsr(der).signatureValid).toBe(false);
  });

  it('verifies ECDSA and Ed25519 CSRs and rejects a signature by another key', () => {
    const san = seqOf(oidDer('1.2.840.113549.1.9.14'), setOf(seqOf(extensionDer('2.5.29.17', seqOf(tlv(0x82, Buffer.from('a.example')))))));
    const ecCsr = buildCsr(cn('a.example'), spkiOf(ec.publicKey), [san], ECDSA_SHA256, ecSign(ec.privateKey));
    expect(inspectCsr(ecCsr)).toMatchObject({ signatureValid: true, signatureAlgorithm: 'ecdsa-with-SHA256', sans: [{ type: 'dns', value: 'a.example' }] });
    const forged = buildCsr(cn('a.example'), spkiOf(ec.publicKey), [san], ECDSA_SHA256, ecSign(ec2.privateKey));
    expect(inspectCsr(forged).signatureValid).toBe(false);
    const edCsr = buildCsr(cn('e'), spkiOf(ed.publicKey), [], ED25519, (t) => sign(null, t, ed.privateKey));
    expect(inspectCsr(edCsr)).toMatchObject({ signatureValid: true, publicKey: { algorithm: 'Ed25519' } });
  });
});

describe('inspectPrivateKey and inspectObject', () => {
  it('describes keys without exposing them and matches the certificate SPKI', () => {
    const objs = readMaterial(fixture('rsa-modern.p12'), { fileName: 'k.p12', password: FIXTURE_PASSWORD });
    const infos = objs.map((o) => inspectObject(o));
    const key = infos.find((i) => i.kind === 'private-key');
    const leaf = infos.find((i) => i.kind === 'certificate' && i.role === 'leaf');
    expect(key).toEqual({
      kind: 'private-key',
      publicKey: { algorithm: 'RSA', bits: 2048, exponent: 65537 },
      spkiSha256: leaf?.kind === 'certificate' ? leaf.spkiSha256 : 'missing',
      encrypted: true,
      format: 'pkcs12',
    });
    const pk = createPrivateKey(fixture('ec-key.pem'));
    expect(inspectPrivateKey({ kind: 'private-key', key: pk, format: 'pkcs8', encrypted: false })).toEqual({
      kind: 'private-key',
      publicKey: { algorithm: 'EC', curve: 'P-256', bits: 256 },
      spkiSha256: sha256Hex(createPublicKey(pk).export({ type: 'spki', format: 'der' })),
      encrypted: false,
      format: 'pkcs8',
    });
    expect(JSON.stringify(infos)).not.toMatch(/PRIVATE KEY/);
  });
});
