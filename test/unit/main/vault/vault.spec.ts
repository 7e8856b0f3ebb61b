// Vault behaviour that needs no keychain at all; everything that does is in
// test/integration/vault-keychain.spec.ts against the real OS keychain.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../../shared/errors.js';
import type { Keychain } from '../../../../main/vault/keychain.js';
import { isKeyId, Vault } from '../../../../main/vault/vault.js';
import { tempDir } from '../../../support/openssl.js';

/** A keychain that fails the test if anything touches it. */
const untouchable: Keychain = {
  get: () => Promise.reject(new Error('the keychain must not be used here')),
  set: () => Promise.reject(new Error('the keychain must not be used here')),
  delete: () => Promise.reject(new Error('the keychain must not be used here')),
};

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function vault(): { v: Vault; dir: string } {
  const t = tempDir('certdesk-vault-unit-');
  cleanups.push(t.cleanup);
  return { v: new Vault({ dataDir: t.dir, keychain: untouchable }), dir: t.dir };
}

describe('Vault without the keychain', () => {
  it('recognises key ids', () => {
    expect(isKeyId('k_0123456789abcdef')).toBe(true);
    for (const bad of ['k_0123456789ABCDEF', 'k_0123', '../k_0123456789abcdef', 'k_0123456789abcdef.key', '']) {
      expect(isKeyId(bad)).toBe(false);
    }
  });

  it('lists, tests and deletes sealed files without opening them', async () => {
    const { v } = vault();
    expect(await v.listIds()).toEqual([]);
    mkdirSync(v.keysDir, { recursive: true });
    writeFileSync(v.keyFile('k_00000000000000b2'), 'x');
    writeFileSync(v.keyFile('k_00000000000000a1'), 'x');
    writeFileSync(join(v.keysDir, '.k_00000000000000c3.key.1234.tmp'), 'x');
    writeFileSync(join(v.keysDir, 'notes.txt'), 'x');
    expect(await v.listIds()).toEqual(['k_00000000000000a1', 'k_00000000000000b2']);
    expect(await v.has('k_00000000000000a1')).toBe(true);
    expect(await v.has('k_00000000000000ff')).toBe(false);
    expect(await v.has('../../etc/passwd')).toBe(false);
    expect(await v.delete('k_00000000000000a1')).toBe(true);
    expect(await v.delete('k_00000000000000a1')).toBe(false);
    expect(await v.listIds()).toEqual(['k_00000000000000b2']);
  });

  it('answers KEY_NOT_FOUND for unknown or malformed ids before asking the keychain', async () => {
    const { v } = vault();
    for (const id of ['k_00000000000000ff', '../escape', 'k_ZZ']) {
      try {
        await v.get(id);
        expect.unreachable();
      } catch (err) {
        expect(isCertdeskError(err) && err.code).toBe('KEY_NOT_FOUND');
      }
    }
  });

  it('refuses public keys', async () => {
    const { v } = vault();
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expect(v.put(publicKey)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
