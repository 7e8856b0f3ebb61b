// Key-service logic over an in-memory vault (the vault itself is tested against the real keychain
// in test/integration/), a real store and a real audit log in a temp directory.
import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CertdeskError, isCertdeskError } from '../../../../shared/errors.js';
import { KEY_TYPES, type KeyType } from '../../../../shared/pki-types.js';
import { spkiSha256 } from '../../../../main/pki/keys.js';
import { createAuditLog } from '../../../../main/services/audit-log.js';
import { createKeyService, keySummary, type KeyServiceDeps } from '../../../../main/services/key-service.js';
import { createStore, type AppStore } from '../../../../main/store/store.js';
import type { KeyVault } from '../../../../main/vault/vault.js';
import { findKeyMaterial, testKey } from '../../../support/key-material.js';
import { tempDir } from '../../../support/openssl.js';

class MemoryVault implements KeyVault {
  readonly keys = new Map<string, Buffer>();
  async put(key: KeyObject): Promise<string> {
    const id = `k_${randomBytes(8).toString('hex')}`;
    this.keys.set(id, key.export({ type: 'pkcs8', format: 'der' }));
    return id;
  }
  async get(id: string): Promise<KeyObject> {
    const der = this.keys.get(id);
    if (!der) throw new CertdeskError('KEY_NOT_FOUND', `no ${id}`);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  }
  async has(id: string): Promise<boolean> {
    return this.keys.has(id);
  }
  async delete(id: string): Promise<boolean> {
    return this.keys.delete(id);
  }
  async listIds(): Promise<string[]> {
    return [...this.keys.keys()].sort();
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const NOW = new Date('2026-11-23T07:06:00.789Z');

async function setup(overrides: Partial<KeyServiceDeps> = {}) {
  const t = tempDir('certdesk-keysvc-');
  cleanups.push(t.cleanup);
  const vault = new MemoryVault();
  const store = await createStore({ cwd: t.dir });
  const audit = createAuditLog({ dataDir: t.dir, now: () => NOW });
  const generated: KeyType[] = [];
  const service = createKeyService({
    vault,
    store,
    audit,
    now: () => NOW,
    generateKey: async (type) => (generated.push(type), testKey(type)),
    ...overrides,
  });
  return { service, vault, store, audit, generated, dir: t.dir };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return isCertdeskError(err) ? err.code : `not a CertdeskError: ${String(err)}`;
  }
  return 'no error';
}

describe('key service', () => {
  it.each(KEY_TYPES)('generates %s and records what the CLI prints', async (type) => {
    const { service, vault, generated } = await setup();
    const record = await service.generate(type, '  web tier  ');
    expect(generated).toEqual([type]);
    expect(record).toMatchObject({ keyType: type, label: 'web tier', createdAt: '2026-11-23T07:06:00Z', source: 'generated', uploads: [] });
    const key = await vault.get(record.id);
    expect(record.spkiSha256).toBe(spkiSha256(key));
    const summary = keySummary(record);
    if (type.startsWith('rsa')) {
      expect(summary).toEqual({ id: record.id, algorithm: 'RSA', bits: Number(type.slice(4)), spkiSha256: record.spkiSha256, label: 'web tier', createdAt: record.createdAt });
    } else {
      expect(summary).toEqual({ id: record.id, algorithm: 'EC', curve: type === 'ec-p256' ? 'P-256' : 'P-384', spkiSha256: record.spkiSha256, label: 'web tier', createdAt: record.createdAt });
    }
    expect(await service.list()).toEqual([record]);
    expect(await service.get(record.id)).toEqual(record);
  });

  it('uses keygen.generateKey by default', async () => {
    const { service } = await setup({ generateKey: undefined });
    const record = await service.generate('ec-p256');
    expect(record).toMatchObject({ algorithm: 'EC', curve: 'P-256', keyType: 'ec-p256' });
    expect(record.label).toBe('ec-p256 key, generated 2026-11-23');
  });

  it('refuses unknown types and bad labels', async () => {
    const { service } = await setup();
    expect(await codeOf(service.generate('rsa-1024' as KeyType))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(service.generate('ec-p256', 'a\nb'))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(service.generate('ec-p256', 'x'.repeat(201)))).toBe('INVALID_ARGUMENT');
    expect(await service.list()).toEqual([]);
  });

  it('imports a key once: a second import returns the existing record', async () => {
    const { service, vault, audit } = await setup();
    const key = await testKey('rsa-3072');
    const first = await service.import(key, 'legacy');
    expect(first).toMatchObject({ existing: false, source: 'imported', label: 'legacy', algorithm: 'RSA', bits: 3072 });
    // Same key, re-encoded (PKCS#1) and re-parsed: same SPKI, so the same record.
    const again = createPrivateKey({ key: key.export({ type: 'pkcs1', format: 'pem' }), format: 'pem' });
    const second = await service.import(again, 'other label');
    expect(second.existing).toBe(true);
    expect(second.id).toBe(first.id);
    expect(second.label).toBe('legacy');
    expect(await vault.listIds()).toEqual([first.id]);
    expect((await service.findBySpki(first.spkiSha256.toUpperCase()))?.id).toBe(first.id);
    expect((await audit.read({ limit: 1 }))[0]?.detail).toContain(`already in the vault as ${first.id}`);
  });

  it('refuses keys Certdesk does not keep, naming what they are', async () => {
    const { service } = await setup();
    const cases: [KeyObject, RegExp][] = [
      [generateKeyPairSync('ed25519').privateKey, /Ed25519/],
      [generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, /RSA 1024/],
      [generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, /EC P-521/],
    ];
    for (const [key, what] of cases) {
      await expect(service.import(key)).rejects.toMatchObject({ code: 'UNSUPPORTED_ALGORITHM', message: expect.stringMatching(what) });
    }
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(await codeOf(service.import(publicKey))).toBe('INVALID_ARGUMENT');
    expect(await service.list()).toEqual([]);
  });

  it('deletes the sealed key and the record, and audits it', async () => {
    const { service, vault, audit } = await setup();
    const a = await service.generate('ec-p256');
    const b = await service.generate('ec-p384');
    await service.delete(a.id);
    expect((await service.list()).map((r) => r.id)).toEqual([b.id]);
    expect(await vault.has(a.id)).toBe(false);
    expect(await codeOf(service.get(a.id))).toBe('KEY_NOT_FOUND');
    expect(await codeOf(service.delete(a.id))).toBe('KEY_NOT_FOUND');
    expect(await codeOf(service.getPrivateKey(a.id))).toBe('KEY_NOT_FOUND');
    // Neutral for the app; the reason lets the CLI add its command.
    await expect(service.delete(a.id)).rejects.toMatchObject({
      message: `There is no key ${a.id}; the key list shows the keys Certdesk holds.`,
      details: { keyId: a.id, reason: 'key-not-found' },
    });
    const [last] = await audit.read({ limit: 1 });
    expect(last).toMatchObject({ action: 'key.delete', target: a.id, outcome: 'success' });
  });

  it('refuses to delete a key a pending CSR waits on, unless forced', async () => {
    const { service, store, vault } = await setup();
    const k = await service.generate('ec-p256');
    store.set('pendingRequests', [
      { id: 'r1', keyId: k.id, subject: 'CN=shop.example', sans: [], createdAt: '2026-11-23T07:06:00Z' },
    ]);
    const refused = await service.delete(k.id).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('CN=shop.example') });
    // The app offers "delete anyway" as a button, the CLI as --force: the service names neither.
    expect((refused as Error).message).not.toMatch(/--|certdesk /);
    expect(await vault.has(k.id)).toBe(true);
    await service.delete(k.id, { force: true });
    expect(store.get('pendingRequests')).toEqual([]);
    expect(await vault.has(k.id)).toBe(false);
  });

  it('removes a sealed key that has no record', async () => {
    const { service, vault } = await setup();
    const id = await vault.put(await testKey('ec-p256'));
    await service.delete(id);
    expect(await vault.has(id)).toBe(false);
  });

  it('returns the private key, and refuses one that is not the recorded key', async () => {
    const { service, vault } = await setup();
    const r = await service.generate('ec-p256');
    expect(spkiSha256(await service.getPrivateKey(r.id))).toBe(r.spkiSha256);
    vault.keys.set(r.id, (await testKey('ec-p256')).export({ type: 'pkcs8', format: 'der' }));
    expect(await codeOf(service.getPrivateKey(r.id))).toBe('VAULT_KEY_TAMPERED');
  });

  it('records uploads (key custody)', async () => {
    const { service } = await setup();
    const r = await service.generate('ec-p256');
    const updated = await service.recordUpload(r.id, { provider: 'cdnpro', account: 'prod', certificate: 'www', version: 2 });
    expect(updated.uploads).toEqual([{ provider: 'cdnpro', account: 'prod', certificate: 'www', version: 2, at: '2026-11-23T07:06:00Z' }]);
    expect((await service.get(r.id)).uploads).toHaveLength(1);
    expect(await codeOf(service.recordUpload('k_0000000000000000', { provider: 'x', account: 'y', certificate: 'z', version: 1 }))).toBe(
      'KEY_NOT_FOUND',
    );
  });

  it('takes the sealed key back out when the store cannot record it', async () => {
    const { service, vault, store, audit } = await setup();
    const diskFull = (): never => {
      throw new CertdeskError('STORE_WRITE_FAILED', 'disk full');
    };
    const brokenStore: AppStore = {
      path: store.path,
      recoveredFrom: null,
      read: store.read.bind(store),
      get: store.get.bind(store),
      set: diskFull,
      update: diskFull,
    };
    const svc = createKeyService({ vault, store: brokenStore, audit, now: () => NOW, generateKey: testKey });
    expect(await codeOf(svc.generate('ec-p256'))).toBe('STORE_WRITE_FAILED');
    expect(await vault.listIds()).toEqual([]);
    expect(await service.list()).toEqual([]);
  });

  it('audits failures and never writes key material to the audit log', async () => {
    const { service, audit, dir } = await setup({
      generateKey: async () => {
        throw new CertdeskError('KEYCHAIN_UNAVAILABLE', 'no keyring');
      },
    });
    expect(await codeOf(service.generate('ec-p256'))).toBe('KEYCHAIN_UNAVAILABLE');
    expect((await audit.read())[0]).toMatchObject({ action: 'key.generate', outcome: 'failure', detail: 'KEYCHAIN_UNAVAILABLE: no keyring' });
    const key = await testKey('ec-p256');
    await service.import(key);
    const log = readFileSync(audit.path, 'utf8');
    expect(log).not.toContain('BEGIN');
    expect(log).not.toContain(key.export({ format: 'jwk' }).d!);
    expect(findKeyMaterial(dir, [key])).toEqual([]);
  });

  it('keeps working when the audit log cannot be written, and says so', async () => {
    const warnings: string[] = [];
    const { service } = await setup({
      audit: { path: '/nowhere/audit.log', append: () => Promise.reject(new Error('EROFS')), read: async () => [] },
      onWarning: (w) => warnings.push(w),
    });
    const r = await service.generate('ec-p256');
    expect((await service.list()).map((x) => x.id)).toEqual([r.id]);
    expect(warnings[0]).toContain('/nowhere/audit.log');
  });

  it('reconciles: adopts sealed keys without records, reports records without keys', async () => {
    const { service, vault, store } = await setup();
    const kept = await service.generate('ec-p256');
    const lost = await service.generate('ec-p384');
    await vault.delete(lost.id);
    const orphanKey = await testKey('rsa-2048');
    const orphan = await vault.put(orphanKey);
    const twin = await vault.put(await service.getPrivateKey(kept.id));
    vault.keys.set('k_00000000000000ee', Buffer.from('junk'));
    const result = await service.reconcile();
    expect(result.adopted.map((r) => r.id)).toEqual([orphan]);
    expect(result.adopted[0]).toMatchObject({ spkiSha256: spkiSha256(orphanKey), label: `recovered ${orphan}`, keyType: 'rsa-2048' });
    expect(result.missing).toEqual([lost.id]);
    expect(result.skipped.map((s) => s.id).sort()).toEqual(['k_00000000000000ee', twin].sort());
    expect(store.get('keys').map((r) => r.id)).toContain(orphan);
  });
});
