import { createPublicKey, createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../../shared/errors.js';
import { KEY_TYPES, type KeyType } from '../../../../shared/pki-types.js';
import { generateKey, keyTypeOf, publicKeyOf } from '../../../../main/pki/keygen.js';

const EXPECTED: Record<KeyType, { type: string; bits?: number; curve?: string }> = {
  'rsa-2048': { type: 'rsa', bits: 2048 },
  'rsa-3072': { type: 'rsa', bits: 3072 },
  'rsa-4096': { type: 'rsa', bits: 4096 },
  'ec-p256': { type: 'ec', curve: 'prime256v1' },
  'ec-p384': { type: 'ec', curve: 'secp384r1' },
};

describe('generateKey', () => {
  it.each(KEY_TYPES)('generates a private %s key of the right size or curve', async (type) => {
    const key = await generateKey(type);
    const expected = EXPECTED[type];
    expect(key.type).toBe('private');
    expect(key.asymmetricKeyType).toBe(expected.type);
    if (expected.bits !== undefined) {
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(expected.bits);
      expect(key.asymmetricKeyDetails?.publicExponent).toBe(65537n);
    } else {
      expect(key.asymmetricKeyDetails?.namedCurve).toBe(expected.curve);
    }
    expect(keyTypeOf(key)).toBe(type);
  });

  it('makes a different key every time', async () => {
    const a = publicKeyOf(await generateKey('ec-p256')).export({ format: 'jwk' });
    const b = publicKeyOf(await generateKey('ec-p256')).export({ format: 'jwk' });
    expect(a.x).not.toBe(b.x);
  });

  it('rejects an unknown key type with INVALID_ARGUMENT naming the choices', async () => {
    const err: unknown = await generateKey('rsa-1024' as KeyType).catch((e: unknown) => e);
    expect(isCertdeskError(err) && err.code).toBe('INVALID_ARGUMENT');
    expect((err as Error).message).toContain('rsa-1024');
    expect((err as Error).message).toContain('ec-p384');
  });
});

describe('keyTypeOf', () => {
  it('recognises public keys as well as private ones', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(keyTypeOf(publicKey)).toBe('ec-p384');
    expect(keyTypeOf(privateKey)).toBe('ec-p384');
  });

  it('returns null for keys Certdesk does not generate', () => {
    expect(keyTypeOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)).toBeNull();
    expect(keyTypeOf(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey)).toBeNull();
    expect(keyTypeOf(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey)).toBeNull();
    expect(keyTypeOf(generateKeyPairSync('ed25519').privateKey)).toBeNull();
    expect(keyTypeOf(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey)).toBeNull();
    expect(keyTypeOf(createSecretKey(randomBytes(32)))).toBeNull();
  });
});

describe('publicKeyOf', () => {
  it('gives the public half of generated and imported keys, and passes public keys through', async () => {
    const generated = await generateKey('ec-p256');
    expect(publicKeyOf(generated).equals(createPublicKey(generated))).toBe(true);
    expect(publicKeyOf(generated)).toBe(publicKeyOf(generated));
    const imported = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(publicKeyOf(imported).type).toBe('public');
    expect(publicKeyOf(imported).equals(createPublicKey(imported))).toBe(true);
    const pub = createPublicKey(imported);
    expect(publicKeyOf(pub)).toBe(pub);
  });
});
