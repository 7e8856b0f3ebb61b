/**
 * The OS keychain behind a three-method interface: macOS Keychain, Windows Credential Manager,
 * or a Secret Service (gnome-keyring, KeePassXC…) on Linux, all through keytar.
 *
 * keytar is imported lazily so commands that never touch a key do not pay for the native addon.
 * Every keytar failure becomes `KEYCHAIN_UNAVAILABLE` with a message that says what to install or
 * unlock on this OS. There is no plaintext fallback.
 */
import { CertdeskError } from '../../shared/errors.js';

/** A minimal secret store keyed by (service, account). */
export interface Keychain {
  /** The secret, or null when there is no entry. */
  get(service: string, account: string): Promise<string | null>;
  /** Creates or replaces an entry. */
  set(service: string, account: string, secret: string): Promise<void>;
  /** Removes an entry; false when there was none. */
  delete(service: string, account: string): Promise<boolean>;
}

/** The part of keytar's API Certdesk uses. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Options for `createOsKeychain`, for tests and other platforms. */
export interface OsKeychainOptions {
  /** Loads keytar; defaults to `import('keytar')`. */
  readonly load?: () => Promise<KeytarApi>;
  /** The platform named in error messages; defaults to `process.platform`. */
  readonly platform?: NodeJS.Platform;
}

async function loadKeytar(): Promise<KeytarApi> {
  const mod = (await import('keytar')) as KeytarApi & { default?: KeytarApi };
  // keytar is CommonJS: under Node's ESM loader its API is the default export.
  return mod.default ?? mod;
}

/** The OS keychain through keytar; every failure becomes a `KEYCHAIN_UNAVAILABLE` CertdeskError. */
export function createOsKeychain(options: OsKeychainOptions = {}): Keychain {
  const platform = options.platform ?? process.platform;
  const load = options.load ?? loadKeytar;
  let keytar: Promise<KeytarApi> | undefined;

  const api = (): Promise<KeytarApi> => {
    keytar ??= load().catch((err: unknown) => {
      keytar = undefined;
      throw keychainUnavailable(err, platform, 'load');
    });
    return keytar;
  };

  const call = async <T>(op: (k: KeytarApi) => Promise<T>): Promise<T> => {
    const k = await api();
    try {
      return await op(k);
    } catch (err) {
      throw keychainUnavailable(err, platform, 'call');
    }
  };

  return {
    get: (service, account) => call((k) => k.getPassword(service, account)),
    set: (service, account, secret) => call((k) => k.setPassword(service, account, secret)),
    delete: (service, account) => call((k) => k.deletePassword(service, account)),
  };
}

/** Why a keychain call failed, as far as the error text tells. */
export type KeychainProblem = 'no-dbus' | 'no-service' | 'locked' | 'denied' | 'module' | 'other';

/** Classifies a keytar/libsecret error message. */
export function classifyKeychainError(message: string, stage: 'load' | 'call' = 'call'): KeychainProblem {
  if (stage === 'load') return 'module';
  const m = message.toLowerCase();
  if (/autolaunch d-bus|could not connect|dbus_session_bus_address|failed to connect to socket/.test(m)) {
    return 'no-dbus';
  }
  if (/org\.freedesktop\.secrets was not provided|serviceunknown|no such interface|object does not exist at path|no such secret collection/.test(m)) {
    return 'no-service';
  }
  if (/locked|unlock|prompt/.test(m)) return 'locked';
  if (/denied|not allowed|user canceled|user cancelled|interaction is not allowed|errsecauthfailed|passphrase/.test(m)) {
    return 'denied';
  }
  if (/org\.freedesktop\.dbus\.error/.test(m)) return 'no-service';
  return 'other';
}

function remedy(platform: NodeJS.Platform, problem: KeychainProblem): string {
  if (platform === 'darwin') {
    return problem === 'module'
      ? 'Reinstall Certdesk: its keychain module (keytar) could not be loaded.'
      : 'Unlock the login keychain (Keychain Access › File › Unlock Keychain "login") and allow Certdesk to use it when macOS asks.';
  }
  if (platform === 'win32') {
    return problem === 'module'
      ? 'Reinstall Certdesk: its keychain module (keytar) could not be loaded.'
      : 'Sign in to Windows with a user profile that has Credential Manager, and make sure the Credential Manager service (VaultSvc) is running.';
  }
  const service =
    'start a Secret Service such as gnome-keyring (Debian packages gnome-keyring, libsecret-1-0) in a D-Bus session and unlock it';
  switch (problem) {
    case 'module':
      return `The keychain module (keytar) could not be loaded: install libsecret-1-0, then ${service}.`;
    case 'no-dbus':
      return `There is no D-Bus session bus: run Certdesk inside a desktop session, or ${service} (for example \`dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets; certdesk …'\`).`;
    case 'locked':
      return 'The keyring is locked: unlock it (for example in Seahorse, or `gnome-keyring-daemon --unlock` with the keyring password on stdin) and try again.';
    case 'denied':
      return 'Access to the keyring was refused: allow Certdesk to use it and try again.';
    case 'no-service':
    case 'other':
      return `${service.charAt(0).toUpperCase()}${service.slice(1)}.`;
  }
}

/** Builds the `KEYCHAIN_UNAVAILABLE` error for a keytar failure (the cause is kept, it holds no secret). */
export function keychainUnavailable(
  err: unknown,
  platform: NodeJS.Platform = process.platform,
  stage: 'load' | 'call' = 'call',
): CertdeskError {
  const reason = err instanceof Error ? err.message : String(err);
  const problem = classifyKeychainError(reason, stage);
  const what = platform === 'darwin' ? 'the macOS Keychain' : platform === 'win32' ? 'Windows Credential Manager' : 'the Secret Service';
  return new CertdeskError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain is unavailable (${what}: ${reason.trim() || 'unknown error'}). Certdesk keeps the key that seals your private keys there and never stores them in the clear. ${remedy(platform, problem)}`,
    { keychain: what, problem },
    { cause: err },
  );
}
