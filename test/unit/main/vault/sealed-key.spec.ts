import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../../shared/errors.js';
import { openSealedKey, SEALED_KEY_HEADER_BYTES, sealKey } from '../../../../main/vault/sealed-key.js';

const kek = randomBytes(32);
const payload = randomBytes(300);

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return isCertdeskError(err) ? err.code : `not a CertdeskError: ${String(err)}`;
  }
  return 'no error';
}

describe('sealed key files', () => {
  it('round-trips and lays out magic, version, IV, tag, ciphertext', () => {
    const file = sealKey(kek, 'k_00112233445566aa', payload);
    expect(file.length).toBe(SEALED_KEY_HEADER_BYTES + payload.length);
    expect(file.subarray(0, 4).toString('latin1')).toBe('CDKV');
    expect(file[4]).toBe(1);
    expect(file.includes(payload.subarray(0, 16))).toBe(false);
    expect(openSealedKey(kek, 'k_00112233445566aa', file, 'x.key').equals(payload)).toBe(true);
  });

  it('is AES-256-GCM with the header prefix and key id as associated data (independent decryption)', () => {
    const id = 'k_0123456789abcdef';
    const file = sealKey(kek, id, payload);
    const iv = file.subarray(5, 17);
    const tag = file.subarray(17, 33);
    // Re-encrypting with the same IV and AAD = "CDKV" 0x01 id must give the same ciphertext and tag.
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    cipher.setAAD(Buffer.concat([Buffer.from('CDKV'), Buffer.from([1]), Buffer.from(id)]));
    const ct = Buffer.concat([cipher.update(payload), cipher.final()]);
    expect(ct.equals(file.subarray(33))).toBe(true);
    expect(cipher.getAuthTag().equals(tag)).toBe(true);
  });

  it('uses a fresh IV each time', () => {
    const a = sealKey(kek, 'k_0000000000000001', payload);
    const b = sealKey(kek, 'k_0000000000000001', payload);
    expect(a.subarray(5, 17).equals(b.subarray(5, 17))).toBe(false);
  });

  it('refuses another key id, another KEK, and short or foreign files', () => {
    const file = sealKey(kek, 'k_0000000000000001', payload);
    expect(code(() => openSealedKey(kek, 'k_0000000000000002', file, 'f'))).toBe('VAULT_KEY_TAMPERED');
    expect(code(() => openSealedKey(randomBytes(32), 'k_0000000000000001', file, 'f'))).toBe('VAULT_KEY_TAMPERED');
    expect(code(() => openSealedKey(kek, 'k_0000000000000001', file.subarray(0, 33), 'f'))).toBe('VAULT_KEY_TAMPERED');
    expect(code(() => openSealedKey(kek, 'k_0000000000000001', Buffer.from('-----BEGIN PRIVATE KEY-----\nMII…'), 'f'))).toBe(
      'VAULT_KEY_TAMPERED',
    );
  });

  it('names the key and the file, and never echoes the plaintext', () => {
    const file = sealKey(kek, 'k_0000000000000001', payload);
    file[40]! ^= 1;
    try {
      openSealedKey(kek, 'k_0000000000000001', file, '/data/vault/keys/k_0000000000000001.key');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('k_0000000000000001');
      expect((err as Error).message).toContain('/data/vault/keys/k_0000000000000001.key');
    }
  });

  it('detects any single flipped bit', () => {
    const id = 'k_00000000000000ff';
    const file = sealKey(kek, id, payload);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: file.length * 8 - 1 }), (bit) => {
        const copy = Buffer.from(file);
        copy[bit >> 3]! ^= 1 << (bit & 7);
        return code(() => openSealedKey(kek, id, copy, 'f')) === 'VAULT_KEY_TAMPERED';
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a KEK of the wrong size', () => {
    expect(code(() => sealKey(randomBytes(16), 'k_0000000000000001', payload))).toBe('INTERNAL');
  });
});
