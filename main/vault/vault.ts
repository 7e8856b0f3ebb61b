/**
 * The vault: private keys sealed with a key-encryption key (KEK) held in the OS keychain.
 *
 * One random 256-bit KEK per installation lives in the keychain under `service` / `kek:<id>`,
 * where `<id>` is a random installation id kept in `vault/installation-id`, so two data
 * directories never share a KEK. Each private key is AES-256-GCM ciphertext of its PKCS#8 DER in
 * `vault/keys/<keyId>.key` (see `sealed-key.ts`), mode 0600 in a 0700 directory.
 * `vault/kek-check` holds an HMAC of the installation id under the KEK, so a wrong KEK is told
 * apart from a tampered file. The vault fails closed: it never writes key material in the clear
 * and never creates a new KEK while sealed keys exist.
 */
import { createHmac, createPrivateKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CertdeskError } from '../../shared/errors.js';
import { createFileAtomic, writeFileAtomic } from './atomic-file.js';
import type { Keychain } from './keychain.js';
import { KEK_BYTES, openSealedKey, sealKey } from './sealed-key.js';

/** The keychain service Certdesk's entries live under. */
export const DEFAULT_KEYCHAIN_SERVICE = 'certdesk';

const KEY_ID = /^k_[0-9a-f]{16}$/;
const KEY_FILE = /^(k_[0-9a-f]{16})\.key$/;
const INSTALLATION_ID = /^[0-9a-f]{32}$/;
const KEK_CHECK_LABEL = 'certdesk-vault-kek-check-v1:';
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/** What a Vault needs. */
export interface VaultOptions {
  /** The Certdesk data directory; the vault lives in its `vault/` subdirectory. */
  readonly dataDir: string;
  /** Where the KEK is kept (the OS keychain in the app and CLI). */
  readonly keychain: Keychain;
  /** Keychain service name; defaults to `certdesk` (tests use their own). */
  readonly service?: string;
}

/** Where this installation's KEK lives in the keychain. */
export interface KekEntry {
  readonly service: string;
  readonly account: string;
}

/** The operations services need from a vault (the `Vault` class, or an in-memory stand-in in unit tests). */
export interface KeyVault {
  put(key: KeyObject): Promise<string>;
  get(keyId: string): Promise<KeyObject>;
  has(keyId: string): Promise<boolean>;
  delete(keyId: string): Promise<boolean>;
  listIds(): Promise<string[]>;
  /** Fetches the KEK ahead of use, so it overlaps other start-up work (optional). */
  unlock?(): Promise<void>;
}

/** True when `id` has the shape of a vault key id (`k_` and 16 lowercase hex digits). */
export function isKeyId(id: string): boolean {
  return KEY_ID.test(id);
}

function isErrno(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === code;
}

function kekCheck(kek: Buffer, installationId: string): Buffer {
  return createHmac('sha256', kek).update(KEK_CHECK_LABEL + installationId).digest();
}

/** Private keys sealed under a KEK from the OS keychain. */
export class Vault implements KeyVault {
  /** The vault's directory (`<dataDir>/vault`). */
  readonly dir: string;
  /** The directory holding one sealed file per key. */
  readonly keysDir: string;
  readonly #keychain: Keychain;
  readonly #service: string;
  #kek: Promise<Buffer> | undefined;

  constructor(options: VaultOptions) {
    this.dir = join(options.dataDir, 'vault');
    this.keysDir = join(this.dir, 'keys');
    this.#keychain = options.keychain;
    this.#service = options.service ?? DEFAULT_KEYCHAIN_SERVICE;
  }

  /**
   * Fetches the KEK from the keychain now (creating it on first use), so later operations need no
   * keychain round trip. Callers start it early to overlap loading keytar and D-Bus with other work.
   */
  async unlock(): Promise<void> {
    await this.#getKek();
  }

  /** The sealed file of `keyId`. */
  keyFile(keyId: string): string {
    return join(this.keysDir, `${keyId}.key`);
  }

  /** Seals a private key into the vault and returns its new key id. */
  async put(key: KeyObject): Promise<string> {
    if (key.type !== 'private') {
      throw new CertdeskError('INVALID_ARGUMENT', `Only private keys go into the vault, not a ${key.type} key.`);
    }
    // The KEK comes first: without a keychain nothing at all is written.
    const kek = await this.#getKek();
    await this.#ensureDirs();
    const der = key.export({ type: 'pkcs8', format: 'der' });
    try {
      for (;;) {
        const keyId = `k_${randomBytes(8).toString('hex')}`;
        const created = await createFileAtomic(this.keyFile(keyId), sealKey(kek, keyId, der), 0o600);
        if (created) return keyId;
      }
    } finally {
      der.fill(0);
    }
  }

  /** Opens a sealed key; `KEY_NOT_FOUND`, `VAULT_KEY_TAMPERED` or a keychain error otherwise. */
  async get(keyId: string): Promise<KeyObject> {
    const file = this.keyFile(this.#checkId(keyId));
    let sealed: Buffer;
    try {
      sealed = await fsp.readFile(file);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) {
        throw new CertdeskError('KEY_NOT_FOUND', `There is no key ${keyId} in the vault (${file} does not exist).`, {
          file,
          keyId,
        });
      }
      throw new CertdeskError('FILE_UNREADABLE', `Cannot read the sealed key ${file}: ${(err as Error).message}`, { file });
    }
    const kek = await this.#getKek();
    const der = openSealedKey(kek, keyId, sealed, file);
    try {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch {
      throw new CertdeskError(
        'VAULT_KEY_TAMPERED',
        `The sealed private key ${keyId} in ${file} decrypts but is not a PKCS#8 private key; Certdesk will not use it.`,
        { file, keyId },
      );
    } finally {
      der.fill(0);
    }
  }

  /** True when a sealed file for `keyId` exists (does not open it). */
  async has(keyId: string): Promise<boolean> {
    if (!isKeyId(keyId)) return false;
    try {
      await fsp.access(this.keyFile(keyId));
      return true;
    } catch {
      return false;
    }
  }

  /** Deletes a sealed key; false when there was none. Needs no keychain access. */
  async delete(keyId: string): Promise<boolean> {
    if (!isKeyId(keyId)) return false;
    try {
      await fsp.unlink(this.keyFile(keyId));
      return true;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /** The ids of every sealed key, sorted. */
  async listIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.keysDir);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return [];
      throw err;
    }
    return names.flatMap((n) => KEY_FILE.exec(n)?.[1] ?? []).sort();
  }

  /** The keychain entry of this installation's KEK (creates the installation id if there is none yet). */
  async kekEntry(): Promise<KekEntry> {
    return { service: this.#service, account: `kek:${await this.#installationId()}` };
  }

  #checkId(keyId: string): string {
    if (!isKeyId(keyId)) {
      throw new CertdeskError('KEY_NOT_FOUND', `"${keyId}" is not a vault key id (they look like k_0123456789abcdef).`, {
        keyId,
      });
    }
    return keyId;
  }

  async #ensureDirs(): Promise<void> {
    await fsp.mkdir(this.keysDir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') {
      await fsp.chmod(this.dir, 0o700);
      await fsp.chmod(this.keysDir, 0o700);
    }
  }

  /** The KEK, fetched from the keychain once per Vault and cached; a failure is not cached. */
  #getKek(): Promise<Buffer> {
    this.#kek ??= this.#loadKek().catch((err: unknown) => {
      this.#kek = undefined;
      throw err;
    });
    return this.#kek;
  }

  async #installationId(): Promise<string> {
    const file = join(this.dir, 'installation-id');
    for (;;) {
      try {
        const id = (await fsp.readFile(file, 'utf8')).trim();
        if (!INSTALLATION_ID.test(id)) {
          throw new CertdeskError(
            'VAULT_KEK_MISMATCH',
            `${file} does not hold a Certdesk installation id, so the vault's key-encryption key cannot be found. Restore the file from a backup of this data directory.`,
            { file },
          );
        }
        return id;
      } catch (err) {
        if (!isErrno(err, 'ENOENT')) throw err;
      }
      const sealed = await this.listIds();
      if (sealed.length > 0) {
        throw new CertdeskError(
          'VAULT_KEK_MISMATCH',
          `${file} is missing, so the keychain entry of the vault's key-encryption key is unknown; the ${sealed.length} keys in ${this.keysDir} cannot be opened. Restore the file from a backup of this data directory.`,
          { file },
        );
      }
      await this.#ensureDirs();
      // Exclusive create: if another process made one first, the loop reads theirs.
      await createFileAtomic(file, `${randomBytes(16).toString('hex')}\n`, 0o600);
    }
  }

  async #loadKek(): Promise<Buffer> {
    const installationId = await this.#installationId();
    const account = `kek:${installationId}`;
    const existing = await this.#keychain.get(this.#service, account);
    if (existing !== null) return this.#checkKek(existing, installationId, account);
    return this.#withCreateLock(async () => {
      // Re-read under the lock: another process may have created the KEK meanwhile.
      const again = await this.#keychain.get(this.#service, account);
      if (again !== null) return this.#checkKek(again, installationId, account);
      const sealed = await this.listIds();
      if (sealed.length > 0) {
        throw new CertdeskError(
          'VAULT_KEK_MISMATCH',
          `The keychain entry "${this.#service}" / "${account}" that holds the vault's key-encryption key is missing; the ${sealed.length} keys in ${this.keysDir} cannot be opened. Restore the entry from a backup of your keychain; Certdesk will not replace it while sealed keys exist.`,
          { file: this.keysDir, service: this.#service, account },
        );
      }
      const kek = randomBytes(KEK_BYTES);
      const encoded = kek.toString('base64');
      await this.#keychain.set(this.#service, account, encoded);
      // Some keychains accept a write they do not keep (a locked or session-only collection).
      const readBack = await this.#keychain.get(this.#service, account);
      if (readBack !== encoded) {
        throw new CertdeskError(
          'KEYCHAIN_UNAVAILABLE',
          `The OS keychain accepted the vault's key-encryption key ("${this.#service}" / "${account}") but did not return it; no key was stored. Unlock the keychain (or the default Secret Service collection) and try again.`,
          { service: this.#service, account },
        );
      }
      await writeFileAtomic(join(this.dir, 'kek-check'), `${kekCheck(kek, installationId).toString('hex')}\n`, 0o600);
      return kek;
    });
  }

  async #checkKek(encoded: string, installationId: string, account: string): Promise<Buffer> {
    const kek = Buffer.from(encoded, 'base64');
    const checkFile = join(this.dir, 'kek-check');
    const mismatch = (why: string): CertdeskError =>
      new CertdeskError(
        'VAULT_KEK_MISMATCH',
        `The keychain entry "${this.#service}" / "${account}" ${why}; the keys in ${this.keysDir} cannot be opened with it. Restore the entry from a backup of your keychain.`,
        { file: checkFile, service: this.#service, account },
      );
    if (kek.length !== KEK_BYTES || kek.toString('base64') !== encoded.trim()) {
      throw mismatch('does not hold a Certdesk key-encryption key');
    }
    const expected = kekCheck(kek, installationId);
    let stored: Buffer | undefined;
    try {
      stored = Buffer.from((await fsp.readFile(checkFile, 'utf8')).trim(), 'hex');
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
    if (stored === undefined) {
      // Written when the KEK was created. If it went missing, accept the KEK only if it opens a sealed key
      // (or there is none), so a wrong KEK is never recorded as the right one.
      if (!(await this.#opensAnySealedKey(kek))) throw mismatch('does not open any of the sealed keys');
      await this.#ensureDirs();
      await writeFileAtomic(checkFile, `${expected.toString('hex')}\n`, 0o600);
    } else if (stored.length !== expected.length || !timingSafeEqual(stored, expected)) {
      throw mismatch(`holds a key-encryption key that does not match this data directory (${checkFile})`);
    }
    return kek;
  }

  async #opensAnySealedKey(kek: Buffer): Promise<boolean> {
    const ids = await this.listIds();
    if (ids.length === 0) return true;
    for (const id of ids) {
      try {
        openSealedKey(kek, id, await fsp.readFile(this.keyFile(id)), this.keyFile(id)).fill(0);
        return true;
      } catch {
        // try the next one
      }
    }
    return false;
  }

  /** Runs `fn` holding `vault/kek.lock`, so two processes never create two KEKs for one installation. */
  async #withCreateLock<T>(fn: () => Promise<T>): Promise<T> {
    await this.#ensureDirs();
    const lock = join(this.dir, 'kek.lock');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await fsp.open(lock, 'wx', 0o600);
        await handle.close();
        break;
      } catch (err) {
        if (!isErrno(err, 'EEXIST')) throw err;
        const age = await fsp.stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > LOCK_STALE_MS) {
          await fsp.rm(lock, { force: true });
        } else if (Date.now() > deadline) {
          throw new CertdeskError(
            'CONFLICT',
            `Another Certdesk process is creating the vault's key-encryption key (${lock} exists). Try again; delete that file if no other Certdesk is running.`,
            { file: lock },
          );
        } else {
          await sleep(50);
        }
      }
    }
    try {
      return await fn();
    } finally {
      await fsp.rm(lock, { force: true });
    }
  }
}
