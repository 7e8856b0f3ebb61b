import { describe, expect, it } from 'vitest';
import { DerError, children, decodeTime, intBitLength, intHex, octetString, oid, readTlv } from '../../../../main/pki/der.js';
import { oidDer, seqOf, tlv } from './read-test-helpers.js';

describe('readTlv', () => {
  it('reads short and long definite lengths', () => {
    const long = tlv(0x04, Buffer.alloc(300, 1));
    const t = readTlv(long, 0);
    expect(t.valueStart).toBe(4);
    expect(t.end).toBe(304);
    expect(readTlv(Buffer.from([0x05, 0x00]), 0).end).toBe(2);
  });

  it('reports truncation with the bytes present and the size the header promised', () => {
    const der = seqOf(Buffer.alloc(1286, 0x41));
    expect(der.length).toBe(1290);
    const err = (() => {
      try {
        readTlv(der.subarray(0, 812), 0);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(DerError);
    expect((err as DerError).truncated).toBe(true);
    expect((err as DerError).message).toBe('DER data is truncated (ends at byte 812 of a 1290-byte structure)');
  });

  it('treats a child overrunning its parent as invalid, not truncated', () => {
    const bad = Buffer.from([0x30, 0x04, 0x04, 0x05, 0x00, 0x00]);
    const top = readTlv(bad, 0);
    expect(() => children(bad, top)).toThrow(DerError);
    try {
      children(bad, top);
    } catch (e) {
      expect((e as DerError).truncated).toBe(false);
    }
  });

  it('rejects length fields longer than four bytes without allocating', () => {
    const bad = Buffer.from([0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(() => readTlv(bad, 0)).toThrow(/length field/);
    const huge = Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00]);
    expect(() => readTlv(huge, 0)).toThrow(/truncated \(ends at byte 7 of a 4294967301-byte structure\)/);
  });

  it('follows BER indefinite lengths and bounds their nesting', () => {
    const ber = Buffer.from([0x30, 0x80, 0x02, 0x01, 0x05, 0x24, 0x80, 0x04, 0x01, 0xaa, 0x04, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x00]);
    const top = readTlv(ber, 0);
    expect(top.end).toBe(ber.length);
    const [i, os] = children(ber, top);
    expect(i?.tag).toBe(0x02);
    expect(octetString(ber, os).toString('hex')).toBe('aabb');
    const deep = Buffer.concat([Buffer.alloc(200, 0).fill(Buffer.from([0x30, 0x80])), Buffer.alloc(200, 0)]);
    expect(() => readTlv(deep, 0)).toThrow(/nested too deeply/);
  });
});

describe('values', () => {
  it('decodes object identifiers, including large arcs', () => {
    for (const o of ['1.2.840.113549.1.1.11', '2.5.29.17', '0.9.2342.19200300.100.1.25', '2.999.3', '1.2.3.18446744073709551615']) {
      const d = oidDer(o);
      expect(oid(d, readTlv(d, 0))).toBe(o);
    }
  });

  it('prints integers as lowercase hex without leading zeros', () => {
    const hex = (h: string): string => {
      const d = tlv(0x02, Buffer.from(h, 'hex'));
      return intHex(d, readTlv(d, 0));
    };
    expect(hex('00')).toBe('0');
    expect(hex('00ff01')).toBe('ff01');
    expect(hex('0a')).toBe('a');
    expect(hex('ff')).toBe('-1');
    expect(hex('ff00')).toBe('-100');
    const n = tlv(0x02, Buffer.from('00c0', 'hex'));
    expect(intBitLength(n, readTlv(n, 0))).toBe(8);
  });

  it('converts UTCTime and GeneralizedTime to ISO 8601 UTC without milliseconds', () => {
    const time = (tag: number, s: string): string => {
      const d = tlv(tag, Buffer.from(s, 'latin1'));
      return decodeTime(d, readTlv(d, 0));
    };
    expect(time(0x17, '261123070600Z')).toBe('2026-11-23T07:06:00Z');
    expect(time(0x17, '491231235959Z')).toBe('2049-12-31T23:59:59Z');
    expect(time(0x17, '500101000000Z')).toBe('1950-01-01T00:00:00Z');
    expect(time(0x18, '99991231235959Z')).toBe('9999-12-31T23:59:59Z');
    expect(time(0x18, '20260101120000.123Z')).toBe('2026-01-01T12:00:00Z');
    expect(time(0x17, '2601011200Z')).toBe('2026-01-01T12:00:00Z');
    expect(time(0x17, '260101120000+0130')).toBe('2026-01-01T10:30:00Z');
    expect(() => time(0x17, '26AB01120000Z')).toThrow(DerError);
    expect(() => time(0x18, '20261301000000Z')).toThrow(DerError);
  });
});
