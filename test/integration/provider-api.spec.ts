/**
 * The provider half of the handler table against the CDN Pro sandbox (in-memory keychain): what
 * each method answers and refuses — rows across accounts, the field-level diff, promote and roll
 * back rules, delete explained while deployed, tasks and retry, events for the window, and the
 * Sandbox account's hint when its sandbox is not running.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertdeskEvents, CertificateDetail, CertificateInventory, DeploymentDiff, TaskSummary, VersionCreated } from '../../shared/api.js';
import { createHandlers, dispatch, type Envelope } from '../../main/ipc/handlers.js';
import { startSandbox, type SandboxHandle } from '../../main/providers/sandbox/server.js';
import { openContainer, type Container } from '../../main/services/container.js';
import { createProviderFactory } from '../../main/services/provider-factory.js';
import { freePort } from '../support/cli-runner.js';
import { MemoryKeychain } from '../support/memory-keychain.js';
import { openssl, tempDir } from '../support/openssl.js';
import { makeTestCa, type TestCa } from '../support/test-ca.js';

let c: Container;
let sandbox: SandboxHandle;
let ca: TestCa;
let handlers: ReturnType<typeof createHandlers>;
const cleanups: (() => void)[] = [];
const events: { event: keyof CertdeskEvents; payload: unknown }[] = [];
const enc = new TextEncoder();

async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const envelope: Envelope = await dispatch(handlers, channel, args);
  if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
  return envelope.value as T;
}

/** What only the CLI says (a flag, its environment variables, a command line): never in a message the app shows. */
const CLI_SPEAK = /--[a-z]|CERTDESK_|certdesk [a-z]/;

async function refused(channel: string, ...args: unknown[]): Promise<{ code: string; message: string }> {
  const envelope = await dispatch(handlers, channel, args);
  if (envelope.ok) throw new Error(`${channel} was expected to fail`);
  return envelope.error;
}

/** A leaf for `names` with its key, as dropped files (key, certificate, chain). */
function drop(names: readonly string[], days: number): { kind: 'files'; files: { name: string; bytes: Uint8Array }[] } {
  const dir = tempDir('certdesk-papi-leaf-');
  cleanups.push(dir.cleanup);
  const keyFile = `${dir.dir}/leaf.key`;
  const csr = openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`]).toString();
  const cert = ca.signCsr(csr, { days });
  const key = openssl(['pkey', '-in', keyFile]).toString();
  return { kind: 'files', files: [{ name: 'leaf.pem', bytes: enc.encode(cert) }, { name: 'leaf.key', bytes: enc.encode(key) }, { name: 'chain.pem', bytes: enc.encode(ca.chainPem) }] };
}

async function deployed(task: TaskSummary): Promise<void> {
  expect((await c.deployments.wait(task.id)).status).toBe('succeeded');
}

beforeAll(async () => {
  ca = makeTestCa('Provider API');
  const d = tempDir('certdesk-papi-');
  cleanups.push(d.cleanup, () => ca.cleanup());
  const port = await freePort();
  c = await openContainer({
    dataDir: d.dir,
    keychain: new MemoryKeychain(),
    sandboxUrl: `http://127.0.0.1:${port}`,
    poll: { initialMs: 30, maxMs: 100 },
    providers: createProviderFactory({ cdnpro: { rateLimiters: null, reconcileDelayMs: 0 } }),
  });
  const account = await c.accounts.sandboxAccount();
  sandbox = await startSandbox({ port, apiKey: account?.apiKey ?? '', taskDurationMs: 200, taskWaitingMs: 40, rateLimit: false });
  handlers = createHandlers({ appInfo: () => ({ name: 'Certdesk', version: 'test', platform: 'linux' }), container: c, dialogs: { chooseSavePath: async () => null } });
  cleanups.push(c.events.subscribe((event, payload) => events.push({ event, payload })));
});
afterAll(async () => {
  c.close();
  await sandbox.close();
  cleanups.reverse().forEach((f) => f());
});

describe('provider API over the sandbox', () => {
  it('lists the seeded shared certificate as read-only with its reason', async () => {
    const inventory = await call<CertificateInventory>('certificates:list');
    expect(inventory.accounts).toEqual([expect.objectContaining({ account: 'Sandbox', isSandbox: true, error: null })]);
    const shared = inventory.certificates.find((r) => r.name === 'shared-by-another-customer');
    expect(shared).toMatchObject({ owner: '20002', states: ['not-owner'], readOnly: expect.stringMatching(/Another customer \(20002\)/) });
    expect(shared?.environments.map((e) => e.env)).toEqual(['staging', 'production']);
  });

  it('creates a certificate only with its key, and refuses a key that is not the certificate’s', async () => {
    const noKey = drop(['nokey.example.com'], 90);
    const err = await refused('certificates:create', { account: 'Sandbox', name: 'nokey', material: { ...noKey, files: noKey.files.filter((f) => f.name !== 'leaf.key') } });
    expect(err).toMatchObject({ code: 'KEY_NOT_FOUND', message: expect.stringMatching(/Drop the key file too/) });
    const a = drop(['a.example.com'], 90);
    const b = drop(['b.example.com'], 90);
    const mismatch = await refused('certificates:create', { account: 'Sandbox', name: 'mixed', material: { kind: 'files', files: [a.files[0], b.files[1], a.files[2]] } });
    expect(mismatch).toMatchObject({ code: 'KEY_MISMATCH', message: expect.stringMatching(/The private key in leaf.key does not belong to a.example.com/) });
  });

  it('deploys, diffs (names that would disappear), promotes, rolls back, and explains why delete waits', async () => {
    const v1 = await call<VersionCreated>('certificates:create', { account: 'Sandbox', name: 'www', material: drop(['www.example.com', 'old.example.com'], 120), comment: 'first' });
    expect(v1).toMatchObject({ keyCarriedOver: false, version: { version: 1, source: 'uploaded', comment: 'first', issuer: 'CN=Provider API Intermediate' } });
    expect(v1.warnings.some((w) => /root/.test(w))).toBe(true);
    await call('versions:add', { account: 'Sandbox', certificate: 'www', material: drop(['www.example.com', 'new.example.com'], 300) });

    expect(await refused('deployments:promote', { account: 'Sandbox', certificate: 'www' })).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/Nothing is deployed in staging/) });
    expect(await refused('deployments:rollback', { account: 'Sandbox', certificate: 'www', env: 'production', version: 1 })).toMatchObject({ code: 'USAGE' });
    expect(await refused('deployments:start', { account: 'Sandbox', certificate: 'www', env: 'qa', action: 'deploy', version: 1 })).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/no environment "qa"/) });

    await deployed(await call<TaskSummary>('deployments:start', { account: 'Sandbox', certificate: 'www', env: 'production', action: 'deploy', version: 1 }));
    const diff = await call<DeploymentDiff>('deployments:diff', { account: 'Sandbox', certificate: 'www', env: 'production', version: 2 });
    expect(diff).toMatchObject({ direction: 'newer', sans: { added: ['DNS:new.example.com'], removed: ['DNS:old.example.com'], unchanged: ['DNS:www.example.com'] }, expiresSooner: false });
    expect(diff.key.changed).toBe(true);
    expect(diff.from?.version).toBe(1);
    expect(diff.warnings[0]).toMatch(/would no longer be served in production: DNS:old.example.com/);

    const staged = await call<TaskSummary>('deployments:start', { account: 'Sandbox', certificate: 'www', env: 'staging', action: 'deploy', version: 2 });
    expect(staged).toMatchObject({ accountName: 'Sandbox', certificateName: 'www', env: 'staging', version: 2 });
    await deployed(staged);
    const promoted = await call<TaskSummary>('deployments:promote', { account: 'Sandbox', certificate: 'www' });
    expect(promoted).toMatchObject({ env: 'production', version: 2, action: 'deploy' });
    await deployed(promoted);
    expect(await refused('deployments:promote', { account: 'Sandbox', certificate: 'www' })).toMatchObject({ code: 'CONFLICT' });
    await deployed(await call<TaskSummary>('deployments:rollback', { account: 'Sandbox', certificate: 'www', env: 'production', version: 1 }));

    const detail = await call<CertificateDetail>('certificates:show', { account: 'Sandbox', certificate: 'www' });
    expect(detail.certificate).toMatchObject({ staging: 2, production: 1, states: ['renewed-not-deployed', 'staging-differs'] });
    expect(detail.versions.map((v) => [v.version, v.deployedIn])).toEqual([
      [2, ['staging']],
      [1, ['production']],
    ]);
    expect(detail.history.map((h) => [h.action, h.version, h.env, h.status])).toEqual([
      ['deploy', 1, 'production', 'succeeded'],
      ['deploy', 2, 'production', 'succeeded'],
      ['deploy', 2, 'staging', 'succeeded'],
      ['deploy', 1, 'production', 'succeeded'],
    ]);
    expect(detail.deleteBlocked).toBe('Still deployed in staging (version 2) and production (version 1). Undeploy it from every environment first: a certificate can only be deleted once nothing serves it.');
    expect(detail.abilities).toEqual({ versions: true, asyncTasks: true, keyUpload: true, serverSideCsr: true });
    const deleteRefused = await refused('certificates:delete', { account: 'Sandbox', certificate: 'www' });
    expect(deleteRefused).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/still deployed in .*undeployed from every environment\.$/) });
    expect(deleteRefused.message).not.toMatch(CLI_SPEAK);

    // Events for the window: progress while running, then finished with the inventory changed.
    const finished = events.filter((e) => e.event === 'taskFinished').map((e) => (e.payload as { task: TaskSummary }).task);
    expect(finished.length).toBeGreaterThanOrEqual(4);
    expect(finished.every((t) => t.accountName === 'Sandbox' && t.status === 'succeeded')).toBe(true);
    expect(events.some((e) => e.event === 'taskProgress')).toBe(true);
    expect(events.some((e) => e.event === 'inventoryChanged')).toBe(true);

    for (const env of ['staging', 'production']) await deployed(await call<TaskSummary>('deployments:start', { account: 'Sandbox', certificate: 'www', env, action: 'undeploy' }));
    expect((await call<CertificateDetail>('certificates:show', { account: 'Sandbox', certificate: 'www' })).deleteBlocked).toBeNull();
    await call('certificates:delete', { account: 'Sandbox', certificate: 'www' });
    expect((await call<CertificateInventory>('certificates:list', { refresh: true })).certificates.map((r) => r.name)).toEqual(['shared-by-another-customer']);
  });

  it('refusals the app shows name no CLI flag, variable or command', async () => {
    const base = { name: 'Flags', endpoint: sandbox.url, secret: 'x' };
    const cases: [unknown, string, string][] = [
      [{ ...base, provider: 'cdnpro' }, 'USAGE', 'A CDN Pro account needs its API user.'],
      [{ ...base, provider: 'apinizer', endpoint: 'https://apinizer.example' }, 'USAGE', 'An Apinizer account needs its project.'],
      [{ ...base, provider: 'apinizer', endpoint: 'https://apinizer.example', project: 'p' }, 'USAGE', 'An Apinizer account needs the names of its environments (such as production and staging).'],
      [{ ...base, provider: 'cdnpro', user: 'u', secret: ' ' }, 'USAGE', 'The account secret is empty.'],
      [{ ...base, provider: 'gcore', endpoint: 'https://me:pw@api.gcore.example' }, 'INVALID_ARGUMENT', 'The endpoint https://api.gcore.example contains a user name or password; leave them out and give the secret on its own.'],
    ];
    for (const [input, code, message] of cases) expect(await refused('accounts:add', input)).toMatchObject({ code, message });
    const missing = await refused('certificates:show', { account: 'Sandbox', certificate: 'no-such-cert' });
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Account "Sandbox" has no certificate "no-such-cert" (by name or id).' });
    expect(missing.message).not.toMatch(CLI_SPEAK);
  });

  it('refusals about accounts, keys, tasks and running tasks name no CLI command', async () => {
    const noAccount = await refused('accounts:remove', { account: 'Nope' });
    expect(noAccount).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^There is no account "Nope"\. The accounts are .*"Sandbox".*\.$/) });
    const noKey = await refused('keys:delete', { id: 'k_0123456789abcdef' });
    expect(noKey).toMatchObject({ code: 'KEY_NOT_FOUND', message: 'There is no key k_0123456789abcdef; the key list shows the keys Certdesk holds.' });
    const noTask = await refused('tasks:get', { id: 't_0123456789abcdef' });
    expect(noTask).toMatchObject({ code: 'NOT_FOUND', message: 'There is no task "t_0123456789abcdef"; the task list shows the tasks there are.' });

    // A task the store holds as running; the sandbox refuses to read it twice, so it stays running for both checks that read it.
    await call('certificates:create', { account: 'Sandbox', name: 'busy', material: drop(['busy.example.com'], 90) });
    const account = await c.accounts.get('Sandbox');
    const certificate = await c.inventory.find(account, 'busy');
    const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const held = { id: 't_00000000000b05e1', account: account.id, certificate: certificate.id, certificateName: 'busy', env: 'staging', action: 'deploy', version: 1, status: 'inprogress', progress: 50, providerTaskId: 'held-task', submittedAt: stamp, finishedAt: null, detail: null, error: null, updatedAt: stamp } as const;
    c.store.update('tasks', (all) => [...all, held]);
    sandbox.faults.next(2, { kind: 'status', status: 400, code: 'InvalidInput', message: 'held for the test' }, { method: 'GET', path: '/cdn/deploymentTasks/held-task' });
    try {
      const busyDeploy = await refused('deployments:start', { account: 'Sandbox', certificate: 'busy', env: 'staging', action: 'deploy', version: 1 });
      expect(busyDeploy).toMatchObject({ code: 'CONFLICT', message: `A deploy of "busy" (version 1) to staging is still running (task ${held.id}); wait for it to end before starting another (the task list shows how far it is).` });
      const busyDelete = await refused('certificates:delete', { account: 'Sandbox', certificate: 'busy' });
      expect(busyDelete).toMatchObject({ code: 'CONFLICT', message: `Certificate "busy" has a deploy to staging still running (task ${held.id}); wait for it to end before deleting the certificate.` });
      const busyAccount = await refused('accounts:remove', { account: 'Sandbox' });
      expect(busyAccount).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`still running (${held.id}); wait for them to finish before removing it (the task list shows how far they are).`) });
      for (const refusal of [noAccount, noKey, noTask, busyDeploy, busyDelete, busyAccount]) expect(refusal.message).not.toMatch(CLI_SPEAK);
    } finally {
      c.store.update('tasks', (all) => all.filter((t) => t.id !== held.id));
    }
    expect(sandbox.faults.pending()).toBe(0);
    await call('certificates:delete', { account: 'Sandbox', certificate: 'busy' });
    expect((await call<{ name: string }[]>('accounts:list')).map((a) => a.name)).toContain('Sandbox');
  });

  it('retries only a failed task, as a new task; the failure keeps the provider’s message', async () => {
    await call('certificates:create', { account: 'Sandbox', name: 'edge', material: drop(['edge.example.com'], 90) });
    sandbox.faults.failNextTask('Edge servers rejected the certificate');
    const task = await call<TaskSummary>('deployments:start', { account: 'Sandbox', certificate: 'edge', env: 'staging', action: 'deploy', version: 1 });
    expect((await c.deployments.wait(task.id)).status).toBe('failed');
    const failed = await call<TaskSummary>('tasks:get', { id: task.id });
    expect(failed).toMatchObject({ status: 'failed', detail: 'Edge servers rejected the certificate', error: { code: 'PROVIDER_ERROR' } });
    const retried = await call<TaskSummary>('tasks:retry', { id: task.id });
    expect(retried.id).not.toBe(task.id);
    await deployed(retried);
    expect(await refused('tasks:retry', { id: retried.id })).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/only a failed task can be retried/) });
    const tasks = await call<TaskSummary[]>('tasks:list');
    expect(tasks[0]?.id).toBe(retried.id);
  });

  it('a CA-signed certificate for the latest version’s CSR keeps its key', async () => {
    await call('certificates:create', { account: 'Sandbox', name: 'api', material: drop(['api.example.com'], 90) });
    const placeholder = await call<VersionCreated>('versions:add', { account: 'Sandbox', certificate: 'api', material: { kind: 'self-signed', commonName: 'api.example.com', sans: ['api2.example.com'], keyType: 'ec-p256' } });
    expect(placeholder.version).toMatchObject({ source: 'generated', selfSigned: true, sans: [{ type: 'dns', value: 'api.example.com' }, { type: 'dns', value: 'api2.example.com' }] });
    const csr = await call<{ csrPem: string; version: number }>('versions:csr', { account: 'Sandbox', certificate: 'api' });
    expect(csr.version).toBe(2);
    const signed = ca.signCsr(csr.csrPem, { days: 200 });
    const renewed = await call<VersionCreated>('versions:add', {
      account: 'Sandbox',
      certificate: 'api',
      material: { kind: 'files', files: [{ name: 'signed.pem', bytes: enc.encode(signed) }, { name: 'chain.pem', bytes: enc.encode(ca.chainPem) }] },
    });
    expect(renewed).toMatchObject({ keyCarriedOver: true, version: { version: 3, source: 'renewed', keyId: placeholder.version.keyId, selfSigned: false } });
    expect(renewed.version.fingerprint).toBe(new X509Certificate(signed).fingerprint256.replace(/:/g, '').toLowerCase());
    const diff = await call<DeploymentDiff>('deployments:diff', { account: 'Sandbox', certificate: 'api', env: 'production', version: 2 });
    expect(diff.warnings.join(' ')).toMatch(/self-signed: browsers and API clients will not trust it/);
  });

  it('the expiry overview puts each deployed environment on the timeline', async () => {
    await deployed(await call<TaskSummary>('deployments:start', { account: 'Sandbox', certificate: 'api', env: 'production', action: 'deploy', version: 3 }));
    const overview = await call<{ entries: { certificate: string; env: string; daysLeft: number }[]; attention: { certificateName: string }[]; thresholdDays: number }>('expiry:overview');
    expect(overview.thresholdDays).toBe(30);
    expect(overview.entries.find((e) => e.certificate === 'api')).toMatchObject({ env: 'production', daysLeft: 199 });
    expect(overview.entries.map((e) => e.daysLeft)).toEqual([...overview.entries.map((e) => e.daysLeft)].sort((a, b) => a - b));
    expect(overview.attention.map((a) => a.certificateName)).toContain('shared-by-another-customer');
  });

  it('says how to start the sandbox when the Sandbox account cannot reach it', async () => {
    await sandbox.close();
    const inventory = await call<CertificateInventory>('certificates:list', { refresh: true });
    expect(inventory.accounts[0]?.error?.message).toMatch(/embedded CDN Pro sandbox at http:\/\/127\.0\.0\.1:\d+, and it is not running: start it with `certdesk sandbox`/);
    // What was seen before stays listed.
    expect(inventory.certificates.map((r) => r.name)).toContain('api');
    expect(await refused('accounts:test', { account: 'Sandbox' })).toMatchObject({ message: expect.stringMatching(/it is not running/) });
  });
});
