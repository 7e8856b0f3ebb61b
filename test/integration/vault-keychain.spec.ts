/**
 * The vault against the real OS keychain (gnome-keyring under D-Bus in `npm test`): no fakes.
 */
import { execFile } from 'node:child_process';
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCertdeskError, type ErrorCode } from '../../shared/errors.js';
import { KEY_TYPES } from '../../shared/pki-types.js';
import { spkiSha256 } from '../../main/pki/keys.js';
import { createOsKeychain, type Keychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';
import { findKeyMaterial, testKey as generateKey } from '../support/key-material.js';
import { keychainRequired, secretServiceStatus, skipKeychainTests } from '../support/keychain.js';
import { tempDir } from '../support/openssl.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const skip = await skipKeychainTests('vault-keychain');
const keychainIt = it.skipIf(skip);

const keychain = createOsKeychain();
const service = `certdesk-test-${randomBytes(4).toString('hex')}`;
const entries: { account: string }[] = [];
const cleanups: (() => void)[] = [];

function dataDir(): string {
  const { dir, cleanup } = tempDir('certdesk-vault-it-');
  cleanups.push(cleanup);
  return dir;
}

async function newVault(dir: string, chain: Keychain = keychain): Promise<Vault> {
  const vault = new Vault({ dataDir: dir, keychain: chain, service });
  entries.push({ account: (await vault.kekEntry()).account });
  return vault;
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: ErrorCode; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isCertdeskError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a CertdeskError, but the call succeeded');
}

function der(key: KeyObject): Buffer {
  return key.export({ type: 'pkcs8', format: 'der' });
}

let childScript = '';

beforeAll(async () => {
  const outDir = join(root, 'node_modules', '.cache', 'certdesk-tests');
  mkdirSync(outDir, { recursive: true });
  childScript = join(outDir, `vault-child-${process.pid}-${randomBytes(3).toString('hex')}.mjs`);
  // Bundled like the CLI (keytar stays external and resolves from the repo's node_modules).
  await build({
    entryPoints: [join(import.meta.dirname, 'vault-keychain.child.ts')],
    outfile: childScript,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['keytar'],
    logLevel: 'error',
  });
});

afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

afterAll(async () => {
  rmSync(childScript, { force: true });
  for (const { account } of entries) await keychain.delete(service, account).catch(() => false);
});

async function child(request: object, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [childScript, JSON.stringify(request)], { env, timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('vault with the real OS keychain', () => {
  keychainIt('has a Secret Service to talk to', async () => {
    const status = await secretServiceStatus();
    if (keychainRequired) expect(status.available, status.reason).toBe(true);
    expect(status.available).toBe(true);
  });

  keychainIt('round-trips keys of every type, also through a fresh Vault', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const keys = await Promise.all(KEY_TYPES.map((t) => generateKey(t)));
    const ids: string[] = [];
    for (const key of keys) ids.push(await vault.put(key));
    expect(new Set(ids).size).toBe(KEY_TYPES.length);
    for (const id of ids) expect(id).toMatch(/^k_[0-9a-f]{16}$/);
    expect(await vault.listIds()).toEqual([...ids].sort());

    const fresh = await newVault(dir);
    for (const [n, id] of ids.entries()) {
      const key = keys[n]!;
      expect(der(await vault.get(id)).equals(der(key))).toBe(true);
      const reopened = await fresh.get(id);
      expect(reopened.type).toBe('private');
      expect(der(reopened).equals(der(key))).toBe(true);
      expect(spkiSha256(reopened)).toBe(spkiSha256(key));
      expect(await fresh.has(id)).toBe(true);
    }
  });

  keychainIt('writes sealed files: 0600 in a 0700 directory, with the CDKV header', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const id = await vault.put(await generateKey('ec-p256'));
    const file = vault.keyFile(id);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('CDKV');
    expect(bytes[4]).toBe(1);
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(vault.keysDir).mode & 0o777).toBe(0o700);
      expect(statSync(vault.dir).mode & 0o777).toBe(0o700);
    }
    // No temporary files are left behind.
    expect(readdirSync(vault.keysDir)).toEqual([`${id}.key`]);
  });

  keychainIt('keeps keys across a process restart (a second node process opens them)', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const keys = await Promise.all([generateKey('rsa-2048'), generateKey('ec-p384')]);
    const ids = [await vault.put(keys[0]!), await vault.put(keys[1]!)];
    const challenge = `certdesk ${randomBytes(8).toString('hex')}`;
    const answer = await child({ op: 'read', dataDir: dir, service, ids, challenge });
    expect(answer.ok, String(answer.message)).toBe(true);
    expect(answer.listed).toEqual([...ids].sort());
    const got = answer.keys as { id: string; spkiSha256: string; signature: string }[];
    for (const [n, key] of keys.entries()) {
      expect(got[n]!.id).toBe(ids[n]);
      expect(got[n]!.spkiSha256).toBe(spkiSha256(key));
      const ok = verify('sha256', Buffer.from(challenge), createPublicKey(key), Buffer.from(got[n]!.signature, 'base64'));
      expect(ok).toBe(true);
    }
  });

  keychainIt('puts a key from a second process that the first then opens', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    await vault.put(await generateKey('ec-p256'));
    const answer = await child({ op: 'put', dataDir: dir, service });
    expect(answer.ok, String(answer.message)).toBe(true);
    const key = await (await newVault(dir)).get(String(answer.id));
    expect(der(key).toString('base64')).toBe(answer.pkcs8);
  });

  keychainIt('never leaves key material in the clear in the data directory', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const keys = await Promise.all(KEY_TYPES.map((t) => generateKey(t)));
    for (const key of keys) await vault.put(key);
    const fromChild = await child({ op: 'put', dataDir: dir, service });
    expect(fromChild.ok, String(fromChild.message)).toBe(true);
    const extra = [Buffer.from(String(fromChild.pkcs8), 'base64'), Buffer.from(String(fromChild.d), 'base64url')];
    expect(findKeyMaterial(dir, keys, extra)).toEqual([]);
    // The scan can fail: it finds a key written in the clear.
    writeFileSync(join(dir, 'leak.bin'), Buffer.concat([randomBytes(7), der(keys[3]!), randomBytes(5)]));
    expect(findKeyMaterial(dir, keys).length).toBeGreaterThan(0);
  });

  keychainIt('fetches the KEK from the keychain once per Vault', async () => {
    const dir = dataDir();
    await (await newVault(dir)).put(await generateKey('ec-p256'));
    const calls: string[] = [];
    const counting: Keychain = {
      get: (s, a) => (calls.push('get'), keychain.get(s, a)),
      set: (s, a, v) => (calls.push('set'), keychain.set(s, a, v)),
      delete: (s, a) => (calls.push('delete'), keychain.delete(s, a)),
    };
    const vault = await newVault(dir, counting);
    await vault.unlock();
    expect(calls).toEqual(['get']);
    const ids = await vault.listIds();
    await Promise.all([vault.get(ids[0]!), vault.get(ids[0]!)]);
    await vault.put(await generateKey('ec-p256'));
    await vault.get(ids[0]!);
    expect(calls).toEqual(['get']);
  });

  keychainIt('gives each data directory its own KEK entry', async () => {
    const a = await newVault(dataDir());
    const b = await newVault(dataDir());
    await a.put(await generateKey('ec-p256'));
    await b.put(await generateKey('ec-p256'));
    const [ea, eb] = [await a.kekEntry(), await b.kekEntry()];
    expect(ea.service).toBe(service);
    expect(ea.account).toMatch(/^kek:[0-9a-f]{32}$/);
    expect(ea.account).not.toBe(eb.account);
    expect(await keychain.get(service, ea.account)).not.toBe(await keychain.get(service, eb.account));
  });

  keychainIt('creates one KEK when two Vaults start on an empty directory at once', async () => {
    const dir = dataDir();
    const [v1, v2] = [await newVault(dir), await newVault(dir)];
    const keys = await Promise.all([generateKey('ec-p256'), generateKey('ec-p384')]);
    const [id1, id2] = await Promise.all([v1.put(keys[0]!), v2.put(keys[1]!)]);
    const v3 = await newVault(dir);
    expect(spkiSha256(await v3.get(id1))).toBe(spkiSha256(keys[0]!));
    expect(spkiSha256(await v3.get(id2))).toBe(spkiSha256(keys[1]!));
    expect(existsSync(join(dir, 'vault', 'kek.lock'))).toBe(false);
  });

  keychainIt('fails closed with VAULT_KEK_MISMATCH when the keychain holds another KEK', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const id = await vault.put(await generateKey('rsa-2048'));
    const { account } = await vault.kekEntry();
    await keychain.set(service, account, randomBytes(32).toString('base64'));
    const wrong = await codeOf((await newVault(dir)).get(id));
    expect(wrong.code).toBe('VAULT_KEK_MISMATCH');
    expect(wrong.message).toContain(account);
    const before = readdirSync(join(dir, 'vault', 'keys'));
    expect((await codeOf((await newVault(dir)).put(await generateKey('ec-p256')))).code).toBe('VAULT_KEK_MISMATCH');
    expect(readdirSync(join(dir, 'vault', 'keys'))).toEqual(before);

    // Not a 32-byte base64 key at all.
    await keychain.set(service, account, 'not a key');
    expect((await codeOf((await newVault(dir)).get(id))).code).toBe('VAULT_KEK_MISMATCH');

    // Without the check file, a wrong KEK is still refused (and not recorded as right).
    await keychain.set(service, account, randomBytes(32).toString('base64'));
    rmSync(join(dir, 'vault', 'kek-check'));
    expect((await codeOf((await newVault(dir)).get(id))).code).toBe('VAULT_KEK_MISMATCH');
    expect(existsSync(join(dir, 'vault', 'kek-check'))).toBe(false);
  });

  keychainIt('fails closed with VAULT_KEK_MISMATCH when the KEK is missing, and never makes a new one', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const id = await vault.put(await generateKey('ec-p256'));
    await vault.put(await generateKey('ec-p256'));
    const { account } = await vault.kekEntry();
    expect(await keychain.delete(service, account)).toBe(true);

    const missing = await codeOf((await newVault(dir)).get(id));
    expect(missing.code).toBe('VAULT_KEK_MISMATCH');
    expect(missing.message).toContain('missing');
    expect(missing.message).toContain('the 2 keys');
    expect(missing.message).toContain(join(dir, 'vault', 'keys'));
    expect((await codeOf((await newVault(dir)).put(await generateKey('ec-p256')))).code).toBe('VAULT_KEK_MISMATCH');
    expect(await keychain.get(service, account)).toBeNull();
    expect(await vault.listIds()).toHaveLength(2);
  });

  keychainIt('fails closed when the installation id is gone', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const id = await vault.put(await generateKey('ec-p256'));
    rmSync(join(dir, 'vault', 'installation-id'));
    const gone = await codeOf(new Vault({ dataDir: dir, keychain, service }).get(id));
    expect(gone.code).toBe('VAULT_KEK_MISMATCH');
    expect(gone.message).toContain('installation-id');
    expect(existsSync(join(dir, 'vault', 'installation-id'))).toBe(false);
  });

  keychainIt('refuses a tampered file with VAULT_KEY_TAMPERED naming the key and the file', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const id = await vault.put(await generateKey('rsa-2048'));
    const file = vault.keyFile(id);
    const original = readFileSync(file);
    // Magic, version, IV, tag, first and last ciphertext byte.
    for (const offset of [0, 4, 5, 20, 33, original.length - 1]) {
      const bytes = Buffer.from(original);
      bytes[offset]! ^= 0x01;
      writeFileSync(file, bytes);
      const err = await codeOf((await newVault(dir)).get(id));
      expect(err.code, `byte ${offset}`).toBe('VAULT_KEY_TAMPERED');
      expect(err.message).toContain(id);
      expect(err.message).toContain(file);
    }
    writeFileSync(file, original.subarray(0, 40));
    expect((await codeOf(vault.get(id))).code).toBe('VAULT_KEY_TAMPERED');
    writeFileSync(file, original);
    expect(spkiSha256(await vault.get(id))).toMatch(/^[0-9a-f]{64}$/);
  });

  keychainIt('refuses a file renamed to another key id', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const a = await vault.put(await generateKey('ec-p256'));
    const b = await vault.put(await generateKey('ec-p256'));
    copyFileSync(vault.keyFile(a), vault.keyFile(b));
    const err = await codeOf(vault.get(b));
    expect(err.code).toBe('VAULT_KEY_TAMPERED');
    expect(err.message).toContain(b);
    const forged = 'k_0123456789abcdef';
    copyFileSync(vault.keyFile(a), vault.keyFile(forged));
    expect((await codeOf(vault.get(forged))).code).toBe('VAULT_KEY_TAMPERED');
    expect((await vault.get(a)).type).toBe('private');
  });

  keychainIt('refuses a file copied from another installation', async () => {
    const home = dataDir();
    const other = dataDir();
    const mine = await newVault(home);
    await mine.put(await generateKey('ec-p256'));
    const theirs = await newVault(other);
    const id = await theirs.put(await generateKey('ec-p256'));
    copyFileSync(theirs.keyFile(id), mine.keyFile(id));
    const err = await codeOf((await newVault(home)).get(id));
    expect(err.code).toBe('VAULT_KEY_TAMPERED');
    expect(err.message).toContain(mine.keyFile(id));
    expect((await theirs.get(id)).type).toBe('private');
  });

  it('fails with KEYCHAIN_UNAVAILABLE without a Secret Service, writing nothing in the clear', async () => {
    // Runs everywhere: it needs no Secret Service, only the absence of one.
    const dir = dataDir();
    const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const answer = await child({ op: 'put', dataDir: dir, service }, env);
    expect(answer.ok).toBe(false);
    expect(answer.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(String(answer.message)).toContain('gnome-keyring');
    expect(String(answer.message)).toContain('libsecret-1-0');
    const keysDir = join(dir, 'vault', 'keys');
    expect(existsSync(keysDir) ? readdirSync(keysDir) : []).toEqual([]);
    const needles = [Buffer.from(String(answer.pkcs8), 'base64'), Buffer.from(String(answer.d), 'base64url')];
    expect(findKeyMaterial(dir, [], needles)).toEqual([]);
  });

  keychainIt('cannot open existing keys without a Secret Service either', async () => {
    const dir = dataDir();
    const vault = await newVault(dir);
    const id = await vault.put(await generateKey('ec-p256'));
    const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' };
    delete env.DISPLAY;
    const answer = await child({ op: 'read', dataDir: dir, service, ids: [id], challenge: 'x' }, env);
    expect(answer.ok).toBe(false);
    expect(answer.code).toBe('KEYCHAIN_UNAVAILABLE');
  });
});
