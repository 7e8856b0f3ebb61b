/**
 * OpenSSL interop for main/pki/read.ts and inspect.ts: OpenSSL writes every container form and a
 * variety of certificates; Certdesk must read each one and report the same facts as OpenSSL and
 * Node's X509Certificate.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { SocketAddress } from 'node:net';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../shared/errors.js';
import type { CertificateInfo, San } from '../../shared/pki-types.js';
import { inspectCertificate, inspectCsr } from '../../main/pki/inspect.js';
import { describePublicKey, spkiSha256 } from '../../main/pki/keys.js';
import type { PkiObject, PrivateKeyObject } from '../../main/pki/objects.js';
import { readMaterial } from '../../main/pki/read.js';
import { openssl, tempDir } from '../support/openssl.js';

const PW = 'interop-pass';
const LEGACY = ['-provider', 'legacy', '-provider', 'default'];
let dir = '';
let cleanup = (): void => {};
const p = (name: string): string => join(dir, name);
const read = (name: string, password?: string): PkiObject[] => readMaterial(readFileSync(p(name)), { fileName: name, password });
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** SHA-256 of the SPKI OpenSSL derives from a key file (`openssl pkey -pubout -outform DER | sha256`). */
function opensslSpki(keyFile: string, passin?: string): string {
  return sha256(openssl(['pkey', '-in', p(keyFile), ...(passin ? ['-passin', `pass:${passin}`] : []), '-pubout', '-outform', 'DER']));
}

function onlyKey(objs: PkiObject[]): PrivateKeyObject {
  const keys = objs.filter((o): o is PrivateKeyObject => o.kind === 'private-key');
  expect(keys).toHaveLength(1);
  return keys[0] as PrivateKeyObject;
}

function certHexes(objs: PkiObject[]): string[] {
  return objs.flatMap((o) => (o.kind === 'certificate' ? [o.der.toString('hex')] : []));
}

function derOfPem(name: string): string {
  return openssl(['x509', '-in', p(name), '-outform', 'DER']).toString('hex');
}

beforeAll(() => {
  ({ dir, cleanup } = tempDir('certdesk-read-openssl-'));
});
afterAll(() => cleanup());

describe('keys written by OpenSSL', () => {
  const algs: Array<[string, string[]]> = [
    ['rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
    ['ec', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']],
  ];

  for (const [alg, gen] of algs) {
    describe(alg, () => {
      let spki = '';
      beforeAll(() => {
        openssl(['genpkey', ...gen, '-out', p(`${alg}.pem`)]);
        spki = opensslSpki(`${alg}.pem`);
        const trad = alg === 'rsa' ? 'rsa' : 'ec';
        // OpenSSL 3's `rsa` command writes PKCS#8 unless told otherwise; `ec` still writes SEC1.
        const tradOut = alg === 'rsa' ? ['-traditional'] : [];
        openssl(['pkey', '-in', p(`${alg}.pem`), '-traditional', '-out', p(`${alg}-trad.pem`)]);
        openssl(['pkcs8', '-topk8', '-nocrypt', '-in', p(`${alg}.pem`), '-outform', 'DER', '-out', p(`${alg}-pkcs8.der`)]);
        openssl([trad, '-in', p(`${alg}.pem`), ...tradOut, '-outform', 'DER', '-out', p(`${alg}-trad.der`)]);
        openssl(['pkey', '-in', p(`${alg}.pem`), '-aes256', '-passout', `pass:${PW}`, '-out', p(`${alg}-pkey-aes256.pem`)]);
        openssl(['pkcs8', '-topk8', '-in', p(`${alg}.pem`), '-v2', 'aes-128-cbc', '-passout', `pass:${PW}`, '-out', p(`${alg}-v2-aes128.pem`)]);
        openssl(['pkcs8', '-topk8', '-in', p(`${alg}.pem`), '-v1', 'PBE-SHA1-3DES', '-passout', `pass:${PW}`, '-out', p(`${alg}-v1-3des.pem`)]);
        openssl(['pkcs8', '-topk8', '-in', p(`${alg}.pem`), '-v2', 'aes-256-cbc', '-passout', `pass:${PW}`, '-outform', 'DER', '-out', p(`${alg}-enc.der`)]);
        openssl([trad, '-in', p(`${alg}.pem`), ...tradOut, '-aes128', '-passout', `pass:${PW}`, '-out', p(`${alg}-legacy-aes128.pem`)]);
        openssl([trad, '-in', p(`${alg}.pem`), ...tradOut, '-des3', '-passout', `pass:${PW}`, '-out', p(`${alg}-legacy-des3.pem`)]);
        openssl([trad, '-in', p(`${alg}.pem`), ...tradOut, '-aes256', '-passout', `pass:${PW}`, '-out', p(`${alg}-legacy-aes256.pem`)]);
        openssl([trad, '-in', p(`${alg}.pem`), ...tradOut, '-des', ...LEGACY, '-passout', `pass:${PW}`, '-out', p(`${alg}-legacy-des.pem`)]);
      });

      const cases: Array<[string, PrivateKeyObject['format'], boolean]> = [
        [`${alg}.pem`, 'pkcs8', false],
        [`${alg}-trad.pem`, alg === 'rsa' ? 'pkcs1' : 'sec1', false],
        [`${alg}-pkcs8.der`, 'pkcs8', false],
        [`${alg}-trad.der`, alg === 'rsa' ? 'pkcs1' : 'sec1', false],
        [`${alg}-pkey-aes256.pem`, 'pkcs8-encrypted', true],
        [`${alg}-v2-aes128.pem`, 'pkcs8-encrypted', true],
        [`${alg}-v1-3des.pem`, 'pkcs8-encrypted', true],
        [`${alg}-enc.der`, 'pkcs8-encrypted', true],
        [`${alg}-legacy-aes128.pem`, 'legacy-encrypted-pem', true],
        [`${alg}-legacy-des3.pem`, 'legacy-encrypted-pem', true],
        [`${alg}-legacy-aes256.pem`, 'legacy-encrypted-pem', true],
        [`${alg}-legacy-des.pem`, 'legacy-encrypted-pem', true],
      ];
      it.each(cases)('reads %s as %s', (name, format, encrypted) => {
        const key = onlyKey(read(name, encrypted ? PW : undefined));
        expect(key.format).toBe(format);
        expect(key.encrypted).toBe(encrypted);
        expect(spkiSha256(key.key)).toBe(spki);
        if (encrypted) {
          expect(codeOf(() => read(name, 'wrong-pass'))).toBe('WRONG_PASSWORD');
          expect(codeOf(() => read(name))).toBe('PASSWORD_REQUIRED');
        }
      });
    });
  }
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (err) {
    return isCertdeskError(err) ? err.code : `non-CertdeskError: ${String(err)}`;
  }
}

describe('certificates, CSRs, PKCS#7 and PKCS#12 written by OpenSSL', () => {
  const kinds = ['rsa', 'ec'] as const;
  beforeAll(() => {
    for (const k of kinds) {
      openssl(['genpkey', ...(k === 'rsa' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']), '-out', p(`${k}-p12key.pem`)]);
      openssl(['req', '-x509', '-new', '-key', p(`${k}-p12key.pem`), '-subj', `/CN=${k} p12 test`, '-days', '30', '-out', p(`${k}-p12cert.pem`)]);
      openssl(['req', '-new', '-key', p(`${k}-p12key.pem`), '-subj', `/CN=${k}.csr.example`, '-addext', `subjectAltName=DNS:${k}.csr.example`, '-out', p(`${k}.csr`)]);
      openssl(['req', '-in', p(`${k}.csr`), '-outform', 'DER', '-out', p(`${k}.csr.der`)]);
      const base = ['pkcs12', '-export', '-in', p(`${k}-p12cert.pem`), '-inkey', p(`${k}-p12key.pem`)];
      openssl([...base, '-passout', `pass:${PW}`, '-out', p(`${k}-default.p12`)]);
      openssl([...base, '-legacy', '-passout', `pass:${PW}`, '-out', p(`${k}-legacy.p12`)]);
      openssl([...base, '-passout', 'pass:', '-out', p(`${k}-nopass.p12`)]);
      openssl([...base, '-legacy', '-passout', 'pass:', '-out', p(`${k}-legacy-nopass.p12`)]);
      openssl([...base, '-nomac', '-passout', `pass:${PW}`, '-out', p(`${k}-nomac.p12`)]);
      openssl([...base, '-passout', 'pass:pässwörd-ü', '-out', p(`${k}-utf8.p12`)]);
      openssl(['pkcs12', '-export', '-in', p(`${k}-p12cert.pem`), '-nokeys', '-passout', `pass:${PW}`, '-out', p(`${k}-nokeys.p12`)]);
    }
    openssl(['crl2pkcs7', '-nocrl', '-certfile', p('rsa-p12cert.pem'), '-certfile', p('ec-p12cert.pem'), '-out', p('bundle.p7c')]);
    openssl(['crl2pkcs7', '-nocrl', '-certfile', p('rsa-p12cert.pem'), '-certfile', p('ec-p12cert.pem'), '-outform', 'DER', '-out', p('bundle.p7b')]);
  });

  it.each(kinds)('%s: PKCS#12 default, -legacy, empty password, -nomac, UTF-8 password and -nokeys', (k) => {
    const spki = opensslSpki(`${k}-p12key.pem`);
    const cert = derOfPem(`${k}-p12cert.pem`);
    const files: Array<[string, string | undefined]> = [
      [`${k}-default.p12`, PW],
      [`${k}-legacy.p12`, PW],
      [`${k}-nopass.p12`, undefined],
      [`${k}-nopass.p12`, ''],
      [`${k}-legacy-nopass.p12`, undefined],
      [`${k}-nomac.p12`, PW],
      [`${k}-utf8.p12`, 'pässwörd-ü'],
    ];
    for (const [name, password] of files) {
      const objs = read(name, password);
      expect(certHexes(objs), name).toEqual([cert]);
      const key = onlyKey(objs);
      expect(key.format).toBe('pkcs12');
      expect(spkiSha256(key.key), name).toBe(spki);
    }
    expect(certHexes(read(`${k}-nokeys.p12`, PW))).toEqual([cert]);
    expect(read(`${k}-nokeys.p12`, PW).some((o) => o.kind === 'private-key')).toBe(false);
    for (const name of [`${k}-default.p12`, `${k}-legacy.p12`, `${k}-nomac.p12`, `${k}-nokeys.p12`]) {
      expect(codeOf(() => read(name, 'wrong'))).toBe('WRONG_PASSWORD');
      expect(codeOf(() => read(name))).toBe('PASSWORD_REQUIRED');
    }
  });

  it('reads PKCS#7 bundles from crl2pkcs7 in PEM and DER', () => {
    const expected = [derOfPem('rsa-p12cert.pem'), derOfPem('ec-p12cert.pem')];
    expect(certHexes(read('bundle.p7c'))).toEqual(expected);
    expect(certHexes(read('bundle.p7b'))).toEqual(expected);
  });

  it.each(kinds)('%s: reads CSRs in PEM and DER and verifies them', (k) => {
    for (const name of [`${k}.csr`, `${k}.csr.der`]) {
      const objs = read(name);
      expect(objs.map((o) => o.kind)).toEqual(['csr']);
      const o = objs[0];
      if (o?.kind !== 'csr') throw new Error('not a CSR');
      const info = inspectCsr(o.der);
      expect(info.signatureValid).toBe(true);
      expect(info.spkiSha256).toBe(opensslSpki(`${k}-p12key.pem`));
      expect(info.sans).toEqual([{ type: 'dns', value: `${k}.csr.example` }]);
      expect(info.subject).toBe(`CN=${k}.csr.example`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// inspect vs OpenSSL and X509Certificate

interface OpensslFacts {
  serial: string;
  sha256: string;
  sha1: string;
  notBefore: string;
  notAfter: string;
  subject: string;
  issuer: string;
  signatureAlgorithm: string;
  version: number;
  ext: Map<string, { critical: boolean; lines: string[] }>;
  spkiSha256: string;
}

const EXTS = 'subjectAltName,keyUsage,extendedKeyUsage,basicConstraints,subjectKeyIdentifier,authorityKeyIdentifier,authorityInfoAccess,crlDistributionPoints';

function opensslFacts(file: string): OpensslFacts {
  const out = openssl(['x509', '-in', file, '-noout', '-serial', '-fingerprint', '-sha256', '-dates', '-subject', '-issuer', '-nameopt', 'RFC2253,-esc_msb', '-ext', EXTS]).toString('utf8');
  const sha1 = openssl(['x509', '-in', file, '-noout', '-fingerprint', '-sha1']).toString();
  const text = openssl(['x509', '-in', file, '-noout', '-text']).toString();
  const pub = openssl(['x509', '-in', file, '-noout', '-pubkey']);
  const spki = openssl(['pkey', '-pubin', '-outform', 'DER'], pub);
  const field = (re: RegExp, s: string): string => re.exec(s)?.[1] ?? '';
  const ext = new Map<string, { critical: boolean; lines: string[] }>();
  let current: { critical: boolean; lines: string[] } | undefined;
  for (const line of out.split('\n')) {
    const h = /^(X509v3 [^:]+|Authority Information Access):\s*(critical)?\s*$/.exec(line);
    if (h) {
      current = { critical: h[2] === 'critical', lines: [] };
      ext.set(h[1] as string, current);
    } else if (current && /^\s+\S/.test(line)) {
      current.lines.push(line.trim());
    } else {
      current = undefined;
    }
  }
  const toIso = (s: string): string => new Date(s).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    serial: field(/^serial=([0-9A-F]+)$/m, out).toLowerCase(),
    sha256: field(/^sha256 Fingerprint=([0-9A-F:]+)$/m, out).replace(/:/g, '').toLowerCase(),
    sha1: field(/^sha1 Fingerprint=([0-9A-F:]+)$/m, sha1).replace(/:/g, '').toLowerCase(),
    notBefore: toIso(field(/^notBefore=(.+)$/m, out)),
    notAfter: toIso(field(/^notAfter=(.+)$/m, out)),
    subject: field(/^subject=(.*)$/m, out),
    issuer: field(/^issuer=(.*)$/m, out),
    signatureAlgorithm: field(/Signature Algorithm: (\S+)/, text),
    version: Number(field(/Version: (\d+)/, text)),
    ext,
    spkiSha256: sha256(spki),
  };
}

/** OpenSSL RFC 2253 → Certdesk's RFC 4514 form: ", " separators and RFC 4519 names; AVAs in an RDN sorted. */
function normaliseDn(dn: string, separator: RegExp): string {
  const names: Record<string, string> = { serialNumber: 'SERIALNUMBER', street: 'STREET' };
  return dn
    .split(separator)
    .map((rdn) =>
      rdn
        .split(/(?<!\\)\+/)
        .map((ava) => ava.replace(/^([^=]+)=/, (_, n: string) => `${names[n] ?? n}=`))
        .sort()
        .join('+'),
    )
    .join(', ');
}

const KU: Record<string, string> = {
  'Digital Signature': 'digitalSignature',
  'Non Repudiation': 'nonRepudiation',
  'Key Encipherment': 'keyEncipherment',
  'Data Encipherment': 'dataEncipherment',
  'Key Agreement': 'keyAgreement',
  'Certificate Sign': 'keyCertSign',
  'CRL Sign': 'cRLSign',
  'Encipher Only': 'encipherOnly',
  'Decipher Only': 'decipherOnly',
};
const EKU_OIDS: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
};

function opensslSans(lines: string[] | undefined): San[] {
  if (lines === undefined) return [];
  return lines
    .join(' ')
    .split(/, (?=DNS:|IP Address:|email:|URI:|DirName:|othername:|Registered ID:)/)
    .map((entry): San => {
      const [kind, ...rest] = entry.split(':');
      const value = rest.join(':');
      switch (kind) {
        case 'DNS':
          return { type: 'dns', value };
        case 'email':
          return { type: 'email', value };
        case 'URI':
          return { type: 'uri', value };
        case 'IP Address':
          return { type: 'ip', value: value.includes(':') ? new SocketAddress({ address: value, family: 'ipv6' }).address : value };
        default:
          return { type: 'other', value: entry };
      }
    });
}

function hex(lines: string[] | undefined): string | null {
  if (lines === undefined || lines.length === 0) return null;
  return (lines[0] as string).replace(/^keyid:/, '').replace(/:/g, '').toLowerCase();
}

/** Compares every field of `inspectCertificate` with OpenSSL and Node for one PEM file. */
function compareWithOpenssl(file: string): CertificateInfo {
  const der = openssl(['x509', '-in', file, '-outform', 'DER']);
  const info = inspectCertificate(der);
  const o = opensslFacts(file);
  const x = new X509Certificate(der);
  expect(info.serialNumber).toBe(o.serial.replace(/^0+(?=.)/, ''));
  expect(info.serialNumber).toBe(x.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''));
  expect(info.fingerprints).toEqual({ sha256: o.sha256, sha1: o.sha1 });
  expect(info.fingerprints.sha256).toBe(x.fingerprint256.replace(/:/g, '').toLowerCase());
  expect(info.notBefore).toBe(o.notBefore);
  expect(info.notAfter).toBe(o.notAfter);
  expect(normaliseDn(info.subject, /(?<!\\), /)).toBe(normaliseDn(o.subject, /(?<!\\),/));
  expect(normaliseDn(info.issuer, /(?<!\\), /)).toBe(normaliseDn(o.issuer, /(?<!\\),/));
  expect(info.signatureAlgorithm).toBe(o.signatureAlgorithm);
  expect(info.version).toBe(o.version);
  expect(info.spkiSha256).toBe(o.spkiSha256);
  expect(info.publicKey).toEqual(describePublicKey(x.publicKey));
  expect(info.sans).toEqual(opensslSans(o.ext.get('X509v3 Subject Alternative Name')?.lines));
  const ku = o.ext.get('X509v3 Key Usage')?.lines.join(' ').split(', ').map((s) => KU[s] ?? s) ?? [];
  expect(info.keyUsage).toEqual(ku);
  expect(info.extendedKeyUsage.map((n) => EKU_OIDS[n] ?? n)).toEqual(x.keyUsage ?? []);
  const bc = o.ext.get('X509v3 Basic Constraints')?.lines.join(' ') ?? '';
  expect(info.isCA).toBe(bc.startsWith('CA:TRUE'));
  expect(info.isCA).toBe(x.ca);
  expect(info.pathLength).toBe(/pathlen:(\d+)/.test(bc) ? Number(/pathlen:(\d+)/.exec(bc)?.[1]) : null);
  expect(info.subjectKeyIdentifier).toBe(hex(o.ext.get('X509v3 Subject Key Identifier')?.lines));
  expect(info.authorityKeyIdentifier).toBe(hex(o.ext.get('X509v3 Authority Key Identifier')?.lines));
  const aia = o.ext.get('Authority Information Access')?.lines ?? [];
  expect(info.ocsp).toEqual(aia.filter((l) => l.startsWith('OCSP - URI:')).map((l) => l.slice('OCSP - URI:'.length)));
  expect(info.caIssuers).toEqual(aia.filter((l) => l.startsWith('CA Issuers - URI:')).map((l) => l.slice('CA Issuers - URI:'.length)));
  const crl = o.ext.get('X509v3 CRL Distribution Points')?.lines ?? [];
  expect(info.crlDistributionPoints).toEqual(crl.filter((l) => l.startsWith('URI:')).map((l) => l.slice(4)));
  // Self-signed means issuer = subject and the certificate's own key verifies it (checkIssued would
  // also demand keyCertSign, which a self-signed server certificate need not have).
  expect(info.selfSigned).toBe(x.subject === x.issuer && x.verify(x.publicKey));
  return info;
}

describe('inspectCertificate agrees with OpenSSL and X509Certificate', () => {
  const CNF = `
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[int]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[web]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = @web_san
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:http://ocsp.example.net,caIssuers;URI:http://ca.example.net/ca.cer,OCSP;URI:http://ocsp2.example.net
crlDistributionPoints = URI:http://crl.example.net/ca.crl,URI:ldap://ldap.example.net/cn=ca
[web_san]
DNS.1 = www.example.net
DNS.2 = *.example.net
IP.1 = 198.51.100.7
IP.2 = 2001:db8:0:0:1::1
IP.3 = ::1
IP.4 = ::ffff:10.0.0.1
IP.5 = fe80::
email.1 = ops@example.net
URI.1 = https://example.net/path?q=1
[many_eku]
keyUsage = nonRepudiation,dataEncipherment,keyAgreement,encipherOnly,decipherOnly
extendedKeyUsage = codeSigning,emailProtection,timeStamping,OCSPSigning,msCodeInd,anyExtendedKeyUsage
subjectAltName = DNS:x.example.net
`;
  interface CertCase {
    readonly name: string;
    readonly key: string[];
    readonly subject: string;
    readonly issuer?: 'ca';
    readonly ext?: string;
    readonly args?: string[];
  }
  const RSA = ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
  const ec = (curve: string): string[] => ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`];
  const cases: CertCase[] = [
    { name: 'ca', key: RSA, subject: '/C=US/O=Interop CA/CN=Interop Root', ext: 'ca', args: ['-set_serial', '1'] },
    { name: 'web-rsa', key: RSA, subject: '/C=US/ST=California/L=San Francisco/O=Example, Inc./OU=Web/OU=Platform/CN=www.example.net', issuer: 'ca', ext: 'web', args: ['-set_serial', '0xf1e2d3c4b5a6978812345678901234567890abcd'] },
    { name: 'web-p256', key: ec('P-256'), subject: '/CN=p256.example.net/emailAddress=ops@example.net/DC=example/DC=net/serialNumber=42/street=1 Main St', issuer: 'ca', ext: 'web', args: ['-sha384', '-set_serial', '0x0080'] },
    { name: 'int-p384', key: ec('P-384'), subject: '/C=DE/O=Interop/OU=Issuing/CN=Interop Issuing CA', issuer: 'ca', ext: 'int' },
    { name: 'eku-p521', key: ec('P-521'), subject: '/CN=x+UID=jdoe/O=Acme; "Quoted" <x>/OU=\\#hash/CN=a\\+b, c ', ext: 'many_eku', args: ['-sha512'] },
    { name: 'root-p521', key: ec('P-521'), subject: '/CN=P-521 Root', ext: 'ca', args: ['-sha512', '-days', '2900000'] },
    { name: 'ed25519', key: ['-algorithm', 'ED25519'], subject: '/CN=Ed25519 Root', ext: 'ca' },
    { name: 'rsa-pss-sig', key: RSA, subject: '/CN=PSS signed', ext: 'ca', args: ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'] },
    { name: 'rsa-pss-key', key: ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'], subject: '/CN=PSS key', ext: 'ca' },
    { name: 'utf8', key: ec('P-256'), subject: '/CN=Zoë Ünïcödé/O=日本語/OU=Ελληνικά', ext: 'web', args: ['-utf8', '-set_serial', '0'] },
    { name: 'sha1', key: RSA, subject: '/CN=sha1 legacy', ext: 'web', args: ['-sha1'] },
  ];

  beforeAll(() => {
    writeFileSync(p('interop.cnf'), CNF);
    for (const c of cases) {
      openssl(['genpkey', ...c.key, '-out', p(`${c.name}.key`)]);
      const subj = ['-subj', c.subject, '-config', p('interop.cnf')];
      if (c.issuer === undefined) {
        openssl(['req', '-x509', '-new', '-key', p(`${c.name}.key`), ...subj, '-extensions', c.ext ?? 'ca', '-days', '365', ...(c.args ?? []), '-out', p(`${c.name}.pem`)]);
      } else {
        openssl(['req', '-new', '-key', p(`${c.name}.key`), ...subj, ...(c.args?.includes('-utf8') ? ['-utf8'] : []), '-out', p(`${c.name}.csr`)]);
        openssl(['x509', '-req', '-in', p(`${c.name}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-extfile', p('interop.cnf'), '-extensions', c.ext ?? 'web', '-days', '90', ...(c.args ?? []).filter((a) => a !== '-utf8'), '-out', p(`${c.name}.pem`)]);
      }
    }
    // A version 1 certificate: x509 -req without extensions.
    openssl(['req', '-new', '-key', p('web-rsa.key'), '-subj', '/CN=v1 cert', '-config', p('interop.cnf'), '-out', p('v1.csr')]);
    openssl(['x509', '-req', '-in', p('v1.csr'), '-signkey', p('web-rsa.key'), '-days', '10', '-out', p('v1.pem')]);
  });

  it.each(cases.map((c) => c.name))('%s', (name) => {
    const info = compareWithOpenssl(p(`${name}.pem`));
    if (name === 'web-rsa') {
      expect(info.subject).toBe('CN=www.example.net, OU=Platform, OU=Web, O=Example\\, Inc., L=San Francisco, ST=California, C=US');
      expect(info.serialNumber).toBe('f1e2d3c4b5a6978812345678901234567890abcd');
      expect(info.sans.filter((s) => s.type === 'ip').map((s) => s.value)).toEqual(['198.51.100.7', '2001:db8::1:0:0:1', '::1', '::ffff:10.0.0.1', 'fe80::']);
      expect(info.role).toBe('leaf');
    }
    if (name === 'int-p384') expect(info).toMatchObject({ role: 'intermediate', pathLength: 0, isCA: true });
    if (name === 'root-p521') expect(info.notAfter.startsWith('99')).toBe(true);
    if (name === 'ed25519' || name === 'ca' || name === 'rsa-pss-sig' || name === 'rsa-pss-key') expect(info).toMatchObject({ role: 'root', selfSigned: true });
    if (name === 'rsa-pss-sig') expect(info.signatureAlgorithm).toBe('rsassaPss');
    if (name === 'utf8') expect(info.subject).toBe('OU=Ελληνικά, O=日本語, CN=Zoë Ünïcödé');
  });

  it('v1 certificate', () => {
    const info = compareWithOpenssl(p('v1.pem'));
    expect(info).toMatchObject({ version: 1, isCA: false, role: 'leaf', selfSigned: true, keyUsage: [], sans: [] });
  });

  it('every system root inspects and agrees with X509Certificate', () => {
    let verified = 0;
    for (const pem of rootCertificates) {
      const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
      const objs = readMaterial(Buffer.from(pem), { fileName: 'root.pem' });
      expect(certHexes(objs)).toEqual([der.toString('hex')]);
      const x = new X509Certificate(der);
      const info = inspectCertificate(der);
      expect(info.fingerprints.sha256).toBe(x.fingerprint256.replace(/:/g, '').toLowerCase());
      expect(info.spkiSha256).toBe(spkiSha256(x.publicKey));
      expect(info.selfSigned).toBe(x.verify(x.publicKey));
      if (info.selfSigned) verified++;
    }
    expect(verified).toBe(rootCertificates.length);
  });

  it('a sample of system roots agrees with openssl x509 field by field', () => {
    // Every 10th root keeps the OpenSSL process count (and the run time) modest.
    rootCertificates.forEach((pem, i) => {
      if (i % 10 !== 0) return;
      writeFileSync(p(`root-${i}.pem`), pem);
      compareWithOpenssl(p(`root-${i}.pem`));
    });
  });
});
