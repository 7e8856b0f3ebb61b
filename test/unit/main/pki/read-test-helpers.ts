/** Test-only helpers for the read/inspect specs: a tiny DER encoder, fixture loading, error capture. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCertdeskError, type CertdeskError } from '../../../../shared/errors.js';

/** Directory of the committed read/inspect fixtures (made by test/fixtures/read/make.sh). */
export const FIXTURES = join(import.meta.dirname, '../../../fixtures/read');

/** Bytes of a fixture file. */
export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** Password of every encrypted fixture. */
export const FIXTURE_PASSWORD = 'test-pass';

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Buffer.from([0x80 | out.length, ...out]);
}

/** One DER element from a tag byte and its contents. */
export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

/** SEQUENCE of the given elements. */
export const seqOf = (...parts: Uint8Array[]): Buffer => tlv(0x30, ...parts);
/** SET of the given elements. */
export const setOf = (...parts: Uint8Array[]): Buffer => tlv(0x31, ...parts);

/** OBJECT IDENTIFIER from dotted text. */
export function oidDer(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const first = (arcs[0] as bigint) * 40n + (arcs[1] as bigint);
  const out: number[] = [];
  for (const arc of [first, ...arcs.slice(2)]) {
    const bytes: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) bytes.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTF8String. */
export const utf8Der = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
/** PrintableString. */
export const printableDer = (s: string): Buffer => tlv(0x13, Buffer.from(s, 'latin1'));

/** A Name from [oid, valueElement] RDNs in DER order (each RDN may hold several AVAs). */
export function nameDer(rdns: ReadonlyArray<ReadonlyArray<readonly [string, Buffer]>>): Buffer {
  return seqOf(...rdns.map((rdn) => setOf(...rdn.map(([o, v]) => seqOf(oidDer(o), v)))));
}

/** Runs `fn` and returns the CertdeskError it throws (fails the test if it throws anything else or nothing). */
export function captureError(fn: () => unknown): CertdeskError {
  try {
    fn();
  } catch (err) {
    if (isCertdeskError(err)) return err;
    throw new Error(`expected a CertdeskError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a CertdeskError, but nothing was thrown');
}

/** The DER bodies of every CERTIFICATE block in a PEM file, in order. */
export function pemCertificates(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'),
  );
}

/** Parts of a hand-built certificate (every part is ready-made DER). */
export interface CertParts {
  readonly version?: number;
  readonly serial?: Buffer;
  readonly signatureAlgorithm: Buffer;
  readonly issuer: Buffer;
  readonly subject: Buffer;
  readonly notBefore?: Buffer;
  readonly notAfter?: Buffer;
  readonly spki: Buffer;
  readonly extensions?: readonly Buffer[];
}

/** One Extension (critical when asked). */
export function extensionDer(id: string, value: Buffer, critical = false): Buffer {
  return seqOf(oidDer(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

/** A certificate from parts, signed by `sign(tbs)`. */
export function buildCert(p: CertParts, sign: (tbs: Buffer) => Buffer): Buffer {
  const tbs = seqOf(
    ...(p.version === undefined || p.version === 1 ? [] : [tlv(0xa0, tlv(0x02, Buffer.from([p.version - 1])))]),
    p.serial ?? tlv(0x02, Buffer.from([1])),
    p.signatureAlgorithm,
    p.issuer,
    seqOf(p.notBefore ?? tlv(0x17, Buffer.from('260101000000Z')), p.notAfter ?? tlv(0x17, Buffer.from('270101000000Z'))),
    p.subject,
    p.spki,
    ...(p.extensions !== undefined && p.extensions.length > 0 ? [tlv(0xa3, seqOf(...p.extensions))] : []),
  );
  return seqOf(tbs, p.signatureAlgorithm, tlv(0x03, Buffer.from([0]), sign(tbs)));
}

/** A CSR from subject, SPKI and attributes, signed by `sign(info)`. */
export function buildCsr(subject: Buffer, spki: Buffer, attributes: readonly Buffer[], signatureAlgorithm: Buffer, sign: (info: Buffer) => Buffer): Buffer {
  const info = seqOf(tlv(0x02, Buffer.from([0])), subject, spki, tlv(0xa0, ...attributes));
  return seqOf(info, signatureAlgorithm, tlv(0x03, Buffer.from([0]), sign(info)));
}
