/**
 * Secrets never cross the process boundary: every method of the handler table is driven through
 * real flows (real store, vault sealed by the real OS keychain, PKCS#12 with a password, key import,
 * CSRs for new and existing keys), and every envelope main returns is scanned for private key
 * material — PEM private-key blocks, raw bytes, and every encoding of every key involved.
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/api.js';
import { createHandlers, dispatch, type Envelope } from '../../main/ipc/handlers.js';
import { openContainer, type Container } from '../../main/services/container.js';
import { createOsKeychain } from '../../main/vault/keychain.js';
import { skipKeychainTests } from '../support/keychain.js';
import { tempDir } from '../support/openssl.js';
import { makeChainMaterial, type ChainMaterial } from '../support/pki-material.js';
import { findSecretsInValue } from '../support/secret-scan.js';

const skip = await skipKeychainTests('ipc-secrets');
const cleanups: (() => void)[] = [];
let material: ChainMaterial;
let container: Container;
let outDir: string;
const calls: { channel: string; envelope: Envelope }[] = [];
let handlers: ReturnType<typeof createHandlers>;

async function call(channel: string, ...args: unknown[]): Promise<unknown> {
  const envelope = await dispatch(handlers, channel, args);
  calls.push({ channel, envelope });
  return envelope.ok ? envelope.value : envelope.error;
}

const fileOf = (path: string, password?: string) => ({ name: path.replace(/^.*\//, ''), bytes: new Uint8Array(readFileSync(path)), ...(password ? { password } : {}) });

beforeAll(async () => {
  if (skip) return;
  const pki = tempDir('certdesk-ipc-pki-');
  const data = tempDir('certdesk-ipc-data-');
  const out = tempDir('certdesk-ipc-out-');
  cleanups.push(pki.cleanup, data.cleanup, out.cleanup);
  material = makeChainMaterial(pki.dir);
  outDir = out.dir;
  container = await openContainer({ dataDir: data.dir, keychain: createOsKeychain(), keychainService: `certdesk-test-${randomBytes(4).toString('hex')}` });
  handlers = createHandlers({
    appInfo: () => ({ name: 'Certdesk', version: 'test', platform: process.platform }),
    container,
    dialogs: { chooseSavePath: async ({ defaultName }) => join(outDir, defaultName) },
  });
});
afterAll(() => cleanups.splice(0).forEach((c) => c()));

describe.skipIf(skip)('no handler result carries key material', () => {
  it('drives every method through real flows and finds no key in any envelope', async () => {
    await call('app:info');
    await call('settings:get');
    await call('settings:set', { theme: 'dark', expiryThresholdDays: 20 });
    await call('keys:generate', { type: 'ec-p256', label: 'generated' });
    await call('keys:generate', { type: 'rsa-2048' });
    const files = [fileOf(material.keyFile), fileOf(material.certFile), fileOf(material.chainFile), fileOf(material.pfxFile, material.pfxPassword)];
    const inspected = (await call('pki:inspect', { files })) as { files: { ok: boolean }[] };
    expect(inspected.files.map((f) => f.ok)).toEqual([true, true, true, true]);
    await call('pki:inspect', { files: [fileOf(material.pfxFile, 'wrong')] });
    await call('pki:verify', { files: [fileOf(material.certFile), fileOf(material.chainFile)], host: 'www.example.test' });
    const imported = (await call('keys:import', { files: [fileOf(material.pfxFile, material.pfxPassword)], label: 'from p12' })) as { id: string }[];
    expect(imported).toHaveLength(1);
    await call('keys:import', { files: [fileOf(material.keyFile)] });
    await call('csr:check-sans', [['www.example.test', 'bad..name']]);
    await call('csr:preview', { subject: { commonName: 'www.example.test' }, sans: ['example.test'] });
    const fresh = (await call('csr:create', { newKeyType: 'ec-p384', subject: { commonName: 'new.example.test' }, sans: [] })) as { keyId: string; csrPem: string };
    expect(fresh.csrPem).toMatch(/BEGIN CERTIFICATE REQUEST/);
    await call('csr:create', { keyId: imported[0]?.id, subject: { commonName: 'www.example.test' }, sans: ['example.test'] });
    await call('csr:pending');
    await call('dialogs:save-text', { defaultName: 'new.example.test.csr', content: fresh.csrPem });
    await call('keys:list');
    await call('keys:delete', { id: fresh.keyId });
    await call('keys:delete', { id: fresh.keyId, force: true });
    await call('keys:list');
    // Every channel was exercised.
    expect([...new Set(calls.map((c) => c.channel))].sort()).toEqual([...CHANNELS].sort());

    const keys: KeyObject[] = [createPrivateKey(readFileSync(material.keyFile))];
    for (const record of await container.keys.list()) keys.push(await container.keys.getPrivateKey(record.id));
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const findings = calls.flatMap((c, i) => findSecretsInValue(c.envelope, keys).map((f) => `#${i} ${c.channel}: ${f}`));
    expect(findings).toEqual([]);
  });

  it('the scan itself finds key material when it is there', async () => {
    const key = createPrivateKey(readFileSync(material.keyFile));
    const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(findSecretsInValue({ ok: true, value: { csrPem: pem } }, [])).toEqual(['$.value.csrPem: a PEM private key block']);
    const der = key.export({ type: 'pkcs8', format: 'der' });
    expect(findSecretsInValue({ v: der.toString('base64') }, [key]).length).toBeGreaterThan(0);
    expect(findSecretsInValue({ v: der.toString('hex') }, [key]).length).toBeGreaterThan(0);
    expect(findSecretsInValue({ v: new Uint8Array(der) }, [key]).join()).toMatch(/raw bytes/);
    const d = key.export({ format: 'jwk' }).d ?? '';
    expect(findSecretsInValue({ jwk: { d } }, [key]).length).toBeGreaterThan(0);
  });
});
