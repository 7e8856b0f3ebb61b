/**
 * Accounts with the real OS keychain (secrets) and a real sandbox (test connection).
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_PORT, type SandboxHandle } from '../../../../main/providers/sandbox/server.js';
import { SANDBOX_CUSTOMER_ID, SANDBOX_DEFAULT_PORT, SANDBOX_USER, accountSecretEntry, normaliseEndpoint } from '../../../../main/services/account-service.js';
import { skipKeychainTests } from '../../../support/keychain.js';
import { addSandboxAccount, openServices, purgeKeychain, quickSandbox, type ServiceHarness } from '../../../support/services.js';

const skip = await skipKeychainTests('account-service');
const keychainIt = it.skipIf(skip);
const cleanups: (() => void | Promise<void>)[] = [];
const harnesses: ServiceHarness[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  for (const h of harnesses) await purgeKeychain(h).catch(() => undefined);
});

async function harness(options: { sandboxUrl?: string | false } = {}): Promise<ServiceHarness> {
  const h = await openServices({ ...options, onCleanup: (fn) => cleanups.push(fn) });
  harnesses.push(h);
  return h;
}

async function sandbox(): Promise<SandboxHandle> {
  const s = await quickSandbox();
  cleanups.push(() => s.close());
  return s;
}

describe('endpoints', () => {
  it('accepts https anywhere and http only for loopback', () => {
    expect(normaliseEndpoint('https://ngapi.cdnetworks.com/', 'cdnpro')).toBe('https://ngapi.cdnetworks.com');
    expect(normaliseEndpoint('http://127.0.0.1:38360', 'cdnpro')).toBe('http://127.0.0.1:38360');
    expect(normaliseEndpoint('http://[::1]:8080/apiops/', 'apinizer')).toBe('http://[::1]:8080/apiops');
    expect(() => normaliseEndpoint('http://api.example.com', 'cdnpro')).toThrow(expect.objectContaining({ code: 'INSECURE_ENDPOINT' }));
    expect(() => normaliseEndpoint('https://user:pw@api.example.com', 'gcore')).toThrow('The endpoint https://api.example.com contains a user name or password; leave them out and give the secret on its own.');
    expect(() => normaliseEndpoint('nonsense', 'gcore')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('uses the sandbox constants the sandbox itself uses', async () => {
    expect(SANDBOX_DEFAULT_PORT).toBe(DEFAULT_SANDBOX_PORT);
    const s = await sandbox();
    expect(String(s.customerId)).toBe(SANDBOX_CUSTOMER_ID);
    expect(s.user).toBe(SANDBOX_USER);
  });
});

describe('account service', () => {
  keychainIt('keeps the secret in the keychain only, tests the connection, and removes both', async () => {
    const s = await sandbox();
    const h = await harness();
    const account = await addSandboxAccount(h, s, 'Edge');
    expect(account).toMatchObject({ name: 'Edge', provider: 'cdnpro', endpoint: s.url, user: s.user, isSandbox: false });
    expect(account.id).toMatch(/^a_[0-9a-f]{16}$/);
    expect(await h.keychain.get(h.keychainService, accountSecretEntry(account.id))).toBe(s.apiKey);
    // Nowhere on disk.
    expect(readFileSync(h.store.path, 'utf8')).not.toContain(s.apiKey);
    expect(readFileSync(h.audit.path, 'utf8')).not.toContain(s.apiKey);

    const check = await h.accounts.test('edge');
    expect(check.ok).toBe(true);
    expect(check.message).toMatch(/Connected to CDN Pro as sandbox; 1 certificate/);

    // A fresh process sees the same account and secret.
    const again = await h.reopen();
    expect((await again.accounts.list()).map((a) => a.name)).toEqual(['Edge']);
    expect(await again.accounts.secret(account)).toBe(s.apiKey);

    await again.accounts.remove('Edge');
    expect(await h.keychain.get(h.keychainService, accountSecretEntry(account.id))).toBeNull();
    expect(await again.accounts.list()).toEqual([]);
    await expect(again.accounts.get('Edge')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'There is no account "Edge". There are no accounts yet; add one first.' });
    const audit = readFileSync(h.audit.path, 'utf8');
    expect(audit).toMatch(/"action":"account.add".*"outcome":"success"/);
    expect(audit).toMatch(/"action":"account.test".*"outcome":"success"/);
    expect(audit).toMatch(/"action":"account.remove".*"outcome":"success"/);
  });

  keychainIt('refuses duplicates, insecure endpoints, missing users and empty secrets; reports a wrong key as the provider did', async () => {
    const s = await sandbox();
    const h = await harness();
    await addSandboxAccount(h, s, 'Edge');
    await expect(addSandboxAccount(h, s, 'EDGE')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(h.accounts.add({ provider: 'cdnpro', name: 'x', endpoint: 'http://cdn.example.com', user: 'u', secret: 's' })).rejects.toMatchObject({ code: 'INSECURE_ENDPOINT' });
    // The desktop app shows these as they are: they name no CLI flag (the CLI names its own flags first).
    await expect(h.accounts.add({ provider: 'cdnpro', name: 'x', endpoint: s.url, secret: 's' })).rejects.toMatchObject({ code: 'USAGE', message: 'A CDN Pro account needs its API user.' });
    await expect(h.accounts.add({ provider: 'cdnpro', name: 'x', endpoint: s.url, user: 'u', secret: '\n' })).rejects.toMatchObject({ code: 'USAGE', message: 'The account secret is empty.' });
    await expect(h.accounts.add({ provider: 'apinizer', name: 'x', endpoint: 'https://a.example', secret: 's' })).rejects.toMatchObject({ code: 'USAGE', message: 'An Apinizer account needs its project.' });
    await expect(h.accounts.add({ provider: 'apinizer', name: 'x', endpoint: 'https://a.example', project: 'p', environments: [' '], secret: 's' })).rejects.toMatchObject({
      code: 'USAGE',
      message: 'An Apinizer account needs the names of its environments (such as production and staging).',
    });
    // Neutral for the app; the reason tells it from a missing keychain secret (also NOT_FOUND) for the CLI's hint.
    await expect(h.accounts.get('nope')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'There is no account "nope". The accounts are "Edge".',
      details: { account: 'nope', reason: 'account-not-found' },
    });

    await h.accounts.add({ provider: 'cdnpro', name: 'Wrong key', endpoint: s.url, user: s.user, secret: 'not-the-key' });
    const err = await h.accounts.test('Wrong key').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROVIDER_AUTH_FAILED', details: { httpStatus: 401, providerCode: 'AccessDenied' } });
    expect((err as Error).message).toMatch(/request id [0-9a-f]{32}/);
    expect(readFileSync(h.audit.path, 'utf8')).toMatch(/"action":"account.test".*"outcome":"failure"/);
  });

  keychainIt('creates the default Sandbox account once, with its key in the keychain, and not again after removal', async () => {
    const h = await harness({ sandboxUrl: 'http://127.0.0.1:38360' });
    const [sandboxAccount, ...rest] = await h.accounts.list();
    expect(rest).toEqual([]);
    expect(sandboxAccount).toMatchObject({ name: 'Sandbox', provider: 'cdnpro', endpoint: 'http://127.0.0.1:38360', user: 'sandbox', customerId: '20001', isSandbox: true });
    const creds = await h.accounts.sandboxAccount();
    expect(creds?.apiKey).toMatch(/^[0-9a-f]{32}$/);
    expect(await h.keychain.get(h.keychainService, accountSecretEntry(sandboxAccount!.id))).toBe(creds?.apiKey);

    // A sandbox started with that key (as `certdesk sandbox` does) accepts the account.
    const s = await quickSandbox({ apiKey: creds!.apiKey });
    cleanups.push(() => s.close());
    const client = await h.accounts.client({ ...sandboxAccount!, endpoint: s.url });
    expect((await client.testConnection()).ok).toBe(true);

    expect((await (await h.reopen()).accounts.list()).map((a) => a.id)).toEqual([sandboxAccount!.id]);
    await h.accounts.remove('Sandbox');
    expect(await h.accounts.list()).toEqual([]);
    expect(await (await h.reopen()).accounts.sandboxAccount()).toBeNull();
  });
});
