/**
 * PEM text → blocks (RFC 7468, plus the RFC 1421 headers of OpenSSL's legacy encrypted keys),
 * and DER → one PEM block ({@link pemBlock}) for everything Certdesk writes.
 *
 * Tolerates what people paste: any text around and between blocks (`openssl x509 -text` dumps,
 * "Bag Attributes" lines), CRLF, a UTF-8 or UTF-16 byte-order mark, indentation, blank lines,
 * trailing whitespace and JSON-style "\n" escapes.
 */
import { CertdeskError } from '../../shared/errors.js';

/** One `-----BEGIN X-----` … `-----END X-----` block. */
export interface PemBlock {
  /** The label, e.g. "CERTIFICATE" or "RSA PRIVATE KEY". */
  readonly label: string;
  /** RFC 1421 headers such as Proc-Type and DEK-Info (names as written). */
  readonly headers: ReadonlyMap<string, string>;
  /** The decoded body. */
  readonly der: Buffer;
  /** 1-based position of the block in the file. */
  readonly index: number;
  /** 1-based line of the BEGIN line. */
  readonly line: number;
}

const BEGIN_RE = /-----BEGIN ([^\r\n-]{0,64})-----/g;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes file bytes to text for PEM parsing (UTF-16 with a BOM, otherwise Latin-1 so offsets stay byte-exact). */
export function bytesToText(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString('utf16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const swapped = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  return b.toString('latin1');
}

/** True when the text contains at least one PEM BEGIN line. */
export function looksLikePem(text: string): boolean {
  return /-----BEGIN [^\r\n-]{0,64}-----/.test(text);
}

/** Splits PEM text into blocks; throws PEM_INVALID for unterminated blocks or bad base64. */
export function parsePem(text: string, fileName: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let from = 0;
  let lineNo = 1;
  let counted = 0;
  for (;;) {
    BEGIN_RE.lastIndex = from;
    const m = BEGIN_RE.exec(text);
    if (m === null) break;
    const label = (m[1] ?? '').trim();
    const index = blocks.length + 1;
    lineNo += countLines(text, counted, m.index);
    counted = m.index;
    const line = lineNo;
    const bodyStart = m.index + m[0].length;
    const endMarker = `-----END ${label}-----`;
    const endAt = text.indexOf(endMarker, bodyStart);
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if (endAt < 0 || (nextBegin >= 0 && nextBegin < endAt)) {
      const otherEnd = /-----END ([^\r\n-]{0,64})-----/.exec(text.slice(bodyStart, nextBegin >= 0 ? nextBegin : undefined));
      const why =
        otherEnd !== null
          ? `its END line says "${otherEnd[1] ?? ''}"`
          : 'it has no END line (the text may have been cut off)';
      throw new CertdeskError('PEM_INVALID', `${fileName}: PEM block ${index} (${label || 'no label'}, line ${line}) is not closed: ${why}`, {
        file: fileName,
      });
    }
    blocks.push(decodeBody(text.slice(bodyStart, endAt), label, index, line, fileName));
    from = endAt + endMarker.length;
  }
  return blocks;
}

function decodeBody(body: string, label: string, index: number, line: number, fileName: string): PemBlock {
  // JSON-escaped PEM ("…\nMIIB…\n…") arrives with literal backslash-n (and sometimes "\/") sequences.
  const lines = body.replace(/\\[nrt]/g, '\n').replace(/\\\//g, '/').split(/\r?\n|\r/);
  const headers = new Map<string, string>();
  let i = 0;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  if (i < lines.length && /^\s*[A-Za-z][A-Za-z0-9-]*:/.test(lines[i] ?? '')) {
    let lastName: string | undefined;
    for (; i < lines.length; i++) {
      const l = lines[i] ?? '';
      if (l.trim() === '') break;
      const h = /^\s*([A-Za-z][A-Za-z0-9-]*):\s*(.*?)\s*$/.exec(l);
      if (h !== null) {
        lastName = h[1] ?? '';
        headers.set(lastName, h[2] ?? '');
      } else if (/^\s/.test(l) && lastName !== undefined) {
        headers.set(lastName, `${headers.get(lastName) ?? ''}${l.trim()}`);
      } else {
        break;
      }
    }
  }
  const b64 = lines.slice(i).join('').replace(/\s+/g, '');
  const problem = `${fileName}: PEM block ${index} (${label}, line ${line})`;
  if (!BASE64_RE.test(b64) || b64.length % 4 === 1) {
    throw new CertdeskError('PEM_INVALID', `${problem} contains characters that are not base64`, { file: fileName });
  }
  const der = Buffer.from(b64, 'base64');
  if (der.length === 0) throw new CertdeskError('PEM_INVALID', `${problem} is empty`, { file: fileName });
  return { label, headers, der, index, line };
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let p = text.indexOf('\n', from); p >= 0 && p < to; p = text.indexOf('\n', p + 1)) n++;
  return n;
}

/** A PEM block with 64-character lines and a final newline. */
export function pemBlock(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let body = '';
  for (let i = 0; i < b64.length; i += 64) body += `${b64.slice(i, i + 64)}\n`;
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}
