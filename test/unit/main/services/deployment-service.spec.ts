/**
 * Deployment tasks against a real sandbox (fast tasks, fast polling): persisted before the
 * provider call, progress events, one task per certificate and environment, failures, resume
 * after a restart, rollback, undeploy and delete.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { CdnProClient } from '../../../../main/providers/cdnpro/client.js';
import type { SandboxHandle } from '../../../../main/providers/sandbox/server.js';
import type { TaskEvent } from '../../../../main/services/deployment-service.js';
import type { UploadMaterial } from '../../../../main/services/version-service.js';
import type { AccountRecord, TaskRecord } from '../../../../main/store/schema.js';
import { addSandboxAccount, openServices, quickSandbox, type ServiceHarness } from '../../../support/services.js';
import { certificateDers as der, serviceSuite } from '../../../support/service-suite.js';

const { keychainIt, cleanups, harnesses, ca } = await serviceSuite('deployment-service');


function upload(cn: string, days = 90): UploadMaterial {
  const leaf = ca.issue(cn, { days });
  return {
    kind: 'upload',
    certificates: [...der(leaf.certPem).map((d) => ({ der: d, file: 'cert.pem' })), ...der(ca.chainPem).map((d) => ({ der: d, file: 'chain.pem' }))],
    key: { key: createPrivateKey(leaf.keyPem), file: 'key.pem' },
  };
}

async function setup(sandboxOptions: Parameters<typeof quickSandbox>[0] = {}): Promise<{ h: ServiceHarness; s: SandboxHandle; account: AccountRecord }> {
  const s = await quickSandbox(sandboxOptions);
  cleanups.push(() => s.close());
  const h = await openServices({ onCleanup: (fn) => cleanups.push(fn) });
  harnesses.push(h);
  return { h, s, account: await addSandboxAccount(h, s) };
}

describe('deployment service', () => {
  keychainIt('persists the task before calling the provider, reports progress, and follows it to success', async () => {
    const { h, s, account } = await setup();
    await h.versions.createCertificate(account.name, 'www', upload('www.example.com'));
    const events: TaskEvent[] = [];
    const onDisk: (TaskRecord | undefined)[] = [];
    const unsubscribe = h.deployments.subscribe((e) => {
      events.push(e);
      // What a crash at this moment would leave behind.
      onDisk.push(h.store.get('tasks').find((t) => t.id === e.task.id));
    });
    const posts = (): number => s.requests.filter((r) => r.method === 'POST' && r.path === '/cdn/deploymentTasks').length;

    const started = await h.deployments.start({ account: account.name, certificate: 'www', env: 'staging', action: 'deploy', version: 1 });
    expect(events[0]?.task).toMatchObject({ status: 'waiting', providerTaskId: null, version: 1, env: 'staging' });
    expect(onDisk[0]).toEqual(events[0]?.task);
    expect(posts()).toBe(1);
    expect(started.providerTaskId).toMatch(/^[0-9a-f-]{36}$/);

    const done = await h.deployments.wait(started.id);
    unsubscribe();
    expect(done).toMatchObject({ status: 'succeeded', progress: 100, providerTaskId: started.providerTaskId });
    expect(done.finishedAt).not.toBeNull();
    const statuses = events.map((e) => e.task.status);
    expect(statuses[statuses.length - 1]).toBe('succeeded');
    const progress = events.map((e) => e.task.progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    const count = events.length;
    await h.deployments.refresh(started.id);
    expect(events).toHaveLength(count); // unsubscribed

    const cert = await h.inventory.find(account, 'www');
    expect(cert.deployed).toEqual({ staging: 1 });
    expect(readFileSync(h.audit.path, 'utf8')).toMatch(/"action":"deploy","target":"sb\/www","outcome":"success","detail":"version 1 to staging/);
  });

  keychainIt('allows one task per certificate and environment', async () => {
    const { h, account } = await setup({ taskDurationMs: 1_500, taskWaitingMs: 200 });
    await h.versions.createCertificate(account.name, 'one', upload('one.example.com'));
    const first = await h.deployments.start({ account: account.name, certificate: 'one', env: 'production', action: 'deploy', version: 1 });
    // Neutral for the app; the details let the CLI name `task show` for these tasks.
    await expect(h.deployments.start({ account: account.name, certificate: 'one', env: 'production', action: 'deploy', version: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `A deploy of "one" (version 1) to production is still running (task ${first.id}); wait for it to end before starting another (the task list shows how far it is).`,
      details: { task: first.id, reason: 'task-running' },
    });
    await expect(h.accounts.remove(account.name)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Account "${account.name}" has 1 deployment task(s) still running (${first.id}); wait for them to finish before removing it (the task list shows how far they are).`,
      details: { account: account.name, tasks: [first.id], reason: 'tasks-running' },
    });
    await expect(h.deployments.deleteCertificate(account.name, 'one')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Certificate "one" has a deploy to production still running (task ${first.id}); wait for it to end before deleting the certificate.`,
      details: { task: first.id, reason: 'task-running' },
    });
    expect(() => h.deployments.get('t_nope')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: 'There is no task "t_nope"; the task list shows the tasks there are.', details: { task: 't_nope', reason: 'task-not-found' } }),
    );
    // Another environment is free.
    const other = await h.deployments.start({ account: account.name, certificate: 'one', env: 'staging', action: 'deploy', version: 1 });
    const [a, b] = await Promise.all([h.deployments.wait(first.id), h.deployments.wait(other.id)]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
  });

  keychainIt('records a failed deployment with the provider detail, and audits it', async () => {
    const { h, s, account } = await setup();
    await h.versions.createCertificate(account.name, 'bad', upload('bad.example.com'));
    s.faults.failNextTask('Edge servers rejected the certificate');
    const started = await h.deployments.start({ account: account.name, certificate: 'bad', env: 'production', action: 'deploy', version: 1 });
    const done = await h.deployments.wait(started.id);
    expect(done).toMatchObject({ status: 'failed', detail: 'Edge servers rejected the certificate', error: { code: 'PROVIDER_ERROR', message: 'Edge servers rejected the certificate' } });
    expect((await h.inventory.find(account, 'bad')).deployed).toEqual({});
    expect(readFileSync(h.audit.path, 'utf8')).toMatch(/"action":"deploy","target":"sb\/bad","outcome":"failure"/);
  });

  keychainIt('records a refused start (not the owner) as a failed task with status and request id', async () => {
    const { h, account } = await setup();
    const err = await h.deployments.start({ account: account.name, certificate: 'shared-by-another-customer', env: 'staging', action: 'deploy', version: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROVIDER_NOT_OWNER', details: { httpStatus: 403 } });
    const [task] = await h.deployments.list();
    expect(task).toMatchObject({ status: 'failed', providerTaskId: null, error: { code: 'PROVIDER_NOT_OWNER', httpStatus: 403, providerCode: 'AccessDenied', requestId: expect.stringMatching(/^[0-9a-f]{32}$/) } });
  });

  keychainIt('resumes polling after a restart: a new service instance follows the persisted task to its end', async () => {
    const { h, account } = await setup({ taskDurationMs: 1_000, taskWaitingMs: 200 });
    await h.versions.createCertificate(account.name, 'resume', upload('resume.example.com'));
    const started = await h.deployments.start({ account: account.name, certificate: 'resume', env: 'production', action: 'deploy', version: 1 });
    expect(started.status).not.toBe('succeeded');

    // "Restart": the first instance is gone; a fresh one opens the same data directory.
    const after = await h.reopen();
    const events: TaskEvent[] = [];
    after.deployments.subscribe((e) => events.push(e));
    const resumed = await after.deployments.resumeTasks();
    expect(resumed).toEqual([expect.objectContaining({ id: started.id, status: 'succeeded', providerTaskId: started.providerTaskId })]);
    expect(events.some((e) => e.task.status === 'succeeded')).toBe(true);
    expect((await after.inventory.find(account, 'resume')).deployed).toEqual({ production: 1 });
    expect(await after.deployments.resumeTasks()).toEqual([]);
  });

  keychainIt('on resume, adopts the provider task of a record saved just before a crash, or marks it failed when none exists, never starting it twice', async () => {
    const { h, s, account } = await setup();
    const created = await h.versions.createCertificate(account.name, 'crash', upload('crash.example.com'));
    const stamp = new Date(Date.now() - 1_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const record = (id: string, env: string): TaskRecord => ({
      id,
      account: account.id,
      certificate: created.certificate.id,
      certificateName: 'crash',
      env,
      action: 'deploy',
      version: 1,
      status: 'waiting',
      progress: 0,
      providerTaskId: null,
      submittedAt: stamp,
      finishedAt: null,
      detail: null,
      error: null,
      updatedAt: stamp,
    });
    // The provider got the staging request (sent by another client), but the process died before saving its id.
    const client = new CdnProClient({ baseUrl: s.url, user: s.user, apiKey: s.apiKey }, { rateLimiters: null });
    const providerTaskId = await client.startDeployment({ certificateId: created.certificate.id, env: 'staging', action: 'deploy', version: 1 });
    h.store.update('tasks', (all) => [...all, record('t_00000000000000a1', 'staging'), record('t_00000000000000a2', 'production')]);
    const posts = s.requests.filter((r) => r.method === 'POST' && r.path === '/cdn/deploymentTasks').length;

    const resumed = await (await h.reopen()).deployments.resumeTasks();
    expect(resumed.find((t) => t.id === 't_00000000000000a1')).toMatchObject({ status: 'succeeded', providerTaskId });
    expect(resumed.find((t) => t.id === 't_00000000000000a2')).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
    expect(s.requests.filter((r) => r.method === 'POST' && r.path === '/cdn/deploymentTasks')).toHaveLength(posts);
  });

  keychainIt('deploys to staging then production, rolls back, refuses to delete while deployed, then undeploys and deletes', async () => {
    const { h, s, account } = await setup();
    const created = await h.versions.createCertificate(account.name, 'site', upload('site.example.com'));
    await h.versions.addVersion(account.name, 'site', upload('site.example.com', 120));
    const run = async (env: string, action: 'deploy' | 'undeploy', version?: number): Promise<TaskRecord> =>
      h.deployments.wait((await h.deployments.start({ account: account.name, certificate: 'site', env, action, ...(version !== undefined ? { version } : {}) })).id);

    expect((await run('staging', 'deploy', 2)).status).toBe('succeeded');
    expect(h.inventory.view(account, await h.inventory.find(account, 'site')).states).toEqual([]);
    expect((await run('production', 'deploy', 2)).status).toBe('succeeded');
    // Rollback: production goes back to version 1; the newer version is now "renewed, not deployed".
    expect((await run('production', 'deploy', 1)).status).toBe('succeeded');
    const rolledBack = await h.inventory.find(account, 'site');
    expect(rolledBack.deployed).toEqual({ staging: 2, production: 1 });
    expect(h.inventory.view(account, rolledBack)).toMatchObject({ staging: 2, production: 1, states: ['renewed-not-deployed', 'staging-differs'] });

    // Neutral for the app; the details let the CLI name its undeploy commands.
    await expect(h.deployments.deleteCertificate(account.name, 'site')).rejects.toMatchObject({
      code: 'CONFLICT',
      message:
        'Certificate "site" is still deployed in production (version 1) and staging (version 2); a certificate can only be deleted once it is undeployed from every environment.',
      details: { account: 'sb', certificate: 'site', environments: ['production', 'staging'] },
    });
    await expect(h.deployments.start({ account: account.name, certificate: 'site', env: 'staging', action: 'deploy' })).rejects.toMatchObject({
      code: 'USAGE',
      message: 'Deploying needs the number of the version to deploy.',
    });
    await expect(h.deployments.start({ account: account.name, certificate: 'site', env: 'staging', action: 'deploy', version: 9 })).rejects.toMatchObject({ code: 'USAGE' });
    expect((await run('staging', 'undeploy')).status).toBe('succeeded');
    await expect(run('staging', 'undeploy')).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('not deployed in staging') });
    expect((await run('production', 'undeploy')).status).toBe('succeeded');
    await h.deployments.deleteCertificate(account.name, 'site');
    expect(s.state.data.certificates.some((c) => c.certificateId === created.certificate.id)).toBe(false);
    expect((await h.inventory.list({ account: account.name })).flatMap((e) => e.certificates.map((c) => c.name))).toEqual(['shared-by-another-customer']);
    expect(h.store.get('versions').filter((v) => v.certificate === created.certificate.id)).toEqual([]);

    const audit = readFileSync(h.audit.path, 'utf8');
    expect(audit).toMatch(/"action":"certificate.delete","target":"sb\/site","outcome":"failure"/);
    expect(audit).toMatch(/"action":"certificate.delete","target":"sb\/site","outcome":"success"/);
    expect(audit).toMatch(/"action":"undeploy","target":"sb\/site","outcome":"success"/);
  });

  keychainIt('shows the history newest first, including tasks Certdesk did not start', async () => {
    const { h, s, account } = await setup();
    const created = await h.versions.createCertificate(account.name, 'hist', upload('hist.example.com'));
    const client = new CdnProClient({ baseUrl: s.url, user: s.user, apiKey: s.apiKey }, { rateLimiters: null });
    const foreign = await client.startDeployment({ certificateId: created.certificate.id, env: 'staging', action: 'deploy', version: 1 });
    await new Promise((r) => setTimeout(r, 1_100)); // submission times have one-second resolution
    const ours = await h.deployments.wait((await h.deployments.start({ account: account.name, certificate: 'hist', env: 'production', action: 'deploy', version: 1 })).id);
    const history = await h.deployments.history(account, await h.inventory.find(account, 'hist'));
    expect(history.map((t) => [t.id, t.env, t.action, t.version])).toEqual([
      [ours.id, 'production', 'deploy', 1],
      [foreign, 'staging', 'deploy', 1],
    ]);
    expect(history[1]?.status).toBe('succeeded');
  });
});
