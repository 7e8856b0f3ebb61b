/**
 * Opens the core services a command needs, over the data directory named by `--data-dir`,
 * `CERTDESK_DATA_DIR` or the app's default. Each piece is built only when asked for.
 */
import { CertdeskError } from '../../shared/errors.js';
import { resolveDataDir } from '../paths.js';
import type { CommandContext } from './main.js';
import type { KeyService } from '../services/key-service.js';
import type { AccountService } from '../services/account-service.js';
import type { DeploymentService } from '../services/deployment-service.js';
import type { InventoryService } from '../services/inventory-service.js';
import type { VersionService } from '../services/version-service.js';

/** The data directory of this invocation. */
export function dataDir(ctx: CommandContext): string {
  return resolveDataDir({ flag: ctx.dataDirFlag, env: ctx.io.env });
}

/**
 * The key service (store + vault + audit log) for this invocation's data directory.
 *
 * With `unlock`, the vault's key is fetched from the keychain while the store opens (commands that
 * are about to seal or open a key pay one keychain round trip, not two waits in a row).
 */
export async function openKeyService(ctx: CommandContext, options: { unlock?: boolean } = {}): Promise<KeyService> {
  const dir = dataDir(ctx);
  const [{ createStore }, { Vault }, { createOsKeychain }, { createAuditLog }, { createKeyService }] = await Promise.all([
    import('../store/store.js'),
    import('../vault/vault.js'),
    import('../vault/keychain.js'),
    import('../services/audit-log.js'),
    import('../services/key-service.js'),
  ]);
  const vault = new Vault({ dataDir: dir, keychain: createOsKeychain() });
  // A failure here surfaces again, with its own message, when the key is sealed or opened.
  if (options.unlock) vault.unlock().catch(() => undefined);
  const store = await createStore({ cwd: dir, onWarning: (m) => ctx.io.stderr(`certdesk: ${m}\n`) });
  const audit = createAuditLog({ dataDir: dir });
  return createKeyService({ vault, store, audit, now: () => new Date() });
}

/** The provider services of one invocation (accounts, inventory, versions, deployments) over one store. */
export interface ProviderServices {
  readonly dataDir: string;
  readonly accounts: AccountService;
  readonly inventory: InventoryService;
  readonly versions: VersionService;
  readonly deployments: DeploymentService;
  readonly keys: KeyService;
}

/** The port of the default Sandbox account and of `certdesk sandbox`: CERTDESK_SANDBOX_PORT, else 38360. */
export function sandboxPort(ctx: CommandContext): number {
  const raw = ctx.io.env.CERTDESK_SANDBOX_PORT;
  if (raw === undefined || raw === '') return 38360;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CertdeskError('USAGE', `CERTDESK_SANDBOX_PORT must be a port number (1-65535), not "${raw}"`);
  }
  return port;
}

/**
 * Opens the provider services for this invocation's data directory. CERTDESK_POLL_MS sets the
 * first wait between reads of a deployment task (default 10000, as CDN Pro asks; tests use less).
 */
export async function openProviderServices(ctx: CommandContext): Promise<ProviderServices> {
  const dir = dataDir(ctx);
  const [
    { createStore },
    { Vault },
    { createOsKeychain },
    { createAuditLog },
    { createKeyService },
    { createAccountService },
    { createInventoryService },
    { createVersionService },
    { createDeploymentService, DEFAULT_POLL },
    { createProviderFactory },
    { createSelfSigned },
  ] = await Promise.all([
    import('../store/store.js'),
    import('../vault/vault.js'),
    import('../vault/keychain.js'),
    import('../services/audit-log.js'),
    import('../services/key-service.js'),
    import('../services/account-service.js'),
    import('../services/inventory-service.js'),
    import('../services/version-service.js'),
    import('../services/deployment-service.js'),
    import('../services/provider-factory.js'),
    import('../pki/selfsign.js'),
  ]);
  const warn = (m: string): void => ctx.io.stderr(`certdesk: ${m}\n`);
  const store = await createStore({ cwd: dir, onWarning: warn });
  const keychain = createOsKeychain();
  const audit = createAuditLog({ dataDir: dir });
  const now = (): Date => new Date();
  const keys = createKeyService({ vault: new Vault({ dataDir: dir, keychain }), store, audit, now, onWarning: warn });
  const accounts = createAccountService({
    store,
    keychain,
    audit,
    now,
    providers: createProviderFactory(),
    sandboxUrl: `http://127.0.0.1:${sandboxPort(ctx)}`,
    onWarning: warn,
  });
  const inventory = createInventoryService({ store, accounts, now });
  // The placeholder of a CSR renewal: a self-signed leaf for a fresh vault key.
  const versions = createVersionService({ store, accounts, inventory, keys, audit, now, onWarning: warn, selfSign: createSelfSigned });
  const pollMs = ctx.io.env.CERTDESK_POLL_MS !== undefined && ctx.io.env.CERTDESK_POLL_MS !== '' ? Number(ctx.io.env.CERTDESK_POLL_MS) : undefined;
  if (pollMs !== undefined && (!Number.isFinite(pollMs) || pollMs < 1)) throw new CertdeskError('USAGE', 'CERTDESK_POLL_MS must be a positive number of milliseconds');
  const deployments = createDeploymentService({
    store,
    accounts,
    inventory,
    keys,
    audit,
    now,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
    ...(pollMs !== undefined ? { poll: { initialMs: pollMs, maxMs: Math.max(pollMs, Math.min(DEFAULT_POLL.maxMs, pollMs * 6)) } } : {}),
    onWarning: warn,
  });
  return { dataDir: dir, accounts, inventory, versions, deployments, keys };
}
