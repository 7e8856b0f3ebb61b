/**
 * Known-answer tests for CDN Pro signing and key encryption. Expected values come from the
 * openssl CLI run exactly the way the vendor's own CLI does it (cdnapi.sh / build-cert-body.sh),
 * and from Node's crypto used directly, never from the code under test.
 */
import { createDecipheriv, createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authHeaders,
  authorizationHeader,
  decryptPrivateKey,
  encryptPrivateKey,
  httpDate,
  keyEncryptionParams,
  parseBasicAuthorization,
  signDate,
  verifySignature,
} from '../../../../../main/providers/cdnpro/auth.js';
import { openssl } from '../../../../support/openssl.js';

const API_KEY = 'cdnpro-test-api-key-0123456789';
const DATE = 'Wed, 25 Sep 2024 05:35:12 GMT';

describe('Date', () => {
  it('is RFC 1123 GMT as toUTCString gives it', () => {
    const ms = Date.UTC(2024, 8, 25, 5, 35, 12, 999);
    expect(httpDate(ms)).toBe(DATE);
    expect(httpDate(Date.UTC(2026, 0, 1, 0, 0, 0))).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });
});

describe('Basic password', () => {
  it('is base64(HMAC-SHA1(apiKey, Date)) — matches openssl dgst -sha1 -hmac', () => {
    const expected = openssl(['dgst', '-sha1', '-hmac', API_KEY, '-binary'], DATE).toString('base64');
    expect(signDate(API_KEY, DATE)).toBe(expected);
    expect(verifySignature(API_KEY, DATE, expected)).toBe(true);
    expect(verifySignature(API_KEY, 'Wed, 25 Sep 2024 05:35:13 GMT', expected)).toBe(false);
    expect(verifySignature('other-key', DATE, expected)).toBe(false);
  });

  it('builds Authorization: Basic base64(user:password) and parses it back', () => {
    const password = createHmac('sha1', API_KEY).update(DATE).digest('base64');
    const header = authorizationHeader({ user: 'alice', apiKey: API_KEY }, DATE);
    expect(header).toBe(`Basic ${Buffer.from(`alice:${password}`).toString('base64')}`);
    expect(parseBasicAuthorization(header)).toEqual({ user: 'alice', password });
    expect(authHeaders({ user: 'alice', apiKey: API_KEY }, DATE)).toEqual({ Date: DATE, Authorization: header });
    expect(parseBasicAuthorization('Bearer abc')).toBeUndefined();
    expect(parseBasicAuthorization(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
  });
});

describe('private key encryption', () => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('derives IV = first 16 bytes and key = last 16 bytes of HMAC-SHA256(apiKey, Date)', () => {
    const hex = openssl(['dgst', '-sha256', '-hmac', API_KEY, '-r'], DATE).toString().slice(0, 64);
    const { iv, key } = keyEncryptionParams(API_KEY, DATE);
    expect(iv.toString('hex')).toBe(hex.slice(0, 32));
    expect(key.toString('hex')).toBe(hex.slice(32, 64));
  });

  it('produces exactly what the vendor CLI produces (openssl aes-128-cbc -base64 -nosalt)', () => {
    const hex = openssl(['dgst', '-sha256', '-hmac', API_KEY, '-r'], DATE).toString().slice(0, 64);
    const vendor = openssl(['aes-128-cbc', '-base64', '-nosalt', '-K', hex.slice(32, 64), '-iv', hex.slice(0, 32)], pem).toString();
    const ours = encryptPrivateKey(pem, API_KEY, DATE);
    // openssl wraps base64 at 64 columns; the bytes are the same.
    expect(ours).toBe(vendor.replace(/\s+/g, ''));
    // and openssl decrypts ours
    const back = openssl(['aes-128-cbc', '-d', '-base64', '-A', '-nosalt', '-K', hex.slice(32, 64), '-iv', hex.slice(0, 32)], ours).toString();
    expect(back).toBe(pem);
  });

  it('decrypts independently with Node crypto', () => {
    const mac = createHmac('sha256', API_KEY).update(DATE).digest('hex');
    const decipher = createDecipheriv('aes-128-cbc', Buffer.from(mac.slice(32), 'hex'), Buffer.from(mac.slice(0, 32), 'hex'));
    const plain = Buffer.concat([decipher.update(Buffer.from(encryptPrivateKey(pem, API_KEY, DATE), 'base64')), decipher.final()]).toString();
    expect(plain).toBe(pem);
  });

  it('round-trips, accepts wrapped base64, and fails for another Date or key', () => {
    const encrypted = encryptPrivateKey(pem, API_KEY, DATE);
    expect(decryptPrivateKey(encrypted, API_KEY, DATE)).toBe(pem);
    expect(decryptPrivateKey(encrypted.replace(/(.{64})/g, '$1\n'), API_KEY, DATE)).toBe(pem);
    const otherDate = decryptPrivateKey(encrypted, API_KEY, 'Wed, 25 Sep 2024 05:35:13 GMT');
    expect(otherDate === undefined || otherDate !== pem).toBe(true);
    expect(decryptPrivateKey(encrypted, 'wrong', DATE) ?? '').not.toBe(pem);
    expect(decryptPrivateKey('not base64 !!', API_KEY, DATE)).toBeUndefined();
    expect(decryptPrivateKey('', API_KEY, DATE)).toBeUndefined();
  });
});
