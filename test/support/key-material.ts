/**
 * Scans a directory tree for private key material in the clear: PEM headers, and the bytes of
 * given keys in every encoding a careless writer might use (DER, raw scalars/primes, hex, base64).
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KeyType } from '../../shared/pki-types.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** The byte strings that would betray `key` if found in a file, by name. */
export function keyNeedles(key: KeyObject): Map<string, Buffer> {
  const needles = new Map<string, Buffer>();
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  needles.set('PKCS#8 DER', pkcs8);
  needles.set('PKCS#8 DER, base64', Buffer.from(pkcs8.toString('base64').slice(0, 64)));
  needles.set('PKCS#8 DER, hex', Buffer.from(pkcs8.toString('hex').slice(0, 128)));
  const traditional = key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs1';
  needles.set(`${traditional} DER`, key.export({ type: traditional, format: 'der' }));
  const jwk = key.export({ format: 'jwk' });
  for (const name of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
    const value = jwk[name];
    if (value === undefined) continue;
    const raw = Buffer.from(value, 'base64url');
    needles.set(`private component ${name}`, raw);
    needles.set(`private component ${name}, hex`, Buffer.from(raw.toString('hex')));
    needles.set(`private component ${name}, base64url`, Buffer.from(value));
    needles.set(`private component ${name}, base64`, Buffer.from(raw.toString('base64')));
  }
  return needles;
}

/** Where key material shows up under `dir` ("file: what"), for the given keys and any PEM key header. */
export function findKeyMaterial(dir: string, keys: readonly KeyObject[], extraNeedles: readonly Buffer[] = []): string[] {
  const needles = new Map<string, Buffer>();
  keys.forEach((key, n) => {
    for (const [name, bytes] of keyNeedles(key)) needles.set(`key ${n}: ${name}`, bytes);
  });
  extraNeedles.forEach((bytes, n) => needles.set(`extra needle ${n}`, bytes));
  needles.set('a PEM header', Buffer.from('-----BEGIN'));
  needles.set('the words PRIVATE KEY', Buffer.from('PRIVATE KEY'));
  const findings: string[] = [];
  for (const file of filesUnder(dir)) {
    const content = readFileSync(file);
    for (const [name, bytes] of needles) {
      if (bytes.length > 0 && content.includes(bytes)) findings.push(`${file}: ${name}`);
    }
  }
  return findings;
}

const KEY_PARAMS: Readonly<Record<KeyType, { type: 'rsa'; modulusLength: number } | { type: 'ec'; namedCurve: string }>> = {
  'rsa-2048': { type: 'rsa', modulusLength: 2048 },
  'rsa-3072': { type: 'rsa', modulusLength: 3072 },
  'rsa-4096': { type: 'rsa', modulusLength: 4096 },
  'ec-p256': { type: 'ec', namedCurve: 'P-256' },
  'ec-p384': { type: 'ec', namedCurve: 'P-384' },
};

/** A fresh private key of a Certdesk key type, made with Node's crypto directly (independent of main/pki/keygen.ts). */
export async function testKey(type: KeyType): Promise<KeyObject> {
  const params = KEY_PARAMS[type];
  const pair =
    params.type === 'rsa'
      ? await generateKeyPairAsync('rsa', { modulusLength: params.modulusLength })
      : await generateKeyPairAsync('ec', { namedCurve: params.namedCurve });
  return pair.privateKey;
}
