/**
 * The provider services wired as the CLI wires them (real conf store, real vault and OS keychain
 * under a test service name, real audit log, real CDN Pro client) against a real sandbox over
 * loopback HTTP, with fast task durations and fast polling.
 */
import { randomBytes } from 'node:crypto';
import { createSelfSigned } from '../../main/pki/selfsign.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../main/providers/sandbox/server.js';
import { createAccountService, type AccountService } from '../../main/services/account-service.js';
import { createAuditLog, type AuditLog } from '../../main/services/audit-log.js';
import { createDeploymentService, type DeploymentService, type PollPolicy } from '../../main/services/deployment-service.js';
import { createInventoryService, type InventoryService } from '../../main/services/inventory-service.js';
import { createKeyService, type KeyService } from '../../main/services/key-service.js';
import { createProviderFactory } from '../../main/services/provider-factory.js';
import { createVersionService, type VersionService } from '../../main/services/version-service.js';
import type { AccountRecord } from '../../main/store/schema.js';
import { createStore, type AppStore } from '../../main/store/store.js';
import { createOsKeychain, type Keychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';
import { tempDir } from './openssl.js';

/** Everything a service test needs. */
export interface ServiceHarness {
  readonly dataDir: string;
  readonly store: AppStore;
  readonly keychain: Keychain;
  readonly keychainService: string;
  readonly audit: AuditLog;
  readonly keys: KeyService;
  readonly accounts: AccountService;
  readonly inventory: InventoryService;
  readonly versions: VersionService;
  readonly deployments: DeploymentService;
  /** Opens the same data directory again as a fresh process would (new store, services, caches). */
  reopen(): Promise<ServiceHarness>;
}

/** Fast polling for tests. */
export const FAST_POLL: Partial<PollPolicy> = { initialMs: 40, maxMs: 150, factor: 1.5, timeoutMs: 20_000, expectedMs: 500 };

/** Opens the services over `dataDir` (a new temp dir when omitted). */
export async function openServices(
  options: { dataDir?: string; keychainService?: string; poll?: Partial<PollPolicy>; sandboxUrl?: string | false; onCleanup?: (fn: () => void) => void } = {},
): Promise<ServiceHarness> {
  let dataDir = options.dataDir;
  if (dataDir === undefined) {
    const t = tempDir('certdesk-svc-');
    options.onCleanup?.(t.cleanup);
    dataDir = t.dir;
  }
  const keychainService = options.keychainService ?? `certdesk-test-${randomBytes(4).toString('hex')}`;
  const keychain = createOsKeychain();
  const store = await createStore({ cwd: dataDir });
  const audit = createAuditLog({ dataDir });
  const now = (): Date => new Date();
  const warn = (): void => undefined;
  const keys = createKeyService({ vault: new Vault({ dataDir, keychain, service: keychainService }), store, audit, now });
  const providers = createProviderFactory({ cdnpro: { rateLimiters: null, reconcileDelayMs: 0, timeoutMs: 5_000 }, apinizer: { rateLimiters: null, reconcileDelayMs: 0 } });
  const accounts = createAccountService({ store, keychain, audit, now, providers, keychainService, sandboxUrl: options.sandboxUrl ?? false, onWarning: warn });
  const inventory = createInventoryService({ store, accounts, now });
  const versions = createVersionService({ store, accounts, inventory, keys, audit, now, selfSign: createSelfSigned, onWarning: warn });
  const deployments = createDeploymentService({
    store,
    accounts,
    inventory,
    keys,
    audit,
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    poll: options.poll ?? FAST_POLL,
    onWarning: warn,
  });
  const harness: ServiceHarness = {
    dataDir,
    store,
    keychain,
    keychainService,
    audit,
    keys,
    accounts,
    inventory,
    versions,
    deployments,
    reopen: () => openServices({ ...options, dataDir, keychainService }),
  };
  return harness;
}

/** A sandbox with quick tasks (waiting 100 ms, done after `taskDurationMs`, default 400 ms) and no rate limit. */
export function quickSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  return startSandbox({ taskDurationMs: 400, taskWaitingMs: 100, rateLimit: false, ...options });
}

/** Adds an account for the sandbox's main customer. */
export function addSandboxAccount(h: ServiceHarness, sandbox: SandboxHandle, name = 'sb'): Promise<AccountRecord> {
  return h.accounts.add({ provider: 'cdnpro', name, endpoint: sandbox.url, user: sandbox.user, secret: sandbox.apiKey, customerId: String(sandbox.customerId) });
}

/** Removes every keychain entry the harness's service may hold (accounts and the vault KEK). */
export async function purgeKeychain(h: ServiceHarness): Promise<void> {
  for (const a of h.store.get('accounts')) await h.keychain.delete(h.keychainService, `account:${a.id}`).catch(() => false);
  const vault = new Vault({ dataDir: h.dataDir, keychain: h.keychain, service: h.keychainService });
  await h.keychain.delete(h.keychainService, (await vault.kekEntry()).account).catch(() => false);
}
