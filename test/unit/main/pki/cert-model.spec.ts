import { describe, expect, it } from 'vitest';
import { decodeTime, type Tlv, parseCertificate } from '../../../../main/pki/cert-model.js';
import { verifyChain } from '../../../../main/pki/chain.js';
import { bitString, int, issue, name, NOW, oid, seq, tlv } from './fixtures.js';

const time = (tag: number, text: string): Tlv => {
  const raw = tlv(tag, Buffer.from(text, 'latin1'));
  return { tag, constructed: false, value: raw.subarray(2), raw };
};

describe('decodeTime', () => {
  it('decodes UTCTime with the 1950/2049 pivot and GeneralizedTime', () => {
    const problems: { code: string; message: string }[] = [];
    expect(decodeTime(time(0x17, '491231235959Z'), problems, 't').toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(decodeTime(time(0x17, '500101000000Z'), problems, 't').toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(decodeTime(time(0x18, '29690503000001Z'), problems, 't').toISOString()).toBe('2969-05-03T00:00:01.000Z');
    expect(decodeTime(time(0x18, '00010101000000Z'), problems, 't').getUTCFullYear()).toBe(1);
    expect(decodeTime(time(0x18, '20240229120000Z'), problems, 't').toISOString()).toBe('2024-02-29T12:00:00.000Z');
    expect(problems).toEqual([]);
  });

  it('refuses impossible dates and non-time types', () => {
    const p: { code: string; message: string }[] = [];
    expect(() => decodeTime(time(0x18, '20230229120000Z'), p, 'notAfter')).toThrow(/notAfter "20230229120000Z" is not a valid time/);
    expect(() => decodeTime(time(0x17, '241301000000Z'), p, 't')).toThrow();
    expect(() => decodeTime(time(0x17, '240101246000Z'), p, 't')).toThrow();
    expect(() => decodeTime(time(0x17, '20240101000000Z'), p, 't')).toThrow();
    expect(() => decodeTime(time(0x18, '240101000000Z'), p, 't')).toThrow();
    expect(() => decodeTime(time(0x0c, '240101000000Z'), p, 't')).toThrow(/not a UTCTime or GeneralizedTime/);
  });

  it('decodes but reports forms RFC 5280 forbids (no seconds, offsets, fractions)', () => {
    const p: { code: string; message: string }[] = [];
    expect(decodeTime(time(0x17, '2401011200Z'), p, 'a').toISOString()).toBe('2024-01-01T12:00:00.000Z');
    expect(decodeTime(time(0x17, '240101120000+0200'), p, 'b').toISOString()).toBe('2024-01-01T10:00:00.000Z');
    expect(decodeTime(time(0x18, '20240101120000.5Z'), p, 'c').toISOString()).toBe('2024-01-01T12:00:00.000Z');
    expect(p.map((x) => x.code)).toEqual(['MALFORMED_TIME', 'MALFORMED_TIME', 'MALFORMED_TIME']);
  });
});

describe('parseCertificate structure', () => {
  const good = issue({ cn: 'www.example.com' });

  it('reads the validity period', () => {
    const m = parseCertificate(good.der);
    expect(m.notBefore.getTime()).toBe(NOW.getTime() - 30 * 86_400_000);
    expect(m.notAfter.getTime()).toBe(NOW.getTime() + 60 * 86_400_000);
  });

  it('rejects what is not a certificate, naming the file', () => {
    expect(() => parseCertificate(seq(int(1)), 'x.pem')).toThrow(/x\.pem is not a valid X\.509 certificate/);
    expect(() => parseCertificate(Buffer.concat([good.der, Buffer.from([0])]), 'x.pem')).toThrow(/trailing data/);
    // tbsCertificate with a validity of three times.
    const tbs = seq(tlv(0xa0, int(2)), int(5), seq(oid('1.2.840.10045.4.3.2')), name('a'), seq(tlv(0x17, Buffer.from('240101000000Z')), tlv(0x17, Buffer.from('250101000000Z')), tlv(0x17, Buffer.from('260101000000Z'))), name('a'), seq());
    expect(() => parseCertificate(seq(tbs, seq(oid('1.2.840.10045.4.3.2')), bitString(Buffer.alloc(8))))).toThrow(/validity is not two times/);
    // Unknown version 4.
    const tbs4 = seq(tlv(0xa0, int(3)), int(5), seq(oid('1.2.840.10045.4.3.2')), name('a'), seq(tlv(0x17, Buffer.from('240101000000Z')), tlv(0x17, Buffer.from('250101000000Z'))), name('a'), seq());
    expect(() => parseCertificate(seq(tbs4, seq(oid('1.2.840.10045.4.3.2')), bitString(Buffer.alloc(8))))).toThrow(/unknown certificate version/);
  });

  it('a certificate whose time is not in the RFC 5280 form parses but is not trusted', () => {
    const root = issue({ cn: 'Root', ca: true });
    const validity = seq(tlv(0x17, Buffer.from('2512010000Z')), tlv(0x17, Buffer.from('260301000000Z')));
    const leaf = issue({ cn: 'www.example.com', rawValidity: validity }, root);
    const m = parseCertificate(leaf.der);
    expect(m.notBefore.toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(m.problems.map((x) => x.code)).toEqual(['MALFORMED_TIME']);
    const r = verifyChain({ leaf: leaf.der, pool: [], anchors: [root.der], at: NOW });
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.code)).toEqual(['MALFORMED_TIME']);
    const ok = issue({ cn: 'www.example.com', rawValidity: seq(tlv(0x17, Buffer.from('251201000000Z')), tlv(0x18, Buffer.from('20260301000000Z'))) }, root);
    expect(verifyChain({ leaf: ok.der, pool: [], anchors: [root.der], at: NOW }).valid).toBe(true);
  });
});
