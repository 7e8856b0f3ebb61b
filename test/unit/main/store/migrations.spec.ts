/**
 * Store layout 2: provider accounts, inventory cache, version history and tasks — the migration
 * from layout 1 and the validator entries for the new records.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, STORE_PROJECT_VERSION } from '../../../../main/store/migrations.js';
import {
  emptyStoreData,
  storeIssues,
  type AccountRecord,
  type InventoryEntry,
  type TaskRecord,
  type VersionRecord,
} from '../../../../main/store/schema.js';
import { createStore } from '../../../../main/store/store.js';
import { tempDir } from '../../../support/openssl.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const account: AccountRecord = {
  id: 'a_0123456789abcdef',
  name: 'Production CDN',
  provider: 'cdnpro',
  endpoint: 'https://ngapi.cdnetworks.com',
  user: 'api-user',
  customerId: '20001',
  isSandbox: false,
  createdAt: '2026-01-02T03:04:05Z',
};

const inventory: InventoryEntry = {
  account: account.id,
  refreshedAt: '2026-01-02T03:04:05Z',
  certificates: [
    {
      id: '5c5a0462',
      name: 'www',
      owner: '20001',
      latestVersion: 3,
      autoRenew: false,
      expiresAt: '2026-05-01T00:00:00Z',
      deployed: { production: 2 },
      deployedExpiresAt: { production: '2026-03-01T00:00:00Z' },
    },
  ],
};

const version: VersionRecord = {
  account: account.id,
  certificate: '5c5a0462',
  version: 1,
  source: 'uploaded',
  createdAt: '2026-01-02T03:04:05Z',
  leafPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  chainPem: '',
  keyId: 'k_0123456789abcdef',
  fingerprint: 'ab'.repeat(32),
  spkiSha256: 'cd'.repeat(32),
  subject: 'CN=www.example.com',
  sans: [{ type: 'dns', value: 'www.example.com' }],
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2026-04-01T00:00:00Z',
  keyAlgorithm: 'EC P-256',
  comment: '',
};

const task: TaskRecord = {
  id: 't_0123456789abcdef',
  account: account.id,
  certificate: '5c5a0462',
  certificateName: 'www',
  env: 'production',
  action: 'deploy',
  version: 1,
  status: 'failed',
  progress: 100,
  providerTaskId: '7f0c2c1e-0000-4000-8000-000000000000',
  submittedAt: '2026-01-02T03:04:05Z',
  finishedAt: '2026-01-02T03:09:05Z',
  detail: 'edge rejected it',
  error: { code: 'PROVIDER_REJECTED', message: 'no', httpStatus: 409, providerCode: 'CertificateExpired', requestId: 'r1' },
  updatedAt: '2026-01-02T03:09:05Z',
};

const full = { ...emptyStoreData(), accounts: [account], inventory: [inventory], versions: [version], tasks: [task] };

describe('store layout 2', () => {
  it('accepts accounts, inventory, versions and tasks', () => {
    expect(storeIssues(full)).toEqual([]);
    expect(MIGRATIONS[STORE_PROJECT_VERSION]).toBeTypeOf('function');
  });

  it.each([
    [{ accounts: [{ ...account, id: 'acct-1' }] }, 'accounts[0].id must be an account id'],
    [{ accounts: [{ ...account, provider: 'akamai' }] }, 'accounts[0].provider must be one of cdnpro, apinizer, gcore'],
    [{ accounts: [account, { ...account, id: 'a_1111111111111111', name: 'production cdn' }] }, 'accounts[1] repeats the account name'],
    [{ inventory: [{ ...inventory, certificates: [{ ...inventory.certificates[0], deployed: { production: 'two' } }] }] }, 'inventory[0].certificates[0].deployed.production'],
    [{ versions: [version, version] }, 'versions[1] repeats the version'],
    [{ versions: [{ ...version, source: 'stolen' }] }, 'versions[0].source must be one of uploaded, generated, renewed'],
    [{ versions: [{ ...version, spkiSha256: 'XY' }] }, 'versions[0].spkiSha256 must be 64 lowercase hex digits'],
    [{ tasks: [{ ...task, status: 'done' }] }, 'tasks[0].status must be one of'],
    [{ tasks: [{ ...task, version: null }] }, 'tasks[0].version is required for a deploy'],
    [{ tasks: [{ ...task, progress: 101 }] }, 'tasks[0].progress must be a number from 0 to 100'],
    [{ sandboxProvisioned: 'yes' }, 'sandboxProvisioned must be true or false'],
  ])('reports %j', (patch, issue) => {
    const issues = storeIssues({ ...full, ...patch });
    expect(issues.some((i) => i.startsWith(issue)), issues.join('\n')).toBe(true);
  });

  it('migrates a layout-1 store, keeping its keys and adding the new fields', async () => {
    const { dir, cleanup } = tempDir('certdesk-migrate-');
    cleanups.push(cleanup);
    const v1 = {
      schemaVersion: 1,
      keys: [],
      pendingRequests: [],
      __internal__: { migrations: { version: '1.0.0' } },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(v1));
    const store = await createStore({ cwd: dir });
    expect(store.recoveredFrom).toBeNull();
    expect(store.read()).toMatchObject({ schemaVersion: 2, accounts: [], inventory: [], versions: [], tasks: [], sandboxProvisioned: false });
    store.set('accounts', [account]);
    const onDisk = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { __internal__: unknown; accounts: unknown };
    expect(onDisk.__internal__).toEqual({ migrations: { version: '2.0.0' } });
    expect(onDisk.accounts).toEqual([account]);
  });

  it('moves aside a layout-2 store with a broken task instead of using it', async () => {
    const { dir, cleanup } = tempDir('certdesk-migrate-');
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...full, tasks: [{ ...task, id: 'x' }], __internal__: { migrations: { version: '2.0.0' } } }));
    const warnings: string[] = [];
    const store = await createStore({ cwd: dir, onWarning: (w) => warnings.push(w) });
    expect(store.recoveredFrom).not.toBeNull();
    expect(warnings[0]).toMatch(/tasks\[0\]\.id must be a task id/);
    expect(store.get('tasks')).toEqual([]);
  });
});
