/**
 * CDN Pro (ngapi) request signing and private-key encryption (providers.md §1.2).
 *
 * One `Date` string per request is both the signed value of the Basic password
 * (base64 HMAC-SHA1 keyed by the API key) and the input of the key that encrypts an uploaded
 * private key: hex(HMAC-SHA256(apiKey, Date)) split into the AES-128-CBC IV (first 16 bytes)
 * and key (last 16 bytes), PKCS#7 padding, base64 output — the vendor CLI's
 * `openssl aes-128-cbc -base64 -nosalt -K … -iv …`. Both directions live here so the sandbox
 * verifies exactly what the client produces.
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

/** API credentials of a CDN Pro account. */
export interface CdnProCredentials {
  readonly user: string;
  /** The API key (secret). */
  readonly apiKey: string;
}

/** The RFC 1123 GMT date CDN Pro signs, e.g. "Wed, 25 Sep 2024 05:35:12 GMT" (what `toUTCString` gives). */
export function httpDate(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}

/** The Basic password: base64(HMAC-SHA1(apiKey, date)). */
export function signDate(apiKey: string, date: string): string {
  return createHmac('sha1', apiKey).update(date, 'utf8').digest('base64');
}

/** The `Authorization` header value for `date`. */
export function authorizationHeader(credentials: CdnProCredentials, date: string): string {
  const password = signDate(credentials.apiKey, date);
  return `Basic ${Buffer.from(`${credentials.user}:${password}`, 'utf8').toString('base64')}`;
}

/** The headers that authenticate one request: `Date` and `Authorization`, from one clock reading. */
export function authHeaders(credentials: CdnProCredentials, date: string): { Date: string; Authorization: string } {
  return { Date: date, Authorization: authorizationHeader(credentials, date) };
}

/** AES-128-CBC key and IV derived from the API key and the request's Date. */
export function keyEncryptionParams(apiKey: string, date: string): { key: Buffer; iv: Buffer } {
  const hex = createHmac('sha256', apiKey).update(date, 'utf8').digest('hex');
  return { iv: Buffer.from(hex.slice(0, 32), 'hex'), key: Buffer.from(hex.slice(32, 64), 'hex') };
}

/** Encrypts a private key PEM for upload with the request's Date; returns base64. */
export function encryptPrivateKey(pem: string, apiKey: string, date: string): string {
  const { key, iv } = keyEncryptionParams(apiKey, date);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  return Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * Decrypts an uploaded private key (base64, line breaks allowed) with the request's Date.
 * Returns undefined when the ciphertext does not decrypt (wrong API key or Date, or not base64).
 */
export function decryptPrivateKey(encrypted: string, apiKey: string, date: string): string | undefined {
  const compact = encrypted.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const data = Buffer.from(compact, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) return undefined;
  const { key, iv } = keyEncryptionParams(apiKey, date);
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A parsed `Authorization: Basic` header. */
export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

/** Parses `Authorization: Basic base64(user:password)`; undefined when malformed. */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null || match[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** True when `password` is the right signature of `date` for `apiKey` (constant time). */
export function verifySignature(apiKey: string, date: string, password: string): boolean {
  const expected = Buffer.from(signDate(apiKey, date), 'utf8');
  const given = Buffer.from(password, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
