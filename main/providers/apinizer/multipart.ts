/**
 * A `multipart/form-data` body (RFC 7578) built as text, which is all Apinizer's certificate
 * endpoints need: a few text fields and one PEM file part, all ASCII-safe or UTF-8.
 *
 * Field names and file names are escaped the way the WHATWG HTML spec does for form
 * submission (`"` → %22, CR → %0D, LF → %0A); values keep their bytes, with line breaks
 * normalised to CRLF only in text fields (the file part is sent exactly as given).
 */
import { randomBytes } from 'node:crypto';

/** A text field. */
export interface MultipartTextPart {
  readonly name: string;
  readonly value: string;
}

/** A file field. */
export interface MultipartFilePart {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

/** One part of the form. */
export type MultipartPart = MultipartTextPart | MultipartFilePart;

/** The encoded form. */
export interface MultipartBody {
  readonly body: string;
  /** The `Content-Type` header value, boundary included. */
  readonly contentType: string;
}

function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A boundary that does not occur in any part. */
function pickBoundary(parts: readonly MultipartPart[], random: () => string): string {
  for (;;) {
    const boundary = `----CertdeskFormBoundary${random()}`;
    const clash = parts.some((p) => ('content' in p ? p.content : p.value).includes(boundary));
    if (!clash) return boundary;
  }
}

/** Encodes `parts` in order; `random` (for tests) supplies the boundary's random suffix. */
export function buildMultipart(parts: readonly MultipartPart[], random: () => string = () => randomBytes(12).toString('hex')): MultipartBody {
  const boundary = pickBoundary(parts, random);
  const chunks: string[] = [];
  for (const part of parts) {
    chunks.push(`--${boundary}\r\n`);
    if ('content' in part) {
      chunks.push(`Content-Disposition: form-data; name="${escapeName(part.name)}"; filename="${escapeName(part.filename)}"\r\n`);
      chunks.push(`Content-Type: ${part.contentType}\r\n\r\n`);
      chunks.push(part.content);
    } else {
      chunks.push(`Content-Disposition: form-data; name="${escapeName(part.name)}"\r\n\r\n`);
      chunks.push(part.value.replace(/\r\n|\r|\n/g, '\r\n'));
    }
    chunks.push('\r\n');
  }
  chunks.push(`--${boundary}--\r\n`);
  return { body: chunks.join(''), contentType: `multipart/form-data; boundary=${boundary}` };
}
