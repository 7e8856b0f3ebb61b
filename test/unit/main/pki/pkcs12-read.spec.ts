import { createHmac, createPrivateKey, pbkdf2Sync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { spkiSha256 } from '../../../../main/pki/keys.js';
import { pkcs12Kdf } from '../../../../main/pki/pkcs12-kdf.js';
import { passwordForms, readPkcs12 } from '../../../../main/pki/pkcs12-read.js';
import { readMaterial } from '../../../../main/pki/read.js';
import { openssl } from '../../../support/openssl.js';
import { FIXTURE_PASSWORD, captureError, fixture, oidDer, seqOf, tlv } from './read-test-helpers.js';

describe('pkcs12Kdf (RFC 7292 Appendix B)', () => {
  it('matches the classic "smeg" vector', () => {
    const bmp = passwordForms('smeg')[0]?.bmp as Buffer;
    expect(bmp.toString('hex')).toBe('0073006d006500670000');
    expect(pkcs12Kdf('sha1', bmp, Buffer.from('0A58CF64530D823F', 'hex'), 1, 1, 24).toString('hex')).toBe('8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3');
  });

  it('agrees with OpenSSL for several hashes, ids, lengths and iteration counts', () => {
    const cases: Array<[string, string, 1 | 2 | 3, number, number]> = [
      ['sha1', 'queeg', 3, 1000, 20],
      ['sha256', 'a much longer password than one block of sixty-four bytes, to be sure', 1, 2048, 32],
      ['sha512', 'p', 2, 3, 100],
      ['sha384', '', 3, 1, 48],
    ];
    for (const [hash, pw, id, iter, n] of cases) {
      const salt = randomBytes(13);
      const bmp = passwordForms(pw)[0]?.bmp as Buffer;
      const ours = pkcs12Kdf(hash, bmp, salt, id, iter, n).toString('hex');
      const theirs = openssl([
        'kdf', '-keylen', String(n), '-kdfopt', `digest:${hash.toUpperCase()}`, '-kdfopt', `hexpass:${bmp.toString('hex')}`,
        '-kdfopt', `hexsalt:${salt.toString('hex')}`, '-kdfopt', `iter:${iter}`, '-kdfopt', `id:${id}`, 'PKCS12KDF',
      ]).toString().trim().replace(/:/g, '').toLowerCase();
      expect(ours).toBe(theirs);
    }
  });
});

describe('passwordForms', () => {
  it('tries both encodings of "no password" and the pre-3.0 OpenSSL form of non-ASCII passwords', () => {
    expect(passwordForms(undefined).map((f) => f.bmp.toString('hex'))).toEqual(['0000', '']);
    expect(passwordForms('').map((f) => f.bmp.toString('hex'))).toEqual(['0000', '']);
    const forms = passwordForms('pé');
    expect(forms.map((f) => f.bmp.toString('hex'))).toEqual(['007000e90000', '007000c300a90000']);
    expect(forms[0]?.utf8.toString('hex')).toBe('70c3a9');
  });
});

describe('readPkcs12 against other writers', () => {
  const key = createPrivateKey(fixture('leaf-key.pem'));
  const forgeKey = forge.pki.privateKeyFromPem(fixture('leaf-key.pem').toString());
  const forgeCert = forge.pki.certificateFromPem(fixture('leaf.pem').toString());

  it.each(['3des', 'aes256', 'aes128'] as const)('reads node-forge PKCS#12 with %s', (algorithm) => {
    const asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey, [forgeCert], 'forge-pw', { algorithm });
    const der = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    const objs = readMaterial(der, { fileName: 'forge.p12', password: 'forge-pw' });
    expect(objs.map((o) => o.kind).sort()).toEqual(['certificate', 'private-key']);
    const k = objs.find((o) => o.kind === 'private-key');
    expect(k?.kind === 'private-key' && spkiSha256(k.key)).toBe(spkiSha256(key));
    expect(captureError(() => readMaterial(der, { fileName: 'forge.p12', password: 'nope' })).code).toBe('WRONG_PASSWORD');
  });

  it('reads a non-ASCII password in the pre-3.0 OpenSSL encoding (UTF-8 bytes widened)', () => {
    // forge widens each character code, so handing it the UTF-8 bytes as a binary string reproduces
    // what OpenSSL 1.x wrote for a UTF-8 password.
    const legacyPw = Buffer.from('pässwörd', 'utf8').toString('binary');
    const asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey, [forgeCert], legacyPw, { algorithm: '3des' });
    const der = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    const objs = readMaterial(der, { fileName: 'old.p12', password: 'pässwörd' });
    expect(objs.map((o) => o.kind).sort()).toEqual(['certificate', 'private-key']);
  });

  it('reads BER (indefinite-length, chunked OCTET STRING) PKCS#12 as Windows writes it', () => {
    const der = fixture('ec-modern.p12');
    // Split the DER PFX into version, authSafe ContentInfo and macData, then re-encode the outer layers as BER.
    const items = splitSequence(der);
    const [version, authSafe, macData] = items as [Buffer, Buffer, Buffer];
    const [, ctx] = splitSequence(authSafe) as [Buffer, Buffer];
    const octets = contentOf(contentOf(ctx));
    const chunks: Buffer[] = [];
    for (let i = 0; i < octets.length; i += 500) chunks.push(tlv(0x04, octets.subarray(i, i + 500)));
    const ber = Buffer.concat([
      Buffer.from([0x30, 0x80]), version,
      Buffer.from([0x30, 0x80]), oidDer('1.2.840.113549.1.7.1'), Buffer.from([0xa0, 0x80, 0x24, 0x80]), ...chunks, Buffer.alloc(6),
      macData, Buffer.alloc(2),
    ]);
    const objs = readMaterial(ber, { fileName: 'ber.p12', password: FIXTURE_PASSWORD });
    expect(objs.map((o) => o.kind)).toEqual(['certificate', 'private-key']);
  });

  it('verifies an RFC 9579 PBMAC1 integrity check', () => {
    const der = fixture('ec-unencrypted.p12');
    const [version, authSafe] = splitSequence(der) as [Buffer, Buffer];
    const [, ctx] = splitSequence(authSafe) as [Buffer, Buffer];
    const content = contentOf(contentOf(ctx));
    const salt = randomBytes(16);
    const pw = 'pbmac1-pw';
    const macKey = pbkdf2Sync(Buffer.from(pw), salt, 1000, 32, 'sha256');
    const mac = createHmac('sha256', macKey).update(content).digest();
    const hmacSha256 = seqOf(oidDer('1.2.840.113549.2.9'), tlv(0x05, Buffer.alloc(0)));
    const pbkdf2 = seqOf(oidDer('1.2.840.113549.1.5.12'), seqOf(tlv(0x04, salt), tlv(0x02, Buffer.from([0x03, 0xe8])), tlv(0x02, Buffer.from([32])), hmacSha256));
    const pbmac1 = seqOf(oidDer('1.2.840.113549.1.5.14'), seqOf(pbkdf2, hmacSha256));
    const macData = seqOf(seqOf(pbmac1, tlv(0x04, mac)), tlv(0x04, Buffer.from('NOT USED')), tlv(0x02, Buffer.from([1])));
    const p12 = seqOf(version, authSafe, macData);
    expect(readPkcs12(p12, pw, 'pbmac1.p12').map((i) => i.kind)).toEqual(['certificate', 'private-key']);
    expect(captureError(() => readPkcs12(p12, 'wrong', 'pbmac1.p12')).code).toBe('WRONG_PASSWORD');
  });

  it('refuses absurd iteration counts instead of hanging', () => {
    const der = Buffer.from(fixture('ec-legacy.p12'));
    // The MAC iteration count is the last INTEGER of the file: 02 02 08 00 → 02 03 7f ff ff would change lengths,
    // so rebuild macData with a huge count instead.
    const [version, authSafe, macData] = splitSequence(der) as [Buffer, Buffer, Buffer];
    const [digestInfo, salt] = splitSequence(macData) as [Buffer, Buffer];
    const p12 = seqOf(version, authSafe, seqOf(digestInfo, salt, tlv(0x02, Buffer.from([0x7f, 0xff, 0xff, 0xff]))));
    const started = Date.now();
    const err = captureError(() => readPkcs12(p12, FIXTURE_PASSWORD, 'slow.p12'));
    expect(err.code).toBe('UNSUPPORTED_ALGORITHM');
    expect(err.message).toMatch(/^slow\.p12: .*2147483647 key-derivation iterations/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

/** The child elements of a DER SEQUENCE (definite lengths only; test helper). */
function splitSequence(der: Buffer): Buffer[] {
  const body = contentOf(der);
  const out: Buffer[] = [];
  for (let p = 0; p < body.length; ) {
    const len = elementLength(body, p);
    out.push(body.subarray(p, p + len));
    p += len;
  }
  return out;
}

function headerLength(b: Buffer, p: number): number {
  const first = b[p + 1] as number;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function elementLength(b: Buffer, p: number): number {
  const first = b[p + 1] as number;
  if (first < 0x80) return 2 + first;
  let len = 0;
  for (let i = 0; i < (first & 0x7f); i++) len = len * 256 + (b[p + 2 + i] as number);
  return headerLength(b, p) + len;
}

function contentOf(der: Buffer): Buffer {
  return der.subarray(headerLength(der, 0), elementLength(der, 0));
}
