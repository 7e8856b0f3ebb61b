/**
 * Opens Certdesk's core over one data directory: store, vault, audit log and the services built on
 * them. The app (main/index.ts), the e2e fixture and the CLI use this one wiring, so they agree on
 * where everything lives and how it is sealed.
 */
import { createStore, type AppStore, type ConfClass } from '../store/store.js';
import type { Keychain } from '../vault/keychain.js';
import { Vault } from '../vault/vault.js';
import { createAuditLog, type AuditLog } from './audit-log.js';
import { createCsrService, type CsrService } from './csr-service.js';
import { createKeyService, type KeyService } from './key-service.js';
import { createMaterialService, type MaterialService } from './material-service.js';
import { createSettingsService, type SettingsService } from './settings-service.js';

/** What `openContainer` needs. */
export interface ContainerOptions {
  /** The data directory (created, mode 0700, if missing). */
  readonly dataDir: string;
  /** Where the vault's key-encryption key lives: the OS keychain in the app and the CLI. */
  readonly keychain: Keychain;
  /** Keychain service name for the vault; default `certdesk`. */
  readonly keychainService?: string;
  /** conf-compatible store class (the app passes electron-store's); default conf's. */
  readonly Conf?: ConfClass;
  readonly now?: () => Date;
  /** Receives problems a person should see that do not stop the operation. */
  readonly onWarning?: (message: string) => void;
}

/** The opened core. */
export interface Container {
  readonly dataDir: string;
  readonly store: AppStore;
  readonly vault: Vault;
  readonly audit: AuditLog;
  readonly keys: KeyService;
  readonly csr: CsrService;
  readonly material: MaterialService;
  readonly settings: SettingsService;
  readonly now: () => Date;
}

/** Opens the store and builds every service over `dataDir`. */
export async function openContainer(options: ContainerOptions): Promise<Container> {
  const now = options.now ?? (() => new Date());
  const { dataDir, onWarning } = options;
  const store = await createStore({ cwd: dataDir, ...(options.Conf ? { Conf: options.Conf } : {}), now, ...(onWarning ? { onWarning } : {}) });
  const vault = new Vault({ dataDir, keychain: options.keychain, ...(options.keychainService ? { service: options.keychainService } : {}) });
  const audit = createAuditLog({ dataDir, now });
  const settings = createSettingsService({ dataDir, ...(onWarning ? { onWarning } : {}) });
  const keys = createKeyService({ vault, store, audit, now, ...(onWarning ? { onWarning } : {}) });
  const csr = createCsrService({ keys });
  const material = createMaterialService({ keys, now, expiryWindowDays: async () => (await settings.get()).expiryThresholdDays });
  return { dataDir, store, vault, audit, keys, csr, material, settings, now };
}
