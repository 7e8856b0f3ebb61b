/**
 * The key service end to end: real vault, real OS keychain, real conf store, real audit log.
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { KEY_TYPES } from '../../shared/pki-types.js';
import { spkiSha256 } from '../../main/pki/keys.js';
import { createAuditLog } from '../../main/services/audit-log.js';
import { createKeyService, type KeyService } from '../../main/services/key-service.js';
import { createStore } from '../../main/store/store.js';
import { createOsKeychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';
import { findKeyMaterial, testKey } from '../support/key-material.js';
import { skipKeychainTests } from '../support/keychain.js';
import { tempDir } from '../support/openssl.js';

const skip = await skipKeychainTests('key-service');
const keychainIt = it.skipIf(skip);
const keychain = createOsKeychain();
const service = `certdesk-test-${randomBytes(4).toString('hex')}`;
const accounts = new Set<string>();
const cleanups: (() => void)[] = [];

afterEach(() => cleanups.splice(0).forEach((c) => c()));
afterAll(async () => {
  for (const account of accounts) await keychain.delete(service, account).catch(() => false);
});

/** Everything as the CLI wires it at start-up: fresh instances, nothing cached. */
async function open(dataDir: string): Promise<{ keys: KeyService; vault: Vault }> {
  const vault = new Vault({ dataDir, keychain, service });
  accounts.add((await vault.kekEntry()).account);
  const store = await createStore({ cwd: dataDir });
  const audit = createAuditLog({ dataDir });
  return { keys: createKeyService({ vault, store, audit, now: () => new Date() }), vault };
}

function dataDir(): string {
  const t = tempDir('certdesk-keysvc-it-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('key service with the real keychain', () => {
  keychainIt('generates every key type, survives a restart, and keeps no key in the clear', async () => {
    const dir = dataDir();
    const { keys } = await open(dir);
    const records = [];
    for (const type of KEY_TYPES) records.push(await keys.generate(type, `test ${type}`));
    const imported: KeyObject = await testKey('ec-p256');
    const importedRecord = await keys.import(imported, 'imported one');
    expect(importedRecord.existing).toBe(false);

    // "Restart": new store, vault, keychain cache.
    const after = (await open(dir)).keys;
    expect((await after.list()).map((r) => r.id)).toEqual([...records.map((r) => r.id), importedRecord.id]);
    const privateKeys: KeyObject[] = [];
    for (const record of records) {
      const key = await after.getPrivateKey(record.id);
      expect(spkiSha256(key)).toBe(record.spkiSha256);
      privateKeys.push(key);
    }
    const back = await after.getPrivateKey(importedRecord.id);
    expect(back.export({ type: 'pkcs8', format: 'der' }).equals(imported.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
    expect((await after.import(createPrivateKey(imported.export({ type: 'sec1', format: 'pem' })))).existing).toBe(true);

    expect(findKeyMaterial(dir, [...privateKeys, imported])).toEqual([]);
    const audit = readFileSync(createAuditLog({ dataDir: dir }).path, 'utf8');
    expect(audit.trim().split('\n')).toHaveLength(KEY_TYPES.length + 2);
  });

  keychainIt('delete removes the sealed file and the record', async () => {
    const dir = dataDir();
    const { keys, vault } = await open(dir);
    const r = await keys.generate('ec-p384');
    expect(existsSync(vault.keyFile(r.id))).toBe(true);
    await keys.delete(r.id);
    expect(existsSync(vault.keyFile(r.id))).toBe(false);
    expect(await (await open(dir)).keys.list()).toEqual([]);
  });

  keychainIt('re-adopts sealed keys after the store was lost', async () => {
    const dir = dataDir();
    const { keys } = await open(dir);
    const r = await keys.generate('rsa-2048');
    writeFileSync(join(dir, 'config.json'), '{ broken');
    const again = await open(dir);
    expect(await again.keys.list()).toEqual([]);
    const result = await again.keys.reconcile();
    expect(result.adopted.map((a) => [a.id, a.spkiSha256])).toEqual([[r.id, r.spkiSha256]]);
    expect(spkiSha256(await again.keys.getPrivateKey(r.id))).toBe(r.spkiSha256);
  });
});
