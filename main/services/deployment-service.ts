/**
 * Deployments as tasks: deploy a version to an environment or undeploy it, followed to the end,
 * and deleting a certificate once it is deployed nowhere.
 *
 * Every deploy/undeploy is a `TaskRecord` written to the store BEFORE the provider is called, so
 * a crash leaves a trace that `resumeTasks()` picks up. CDN Pro tasks are polled with
 * exponential backoff (from 10 s, as the API asks; injectable so tests run in milliseconds);
 * providers without asynchronous tasks (Apinizer, Gcore) return finished tasks, recorded at once.
 * Each change is published to subscribers (`subscribe` returns its unsubscribe function).
 *
 * At most one task runs per (account, certificate, environment): a second gets CONFLICT. A call
 * that may have reached the provider is never repeated here; the provider clients reconcile a
 * lost answer before sending again, and a task interrupted before its provider id was saved is
 * matched against the provider's task list on resume rather than started again.
 * Rollback is deploying an earlier version. Deleting a certificate is refused (CONFLICT, naming
 * the environments) while any environment holds it or a task for it runs.
 */
import { randomBytes } from 'node:crypto';
import { CertdeskError, isCertdeskError } from '../../shared/errors.js';
import type { ProviderClient, ProviderTask, StartDeploymentInput, UploadedMaterial } from '../providers/types.js';
import type { AccountRecord, CachedCertificate, TaskError, TaskRecord } from '../store/schema.js';
import type { AppStore } from '../store/store.js';
import type { AccountService } from './account-service.js';
import type { AuditEventInput, AuditLog } from './audit-log.js';
import type { InventoryService } from './inventory-service.js';
import type { KeyService } from './key-service.js';
import { providerCertificateId } from './provider-factory.js';

/** How tasks are polled. */
export interface PollPolicy {
  /** First wait before reading the task; CDN Pro asks for 10 s or more. */
  readonly initialMs: number;
  /** Longest wait between reads. */
  readonly maxMs: number;
  /** Each wait is the previous one times this. */
  readonly factor: number;
  /** Stop following a task after this long (it stays unfinished and can be resumed). */
  readonly timeoutMs: number;
  /** Typical task length, for the progress estimate. */
  readonly expectedMs: number;
}

/** Polling as the real CDN Pro wants it: 10 s, growing to 60 s, for up to 30 minutes. */
export const DEFAULT_POLL: PollPolicy = { initialMs: 10_000, maxMs: 60_000, factor: 1.5, timeoutMs: 30 * 60_000, expectedMs: 4 * 60_000 };

/** What the deployment service needs. */
export interface DeploymentServiceDeps {
  readonly store: AppStore;
  readonly accounts: AccountService;
  readonly inventory: InventoryService;
  readonly keys: KeyService;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly poll?: Partial<PollPolicy>;
  readonly onWarning?: (message: string) => void;
}

/** A change to a task, for progress displays. */
export interface TaskEvent {
  readonly type: 'task-updated';
  readonly task: TaskRecord;
}

/** What to deploy or undeploy. */
export interface DeploymentRequest {
  readonly account: string;
  /** Name or provider id. */
  readonly certificate: string;
  readonly env: string;
  readonly action: 'deploy' | 'undeploy';
  /** Required for deploy. */
  readonly version?: number;
}

/** A task as `deploy --json` and `task show --json` print it. */
export interface TaskView {
  readonly id: string;
  readonly certificate: string;
  readonly version: number | null;
  readonly env: string;
  readonly action: 'deploy' | 'undeploy';
  readonly status: TaskRecord['status'];
  readonly submittedAt: string;
  readonly finishedAt: string | null;
  readonly detail: string | null;
}

/** Deployment use cases. */
export interface DeploymentService {
  /** Persists the task, starts it on the provider and returns it (finished already for synchronous providers). */
  start(request: DeploymentRequest): Promise<TaskRecord>;
  /** Follows a task until it ends (or the poll timeout passes, or `signal` aborts); returns its last state. */
  wait(taskId: string, options?: { readonly signal?: AbortSignal }): Promise<TaskRecord>;
  /** Reads an unfinished task's state from the provider once. */
  refresh(taskId: string): Promise<TaskRecord>;
  /** Follows every unfinished task (after a restart) to its end. */
  resumeTasks(options?: { readonly signal?: AbortSignal }): Promise<TaskRecord[]>;
  /** Tasks, newest first, of one account or all. */
  list(options?: { readonly account?: string }): Promise<TaskRecord[]>;
  /** A task by Certdesk id or provider task id. */
  get(id: string): TaskRecord;
  /** The deployment history of a certificate, newest first: Certdesk's tasks plus the provider's. */
  history(account: AccountRecord, certificate: CachedCertificate, client?: ProviderClient): Promise<TaskView[]>;
  /** Deletes a certificate that is deployed nowhere. */
  deleteCertificate(accountRef: string, certificateRef: string): Promise<CachedCertificate>;
  /** Receives every task change; returns the unsubscribe function. */
  subscribe(listener: (event: TaskEvent) => void): () => void;
}

const FINAL = new Set<TaskRecord['status']>(['succeeded', 'failed']);
const HISTORY_DETAILS = 20;

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function failure(err: unknown): string {
  return isCertdeskError(err) ? `${err.code}: ${err.message}` : `INTERNAL: ${err instanceof Error ? err.message : String(err)}`;
}

/** The task error record of a thrown error (never a secret: provider messages are already clipped). */
export function taskErrorOf(err: unknown): TaskError {
  if (!isCertdeskError(err)) return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
  const d = err.details;
  return {
    code: err.code,
    message: err.message,
    ...(typeof d.httpStatus === 'number' ? { httpStatus: d.httpStatus } : {}),
    ...(typeof d.providerCode === 'string' ? { providerCode: d.providerCode } : {}),
    ...(typeof d.requestId === 'string' ? { requestId: d.requestId } : {}),
  };
}

/** The `task show --json` view of a task. */
export function taskView(task: TaskRecord): TaskView {
  return {
    id: task.id,
    certificate: task.certificateName,
    version: task.version,
    env: task.env,
    action: task.action,
    status: task.status,
    submittedAt: task.submittedAt,
    finishedAt: task.finishedAt,
    detail: task.detail,
  };
}

function describeDeployed(deployed: Readonly<Record<string, number>>, envs: readonly string[]): string {
  const parts = envs.map((env) => (deployed[env] !== undefined ? `${env} (version ${deployed[env]})` : env));
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/** The deployment service. */
export function createDeploymentService(deps: DeploymentServiceDeps): DeploymentService {
  const { store, accounts, inventory, keys, audit, now, sleep } = deps;
  const poll: PollPolicy = { ...DEFAULT_POLL, ...deps.poll };
  const listeners = new Set<(event: TaskEvent) => void>();

  const log = async (event: AuditEventInput): Promise<void> => {
    try {
      await audit.append(event);
    } catch (err) {
      const message = `Could not write the audit log ${audit.path}: ${(err as Error).message}`;
      if (deps.onWarning) deps.onWarning(message);
      else process.emitWarning(message, { code: 'CERTDESK_AUDIT' });
    }
  };

  const emit = (task: TaskRecord): void => {
    for (const listener of [...listeners]) {
      try {
        listener({ type: 'task-updated', task });
      } catch (err) {
        deps.onWarning?.(`A task listener failed: ${(err as Error).message}`);
      }
    }
  };

  const find = (id: string): TaskRecord | undefined => store.get('tasks').find((t) => t.id === id || t.providerTaskId === id);

  const get = (id: string): TaskRecord => {
    const task = find(id);
    // The CLI adds its commands to these messages from `reason` and the ids in the details (main/cli/hints.ts).
    if (task === undefined) throw new CertdeskError('NOT_FOUND', `There is no task "${id}"; the task list shows the tasks there are.`, { task: id, reason: 'task-not-found' });
    return task;
  };

  /** Writes a change to a task (by id) and publishes it. */
  const save = (id: string, patch: Partial<TaskRecord>): TaskRecord => {
    let updated: TaskRecord | undefined;
    store.update('tasks', (all) =>
      all.map((t) => {
        if (t.id !== id) return t;
        updated = { ...t, ...patch, updatedAt: isoSeconds(now()) };
        return updated;
      }),
    );
    if (updated === undefined) throw new CertdeskError('NOT_FOUND', `There is no task "${id}".`);
    emit(updated);
    return updated;
  };

  const progressOf = (task: TaskRecord, status: TaskRecord['status']): number => {
    if (FINAL.has(status)) return 100;
    if (status === 'waiting') return Math.max(task.progress, 5);
    const elapsed = now().getTime() - Date.parse(task.submittedAt);
    return Math.max(task.progress, Math.min(95, Math.round(10 + (85 * elapsed) / poll.expectedMs)));
  };

  const auditEnd = async (task: TaskRecord): Promise<void> => {
    if (!FINAL.has(task.status)) return;
    const what = task.action === 'deploy' ? `version ${task.version ?? '?'} to ${task.env}` : `from ${task.env}`;
    const account = store.get('accounts').find((a) => a.id === task.account);
    await log({
      action: task.action,
      target: `${account?.name ?? task.account}/${task.certificateName}`,
      outcome: task.status === 'succeeded' ? 'success' : 'failure',
      detail: `${what}; task ${task.id}${task.providerTaskId !== null ? ` (provider ${task.providerTaskId})` : ''}${task.detail !== null ? `: ${task.detail}` : ''}`,
    });
  };

  /** Re-reads the certificate after a task ended, so the inventory shows what is deployed now. */
  const afterEnd = async (task: TaskRecord, account: AccountRecord, client: ProviderClient): Promise<void> => {
    await auditEnd(task);
    try {
      await inventory.refreshOne(account, client, task.certificate);
    } catch (err) {
      deps.onWarning?.(`Could not re-read certificate "${task.certificateName}" after task ${task.id}: ${failure(err)}`);
    }
  };

  /** Applies a provider task's state to our record. */
  const apply = (task: TaskRecord, remote: ProviderTask): TaskRecord => {
    const status = remote.status;
    const final = FINAL.has(status);
    const failedEnvs = (remote.environmentResults ?? []).filter((r) => !r.success);
    const error: TaskError | null =
      status === 'failed'
        ? {
            code: 'PROVIDER_ERROR',
            message: remote.detail ?? (failedEnvs.length > 0 ? failedEnvs.map((r) => `${r.environment}: ${r.message ?? 'failed'}`).join('; ') : 'The provider reported the task as failed'),
          }
        : null;
    return save(task.id, {
      status,
      progress: progressOf(task, status),
      providerTaskId: task.providerTaskId ?? remote.id,
      detail: remote.detail ?? task.detail,
      finishedAt: final ? (remote.finishedAt ?? isoSeconds(now())) : null,
      error,
    });
  };

  /** Material of a local version, for providers that keep no versions (the key only if they take keys). */
  const materialOf = async (account: AccountRecord, client: ProviderClient, certificate: CachedCertificate, version: number): Promise<{ material: UploadedMaterial; keyId: string | null }> => {
    const record = store.get('versions').find((v) => v.account === account.id && v.certificate === certificate.id && v.version === version);
    if (record === undefined || record.leafPem === null) {
      throw new CertdeskError('NOT_FOUND', `Certdesk holds no version ${version} of "${certificate.name}"; choose one of the versions listed for the certificate.`, {
        account: account.name,
        certificate: certificate.name,
        version,
        reason: 'version-not-found',
      });
    }
    if (!client.capabilities.keyUpload) {
      return { material: { certificatePem: record.leafPem, ...(record.chainPem ? { chainPem: record.chainPem } : {}) }, keyId: null };
    }
    if (record.keyId === null) {
      throw new CertdeskError('KEY_NOT_FOUND', `Certdesk does not hold the private key of version ${version} of "${certificate.name}", which the provider needs with the certificate.`);
    }
    const key = await keys.getPrivateKey(record.keyId);
    return {
      material: {
        certificatePem: record.leafPem,
        ...(record.chainPem ? { chainPem: record.chainPem } : {}),
        privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      keyId: record.keyId,
    };
  };

  /** Moves a certificate's local records (versions, tasks, cache) to the id the provider gave it. */
  const rekey = (account: AccountRecord, from: string, to: string, taskId: string): TaskRecord => {
    store.update('versions', (all) => all.map((v) => (v.account === account.id && v.certificate === from ? { ...v, certificate: to } : v)));
    store.update('tasks', (all) => all.map((t) => (t.account === account.id && t.certificate === from ? { ...t, certificate: to } : t)));
    const cached = store.get('inventory').find((e) => e.account === account.id)?.certificates.find((c) => c.id === from);
    inventory.forget(account, from);
    if (cached !== undefined) inventory.remember(account, { ...cached, id: to });
    return get(taskId);
  };

  const running = (accountId: string, certificateId: string, env?: string): TaskRecord[] =>
    store.get('tasks').filter((t) => t.account === accountId && t.certificate === certificateId && (env === undefined || t.env === env) && !FINAL.has(t.status));

  /** One read of an unfinished task; transient failures leave it as it was. */
  const refreshOnce = async (task: TaskRecord, account: AccountRecord, client: ProviderClient): Promise<TaskRecord> => {
    if (FINAL.has(task.status)) return task;
    if (task.providerTaskId === null) return reconcileUnstarted(task, account, client);
    let remote: ProviderTask;
    try {
      remote = await client.getTask(task.providerTaskId);
    } catch (err) {
      if (isCertdeskError(err) && err.code === 'PROVIDER_NOT_FOUND') {
        const ended = save(task.id, {
          status: 'failed',
          progress: 100,
          finishedAt: isoSeconds(now()),
          detail: `The provider no longer knows task ${task.providerTaskId}; look at the certificate to see what is deployed`,
          error: taskErrorOf(err),
        });
        await afterEnd(ended, account, client);
        return ended;
      }
      throw err;
    }
    const updated = apply(task, remote);
    if (FINAL.has(updated.status)) await afterEnd(updated, account, client);
    return updated;
  };

  /**
   * A task saved but never confirmed by the provider (the process stopped in between): adopt the
   * provider's matching task when there is one, otherwise mark it failed. Never starts it again.
   */
  const reconcileUnstarted = async (task: TaskRecord, account: AccountRecord, client: ProviderClient): Promise<TaskRecord> => {
    const since = Date.parse(task.submittedAt) - 5 * 60_000;
    let candidates: ProviderTask[] = [];
    if (client.capabilities.asyncTasks) {
      const adopted = new Set(store.get('tasks').map((t) => t.providerTaskId).filter((id): id is string => id !== null));
      const listed = await client.listTasks({ certificateId: task.certificate, env: task.env });
      for (const t of listed.filter((x) => !adopted.has(x.id) && (x.submittedAt === null || Date.parse(x.submittedAt) >= since)).slice(0, 5)) {
        const detail = t.actions.length > 0 ? t : await client.getTask(t.id);
        const a = detail.actions[0];
        if (detail.actions.length === 1 && a !== undefined && a.action === task.action && a.certificateId === task.certificate && (task.action === 'undeploy' || a.version === task.version)) {
          candidates.push(detail);
        }
      }
    }
    if (candidates.length > 1) candidates = candidates.sort((x, y) => (x.submittedAt ?? '').localeCompare(y.submittedAt ?? '')).slice(0, 1);
    const match = candidates[0];
    if (match !== undefined) {
      const updated = apply({ ...task, providerTaskId: match.id }, match);
      if (FINAL.has(updated.status)) await afterEnd(updated, account, client);
      return updated;
    }
    const ended = save(task.id, {
      status: 'failed',
      progress: 100,
      finishedAt: isoSeconds(now()),
      detail: 'Certdesk stopped before the provider confirmed this task, and the provider shows no such task; it did not run. Start it again if it is still wanted.',
      error: { code: 'INTERRUPTED', message: 'Interrupted before the provider confirmed the task' },
    });
    await auditEnd(ended);
    return ended;
  };

  const contextOf = async (task: TaskRecord): Promise<{ account: AccountRecord; client: ProviderClient }> => {
    const account = await accounts.get(task.account);
    return { account, client: await accounts.client(account) };
  };

  const follow = async (id: string, signal?: AbortSignal): Promise<TaskRecord> => {
    let task = get(id);
    if (FINAL.has(task.status)) return task;
    const { account, client } = await contextOf(task);
    const deadline = now().getTime() + poll.timeoutMs;
    let interval = poll.initialMs;
    let lastError: unknown;
    const aborted = (): boolean => signal?.aborted === true;
    for (;;) {
      if (aborted()) return get(id);
      await sleep(interval, signal).catch(() => undefined);
      if (aborted()) return get(id);
      try {
        task = await refreshOnce(get(id), account, client);
        lastError = undefined;
      } catch (err) {
        // A read that failed says nothing about the task: keep following it until the deadline.
        lastError = err;
        deps.onWarning?.(`Could not read task ${id} (${failure(err)}); trying again`);
      }
      if (FINAL.has(task.status)) return task;
      if (now().getTime() >= deadline) {
        if (lastError !== undefined) throw lastError;
        return get(id);
      }
      interval = Math.min(poll.maxMs, Math.round(interval * poll.factor));
    }
  };

  const start = async (request: DeploymentRequest): Promise<TaskRecord> => {
    const account = await accounts.get(request.account);
    const client = await accounts.client(account);
    const env = request.env.trim();
    const known = client.capabilities.environments;
    if (known.length > 0 && !known.includes(env)) {
      throw new CertdeskError('USAGE', `Account "${account.name}" has no environment "${env}"; use ${known.join(' or ')}.`);
    }
    if (request.action === 'deploy' && (request.version === undefined || !Number.isInteger(request.version) || request.version < 1)) {
      throw new CertdeskError('USAGE', 'Deploying needs the number of the version to deploy.');
    }
    let certificate = await inventory.find(account, request.certificate);
    // At most one task per certificate and environment; a stale record is re-read first.
    for (const t of running(account.id, certificate.id, env)) {
      const current = await refreshOnce(t, account, client).catch(() => t);
      if (!FINAL.has(current.status)) {
        throw new CertdeskError(
          'CONFLICT',
          `A ${current.action} of "${certificate.name}" ${current.action === 'deploy' ? `(version ${current.version ?? '?'}) to` : 'from'} ${env} is still running (task ${current.id}); wait for it to end before starting another (the task list shows how far it is).`,
          { task: current.id, reason: 'task-running' },
        );
      }
    }
    certificate = await inventory.refreshOne(account, client, certificate.id);
    let material: UploadedMaterial | undefined;
    let keyId: string | null = null;
    if (request.action === 'deploy') {
      const version = request.version as number;
      if (client.capabilities.versions) {
        if (certificate.latestVersion !== null && version > certificate.latestVersion) {
          throw new CertdeskError('USAGE', `"${certificate.name}" has no version ${version}; its latest is ${certificate.latestVersion}.`);
        }
      } else {
        ({ material, keyId } = await materialOf(account, client, certificate, version));
      }
    } else if (certificate.deployed[env] === undefined && certificate.deployedExpiresAt[env] === undefined) {
      throw new CertdeskError('USAGE', `"${certificate.name}" is not deployed in ${env}; there is nothing to undeploy.`);
    } else if (!client.capabilities.versions) {
      const current = certificate.deployed[env];
      if (current !== undefined) material = (await materialOf(account, client, certificate, current).catch(() => ({ material: undefined }))).material;
    }

    const stamp = isoSeconds(now());
    const task: TaskRecord = {
      id: `t_${randomBytes(8).toString('hex')}`,
      account: account.id,
      certificate: certificate.id,
      certificateName: certificate.name,
      env,
      action: request.action,
      version: request.action === 'deploy' ? (request.version as number) : (certificate.deployed[env] ?? null),
      status: 'waiting',
      progress: 0,
      providerTaskId: null,
      submittedAt: stamp,
      finishedAt: null,
      detail: null,
      error: null,
      updatedAt: stamp,
    };
    store.update('tasks', (all) => [...all, task]);
    emit(task);

    // `name` lets a provider create the certificate on first deploy (Gcore CDN); others ignore it.
    const input: StartDeploymentInput & { readonly name: string } = {
      certificateId: providerCertificateId(account, certificate.id),
      name: certificate.name,
      env,
      action: request.action,
      ...(request.action === 'deploy' ? { version: request.version as number } : {}),
      ...(material !== undefined ? { material } : {}),
    };
    try {
      if (!client.capabilities.asyncTasks && client.deploySlot !== undefined) {
        const remote = await client.deploySlot(input);
        // A slot created on this deploy (Gcore CDN) has a new provider id: the local records follow it.
        const remoteId = remote.actions.find((a) => a.certificateId !== '')?.certificateId;
        const current = remoteId !== undefined && remoteId !== certificate.id ? rekey(account, certificate.id, remoteId, task.id) : task;
        const ended = apply({ ...current, providerTaskId: remote.id }, remote);
        if (ended.status === 'succeeded' && keyId !== null && client.capabilities.keyUpload && request.action === 'deploy') {
          await keys.recordUpload(keyId, { provider: account.provider, account: account.name, certificate: certificate.name, version: request.version as number });
        }
        if (FINAL.has(ended.status)) await afterEnd(ended, account, client);
        return ended;
      }
      const providerTaskId = await client.startDeployment(input);
      if (keyId !== null && client.capabilities.keyUpload && request.action === 'deploy') {
        await keys.recordUpload(keyId, { provider: account.provider, account: account.name, certificate: certificate.name, version: request.version as number });
      }
      return save(task.id, { providerTaskId, progress: 5 });
    } catch (err) {
      const ended = save(task.id, {
        status: 'failed',
        progress: 100,
        finishedAt: isoSeconds(now()),
        detail: isCertdeskError(err) ? err.message : 'The provider call failed',
        error: taskErrorOf(err),
      });
      await auditEnd(ended);
      throw err;
    }
  };

  return {
    start,

    wait: (taskId, options = {}) => follow(taskId, options.signal),

    async refresh(taskId) {
      const task = get(taskId);
      if (FINAL.has(task.status)) return task;
      const { account, client } = await contextOf(task);
      return refreshOnce(task, account, client);
    },

    async resumeTasks(options = {}) {
      const open = store.get('tasks').filter((t) => !FINAL.has(t.status));
      return Promise.all(
        open.map(async (t) => {
          try {
            return await follow(t.id, options.signal);
          } catch (err) {
            deps.onWarning?.(`Could not resume task ${t.id}: ${failure(err)}`);
            return get(t.id);
          }
        }),
      );
    },

    async list(options = {}) {
      const account = options.account !== undefined ? await accounts.get(options.account) : undefined;
      return store
        .get('tasks')
        .filter((t) => account === undefined || t.account === account.id)
        .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || b.updatedAt.localeCompare(a.updatedAt));
    },

    get,

    async history(account, certificate, given) {
      const ours = store
        .get('tasks')
        .filter((t) => t.account === account.id && t.certificate === certificate.id);
      const views = ours.map(taskView);
      const client = given ?? (await accounts.client(account));
      if (client.capabilities.asyncTasks) {
        const known = new Set(ours.map((t) => t.providerTaskId).filter((id): id is string => id !== null));
        const remote = (await client.listTasks({ certificateId: certificate.id })).filter((t) => !known.has(t.id));
        for (const [i, t] of remote.entries()) {
          // The list omits the actions; read the details of the most recent ones.
          const detail = t.actions.length === 0 && i < HISTORY_DETAILS ? await client.getTask(t.id).catch(() => t) : t;
          const a = detail.actions.find((x) => x.certificateId === certificate.id) ?? detail.actions[0];
          views.push({
            id: t.id,
            certificate: certificate.name,
            version: a?.version ?? null,
            env: detail.env ?? t.env ?? '',
            action: a?.action ?? 'deploy',
            status: detail.status,
            submittedAt: detail.submittedAt ?? t.submittedAt ?? '',
            finishedAt: detail.finishedAt,
            detail: detail.detail,
          });
        }
      }
      return views.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
    },

    async deleteCertificate(accountRef, certificateRef) {
      const account = await accounts.get(accountRef);
      const target = `${account.name}/${certificateRef}`;
      try {
        const client = await accounts.client(account);
        const found = await inventory.find(account, certificateRef);
        const busy = running(account.id, found.id);
        for (const t of busy) {
          const current = await refreshOnce(t, account, client).catch(() => t);
          if (!FINAL.has(current.status)) {
            throw new CertdeskError('CONFLICT', `Certificate "${found.name}" has a ${current.action} to ${current.env} still running (task ${current.id}); wait for it to end before deleting the certificate.`, {
              task: current.id,
              reason: 'task-running',
            });
          }
        }
        const certificate = await inventory.refreshOne(account, client, found.id);
        const deployedEnvs = [...new Set([...Object.keys(certificate.deployed), ...Object.keys(certificate.deployedExpiresAt)])].sort();
        if (deployedEnvs.length > 0) {
          // The CLI adds its undeploy commands from the details (main/cli/hints.ts).
          throw new CertdeskError(
            'CONFLICT',
            `Certificate "${certificate.name}" is still deployed in ${describeDeployed(certificate.deployed, deployedEnvs)}; a certificate can only be deleted once it is undeployed from every environment.`,
            { account: account.name, certificate: certificate.name, environments: deployedEnvs },
          );
        }
        try {
          await client.deleteCertificate(certificate.id);
        } catch (err) {
          // Versionless providers drop a certificate undeployed everywhere; only the local history is left.
          if (!(isCertdeskError(err) && err.code === 'PROVIDER_NOT_FOUND' && !client.capabilities.versions)) throw err;
        }
        inventory.forget(account, certificate.id);
        store.update('versions', (all) => all.filter((v) => !(v.account === account.id && v.certificate === certificate.id)));
        await log({ action: 'certificate.delete', target: `${account.name}/${certificate.name}`, outcome: 'success', detail: `id ${certificate.id}` });
        return certificate;
      } catch (err) {
        await log({ action: 'certificate.delete', target, outcome: 'failure', detail: failure(err) });
        throw err;
      }
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
