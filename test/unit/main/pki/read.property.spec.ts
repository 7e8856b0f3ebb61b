/**
 * Property tests: real inputs, mutated (truncated, bit-flipped, bytes inserted, spliced). readMaterial
 * must either return objects or throw a CertdeskError with a real code — never another error type,
 * never INTERNAL, and never take long.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../../shared/errors.js';
import { inspectObject } from '../../../../main/pki/inspect.js';
import { readMaterial } from '../../../../main/pki/read.js';
import { FIXTURE_PASSWORD, fixture } from './read-test-helpers.js';

const INPUTS: ReadonlyArray<readonly [string, string | undefined]> = [
  ['chain.pem', undefined],
  ['leaf.der', undefined],
  ['leaf-text.pem', undefined],
  ['chain.p7b', undefined],
  ['leaf-csr.der', undefined],
  ['ec-sec1.der', undefined],
  ['rsa-pkcs8-aes256.pem', FIXTURE_PASSWORD],
  ['ec-legacy-des3.pem', FIXTURE_PASSWORD],
  ['ec-pkcs8-aes256.der', FIXTURE_PASSWORD],
  ['ec-legacy.p12', FIXTURE_PASSWORD],
  ['ec-modern.p12', FIXTURE_PASSWORD],
  ['ec-nomac.p12', FIXTURE_PASSWORD],
];
const DATA = INPUTS.map(([name, password]) => ({ name, password, bytes: fixture(name) }));
const MAX_MS_PER_READ = 1500;

type Mutation =
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'flip'; readonly at: number; readonly mask: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'splice'; readonly at: number; readonly len: number; readonly from: number; readonly fromAt: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('splice' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }), from: fc.nat(), fromAt: fc.nat() }),
);

function apply(input: Buffer, m: Mutation): Buffer {
  const at = m.at % (input.length + 1);
  switch (m.op) {
    case 'truncate':
      return input.subarray(0, at);
    case 'flip': {
      const out = Buffer.from(input);
      const i = m.at % input.length;
      out[i] = (out[i] as number) ^ m.mask;
      return out;
    }
    case 'insert':
      return Buffer.concat([input.subarray(0, at), m.bytes, input.subarray(at)]);
    case 'splice': {
      const donor = (DATA[m.from % DATA.length] as (typeof DATA)[number]).bytes;
      const start = m.fromAt % donor.length;
      return Buffer.concat([input.subarray(0, at), donor.subarray(start, start + m.len), input.subarray(Math.min(input.length, at + m.len))]);
    }
  }
}

/** Reads `bytes`; returns the outcome, failing on any non-CertdeskError, INTERNAL, or slow read. */
function readSafely(bytes: Buffer, name: string, password: string | undefined): void {
  const started = performance.now();
  try {
    const objs = readMaterial(bytes, { fileName: name, password });
    for (const o of objs) {
      expect(['certificate', 'private-key', 'csr']).toContain(o.kind);
      // Whatever read accepted, inspect must describe without crashing.
      const info = inspectObject(o);
      expect(info.kind).toBe(o.kind);
    }
  } catch (err) {
    if (!isCertdeskError(err)) throw new Error(`non-CertdeskError from ${name}: ${String(err)}`, { cause: err });
    expect(err.code).not.toBe('INTERNAL');
    expect(err.message.startsWith(name)).toBe(true);
  }
  expect(performance.now() - started).toBeLessThan(MAX_MS_PER_READ);
}

describe('readMaterial under mutation', () => {
  it('text and DER inputs: objects or a CertdeskError', () => {
    const cheap = DATA.filter((d) => !d.name.endsWith('.p12'));
    fc.assert(
      fc.property(fc.nat(cheap.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (i, ms) => {
        const d = cheap[i] as (typeof cheap)[number];
        readSafely(ms.reduce(apply, d.bytes), d.name, d.password);
      }),
      { numRuns: 300 },
    );
  });

  it('PKCS#12 inputs: objects or a CertdeskError', () => {
    const p12 = DATA.filter((d) => d.name.endsWith('.p12'));
    fc.assert(
      fc.property(fc.nat(p12.length - 1), mutation, (i, m) => {
        const d = p12[i] as (typeof p12)[number];
        readSafely(apply(d.bytes, m), d.name, d.password);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes and random text: objects or a CertdeskError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.string({ maxLength: 512 }).map((s) => new TextEncoder().encode(s))), (u) => {
        readSafely(Buffer.from(u), 'random.bin', undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('DER-shaped noise (nested SEQUENCEs with random lengths): objects or a CertdeskError', () => {
    const element: fc.Arbitrary<Uint8Array> = fc.letrec<{ el: Uint8Array }>((tie) => ({
      el: fc.oneof(
        { depthSize: 'small' },
        fc.tuple(fc.constantFrom(0x02, 0x04, 0x05, 0x06, 0x03, 0x0c, 0x17, 0x80, 0x81), fc.uint8Array({ maxLength: 12 })).map(([t, b]) => Uint8Array.from([t, b.length, ...b])),
        fc.tuple(fc.constantFrom(0x30, 0x31, 0xa0, 0xa3, 0x24), fc.array(tie('el'), { maxLength: 4 }), fc.boolean()).map(([t, kids, indefinite]) => {
          const body = Buffer.concat(kids);
          return indefinite ? Uint8Array.from([t, 0x80, ...body, 0, 0]) : Uint8Array.from([t, ...(body.length < 128 ? [body.length] : [0x82, body.length >> 8, body.length & 0xff]), ...body]);
        }),
      ),
    })).el;
    fc.assert(
      fc.property(element, (el) => {
        readSafely(Buffer.from([0x30, ...(el.length < 128 ? [el.length] : [0x82, el.length >> 8, el.length & 0xff]), ...el]), 'noise.der', 'pw');
      }),
      { numRuns: 300 },
    );
  });
});
