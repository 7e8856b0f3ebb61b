import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { spkiSha256 } from '../../../../main/pki/keys.js';
import { MAX_INPUT_BYTES, type PkiObject, type PrivateKeyObject } from '../../../../main/pki/objects.js';
import { classifyCertificate, readMaterial } from '../../../../main/pki/read.js';
import { FIXTURE_PASSWORD, captureError, fixture, oidDer, pemCertificates, seqOf, tlv } from './read-test-helpers.js';

const read = (name: string, password?: string): PkiObject[] => readMaterial(fixture(name), { fileName: name, password });
const kinds = (objs: PkiObject[]): string[] => objs.map((o) => o.kind);
const keyOf = (objs: PkiObject[]): PrivateKeyObject => {
  const k = objs.find((o): o is PrivateKeyObject => o.kind === 'private-key');
  if (k === undefined) throw new Error('no key');
  return k;
};
const certDers = (objs: PkiObject[]): string[] => objs.flatMap((o) => (o.kind === 'certificate' ? [o.der.toString('hex')] : []));

// Independent oracles: Node's own PEM loader on the plain fixtures.
const RSA_SPKI = spkiSha256(createPrivateKey(fixture('leaf-key.pem')));
const EC_SPKI = spkiSha256(createPrivateKey(fixture('ec-key.pem')));
const leafDer = pemCertificates(fixture('leaf.pem').toString())[0] as Buffer;
const intDer = pemCertificates(fixture('int.pem').toString())[0] as Buffer;
const caDer = pemCertificates(fixture('ca.pem').toString())[0] as Buffer;
const CA_SPKI = createHashOfCertKey(caDer);

function createHashOfCertKey(der: Buffer): string {
  return spkiSha256(createPublicKey(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'pem' })));
}

describe('readMaterial: certificates', () => {
  it('reads PEM, DER, chains, text dumps and OpenSSL trusted certificates', () => {
    expect(certDers(read('leaf.pem'))).toEqual([leafDer.toString('hex')]);
    expect(certDers(read('leaf.der'))).toEqual([leafDer.toString('hex')]);
    expect(certDers(read('chain.pem'))).toEqual([leafDer, intDer].map((d) => d.toString('hex')));
    expect(certDers(read('leaf-text.pem'))).toEqual([leafDer.toString('hex')]);
    expect(fixture('ca-trusted.pem').toString()).toContain('BEGIN TRUSTED CERTIFICATE');
    expect(certDers(read('ca-trusted.pem'))).toEqual([caDer.toString('hex')]);
  });

  it('tolerates CRLF, a UTF-8 BOM, UTF-16, blank lines and trailing whitespace', () => {
    const pem = fixture('chain.pem').toString();
    const variants = [
      pem.replace(/\n/g, '\r\n'),
      `\ufeff${pem}`,
      pem.replace(/\n/g, '   \n\n'),
      `Some notes\n\n${pem}\n\n\n`,
    ];
    for (const v of variants) expect(certDers(readMaterial(Buffer.from(v, 'utf8'), { fileName: 'v.pem' }))).toHaveLength(2);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pem, 'utf16le')]);
    expect(certDers(readMaterial(utf16, { fileName: 'u16.pem' }))).toHaveLength(2);
  });

  it('reads JSON-escaped PEM and a PKCS#7 bundle labelled CERTIFICATE', () => {
    const json = JSON.stringify({ cert: fixture('leaf.pem').toString() }).replace(/\//g, '\\/');
    expect(json).toContain('\\/');
    expect(certDers(readMaterial(Buffer.from(json), { fileName: 'cert.json' }))).toEqual([leafDer.toString('hex')]);
    const p7 = fixture('chain.p7b').toString('base64');
    const pem = `-----BEGIN CERTIFICATE-----\n${p7}\n-----END CERTIFICATE-----\n`;
    expect(certDers(readMaterial(Buffer.from(pem), { fileName: 'p7.crt' }))).toHaveLength(3);
  });

  it('reads bare base64 and concatenated DER', () => {
    expect(certDers(readMaterial(Buffer.from(leafDer.toString('base64')), { fileName: 'b64.txt' }))).toEqual([leafDer.toString('hex')]);
    expect(certDers(readMaterial(Buffer.concat([leafDer, intDer]), { fileName: 'two.der' }))).toHaveLength(2);
    expect(certDers(readMaterial(Buffer.concat([leafDer, Buffer.from('\r\n')]), { fileName: 'nl.der' }))).toHaveLength(1);
  });

  it('reads PKCS#7 bundles in DER and PEM, in order', () => {
    expect(certDers(read('chain.p7b'))).toEqual([leafDer, intDer, caDer].map((d) => d.toString('hex')));
    expect(certDers(read('chain-p7.pem'))).toEqual([leafDer, intDer].map((d) => d.toString('hex')));
  });

  it('reads BER (indefinite-length) PKCS#7', () => {
    const der = fixture('chain.p7b');
    // Re-wrap the outer ContentInfo and [0] with indefinite lengths, as some Windows/Java tools write.
    const inner = der.subarray(der.indexOf(Buffer.from([0xa0])));
    const t = inner[1] as number;
    const sd = inner.subarray(t & 0x80 ? 2 + (t & 0x7f) : 2);
    const ber = Buffer.concat([Buffer.from([0x30, 0x80]), oidDer('1.2.840.113549.1.7.2'), Buffer.from([0xa0, 0x80]), sd, Buffer.alloc(4)]);
    expect(certDers(readMaterial(ber, { fileName: 'ber.p7b' }))).toHaveLength(3);
  });

  it('classifies leaf, intermediate and root', () => {
    expect(classifyCertificate(leafDer)).toBe('leaf');
    expect(classifyCertificate(intDer)).toBe('intermediate');
    expect(classifyCertificate(caDer)).toBe('root');
  });
});

describe('readMaterial: private keys', () => {
  const plain: Array<[string, PrivateKeyObject['format'], string]> = [
    ['leaf-key.pem', 'pkcs8', RSA_SPKI],
    ['rsa-pkcs8.der', 'pkcs8', RSA_SPKI],
    ['rsa-pkcs1.pem', 'pkcs1', RSA_SPKI],
    ['rsa-pkcs1.der', 'pkcs1', RSA_SPKI],
    ['ec-key.pem', 'pkcs8', EC_SPKI],
    ['ec-sec1.pem', 'sec1', EC_SPKI],
    ['ec-sec1.der', 'sec1', EC_SPKI],
  ];
  it.each(plain)('reads %s as %s', (name, format, spki) => {
    const objs = read(name);
    expect(kinds(objs)).toEqual(['private-key']);
    const k = keyOf(objs);
    expect(k.format).toBe(format);
    expect(k.encrypted).toBe(false);
    expect(k.key.type).toBe('private');
    expect(spkiSha256(k.key)).toBe(spki);
  });

  it('skips EC PARAMETERS blocks written by openssl ecparam -genkey', () => {
    const objs = read('ec-ecparam.pem');
    expect(fixture('ec-ecparam.pem').toString()).toContain('EC PARAMETERS');
    expect(kinds(objs)).toEqual(['private-key']);
    expect(keyOf(objs).format).toBe('sec1');
  });

  const encrypted: Array<[string, PrivateKeyObject['format'], string]> = [
    ['rsa-pkcs8-aes256.pem', 'pkcs8-encrypted', RSA_SPKI],
    ['ec-pkcs8-aes128-sha512.pem', 'pkcs8-encrypted', EC_SPKI],
    ['ec-pkcs8-aes256.der', 'pkcs8-encrypted', EC_SPKI],
    ['ec-pkcs8-des3.pem', 'pkcs8-encrypted', EC_SPKI],
    ['ec-pkcs8-pbe-sha1-3des.pem', 'pkcs8-encrypted', EC_SPKI],
    ['ec-pkcs8-pbe-sha1-rc2-40.pem', 'pkcs8-encrypted', EC_SPKI],
    ['ec-pkcs8-pbe-md5-des.pem', 'pkcs8-encrypted', EC_SPKI],
    ['ec-pkcs8-scrypt.pem', 'pkcs8-encrypted', EC_SPKI],
    ['rsa-legacy-aes128.pem', 'legacy-encrypted-pem', RSA_SPKI],
    ['rsa-legacy-des.pem', 'legacy-encrypted-pem', RSA_SPKI],
    ['ec-legacy-des3.pem', 'legacy-encrypted-pem', EC_SPKI],
    ['ec-legacy-aes256.pem', 'legacy-encrypted-pem', EC_SPKI],
  ];
  it.each(encrypted)('decrypts %s (%s)', (name, format, spki) => {
    const k = keyOf(read(name, FIXTURE_PASSWORD));
    expect(k.format).toBe(format);
    expect(k.encrypted).toBe(true);
    expect(spkiSha256(k.key)).toBe(spki);
  });

  it.each(encrypted.map(([n]) => n))('%s: wrong password → WRONG_PASSWORD, none → PASSWORD_REQUIRED', (name) => {
    const wrong = captureError(() => read(name, 'not-the-password'));
    expect(wrong.code).toBe('WRONG_PASSWORD');
    expect(wrong.message).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}: .*password is wrong`));
    expect(wrong.details.file).toBe(name);
    expect(wrong.message).not.toContain('not-the-password');
    const missing = captureError(() => read(name));
    expect(missing.code).toBe('PASSWORD_REQUIRED');
    expect(missing.message.startsWith(`${name}: `)).toBe(true);
  });

  it('reads keys and certificates from `openssl pkcs12 -nodes` output with Bag Attributes', () => {
    const objs = read('ec-bag-attributes.pem');
    expect(kinds(objs)).toEqual(['certificate', 'private-key']);
    expect(certDers(objs)).toEqual([caDer.toString('hex')]);
    expect(spkiSha256(keyOf(objs).key)).toBe(CA_SPKI);
  });
});

describe('readMaterial: PKCS#12', () => {
  const files: Array<[string, string, number]> = [
    ['rsa-modern.p12', RSA_SPKI, 2],
    ['rsa-legacy.p12', RSA_SPKI, 2],
    ['ec-modern.p12', CA_SPKI, 1],
    ['ec-legacy.p12', CA_SPKI, 1],
    ['ec-nomac.p12', CA_SPKI, 1],
    ['ec-rc4-2des.p12', CA_SPKI, 1],
  ];
  it.each(files)('reads %s', (name, spki, certs) => {
    const objs = read(name, FIXTURE_PASSWORD);
    expect(certDers(objs)).toHaveLength(certs);
    const k = keyOf(objs);
    expect(k.format).toBe('pkcs12');
    expect(k.encrypted).toBe(true);
    expect(spkiSha256(k.key)).toBe(spki);
  });

  it('puts the leaf and chain certificates from the file in file order', () => {
    expect(certDers(read('rsa-modern.p12', FIXTURE_PASSWORD)).sort()).toEqual([leafDer, intDer].map((d) => d.toString('hex')).sort());
  });

  it('reads a PKCS#12 with an empty password whether the password is omitted or empty', () => {
    for (const pw of [undefined, '']) {
      const objs = read('ec-empty-password.p12', pw);
      expect(spkiSha256(keyOf(objs).key)).toBe(CA_SPKI);
    }
  });

  it('reads certificate-only and unencrypted PKCS#12', () => {
    const certsOnly = read('certs-only.p12', FIXTURE_PASSWORD);
    expect(kinds(certsOnly)).toEqual(['certificate', 'certificate']);
    const plain = read('ec-unencrypted.p12', FIXTURE_PASSWORD);
    expect(keyOf(plain).encrypted).toBe(false);
  });

  it('rejects a wrong or missing password, naming the file', () => {
    for (const name of ['rsa-modern.p12', 'rsa-legacy.p12', 'ec-nomac.p12', 'certs-only.p12']) {
      const err = captureError(() => read(name, 'wrong'));
      expect(err.code).toBe('WRONG_PASSWORD');
      expect(err.message).toBe(`${name}: the PKCS#12 password is wrong`);
      expect(captureError(() => read(name)).code).toBe('PASSWORD_REQUIRED');
    }
    expect(captureError(() => read('ec-empty-password.p12', 'something')).code).toBe('WRONG_PASSWORD');
  });

  it('reports a damaged PKCS#12 as PKCS12_INVALID', () => {
    const p12 = Buffer.from(fixture('ec-modern.p12'));
    const v = p12.indexOf(Buffer.from([0x02, 0x01, 0x03]));
    p12[v + 2] = 2;
    const err = captureError(() => readMaterial(p12, { fileName: 'bad.p12', password: FIXTURE_PASSWORD }));
    expect(err.code).toBe('PKCS12_INVALID');
    expect(err.message).toMatch(/^bad\.p12: /);
  });
});

describe('readMaterial: CSRs and skipped blocks', () => {
  it('reads PEM and DER CSRs', () => {
    const pem = read('leaf-csr.pem');
    const der = read('leaf-csr.der');
    expect(kinds(pem)).toEqual(['csr']);
    expect(pem[0]?.kind === 'csr' && der[0]?.kind === 'csr' && pem[0].der.equals(der[0].der)).toBe(true);
  });

  it('skips PUBLIC KEY blocks without error', () => {
    const pub = createPublicKey(createPrivateKey(fixture('ec-key.pem'))).export({ type: 'spki', format: 'pem' });
    expect(readMaterial(Buffer.from(pub), { fileName: 'pub.pem' })).toEqual([]);
    const withCert = Buffer.from(`${pub}${fixture('leaf.pem').toString()}`);
    expect(kinds(readMaterial(withCert, { fileName: 'mixed.pem' }))).toEqual(['certificate']);
  });
});

describe('readMaterial: rejections', () => {
  const rd = (bytes: Uint8Array, fileName = 'in.bin', password?: string) => () => readMaterial(bytes, { fileName, password });

  it('FILE_TOO_LARGE and FILE_EMPTY', () => {
    const big = captureError(rd(Buffer.alloc(MAX_INPUT_BYTES + 1), 'big.bin'));
    expect(big.code).toBe('FILE_TOO_LARGE');
    expect(big.message).toMatch(/^big\.bin is too large/);
    for (const empty of [Buffer.alloc(0), Buffer.from('  \r\n\t\n'), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\ufeff\r\n')]) {
      const e = captureError(rd(empty, 'empty.pem'));
      expect(e.code).toBe('FILE_EMPTY');
      expect(e.message).toBe('empty.pem is empty');
    }
  });

  it('UNRECOGNISED_FORMAT for text and binary that is neither PEM nor DER', () => {
    expect(captureError(rd(Buffer.from('hello, this is a shopping list'), 'notes.txt')).code).toBe('UNRECOGNISED_FORMAT');
    expect(captureError(rd(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), 'img.png')).message).toMatch(/^img\.png /);
    expect(captureError(rd(seqOf(tlv(0x01, Buffer.from([0xff]))), 'odd.der')).code).toBe('UNRECOGNISED_FORMAT');
  });

  it('DER_TRUNCATED with the offset and promised size', () => {
    const err = captureError(rd(leafDer.subarray(0, 812), 'chain.der'));
    expect(err.code).toBe('DER_TRUNCATED');
    expect(err.message).toBe(`chain.der: DER data is truncated (ends at byte 812 of a ${leafDer.length}-byte structure)`);
  });

  it('DER_TRUNCATED inside a PEM block names the block', () => {
    const b64 = leafDer.subarray(0, 600).toString('base64');
    const err = captureError(rd(Buffer.from(`-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`), 'cut.pem'));
    expect(err.code).toBe('DER_TRUNCATED');
    expect(err.message).toMatch(/^cut\.pem \(PEM block 1, CERTIFICATE\): DER data is truncated \(ends at byte 600 of a \d+-byte structure\)/);
  });

  it('DER_INVALID for impossible length fields and trailing garbage', () => {
    expect(captureError(rd(Buffer.from([0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 'len.der')).code).toBe('DER_INVALID');
    const junk = captureError(rd(Buffer.concat([leafDer, Buffer.from('junk')]), 'junk.der'));
    expect(junk.code).toBe('DER_INVALID');
    expect(junk.message).toBe(`junk.der: 4 unexpected bytes follow the DER data (from byte ${leafDer.length})`);
  });

  it('PEM_INVALID for broken PEM', () => {
    expect(captureError(rd(Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n'), 'open.pem')).code).toBe('PEM_INVALID');
  });

  it('NOT_A_CERTIFICATE when a CERTIFICATE block holds something else', () => {
    const keyDer = fixture('rsa-pkcs8.der');
    const pem = `-----BEGIN CERTIFICATE-----\n${keyDer.toString('base64')}\n-----END CERTIFICATE-----\n`;
    const err = captureError(rd(Buffer.from(pem), 'mislabelled.pem'));
    expect(err.code).toBe('NOT_A_CERTIFICATE');
    expect(err.message).toMatch(/^mislabelled\.pem \(PEM block 1, CERTIFICATE\): .*private key/);
  });

  it('CERTIFICATE_INVALID, CSR_INVALID and KEY_INVALID for damaged contents', () => {
    const cert = Buffer.from(leafDer);
    // Turn the validity's notBefore into a malformed UTCTime.
    const at = cert.indexOf(Buffer.from([0x17, 0x0d]));
    cert[at + 3] = 0x41;
    const ce = captureError(rd(cert, 'bad-time.der'));
    expect(ce.code).toBe('CERTIFICATE_INVALID');
    expect(ce.message).toMatch(/^bad-time\.der: the certificate is malformed \(notBefore/);

    const csr = Buffer.from(fixture('leaf-csr.der'));
    const csrPem = `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.concat([csr.subarray(0, 4), Buffer.from([0x05, 0x00]), csr.subarray(6)]).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(captureError(rd(Buffer.from(csrPem), 'bad.csr')).code).toBe('CSR_INVALID');

    const pkcs8 = seqOf(tlv(0x02, Buffer.from([0])), seqOf(oidDer('1.2.840.10045.2.1'), oidDer('1.2.840.10045.3.1.7')), tlv(0x04, Buffer.from('garbage')));
    const ke = captureError(rd(pkcs8, 'garbage.key'));
    expect(ke.code).toBe('KEY_INVALID');
    expect(ke.message).toMatch(/^garbage\.key: /);
  });

  it('UNSUPPORTED_ALGORITHM for keys of unknown algorithms and encryption schemes', () => {
    const pkcs8 = seqOf(tlv(0x02, Buffer.from([0])), seqOf(oidDer('1.2.3.4.5.6')), tlv(0x04, Buffer.from('x')));
    const err = captureError(rd(pkcs8, 'odd.key'));
    expect(err.code).toBe('UNSUPPORTED_ALGORITHM');
    expect(err.message).toContain('1.2.3.4.5.6');
    const enc = seqOf(seqOf(oidDer('1.2.3.9'), tlv(0x05, Buffer.alloc(0))), tlv(0x04, Buffer.alloc(16)));
    expect(captureError(rd(enc, 'odd-enc.key', 'pw')).code).toBe('UNSUPPORTED_ALGORITHM');
  });

  it('PKCS7_INVALID for a SignedData without its parts', () => {
    const p7 = seqOf(oidDer('1.2.840.113549.1.7.2'), tlv(0xa0, seqOf(tlv(0x02, Buffer.from([1])))));
    expect(captureError(rd(p7, 'bad.p7b')).code).toBe('PKCS7_INVALID');
  });

  it('never leaks the password into messages', () => {
    const secret = 'S3cret-Pa55word!';
    for (const name of ['rsa-modern.p12', 'rsa-pkcs8-aes256.pem', 'rsa-legacy-aes128.pem']) {
      const err = captureError(() => read(name, secret));
      expect(JSON.stringify(err.toJSON())).not.toContain(secret);
    }
  });
});
