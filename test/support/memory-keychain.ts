/** An in-memory Keychain for unit tests that exercise the real Vault without a Secret Service. */
import type { Keychain } from '../../main/vault/keychain.js';

/** A Keychain backed by a Map; `entries` is visible to tests. */
export class MemoryKeychain implements Keychain {
  readonly entries = new Map<string, string>();
  async get(service: string, account: string): Promise<string | null> {
    return this.entries.get(`${service}\u0000${account}`) ?? null;
  }
  async set(service: string, account: string, secret: string): Promise<void> {
    this.entries.set(`${service}\u0000${account}`, secret);
  }
  async delete(service: string, account: string): Promise<boolean> {
    return this.entries.delete(`${service}\u0000${account}`);
  }
}
