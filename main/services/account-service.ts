/**
 * Provider accounts as a use case: add, list, remove, test the connection, and hand out the
 * provider client of an account.
 *
 * The store keeps the account's description (provider, endpoint, user, project, customer id);
 * the secret (API key, token, password) lives ONLY in the OS keychain, under the service
 * `certdesk` and the account `account:<id>`. Account ids are random, so the entries of two data
 * directories on one machine never collide.
 *
 * The default "Sandbox" account: the first time a data directory's accounts are read, an account
 * named "Sandbox" (`isSandbox: true`) is created for the embedded CDN Pro sandbox at
 * http://127.0.0.1:38360, with API user `sandbox`, customer id 20001 and a fresh random API key
 * stored in the keychain like any other secret. `certdesk sandbox` reads that key from the
 * keychain and starts the sandbox with it (the sandbox keeps its own copy in its state file,
 * `cdnpro-sandbox.json` in the same data directory, as a real provider would), so the two always
 * agree. Removing the account is remembered (`sandboxProvisioned`): it is not created again.
 */
import { randomBytes } from 'node:crypto';
import { CertdeskError, isCertdeskError } from '../../shared/errors.js';
import { assertSecureEndpoint } from '../providers/http.js';
import type { ConnectionCheck, ProviderClient } from '../providers/types.js';
import { PROVIDER_KINDS, type AccountProvider, type AccountRecord } from '../store/schema.js';
import type { AppStore } from '../store/store.js';
import type { Keychain } from '../vault/keychain.js';
import type { AuditEventInput, AuditLog } from './audit-log.js';
import { PROVIDER_LABELS, type ProviderFactory } from './provider-factory.js';

/** The keychain service account secrets live under. */
export const ACCOUNT_KEYCHAIN_SERVICE = 'certdesk';

/** The port the embedded sandbox listens on by default (`DEFAULT_SANDBOX_PORT` in the sandbox server). */
export const SANDBOX_DEFAULT_PORT = 38360;

/** The sandbox's API user for its main customer. */
export const SANDBOX_USER = 'sandbox';

/** The sandbox's main customer id (owner of what the Sandbox account creates). */
export const SANDBOX_CUSTOMER_ID = '20001';

/** The name of the default sandbox account. */
export const SANDBOX_ACCOUNT_NAME = 'Sandbox';

/** The keychain account name holding an account's secret. */
export function accountSecretEntry(accountId: string): string {
  return `account:${accountId}`;
}

/** What the account service needs. */
export interface AccountServiceDeps {
  readonly store: AppStore;
  readonly keychain: Keychain;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly providers: ProviderFactory;
  /** Keychain service name; default `certdesk` (tests use their own). */
  readonly keychainService?: string;
  /** The default sandbox account's endpoint, or false to never create one; default http://127.0.0.1:38360. */
  readonly sandboxUrl?: string | false;
  /** Receives problems that do not fail the operation. */
  readonly onWarning?: (message: string) => void;
}

/** A new account as the caller describes it. */
export interface AddAccountInput {
  readonly provider: AccountProvider;
  readonly name: string;
  readonly endpoint: string;
  readonly user?: string;
  readonly project?: string;
  readonly customerId?: string;
  readonly environments?: readonly string[];
  /** Gcore: `cdn` (default) or `protection`. */
  readonly mode?: 'cdn' | 'protection';
  /** The API key / token / password; stored in the keychain only. */
  readonly secret: string;
}

/** Account use cases. */
export interface AccountService {
  /** Every account, oldest first (creates the default Sandbox account on first use). */
  list(): Promise<AccountRecord[]>;
  /** The account with this id or name (case-insensitive), or NOT_FOUND naming the accounts there are. */
  get(ref: string): Promise<AccountRecord>;
  /** Adds an account: the secret goes to the keychain, the rest to the store. */
  add(input: AddAccountInput): Promise<AccountRecord>;
  /** Removes an account, its keychain secret, its inventory cache, versions and tasks. */
  remove(ref: string): Promise<AccountRecord>;
  /** Records facts learned from the provider (e.g. the customer id). */
  update(id: string, patch: { readonly customerId?: string }): Promise<AccountRecord>;
  /** The account's secret from the keychain (main-process code only). */
  secret(account: AccountRecord): Promise<string>;
  /** The provider client of an account. */
  client(account: AccountRecord): Promise<ProviderClient>;
  /** Checks endpoint and credentials with a cheap authenticated read. */
  test(ref: string): Promise<ConnectionCheck & { readonly account: AccountRecord }>;
  /** The default sandbox account and its API key, creating it if this data directory never had one; null when removed. */
  sandboxAccount(): Promise<{ readonly account: AccountRecord; readonly apiKey: string } | null>;
}

const MAX_NAME = 100;

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function failure(err: unknown): string {
  return isCertdeskError(err) ? `${err.code}: ${err.message}` : `INTERNAL: ${err instanceof Error ? err.message : String(err)}`;
}

function cleanText(value: string | undefined, what: string, max = 200): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length > max) throw new CertdeskError('INVALID_ARGUMENT', `The ${what} is ${trimmed.length} characters long; the most is ${max}.`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new CertdeskError('INVALID_ARGUMENT', `The ${what} contains control characters (such as a newline or tab).`);
  return trimmed;
}

/** The endpoint, checked (https, or http for loopback only) and without a trailing slash. */
export function normaliseEndpoint(endpoint: string, provider: AccountProvider): string {
  const url = assertSecureEndpoint(endpoint.trim(), PROVIDER_LABELS[provider]);
  if (url.username !== '' || url.password !== '') {
    throw new CertdeskError('INVALID_ARGUMENT', `The endpoint ${url.origin} contains a user name or password; leave them out and give the secret on its own.`);
  }
  if (url.search !== '' || url.hash !== '') throw new CertdeskError('INVALID_ARGUMENT', `The endpoint ${endpoint} must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The account service. */
export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { store, keychain, audit, now } = deps;
  const service = deps.keychainService ?? ACCOUNT_KEYCHAIN_SERVICE;
  const sandboxUrl = deps.sandboxUrl === undefined ? `http://127.0.0.1:${SANDBOX_DEFAULT_PORT}` : deps.sandboxUrl;

  const log = async (event: AuditEventInput): Promise<void> => {
    try {
      await audit.append(event);
    } catch (err) {
      const message = `Could not write the audit log ${audit.path}: ${(err as Error).message}`;
      if (deps.onWarning) deps.onWarning(message);
      else process.emitWarning(message, { code: 'CERTDESK_AUDIT' });
    }
  };

  const newId = (): string => {
    const taken = new Set(store.get('accounts').map((a) => a.id));
    for (;;) {
      const id = `a_${randomBytes(8).toString('hex')}`;
      if (!taken.has(id)) return id;
    }
  };

  const find = (ref: string): AccountRecord | undefined => {
    const accounts = store.get('accounts');
    return accounts.find((a) => a.id === ref) ?? accounts.find((a) => a.name === ref) ?? accounts.find((a) => a.name.toLowerCase() === ref.toLowerCase());
  };

  /** Creates the default sandbox account once per data directory; a keychain failure postpones it (and is thrown when `strict`). */
  const provisionSandbox = async (strict = false): Promise<void> => {
    if (sandboxUrl === false || store.get('sandboxProvisioned')) return;
    if (store.get('accounts').some((a) => a.name.toLowerCase() === SANDBOX_ACCOUNT_NAME.toLowerCase())) {
      store.set('sandboxProvisioned', true);
      return;
    }
    const account: AccountRecord = {
      id: newId(),
      name: SANDBOX_ACCOUNT_NAME,
      provider: 'cdnpro',
      endpoint: sandboxUrl,
      user: SANDBOX_USER,
      customerId: SANDBOX_CUSTOMER_ID,
      isSandbox: true,
      createdAt: isoSeconds(now()),
    };
    try {
      await keychain.set(service, accountSecretEntry(account.id), randomBytes(16).toString('hex'));
    } catch (err) {
      if (strict) throw err;
      deps.onWarning?.(`The default Sandbox account was not created yet: ${failure(err)}`);
      return;
    }
    store.update('accounts', (all) => [...all, account]);
    store.set('sandboxProvisioned', true);
    await log({ action: 'account.add', target: account.id, outcome: 'success', detail: `${account.name} (cdnpro sandbox ${account.endpoint})` });
  };

  const get = async (ref: string): Promise<AccountRecord> => {
    await provisionSandbox();
    const found = find(ref);
    if (found !== undefined) return found;
    const names = store.get('accounts').map((a) => `"${a.name}"`);
    // `reason` tells this apart from a missing keychain secret (same code): the CLI adds its command (main/cli/hints.ts).
    throw new CertdeskError(
      'NOT_FOUND',
      `There is no account "${ref}". ${names.length > 0 ? `The accounts are ${names.join(', ')}.` : 'There are no accounts yet; add one first.'}`,
      { account: ref, reason: 'account-not-found' },
    );
  };

  const secret = async (account: AccountRecord): Promise<string> => {
    const value = await keychain.get(service, accountSecretEntry(account.id));
    if (value === null || value === '') {
      throw new CertdeskError(
        'NOT_FOUND',
        `The keychain holds no secret for account "${account.name}" (entry ${service}/${accountSecretEntry(account.id)}). Remove the account and add it again with its secret.`,
        { account: account.name },
      );
    }
    return value;
  };

  return {
    async list() {
      await provisionSandbox();
      return [...store.get('accounts')];
    },

    get,

    async add(input) {
      if (!(PROVIDER_KINDS as readonly string[]).includes(input.provider)) {
        throw new CertdeskError('INVALID_ARGUMENT', `Unknown provider "${String(input.provider)}": use one of ${PROVIDER_KINDS.join(', ')}.`);
      }
      const name = cleanText(input.name, 'account name', MAX_NAME);
      if (name === undefined) throw new CertdeskError('INVALID_ARGUMENT', 'An account needs a name.');
      await provisionSandbox();
      const twin = store.get('accounts').find((a) => a.name.toLowerCase() === name.toLowerCase());
      if (twin !== undefined) throw new CertdeskError('CONFLICT', `There is already an account named "${twin.name}"; choose another name or remove it first.`);
      const endpoint = normaliseEndpoint(input.endpoint, input.provider);
      const user = cleanText(input.user, 'user');
      const project = cleanText(input.project, 'project');
      const customerId = cleanText(input.customerId, 'customer id');
      const environments = input.environments?.map((e) => cleanText(e, 'environment name')).filter((e): e is string => e !== undefined);
      // Messages name no CLI flag: the app shows them too, and the CLI checks its flags before calling.
      if (input.provider === 'cdnpro' && user === undefined) throw new CertdeskError('USAGE', 'A CDN Pro account needs its API user.');
      if (input.provider === 'apinizer' && project === undefined) throw new CertdeskError('USAGE', 'An Apinizer account needs its project.');
      if (input.provider === 'apinizer' && (environments === undefined || environments.length === 0)) {
        throw new CertdeskError('USAGE', 'An Apinizer account needs the names of its environments (such as production and staging).');
      }
      if (input.mode !== undefined && input.provider !== 'gcore') throw new CertdeskError('USAGE', 'Only Gcore accounts have a mode (cdn or protection).');
      const secretValue = input.secret.replace(/\r?\n$/, '');
      if (secretValue.trim() === '') throw new CertdeskError('USAGE', 'The account secret is empty.');
      const account: AccountRecord = {
        id: newId(),
        name,
        provider: input.provider,
        endpoint,
        ...(user !== undefined ? { user } : {}),
        ...(project !== undefined ? { project } : {}),
        ...(customerId !== undefined ? { customerId } : {}),
        ...(environments !== undefined && environments.length > 0 ? { environments: [...new Set(environments)] } : {}),
        ...(input.mode !== undefined ? { mode: input.mode } : {}),
        isSandbox: false,
        createdAt: isoSeconds(now()),
      };
      try {
        await keychain.set(service, accountSecretEntry(account.id), secretValue);
        try {
          store.update('accounts', (all) => [...all, account]);
        } catch (err) {
          await keychain.delete(service, accountSecretEntry(account.id)).catch(() => false);
          throw err;
        }
      } catch (err) {
        await log({ action: 'account.add', target: name, outcome: 'failure', detail: failure(err) });
        throw err;
      }
      await log({ action: 'account.add', target: account.id, outcome: 'success', detail: `${account.name} (${account.provider} ${account.endpoint})` });
      return account;
    },

    async remove(ref) {
      const account = await get(ref);
      const running = store.get('tasks').filter((t) => t.account === account.id && (t.status === 'waiting' || t.status === 'inprogress'));
      if (running.length > 0) {
        throw new CertdeskError(
          'CONFLICT',
          `Account "${account.name}" has ${running.length} deployment task(s) still running (${running.map((t) => t.id).join(', ')}); wait for them to finish before removing it (the task list shows how far they are).`,
          { account: account.name, tasks: running.map((t) => t.id), reason: 'tasks-running' },
        );
      }
      try {
        store.update('accounts', (all) => all.filter((a) => a.id !== account.id));
        store.update('inventory', (all) => all.filter((e) => e.account !== account.id));
        store.update('versions', (all) => all.filter((v) => v.account !== account.id));
        store.update('tasks', (all) => all.filter((t) => t.account !== account.id));
        await keychain.delete(service, accountSecretEntry(account.id));
      } catch (err) {
        await log({ action: 'account.remove', target: account.id, outcome: 'failure', detail: failure(err) });
        throw err;
      }
      await log({ action: 'account.remove', target: account.id, outcome: 'success', detail: account.name });
      return account;
    },

    async update(id, patch) {
      let updated: AccountRecord | undefined;
      store.update('accounts', (all) =>
        all.map((a) => {
          if (a.id !== id) return a;
          updated = { ...a, ...(patch.customerId !== undefined ? { customerId: patch.customerId } : {}) };
          return updated;
        }),
      );
      if (updated === undefined) throw new CertdeskError('NOT_FOUND', `There is no account ${id}.`);
      return updated;
    },

    secret,

    async client(account) {
      return deps.providers(account, await secret(account));
    },

    async test(ref) {
      const account = await get(ref);
      try {
        const client = await deps.providers(account, await secret(account));
        const check = await client.testConnection();
        await log({ action: 'account.test', target: account.id, outcome: 'success', detail: check.message });
        return { ...check, account };
      } catch (err) {
        await log({ action: 'account.test', target: account.id, outcome: 'failure', detail: failure(err) });
        throw err;
      }
    },

    async sandboxAccount() {
      await provisionSandbox(true);
      const account = store.get('accounts').find((a) => a.isSandbox);
      if (account === undefined) return null;
      return { account, apiKey: await secret(account) };
    },
  };
}
