/**
 * A small, bounded DER/BER walker used by the readers and by `inspect`, and its strict-DER view
 * ({@link readElement}) for the few fields picked out of DER we did not write (a CSR's public key).
 *
 * It never allocates on the strength of a length field (lengths are only compared with the bytes
 * actually present), bounds nesting depth, and reports problems as `DerError`s that callers turn
 * into `CertdeskError`s naming the file. Indefinite lengths (BER) are accepted for constructed
 * values because PKCS#7 and PKCS#12 files from some tools use them.
 */

/** Universal tags (identifier octets) used across the PKI modules. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  VIDEOTEX_STRING: 0x15,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  GRAPHIC_STRING: 0x19,
  VISIBLE_STRING: 0x1a,
  GENERAL_STRING: 0x1b,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONSTRUCTED_OCTET_STRING: 0x24,
} as const;

/** Deepest nesting the walker follows before calling the data invalid. */
export const MAX_DEPTH = 48;

/** A structural problem in DER/BER data; `truncated` when the data simply ends too early. */
export class DerError extends Error {
  constructor(
    message: string,
    readonly truncated: boolean,
  ) {
    super(message);
    this.name = 'DerError';
  }
}

/** One tag-length-value element: offsets into the buffer it was read from. */
export interface Tlv {
  /** The identifier octet; for high tag numbers (≥ 31) the class/constructed bits | 0x1f. */
  readonly tag: number;
  /** The tag number (without class and constructed bits). */
  readonly tagNumber: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly valueStart: number;
  /** Offset just past the last content octet (before the end-of-contents octets if indefinite). */
  readonly valueEnd: number;
  /** Offset just past the whole element. */
  readonly end: number;
}

/** True when the element is constructed. */
export function isConstructed(t: Tlv): boolean {
  return (t.tag & 0x20) !== 0;
}

/** Context-specific tag byte for `[n]` (constructed when `constructed`), for n < 31. */
export function ctxTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/**
 * Reads the element that starts at `pos` and must end by `limit`.
 *
 * When `limit` is the end of the buffer an overrun is reported as truncation (the file ends too
 * early); inside a container it is an invalid encoding.
 */
export function readTlv(buf: Uint8Array, pos: number, limit: number = buf.length, depth = 0, inner = false): Tlv {
  if (depth > MAX_DEPTH) throw new DerError('DER data is nested too deeply', false);
  const start = pos;
  const atEnd = !inner && limit >= buf.length;
  if (pos >= limit) {
    throw new DerError(`DER data is truncated (ends at byte ${limit - start} of an element starting at byte ${start})`, atEnd);
  }
  const tag = buf[pos++] as number;
  let tagNumber = tag & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (pos >= limit) throw truncated(start, limit, pos - start + 1, atEnd);
      const b = buf[pos++] as number;
      if (i >= 4) throw new DerError(`tag number too large at byte ${start}`, false);
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (pos >= limit) throw truncated(start, limit, pos - start + 1, atEnd);
  const first = buf[pos++] as number;
  if (first < 0x80) {
    const end = pos + first;
    if (end > limit) throw truncated(start, limit, end - start, atEnd);
    return { tag, tagNumber, start, valueStart: pos, valueEnd: end, end };
  }
  if (first === 0x80) {
    if ((tag & 0x20) === 0) throw new DerError(`a primitive element at byte ${start} has an indefinite length`, false);
    // BER indefinite length: walk the children up to the end-of-contents octets.
    const valueStart = pos;
    let p = pos;
    for (;;) {
      if (p + 2 > limit) {
        throw new DerError(`DER data is truncated (an indefinite-length element at byte ${start} has no end marker)`, atEnd);
      }
      if (buf[p] === 0 && buf[p + 1] === 0) return { tag, tagNumber, start, valueStart, valueEnd: p, end: p + 2 };
      p = readTlv(buf, p, limit, depth + 1, inner).end;
    }
  }
  const n = first & 0x7f;
  if (n > 4) throw new DerError(`the length field at byte ${start} is ${n} bytes long (not a DER length)`, false);
  if (pos + n > limit) throw truncated(start, limit, pos - start + n, atEnd);
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (buf[pos++] as number);
  const end = pos + len;
  if (end > limit) throw truncated(start, limit, end - start, atEnd);
  return { tag, tagNumber, start, valueStart: pos, valueEnd: end, end };
}

function truncated(start: number, limit: number, need: number, atEnd: boolean): DerError {
  const have = limit - start;
  return atEnd
    ? new DerError(`DER data is truncated (ends at byte ${have} of a ${need}-byte structure)`, true)
    : new DerError(`an element at byte ${start} claims ${need} bytes but its container has only ${have} left`, false);
}

/** An element read by {@link readElement}: its tag, where its content lies, and views of its bytes. */
export interface DerElement {
  readonly tag: number;
  /** Offset of the first content byte in the buffer that was read. */
  readonly contentStart: number;
  /** Offset just past the element. */
  readonly end: number;
  /** The content octets (a view, not a copy). */
  readonly content: Buffer;
  /** The whole TLV (a view, not a copy). */
  readonly encoded: Buffer;
}

/** Thrown by {@link readElement} for anything that is not well-formed strict DER. */
export class DerReadError extends DerError {
  constructor(message: string) {
    super(message, false);
    this.name = 'DerReadError';
  }
}

/**
 * Reads one element at `offset` within `limit` (default: the end of `buf`) by the strict DER
 * rules: a single-byte tag and a definite, minimal length. {@link readTlv} does the reading; this
 * only refuses the BER freedoms it allows.
 */
export function readElement(buf: Buffer, offset = 0, limit = buf.length): DerElement {
  if (offset + 2 > limit) throw new DerReadError('truncated DER element header');
  if (((buf[offset] as number) & 0x1f) === 0x1f) throw new DerReadError('multi-byte DER tags are not supported here');
  const first = buf[offset + 1] as number;
  if (first === 0x80) throw new DerReadError('indefinite length is not DER');
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) throw new DerReadError('DER length too large');
    if (offset + 2 + count > limit) throw new DerReadError('truncated DER length');
    const lead = buf[offset + 2] as number;
    if (lead === 0 || (count === 1 && lead < 0x80)) throw new DerReadError('non-minimal DER length');
  }
  let t: Tlv;
  try {
    t = readTlv(buf, offset, limit, 0, true);
  } catch (err) {
    // The header is sound, so the only failure left is content running past `limit`.
    if (err instanceof DerError) throw new DerReadError('DER element runs past the end of its container');
    throw err;
  }
  return {
    tag: t.tag,
    contentStart: t.valueStart,
    end: t.end,
    content: buf.subarray(t.valueStart, t.valueEnd),
    encoded: buf.subarray(offset, t.end),
  };
}

/** Reads the children of an element read by {@link readElement}, in order, by the same strict rules. */
export function readChildren(buf: Buffer, parent: DerElement): DerElement[] {
  const out: DerElement[] = [];
  let at = parent.contentStart;
  while (at < parent.end) {
    const child = readElement(buf, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** Reads the single strict-DER element that must fill `buf` exactly, and checks its tag. */
export function readWhole(buf: Buffer, expectedTag: number): DerElement {
  const element = readElement(buf, 0, buf.length);
  if (element.tag !== expectedTag) throw new DerReadError(`expected tag 0x${expectedTag.toString(16)}, found 0x${element.tag.toString(16)}`);
  if (element.end !== buf.length) throw new DerReadError('trailing bytes after the DER element');
  return element;
}

/** The children of a constructed element. */
export function children(buf: Uint8Array, t: Tlv, depth = 0): Tlv[] {
  if (!isConstructed(t)) throw new DerError(`expected a constructed element at byte ${t.start}`, false);
  const out: Tlv[] = [];
  let p = t.valueStart;
  while (p < t.valueEnd) {
    const c = readTlv(buf, p, t.valueEnd, depth + 1, true);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Reads an element and checks its tag. */
export function expect(buf: Uint8Array, t: Tlv | undefined, tag: number, what: string): Tlv {
  if (t === undefined) throw new DerError(`${what} is missing`, false);
  if (t.tag !== tag) {
    throw new DerError(`${what} has tag 0x${t.tag.toString(16).padStart(2, '0')} at byte ${t.start}, expected 0x${tag.toString(16).padStart(2, '0')}`, false);
  }
  return t;
}

/** Children of an element that must carry `tag` (SEQUENCE by default). */
export function seq(buf: Uint8Array, t: Tlv | undefined, what: string, tag: number = TAG.SEQUENCE): Tlv[] {
  return children(buf, expect(buf, t, tag, what));
}

/** The raw bytes of an element (header included), without copying. */
export function raw(buf: Uint8Array, t: Tlv): Buffer {
  return toBuffer(buf).subarray(t.start, t.end);
}

/** The content octets of an element, without copying. */
export function content(buf: Uint8Array, t: Tlv): Buffer {
  return toBuffer(buf).subarray(t.valueStart, t.valueEnd);
}

/** A Buffer view of a Uint8Array (no copy). */
export function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** Decodes an OBJECT IDENTIFIER to dotted form. */
export function oid(buf: Uint8Array, t: Tlv | undefined, what = 'object identifier'): string {
  const e = expect(buf, t, TAG.OID, what);
  return oidFromContent(buf, e.valueStart, e.valueEnd, what);
}

/** Decodes OID content octets in `[start, end)` to dotted form. */
export function oidFromContent(buf: Uint8Array, start: number, end: number, what = 'object identifier'): string {
  if (end <= start || end - start > 256) throw new DerError(`${what} is malformed`, false);
  const arcs: string[] = [];
  let value = 0;
  let big: bigint | null = null;
  for (let p = start; p < end; p++) {
    const b = buf[p] as number;
    if (big !== null) big = big * 128n + BigInt(b & 0x7f);
    else if (value > 2 ** 45) big = BigInt(value) * 128n + BigInt(b & 0x7f);
    else value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const v = big ?? BigInt(value);
        if (v < 40n) arcs.push('0', v.toString());
        else if (v < 80n) arcs.push('1', (v - 40n).toString());
        else arcs.push('2', (v - 80n).toString());
      } else {
        arcs.push(big !== null ? big.toString() : String(value));
      }
      value = 0;
      big = null;
    } else if (p === end - 1) {
      throw new DerError(`${what} is malformed`, false);
    }
  }
  return arcs.join('.');
}

/** A small non-negative INTEGER as a number (throws if negative or above 2^48). */
export function smallInt(buf: Uint8Array, t: Tlv | undefined, what = 'integer'): number {
  const e = expect(buf, t, TAG.INTEGER, what);
  const len = e.valueEnd - e.valueStart;
  if (len === 0) throw new DerError(`${what} is empty`, false);
  if (((buf[e.valueStart] as number) & 0x80) !== 0) throw new DerError(`${what} is negative`, false);
  let v = 0;
  for (let p = e.valueStart; p < e.valueEnd; p++) {
    v = v * 256 + (buf[p] as number);
    if (v > 2 ** 48) throw new DerError(`${what} is too large`, false);
  }
  return v;
}

/** An INTEGER as lowercase hex without leading zeros ("0" for zero, "-…" for negative values). */
export function intHex(buf: Uint8Array, t: Tlv | undefined, what = 'integer'): string {
  const e = expect(buf, t, TAG.INTEGER, what);
  const bytes = content(buf, e);
  if (bytes.length === 0) throw new DerError(`${what} is empty`, false);
  if (((bytes[0] as number) & 0x80) !== 0) {
    // Two's complement negative: print the magnitude like OpenSSL does.
    const mag = Buffer.alloc(bytes.length);
    let carry = 1;
    for (let i = bytes.length - 1; i >= 0; i--) {
      const v = (~(bytes[i] as number) & 0xff) + carry;
      mag[i] = v & 0xff;
      carry = v >> 8;
    }
    return '-' + stripHex(mag.toString('hex'));
  }
  return stripHex(bytes.toString('hex'));
}

function stripHex(h: string): string {
  let i = 0;
  while (i < h.length - 1 && h[i] === '0') i++;
  return h.slice(i);
}

/** Bit length of an unsigned big-endian INTEGER's value. */
export function intBitLength(buf: Uint8Array, t: Tlv): number {
  let p = t.valueStart;
  while (p < t.valueEnd && buf[p] === 0) p++;
  if (p === t.valueEnd) return 0;
  return (t.valueEnd - p - 1) * 8 + (32 - Math.clz32(buf[p] as number));
}

/** The value of an OCTET STRING, joining the pieces of a BER constructed one. */
export function octetString(buf: Uint8Array, t: Tlv | undefined, what = 'octet string', depth = 0): Buffer {
  if (t === undefined) throw new DerError(`${what} is missing`, false);
  if (t.tag === TAG.OCTET_STRING || (t.tag & 0xe0) === 0x80) return content(buf, t);
  if (t.tag === TAG.CONSTRUCTED_OCTET_STRING || (t.tag & 0xe0) === 0xa0) {
    if (depth > 8) throw new DerError(`${what} is nested too deeply`, false);
    return Buffer.concat(children(buf, t).map((c) => octetString(buf, c, what, depth + 1)));
  }
  throw new DerError(`${what} has tag 0x${t.tag.toString(16)} at byte ${t.start}, expected an OCTET STRING`, false);
}

/** The bytes of a BIT STRING (unused bits ignored) and the unused-bit count. */
export function bitString(buf: Uint8Array, t: Tlv | undefined, what = 'bit string'): { unused: number; bytes: Buffer } {
  const e = expect(buf, t, TAG.BIT_STRING, what);
  if (e.valueEnd === e.valueStart) throw new DerError(`${what} is empty`, false);
  const unused = buf[e.valueStart] as number;
  if (unused > 7) throw new DerError(`${what} is malformed`, false);
  return { unused, bytes: toBuffer(buf).subarray(e.valueStart + 1, e.valueEnd) };
}

const STRING_TAGS: ReadonlySet<number> = new Set<number>([
  TAG.UTF8_STRING,
  TAG.NUMERIC_STRING,
  TAG.PRINTABLE_STRING,
  TAG.TELETEX_STRING,
  TAG.VIDEOTEX_STRING,
  TAG.IA5_STRING,
  TAG.GRAPHIC_STRING,
  TAG.VISIBLE_STRING,
  TAG.GENERAL_STRING,
  TAG.UNIVERSAL_STRING,
  TAG.BMP_STRING,
]);

/** True for the ASN.1 character-string tags. */
export function isStringTag(tag: number): boolean {
  return STRING_TAGS.has(tag);
}

const utf8 = new TextDecoder('utf-8');

/** Decodes a character string by its tag (UTF-8, Latin-1 for T61/IA5…, UTF-16BE, UTF-32BE). */
export function decodeString(buf: Uint8Array, t: Tlv): string {
  const b = content(buf, t);
  switch (t.tag) {
    case TAG.UTF8_STRING:
      return utf8.decode(b);
    case TAG.BMP_STRING: {
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(((b[i] as number) << 8) | (b[i + 1] as number));
      return s;
    }
    case TAG.UNIVERSAL_STRING: {
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4) {
        const cp = (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return b.toString('latin1');
  }
}

/** Decodes a UTCTime or GeneralizedTime to ISO 8601 UTC without milliseconds. */
export function decodeTime(buf: Uint8Array, t: Tlv | undefined, what = 'time'): string {
  if (t === undefined || (t.tag !== TAG.UTC_TIME && t.tag !== TAG.GENERALIZED_TIME)) {
    throw new DerError(`${what} is not a UTCTime or GeneralizedTime`, false);
  }
  const s = content(buf, t).toString('latin1');
  const m =
    t.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{4})?$/.exec(s);
  if (m === null) throw new DerError(`${what} "${s.slice(0, 40)}" is malformed`, false);
  let year = Number(m[1]);
  if (t.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900; // RFC 5280 §4.1.2.5.1
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5] ?? '0');
  const second = Number(m[6] ?? '0');
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) {
    throw new DerError(`${what} "${s}" is not a valid date`, false);
  }
  const zone = m[7] ?? 'Z';
  if (zone === 'Z') return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}Z`;
  const offset = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** An AlgorithmIdentifier's OID and its parameters element (if any). */
export function algorithm(buf: Uint8Array, t: Tlv | undefined, what = 'algorithm identifier'): { oid: string; params: Tlv | undefined } {
  const c = seq(buf, t, what);
  return { oid: oid(buf, c[0], what), params: c[1] };
}
