/**
 * One entry point for Gcore accounts: a CDN account (`/cdn/sslData`, `APIKey` auth) or a web
 * security account (protected resources, Bearer auth). Both are provider "gcore"; the account's
 * `mode` picks the client (providers.md §3.1, §3.2).
 */
import { GcoreCdnClient, type GcoreCdnAccount, type GcoreClientOptions } from './cdn-client.js';
import { GcoreProtectionClient, type GcoreProtectionAccount } from './protection-client.js';

/** A Gcore account: CDN certificates (the default) or web security resources. */
export type GcoreAccount = (GcoreCdnAccount & { readonly mode?: 'cdn' }) | (GcoreProtectionAccount & { readonly mode: 'protection' });

/** Either Gcore client. */
export type GcoreClient = GcoreCdnClient | GcoreProtectionClient;

/** Builds the client for the account's mode. */
export function createGcoreClient(account: GcoreAccount, options: GcoreClientOptions = {}): GcoreClient {
  return account.mode === 'protection' ? new GcoreProtectionClient(account, options) : new GcoreCdnClient(account, options);
}

export { GcoreCdnClient, GcoreProtectionClient };
export type { GcoreCdnAccount, GcoreClientOptions, GcoreProtectionAccount };
