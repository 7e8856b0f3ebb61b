/**
 * Secrets never cross the process boundary: every method of the handler table is driven through
 * real flows (real store, vault sealed by the real OS keychain, PKCS#12 with a password, key import,
 * CSRs for new and existing keys, provider accounts, certificates, versions, deployments and tasks
 * against the CDN Pro sandbox, key export), and every envelope main returns is scanned for private
 * key material — PEM private-key blocks, raw bytes, and every encoding of every key involved — and
 * for the account secrets (API keys) and passwords that went in.
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/api.js';
import { createHandlers, dispatch, type Envelope } from '../../main/ipc/handlers.js';
import { openContainer, type Container } from '../../main/services/container.js';
import { startSandbox, type SandboxHandle } from '../../main/providers/sandbox/server.js';
import { createProviderFactory } from '../../main/services/provider-factory.js';
import { createOsKeychain } from '../../main/vault/keychain.js';
import { freePort } from '../support/cli-runner.js';
import { skipKeychainTests } from '../support/keychain.js';
import { tempDir } from '../support/openssl.js';
import { makeChainMaterial, type ChainMaterial } from '../support/pki-material.js';
import { findSecretsInValue } from '../support/secret-scan.js';
import { makeTestCa, type TestCa } from '../support/test-ca.js';

const skip = await skipKeychainTests('ipc-secrets');
const cleanups: (() => void)[] = [];
let material: ChainMaterial;
let container: Container;
let outDir: string;
const calls: { channel: string; envelope: Envelope }[] = [];
let handlers: ReturnType<typeof createHandlers>;
let sandbox: SandboxHandle;
let ca: TestCa;
const EXPORT_PASSWORD = 'export-pw-4d1f';

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
  const port = await freePort();
  container = await openContainer({
    dataDir: data.dir,
    keychain: createOsKeychain(),
    keychainService: `certdesk-test-${randomBytes(4).toString('hex')}`,
    sandboxUrl: `http://127.0.0.1:${port}`,
    poll: { initialMs: 50, maxMs: 200 },
    providers: createProviderFactory({ cdnpro: { rateLimiters: null, reconcileDelayMs: 0 } }),
  });
  const provisioned = await container.accounts.sandboxAccount();
  sandbox = await startSandbox({ port, apiKey: provisioned?.apiKey ?? '', taskDurationMs: 300, taskWaitingMs: 50, rateLimit: false });
  ca = makeTestCa('IPC');
  handlers = createHandlers({
    appInfo: () => ({ name: 'Certdesk', version: 'test', platform: process.platform }),
    container,
    dialogs: { chooseSavePath: async ({ defaultName }) => join(outDir, defaultName) },
  });
});
afterAll(async () => {
  container?.close();
  await sandbox?.close();
  ca?.cleanup();
  cleanups.splice(0).forEach((c) => c());
});

/** Waits for a task to end (the container follows it in the background too). */
async function settled(id: string): Promise<string> {
  return (await container.deployments.wait(id)).status;
}

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

    // Provider accounts: the secret goes in once and never comes back.
    const accounts = (await call('accounts:list')) as { name: string; isSandbox: boolean }[];
    expect(accounts).toEqual([expect.objectContaining({ name: 'Sandbox', isSandbox: true })]);
    await call('accounts:test', { account: 'Sandbox' });
    const second = (await call('accounts:add', {
      provider: 'cdnpro',
      name: 'Other customer',
      endpoint: sandbox.url,
      user: sandbox.otherCustomer.user,
      secret: sandbox.otherCustomer.apiKey,
    })) as { id: string };
    expect(second.id).toMatch(/^a_/);
    await call('accounts:test', { account: 'Other customer' });
    await call('accounts:remove', { account: 'Other customer' });

    // A certificate from dropped files, versions, deployments, tasks, expiry.
    const drop = { kind: 'files', files: [fileOf(material.keyFile), fileOf(material.certFile), fileOf(material.chainFile)] };
    const created = (await call('certificates:create', { account: 'Sandbox', name: 'www', material: drop, comment: 'first' })) as { version: { version: number } };
    expect(created.version.version).toBe(1);
    await call('certificates:list', { refresh: true });
    await call('versions:add', { account: 'Sandbox', certificate: 'www', material: { kind: 'self-signed', commonName: 'www.example.test', sans: ['example.test'], keyType: 'ec-p256' } });
    const csr = (await call('versions:csr', { account: 'Sandbox', certificate: 'www' })) as { csrPem: string };
    const signed = ca.signCsr(csr.csrPem, { days: 60 });
    const enc = new TextEncoder();
    const renewed = (await call('versions:add', {
      account: 'Sandbox',
      certificate: 'www',
      material: { kind: 'files', files: [{ name: 'signed.pem', bytes: enc.encode(signed) }, { name: 'chain.pem', bytes: enc.encode(ca.chainPem) }] },
    })) as { keyCarriedOver: boolean; version: { version: number; source: string } };
    expect(renewed).toMatchObject({ keyCarriedOver: true, version: { version: 3, source: 'renewed' } });
    const template = (await call('versions:rekey-template', { account: 'Sandbox', certificate: 'www' })) as { subject: { commonName: string } };
    expect(template.subject.commonName).toBe('www.example.test');
    await call('deployments:diff', { account: 'Sandbox', certificate: 'www', env: 'staging', version: 3 });
    const staged = (await call('deployments:start', { account: 'Sandbox', certificate: 'www', env: 'staging', action: 'deploy', version: 1 })) as { id: string };
    expect(await settled(staged.id)).toBe('succeeded');
    const promoted = (await call('deployments:promote', { account: 'Sandbox', certificate: 'www' })) as { id: string };
    expect(await settled(promoted.id)).toBe('succeeded');
    const forward = (await call('deployments:start', { account: 'Sandbox', certificate: 'www', env: 'production', action: 'deploy', version: 3 })) as { id: string };
    expect(await settled(forward.id)).toBe('succeeded');
    const back = (await call('deployments:rollback', { account: 'Sandbox', certificate: 'www', env: 'production', version: 1 })) as { id: string };
    expect(await settled(back.id)).toBe('succeeded');
    sandbox.faults.failNextTask('Edge servers rejected the certificate');
    const failing = (await call('deployments:start', { account: 'Sandbox', certificate: 'www', env: 'staging', action: 'deploy', version: 3 })) as { id: string };
    expect(await settled(failing.id)).toBe('failed');
    const retried = (await call('tasks:retry', { id: failing.id })) as { id: string };
    expect(await settled(retried.id)).toBe('succeeded');
    await call('tasks:list');
    await call('tasks:get', { id: retried.id });
    await call('certificates:show', { account: 'Sandbox', certificate: 'www' });
    await call('expiry:overview');
    const withKey = (await container.keys.list()).find((k) => k.uploads.some((u) => u.certificate === 'www'));
    expect(withKey).toBeDefined();
    await call('keys:export', { id: withKey?.id, format: 'pkcs12', password: EXPORT_PASSWORD });
    await call('keys:export', { id: withKey?.id, format: 'pkcs8-encrypted', password: EXPORT_PASSWORD });
    for (const env of ['staging', 'production']) {
      const undeploy = (await call('deployments:start', { account: 'Sandbox', certificate: 'www', env, action: 'undeploy' })) as { id: string };
      expect(await settled(undeploy.id)).toBe('succeeded');
    }
    await call('certificates:delete', { account: 'Sandbox', certificate: 'www' });
    const providerNamespaces = ['accounts', 'certificates', 'versions', 'deployments', 'tasks', 'expiry'];
    const failures = calls.filter((c) => !c.envelope.ok && providerNamespaces.includes(c.channel.split(':')[0] ?? ''));
    expect(failures.map((c) => `${c.channel}: ${JSON.stringify(c.envelope)}`)).toEqual([]);

    // No account secret or password came back in any envelope.
    const sandboxKey = (await container.accounts.sandboxAccount())?.apiKey ?? '';
    const text = JSON.stringify(calls.map((c) => c.envelope));
    for (const secret of [sandboxKey, sandbox.otherCustomer.apiKey, EXPORT_PASSWORD, material.pfxPassword]) {
      expect(secret.length).toBeGreaterThan(4);
      expect(text.includes(secret), 'a secret came back across IPC').toBe(false);
    }
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
