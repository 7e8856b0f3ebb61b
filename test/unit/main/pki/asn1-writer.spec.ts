import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import {
  NULL,
  TAG,
  TRUE,
  bitString,
  bmpString,
  encodeDer,
  explicit,
  ia5String,
  implicitConstructed,
  implicitPrimitive,
  integer,
  namedBits,
  octetString,
  oid,
  printableString,
  sequence,
  setOf,
  unsignedInteger,
  utf8String,
  x509Time,
  type Der,
} from '../../../../main/pki/asn1-writer.js';
import { DerReadError, readChildren, readElement, readWhole } from '../../../../main/pki/der.js';

const hex = (der: Der): string => encodeDer(der).toString('hex');

describe('asn1-writer: primitive encodings (X.690)', () => {
  it('encodes OIDs, including multi-byte arcs and the 2.x first-arc rule', () => {
    expect(oid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(oid('2.5.29.17').toString('hex')).toBe('0603551d11');
    expect(oid('1.2.840.10045.3.1.7').toString('hex')).toBe('06082a8648ce3d030107');
    expect(oid('2.999.3').toString('hex')).toBe('0603883703'); // X.690 8.19.5 example
    expect(oid('1.3.6.1.4.1.311.60.2.1.3').toString('hex')).toBe('060b2b0601040182373c020103');
    expect(() => oid('3.1')).toThrow(RangeError);
    expect(() => oid('1.40')).toThrow(RangeError);
    expect(() => oid('1.2.x')).toThrow(RangeError);
  });

  it('encodes short and long definite lengths minimally', () => {
    const len = (n: number): string => encodeDer(octetString(Buffer.alloc(n))).subarray(0, 6).toString('hex');
    expect(len(0)).toMatch(/^0400/);
    expect(len(127)).toMatch(/^047f/);
    expect(len(128)).toMatch(/^048180/);
    expect(len(255)).toMatch(/^0481ff/);
    expect(len(256)).toMatch(/^04820100/);
    expect(len(65535)).toMatch(/^0482ffff/);
    expect(len(65536)).toMatch(/^0483010000/);
  });

  it('encodes INTEGERs with a sign byte only when needed', () => {
    expect(hex(integer(0))).toBe('020100');
    expect(hex(integer(127))).toBe('02017f');
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(256))).toBe('02020100');
    expect(hex(integer(2048))).toBe('02020800');
    expect(hex(integer(600000))).toBe('02030927c0');
    expect(() => integer(-1)).toThrow(RangeError);
    expect(hex(unsignedInteger(Buffer.from('0000017f', 'hex')))).toBe('0202017f');
    expect(hex(unsignedInteger(Buffer.from('80', 'hex')))).toBe('02020080');
    expect(hex(unsignedInteger(Buffer.from('000080', 'hex')))).toBe('02020080');
    expect(hex(unsignedInteger(Buffer.from('0000', 'hex')))).toBe('020100');
  });

  it('encodes named bit strings without trailing zero bits (X.690 11.2.2)', () => {
    expect(hex(namedBits([0]))).toBe('03020780'); // digitalSignature
    expect(hex(namedBits([0, 2]))).toBe('030205a0'); // digitalSignature, keyEncipherment
    expect(hex(namedBits([5, 6]))).toBe('03020106'); // keyCertSign, cRLSign
    expect(hex(namedBits([8]))).toBe('0303070080'); // decipherOnly
    expect(hex(namedBits([]))).toBe('030100');
  });

  it('encodes strings by their byte length', () => {
    expect(hex(utf8String('é'))).toBe('0c02c3a9');
    expect(hex(printableString('US'))).toBe('13025553');
    expect(hex(ia5String('a@b'))).toBe('1603614062');
    expect(hex(bmpString('A'))).toBe('1e020041');
    expect(hex(bmpString('😀'))).toBe('1e04d83dde00'); // surrogate pair
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 4.1.2.5)', () => {
    const time = (iso: string): string => encodeDer(x509Time(new Date(iso))).toString('latin1').slice(2);
    expect(encodeDer(x509Time(new Date('2049-12-31T23:59:59Z')))[0]).toBe(TAG.UTC_TIME);
    expect(time('2049-12-31T23:59:59.999Z')).toBe('491231235959Z');
    expect(encodeDer(x509Time(new Date('2050-01-01T00:00:00Z')))[0]).toBe(TAG.GENERALIZED_TIME);
    expect(time('2050-01-01T00:00:00Z')).toBe('20500101000000Z');
    expect(time('1950-01-01T00:00:00Z')).toBe('500101000000Z');
    expect(encodeDer(x509Time(new Date('1949-12-31T23:59:59Z')))[0]).toBe(TAG.GENERALIZED_TIME);
    expect(time('9999-12-31T23:59:59Z')).toBe('99991231235959Z');
    expect(() => x509Time(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('nests constructed, explicit, implicit and wrapping string types correctly', () => {
    expect(hex(sequence())).toBe('3000');
    expect(hex(sequence(NULL, TRUE))).toBe('30050500' + '0101ff');
    expect(hex(explicit(3, integer(1)))).toBe('a303020101');
    expect(hex(implicitPrimitive(2, Buffer.from('ab')))).toBe('82026162');
    expect(hex(implicitConstructed(0, []))).toBe('a000');
    // BIT STRING / OCTET STRING wrapping an element (extension values, SPKI keys)
    expect(hex(octetString(sequence(integer(5))))).toBe('0405' + '3003020105');
    expect(hex(bitString(sequence(integer(5))))).toBe('030600' + '3003020105');
    expect(hex(bitString(Buffer.from([1, 2])))).toBe('0303000102');
  });

  it('sorts SET OF elements by their encodings', () => {
    expect(hex(setOf(integer(3), integer(1), octetString(Buffer.from([0]))))).toBe('3109' + '020101' + '020103' + '040100');
  });
});

// An independent encoder (node-forge) must produce the same bytes for random trees.
type Tree = { kind: 'octets'; bytes: Uint8Array } | { kind: 'seq'; items: Tree[] } | { kind: 'utf8'; text: string };

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 300 }).map((bytes): Tree => ({ kind: 'octets', bytes })),
    fc.string({ maxLength: 40 }).map((text): Tree => ({ kind: 'utf8', text })),
    fc.array(tie('tree'), { maxLength: 6 }).map((items): Tree => ({ kind: 'seq', items })),
  ),
})).tree;

function ours(tree: Tree): Der {
  if (tree.kind === 'octets') return octetString(tree.bytes);
  if (tree.kind === 'utf8') return utf8String(tree.text);
  return sequence(...tree.items.map(ours));
}

function forgeOf(tree: Tree): forge.asn1.Asn1 {
  const { asn1 } = forge;
  if (tree.kind === 'octets') return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, Buffer.from(tree.bytes).toString('binary'));
  if (tree.kind === 'utf8') return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, Buffer.from(tree.text, 'utf8').toString('binary'));
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, tree.items.map(forgeOf));
}

describe('asn1-writer: agrees with node-forge', () => {
  it('encodes random trees byte-for-byte like forge, and reads them back', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const der = encodeDer(ours(tree));
        expect(der.toString('hex')).toBe(Buffer.from(forge.asn1.toDer(forgeOf(tree)).getBytes(), 'binary').toString('hex'));
        const top = readWhole(der, tree.kind === 'seq' ? TAG.SEQUENCE : tree.kind === 'utf8' ? TAG.UTF8_STRING : TAG.OCTET_STRING);
        if (tree.kind === 'seq') expect(readChildren(der, top)).toHaveLength(tree.items.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('asn1-writer: strict reader', () => {
  const read = (h: string): (() => unknown) => () => readWhole(Buffer.from(h, 'hex'), TAG.SEQUENCE);

  it('reads nested elements and their offsets', () => {
    const der = encodeDer(sequence(integer(1), octetString(Buffer.alloc(200))));
    const top = readWhole(der, TAG.SEQUENCE);
    const [a, b] = readChildren(der, top);
    expect(a?.tag).toBe(TAG.INTEGER);
    expect(a?.content.toString('hex')).toBe('01');
    expect(b?.tag).toBe(TAG.OCTET_STRING);
    expect(b?.content.length).toBe(200);
    expect(b?.end).toBe(der.length);
    expect(readElement(der, a?.end ?? 0).encoded.length).toBe(b?.encoded.length);
  });

  it('rejects truncated, indefinite, non-minimal, overlong and trailing input', () => {
    expect(read('30')).toThrow(DerReadError);
    expect(read('3003020101ff')).toThrow(/trailing/);
    expect(read('3005020101')).toThrow(/past the end/);
    expect(read('30800201010000')).toThrow(/indefinite/);
    expect(read('308103020101')).toThrow(/non-minimal/);
    expect(read('30820003020101')).toThrow(/non-minimal/);
    expect(read('30850000000003020101')).toThrow(/too large/);
    expect(read('3f0100')).toThrow(/multi-byte/);
    expect(read('0400')).toThrow(/expected tag/);
    expect(() => readChildren(Buffer.from('3003020201', 'hex'), readWhole(Buffer.from('3003020201', 'hex'), TAG.SEQUENCE))).toThrow(
      DerReadError,
    );
  });
});
