/**
 * Opens Certdesk's core over one data directory: store, vault, audit log and the services built on
 * them — keys, CSRs, material, settings, and the provider side (accounts, inventory, versions,
 * deployments followed in the background, the event hub the window listens to). The app
 * (main/index.ts), the e2e fixture and the CLI use this one wiring, so they agree on where
 * everything lives and how it is sealed.
 */
import { createSelfSigned } from '../pki/selfsign.js';
import { createStore, type AppStore, type ConfClass } from '../store/store.js';
import type { Keychain } from '../vault/keychain.js';
import { Vault } from '../vault/vault.js';
import { createAccountService, type AccountService } from './account-service.js';
import { createAppEvents, type AppEvents } from './app-events.js';
import { createAuditLog, type AuditLog } from './audit-log.js';
import { createCsrService, type CsrService } from './csr-service.js';
import { createDeploymentService, type DeploymentService, type PollPolicy } from './deployment-service.js';
import { createInventoryService, type InventoryService } from './inventory-service.js';
import { createKeyService, type KeyService } from './key-service.js';
import { createMaterialService, type MaterialService } from './material-service.js';
import { createProviderFactory, type ProviderFactory } from './provider-factory.js';
import { createSettingsService, type SettingsService } from './settings-service.js';
import { taskSummary } from './certificate-views.js';
import { createTaskRunner, type TaskRunner } from './task-runner.js';
import { createVersionService, type VersionService } from './version-service.js';

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
  /** The default Sandbox account's endpoint (false: none); default http://127.0.0.1:38360. */
  readonly sandboxUrl?: string | false;
  /** How deployment tasks are polled; default CDN Pro's (10 s, backing off to 60 s). */
  readonly poll?: Partial<PollPolicy>;
  /** Makes provider clients; default the real ones. */
  readonly providers?: ProviderFactory;
  /** Waits between task polls (tests pass a fast one); default setTimeout, cut short by the abort signal. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Trust anchors (DER) for every chain check, instead of the Mozilla roots bundled with Node.js (tests trust their own CA). */
  readonly anchors?: readonly Uint8Array[];
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
  readonly accounts: AccountService;
  readonly inventory: InventoryService;
  readonly versions: VersionService;
  readonly deployments: DeploymentService;
  /** Follows started and unfinished tasks in the background. */
  readonly tasks: TaskRunner;
  /** Events for the window (task progress and results, inventory changes). */
  readonly events: AppEvents;
  readonly now: () => Date;
  /** The trust anchors chain checks use; undefined: the Mozilla roots bundled with Node.js. */
  readonly anchors: readonly Uint8Array[] | undefined;
  /** Stops following tasks and drops every event subscription's source. */
  close(): void;
}

/** Waits `ms`, or less when `signal` aborts. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Opens the store and builds every service over `dataDir`. */
export async function openContainer(options: ContainerOptions): Promise<Container> {
  const now = options.now ?? (() => new Date());
  const { dataDir, onWarning, anchors } = options;
  const store = await createStore({ cwd: dataDir, ...(options.Conf ? { Conf: options.Conf } : {}), now, ...(onWarning ? { onWarning } : {}) });
  const vault = new Vault({ dataDir, keychain: options.keychain, ...(options.keychainService ? { service: options.keychainService } : {}) });
  const audit = createAuditLog({ dataDir, now });
  const settings = createSettingsService({ dataDir, ...(onWarning ? { onWarning } : {}) });
  const keys = createKeyService({ vault, store, audit, now, ...(onWarning ? { onWarning } : {}) });
  const csr = createCsrService({ keys });
  const material = createMaterialService({ keys, now, expiryWindowDays: async () => (await settings.get()).expiryThresholdDays, ...(anchors ? { anchors } : {}) });

  const accounts = createAccountService({
    store,
    keychain: options.keychain,
    audit,
    now,
    providers: options.providers ?? createProviderFactory(),
    // Account secrets sit beside the vault's key, under the same keychain service.
    ...(options.keychainService ? { keychainService: options.keychainService } : {}),
    ...(options.sandboxUrl !== undefined ? { sandboxUrl: options.sandboxUrl } : {}),
    ...(onWarning ? { onWarning } : {}),
  });
  const inventory = createInventoryService({ store, accounts, now });
  const versions = createVersionService({ store, accounts, inventory, keys, audit, now, selfSign: createSelfSigned, ...(anchors ? { anchors } : {}), ...(onWarning ? { onWarning } : {}) });
  const deployments = createDeploymentService({
    store,
    accounts,
    inventory,
    keys,
    audit,
    now,
    sleep: options.sleep ?? abortableSleep,
    ...(options.poll ? { poll: options.poll } : {}),
    ...(onWarning ? { onWarning } : {}),
  });
  const events = createAppEvents(onWarning);
  const accountName = (id: string): string => store.get('accounts').find((a) => a.id === id)?.name ?? id;
  // Task changes become the window's events; a finished task also changed what is deployed.
  const stopTaskEvents = deployments.subscribe(({ task }) => {
    const summary = taskSummary(task, accountName(task.account));
    if (task.status === 'succeeded' || task.status === 'failed') {
      events.emit('taskFinished', { task: summary });
      events.emit('inventoryChanged', { account: task.account });
    } else {
      events.emit('taskProgress', { task: summary });
    }
  });
  const tasks = createTaskRunner({ deployments, ...(onWarning ? { onWarning } : {}) });
  return {
    dataDir,
    store,
    vault,
    audit,
    keys,
    csr,
    material,
    settings,
    accounts,
    inventory,
    versions,
    deployments,
    tasks,
    events,
    now,
    anchors,
    close() {
      tasks.close();
      stopTaskEvents();
    },
  };
}
