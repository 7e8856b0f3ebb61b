/**
 * A tiny DER writer (ITU-T X.690) for the structures Certdesk builds on hot paths — CSRs,
 * self-signed certificates, PKCS#12. Reading DER is `der.ts`'s job (`readTlv`, and `readElement`
 * for strict DER).
 *
 * Writers return a light {@link DerNode} tree (or, for constants, already-encoded bytes); nothing
 * is copied until {@link encodeDer} allocates the result once and writes the tree into it. That
 * keeps a whole CSR to a handful of allocations, which matters when the CSR must cost only a few
 * percent of generating a P-256 key. Encode constants (OIDs, algorithm identifiers) once at load.
 */

import { TAG } from './der.js';

/** Universal tag bytes (the one table in `der.ts`), re-exported for the writers' callers. */
export { TAG };

/** One DER element to be written: a constructed element, bytes, or text in a given encoding. */
export interface DerNode {
  readonly tag: number;
  /** Length of the content octets. */
  readonly contentLength: number;
  /** Length of the whole TLV. */
  readonly size: number;
  readonly children?: readonly Der[];
  /** A single byte written before `bytes` (a BIT STRING's unused-bits count, an INTEGER's sign byte). */
  readonly lead?: number;
  readonly bytes?: Uint8Array;
  readonly text?: string;
  readonly encoding?: 'latin1' | 'utf8';
}

/** Anything the writers accept: a node, or bytes that are already one complete DER element. */
export type Der = DerNode | Uint8Array;

function headerSize(contentLength: number): number {
  if (contentLength < 0x80) return 2;
  if (contentLength < 0x100) return 3;
  if (contentLength < 0x10000) return 4;
  if (contentLength < 0x1000000) return 5;
  return 6;
}

function sizeOf(element: Der): number {
  return element instanceof Uint8Array ? element.length : element.size;
}

function node(tag: number, contentLength: number, parts: Omit<DerNode, 'tag' | 'contentLength' | 'size'>): DerNode {
  return { tag, contentLength, size: headerSize(contentLength) + contentLength, ...parts };
}

/** A constructed element with the given tag byte around `children`. */
export function constructed(tag: number, children: readonly Der[]): DerNode {
  let length = 0;
  for (const child of children) length += sizeOf(child);
  return node(tag, length, { children });
}

/** A primitive element with the given tag byte and content. */
export function primitive(tag: number, content: Uint8Array): DerNode {
  return node(tag, content.length, { bytes: content });
}

/** A SEQUENCE. */
export function sequence(...elements: readonly Der[]): DerNode {
  return constructed(TAG.SEQUENCE, elements);
}

/** A SET OF, with its elements sorted by their encodings as DER requires (X.690 11.6). */
export function setOf(...elements: readonly Der[]): DerNode {
  if (elements.length < 2) return constructed(TAG.SET, elements);
  const encoded = elements.map(encodeDer).sort(Buffer.compare);
  return constructed(TAG.SET, encoded);
}

/** A context-specific EXPLICIT tag `[n]` around one element. */
export function explicit(n: number, element: Der): DerNode {
  return constructed(0xa0 | n, [element]);
}

/** A context-specific IMPLICIT `[n]` primitive with the given content octets. */
export function implicitPrimitive(n: number, content: Uint8Array): DerNode {
  return primitive(0x80 | n, content);
}

/** A context-specific IMPLICIT `[n]` replacing a constructed type's tag (SET OF, SEQUENCE) around `children`. */
export function implicitConstructed(n: number, children: readonly Der[]): DerNode {
  return constructed(0xa0 | n, children);
}

/** An INTEGER from a small non-negative number. */
export function integer(value: number): DerNode {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('integer(): expected a non-negative safe integer');
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return primitive(TAG.INTEGER, Uint8Array.from(bytes));
}

/** An INTEGER from an unsigned big-endian magnitude (leading zeros trimmed, a zero sign byte added when needed). */
export function unsignedInteger(magnitude: Uint8Array): DerNode {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  if (trimmed.length === 0) return primitive(TAG.INTEGER, Uint8Array.of(0));
  if ((trimmed[0] ?? 0) & 0x80) return node(TAG.INTEGER, trimmed.length + 1, { lead: 0, bytes: trimmed });
  return primitive(TAG.INTEGER, trimmed);
}

/** An OBJECT IDENTIFIER from dotted-decimal text ("1.2.840.113549.1.1.11"), already encoded. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => {
    if (!/^\d+$/.test(arc)) throw new RangeError(`oid(): bad arc in ${dotted}`);
    return BigInt(arc);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n || (first < 2n && second > 39n)) {
    throw new RangeError(`oid(): bad OID ${dotted}`);
  }
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    let v = arc >> 7n;
    while (v > 0n) {
      chunk.unshift(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(...chunk);
  }
  return encodeDer(primitive(TAG.OID, Uint8Array.from(bytes)));
}

/** NULL. */
export const NULL: Buffer = Buffer.from([TAG.NULL, 0]);

/** BOOLEAN TRUE (DER: 0xff). */
export const TRUE: Buffer = Buffer.from([TAG.BOOLEAN, 1, 0xff]);

/** An OCTET STRING with the given content, or wrapping an element (as extension values do). */
export function octetString(content: Uint8Array | DerNode): DerNode {
  return content instanceof Uint8Array ? primitive(TAG.OCTET_STRING, content) : constructedAsPrimitive(TAG.OCTET_STRING, content);
}

// An OCTET STRING or BIT STRING whose content is itself a DER element: written in place, no copy.
function constructedAsPrimitive(tag: number, inner: DerNode, lead?: number): DerNode {
  const extra = lead === undefined ? 0 : 1;
  return node(tag, inner.size + extra, lead === undefined ? { children: [inner] } : { lead, children: [inner] });
}

/** A BIT STRING of whole bytes (0 unused bits): a signature, a public key, or an encoded element. */
export function bitString(content: Uint8Array | DerNode): DerNode {
  if (content instanceof Uint8Array) return node(TAG.BIT_STRING, content.length + 1, { lead: 0, bytes: content });
  return constructedAsPrimitive(TAG.BIT_STRING, content, 0);
}

/**
 * A named-bit BIT STRING (KeyUsage and friends) from the numbers of the bits that are set;
 * trailing zero bits are dropped as DER requires (X.690 11.2.2).
 */
export function namedBits(bits: readonly number[]): DerNode {
  if (bits.length === 0) return node(TAG.BIT_STRING, 1, { lead: 0, bytes: new Uint8Array(0) });
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return node(TAG.BIT_STRING, bytes.length + 1, { lead: 7 - (highest & 7), bytes });
}

/** A UTF8String. */
export function utf8String(value: string): DerNode {
  return node(TAG.UTF8_STRING, Buffer.byteLength(value, 'utf8'), { text: value, encoding: 'utf8' });
}

/** A string type whose characters are all one byte (PrintableString, IA5String…); the caller checked the characters. */
export function asciiString(tag: number, value: string): DerNode {
  return node(tag, value.length, { text: value, encoding: 'latin1' });
}

/** A PrintableString; the caller has checked the character set. */
export function printableString(value: string): DerNode {
  return asciiString(TAG.PRINTABLE_STRING, value);
}

/** An IA5String; the caller has checked the value is ASCII. */
export function ia5String(value: string): DerNode {
  return asciiString(TAG.IA5_STRING, value);
}

/** A BMPString (UTF-16 big-endian; characters outside the BMP become surrogate pairs). */
export function bmpString(value: string): DerNode {
  return primitive(TAG.BMP_STRING, Buffer.from(value, 'utf16le').swap16());
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * An X.509 Time (RFC 5280 4.1.2.5): UTCTime YYMMDDHHMMSSZ for 1950–2049, GeneralizedTime
 * YYYYMMDDHHMMSSZ otherwise; fractional seconds are dropped.
 */
export function x509Time(date: Date): DerNode {
  const year = date.getUTCFullYear();
  if (!Number.isFinite(year) || year < 0 || year > 9999) throw new RangeError('x509Time(): year out of range');
  const rest =
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    'Z';
  if (year >= 1950 && year < 2050) return asciiString(TAG.UTC_TIME, pad(year % 100, 2) + rest);
  return asciiString(TAG.GENERALIZED_TIME, pad(year, 4) + rest);
}

function writeHeader(out: Buffer, at: number, tag: number, length: number): number {
  out[at++] = tag;
  if (length < 0x80) {
    out[at++] = length;
  } else if (length < 0x100) {
    out[at++] = 0x81;
    out[at++] = length;
  } else if (length < 0x10000) {
    out[at++] = 0x82;
    out[at++] = length >> 8;
    out[at++] = length & 0xff;
  } else if (length < 0x1000000) {
    out[at++] = 0x83;
    out[at++] = length >> 16;
    out[at++] = (length >> 8) & 0xff;
    out[at++] = length & 0xff;
  } else {
    out[at++] = 0x84;
    out.writeUInt32BE(length, at);
    at += 4;
  }
  return at;
}

function write(out: Buffer, at: number, element: Der): number {
  if (element instanceof Uint8Array) {
    out.set(element, at);
    return at + element.length;
  }
  at = writeHeader(out, at, element.tag, element.contentLength);
  if (element.lead !== undefined) out[at++] = element.lead;
  if (element.children !== undefined) {
    for (const child of element.children) at = write(out, at, child);
  } else if (element.text !== undefined) {
    at += out.write(element.text, at, element.encoding);
  } else if (element.bytes !== undefined) {
    out.set(element.bytes, at);
    at += element.bytes.length;
  }
  return at;
}

/** The DER bytes of an element, in one fresh Buffer. */
export function encodeDer(element: Der): Buffer {
  const out = Buffer.allocUnsafe(sizeOf(element));
  const end = write(out, 0, element);
  if (end !== out.length) throw new Error(`encodeDer(): wrote ${end} of ${out.length} bytes`);
  return out;
}
