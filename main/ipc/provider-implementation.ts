/**
 * The provider half of the API: accounts, certificates across accounts, versions, deployments,
 * tasks and the expiry overview, over the container's services. Arguments arrive parsed by their
 * schemas (handlers.ts); results are plain data built by certificate-views.ts, never a secret.
 *
 * Deployments started here are followed in the background (container.tasks), so the window gets
 * `taskProgress` / `taskFinished` events until each ends; changes to what exists publish
 * `inventoryChanged`.
 */
import type { ApiImplementation, CertificateRow, HistoryEntry, SaveResult, TaskSummary, VersionCreated, VersionMaterialInput } from '../../shared/api.js';
import { CertdeskError, isCertdeskError } from '../../shared/errors.js';
import type { DialogAdapter } from '../adapters/dialog-adapter.js';
import type { AccountRecord, CachedCertificate, TaskRecord } from '../store/schema.js';
import {
  accountSummary,
  certificateRow,
  deploymentDiff,
  environmentsOf,
  expiryOverview,
  groupVersions,
  historyEntry,
  taskSummary,
  versionInfo,
} from '../services/certificate-views.js';
import type { Container } from '../services/container.js';
import { requestSans } from '../services/csr-service.js';
import { exportKey } from '../services/key-export.js';
import { carryOver, uploadFromFiles } from '../services/upload-material.js';
import type { VersionMaterial, VersionResult } from '../services/version-service.js';
import { writeFileAtomic } from '../vault/atomic-file.js';

/** The namespaces this module implements. */
export type ProviderApi = Pick<ApiImplementation, 'accounts' | 'certificates' | 'versions' | 'deployments' | 'tasks' | 'expiry'>;

/** An account's certificates are read again from the provider when the cache is older than this. */
const STALE_MS = 60_000;

const FINAL = new Set<TaskRecord['status']>(['succeeded', 'failed']);

/** Adds what to do when the Sandbox account's sandbox is not running. */
export function withSandboxHint(account: AccountRecord, err: unknown): unknown {
  if (!account.isSandbox || !isCertdeskError(err) || err.details.transport !== 'network') return err;
  return new CertdeskError(
    err.code,
    `${err.message}. "${account.name}" is the embedded CDN Pro sandbox at ${account.endpoint}, and it is not running: start it with \`certdesk sandbox\` in a terminal, then refresh.`,
    err.details,
    { cause: err },
  );
}

/**
 * History newest first. Times have one-second resolution, so tasks of the same second are ordered
 * by when Certdesk recorded them (the store keeps tasks in submission order).
 */
export function newestFirst(history: readonly HistoryEntry[], recorded: readonly TaskRecord[]): HistoryEntry[] {
  const position = new Map<string, number>();
  recorded.forEach((t, i) => {
    position.set(t.id, i);
    if (t.providerTaskId !== null) position.set(t.providerTaskId, i);
  });
  return [...history].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || (position.get(b.id) ?? -1) - (position.get(a.id) ?? -1));
}

function describeEnvs(certificate: CachedCertificate, envs: readonly string[]): string {
  const parts = envs.map((env) => (certificate.deployed[env] !== undefined ? `${env} (version ${certificate.deployed[env]})` : env));
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/** The provider namespaces over the container. */
export function createProviderImplementation(deps: { readonly container: Container; readonly dialogs: DialogAdapter }): ProviderApi & { exportKey: ApiImplementation['keys']['export'] } {
  const { container: c, dialogs } = deps;

  const windowDays = async (): Promise<number> => (await c.settings.get()).expiryThresholdDays;
  const accountName = (id: string): string => c.store.get('accounts').find((a) => a.id === id)?.name ?? id;
  const summary = (task: TaskRecord): TaskSummary => taskSummary(task, accountName(task.account));
  const storedVersions = (account: AccountRecord, certificateId: string) => c.store.get('versions').filter((v) => v.account === account.id && v.certificate === certificateId);

  const rowOf = async (account: AccountRecord, certificate: CachedCertificate): Promise<CertificateRow> =>
    certificateRow({ account, certificate, versions: storedVersions(account, certificate.id), now: c.now(), windowDays: await windowDays() });

  const deployedIn = (certificate: CachedCertificate, version: number): string[] =>
    Object.entries(certificate.deployed)
      .filter(([, n]) => n === version)
      .map(([env]) => env);

  /** Runs `fn` with the account and its client; a network failure of the Sandbox says how to start it. */
  const withAccount = async <T>(ref: string, fn: (account: AccountRecord) => Promise<T>): Promise<T> => {
    const account = await c.accounts.get(ref);
    try {
      return await fn(account);
    } catch (err) {
      throw withSandboxHint(account, err);
    }
  };

  /** Every account's certificates; an account is read again when asked or when its cache is old. */
  const inventory = async (refresh: boolean) => {
    c.tasks.resumeOnce();
    const accounts = await c.accounts.list();
    const now = c.now();
    // One read of the store for everything cached (each read parses the whole file).
    const snapshot = c.store.read();
    const parts = await Promise.all(
      accounts.map(async (account) => {
        const entry = snapshot.inventory.find((e) => e.account === account.id);
        // A task that ended since the last full read changed what is deployed (its own re-read may still be on the way).
        const changed = entry !== undefined && snapshot.tasks.some((t) => t.account === account.id && t.finishedAt !== null && t.finishedAt >= entry.refreshedAt);
        const stale = refresh || entry === undefined || changed || now.getTime() - Date.parse(entry.refreshedAt) > STALE_MS;
        if (!stale) return { account, certificates: entry.certificates, refreshedAt: entry.refreshedAt, error: null };
        const [result] = await c.inventory.list({ account: account.id, refresh: true });
        const error = result?.error ? (withSandboxHint(account, result.error) as CertdeskError) : null;
        return { account, certificates: result?.certificates ?? [], refreshedAt: result?.refreshedAt ?? null, error };
      }),
    );
    const days = await windowDays();
    // Refreshing reads certificates, never versions: the snapshot's versions are current.
    const grouped = groupVersions(snapshot.versions);
    const rows = parts.flatMap((p) =>
      p.certificates.map((certificate) => certificateRow({ account: p.account, certificate, versions: grouped.get(`${p.account.id}/${certificate.id}`) ?? [], now, windowDays: days })),
    );
    return {
      rows,
      days,
      now,
      accounts: parts.map((p) => ({
        accountId: p.account.id,
        account: p.account.name,
        isSandbox: p.account.isSandbox,
        refreshedAt: p.refreshedAt,
        error: p.error === null ? null : { code: p.error.code, message: p.error.message },
      })),
    };
  };

  /** The service material for what the renderer sent; `none` when no key came with (or was found for) the certificate. */
  const materialOf = async (
    input: VersionMaterialInput,
    latestSpki: () => Promise<string | null> = async () => null,
  ): Promise<{ material: VersionMaterial; keyFound: 'file' | 'vault' | 'none' | 'generated' }> => {
    if (input.kind === 'self-signed') {
      return {
        material: {
          kind: 'self-signed',
          commonName: input.commonName.trim(),
          sans: requestSans(input.commonName, input.sans),
          keyType: input.keyType,
          ...(input.days !== undefined ? { days: input.days } : {}),
        },
        keyFound: 'generated',
      };
    }
    let upload = await uploadFromFiles(input.files, c.keys, c.anchors);
    if (upload.keyFound === 'vault') upload = carryOver(upload, await latestSpki());
    return { material: upload.material, keyFound: upload.keyFound };
  };

  const created = async (result: VersionResult, keyCarriedOver: boolean): Promise<VersionCreated> => {
    c.events.emit('inventoryChanged', { account: result.account.id });
    return {
      certificate: await rowOf(result.account, result.certificate),
      version: versionInfo(result.version, deployedIn(result.certificate, result.version.version), c.now(), await windowDays(), c.anchors),
      warnings: result.warnings,
      keyCarriedOver,
    };
  };

  const started = (task: TaskRecord): TaskSummary => {
    if (!FINAL.has(task.status)) c.tasks.follow(task.id);
    return summary(task);
  };

  /** The certificate as the provider has it now. */
  const current = async (account: AccountRecord, ref: string): Promise<CachedCertificate> => {
    const client = await c.accounts.client(account);
    const found = await c.inventory.find(account, ref);
    return c.inventory.refreshOne(account, client, found.id);
  };

  const checkEnv = (account: AccountRecord, env: string): void => {
    const envs = environmentsOf(account);
    if (envs.length > 0 && !envs.includes(env)) throw new CertdeskError('USAGE', `Account "${account.name}" has no environment "${env}"; use ${envs.join(' or ')}.`);
  };

  return {
    accounts: {
      list: async () => (await c.accounts.list()).map(accountSummary),
      add: async (input) => {
        const account = await c.accounts.add({
          provider: input.provider,
          name: input.name,
          endpoint: input.endpoint,
          secret: input.secret,
          ...(input.user !== undefined && input.user.trim() !== '' ? { user: input.user } : {}),
          ...(input.project !== undefined && input.project.trim() !== '' ? { project: input.project } : {}),
          ...(input.customerId !== undefined && input.customerId.trim() !== '' ? { customerId: input.customerId } : {}),
          ...(input.environments !== undefined && input.environments.length > 0 ? { environments: input.environments } : {}),
          ...(input.mode !== undefined ? { mode: input.mode } : {}),
        });
        c.events.emit('inventoryChanged', { account: account.id });
        return accountSummary(account);
      },
      test: async ({ account: ref }) =>
        withAccount(ref, async (account) => {
          const check = await c.accounts.test(account.id);
          return { account: account.name, message: check.message, certificateCount: check.certificateCount };
        }),
      remove: async ({ account: ref }) => {
        const account = await c.accounts.remove(ref);
        c.events.emit('inventoryChanged', { account: account.id });
      },
    },

    certificates: {
      list: async (options) => {
        const { rows, days, accounts } = await inventory(options?.refresh === true);
        return { certificates: rows, accounts, thresholdDays: days };
      },
      show: async ({ account: ref, certificate: certRef }) =>
        withAccount(ref, async (account) => {
          const client = await c.accounts.client(account);
          const found = await c.inventory.find(account, certRef);
          const certificate = await c.inventory.refreshOne(account, client, found.id);
          const views = await c.versions.list(account, certificate, client);
          const history = await c.deployments.history(account, certificate, client);
          const now = c.now();
          const days = await windowDays();
          const versions = views.flatMap((v) => {
            const record = c.versions.get(account.id, certificate.id, v.version);
            return record === undefined ? [] : [versionInfo(record, v.deployedIn, now, days, c.anchors)];
          });
          const running = c.store.get('tasks').filter((t) => t.account === account.id && t.certificate === certificate.id && !FINAL.has(t.status));
          const row = await rowOf(account, certificate);
          const deployedEnvs = row.environments.filter((e) => e.deployed).map((e) => e.env);
          const deleteBlocked =
            row.readOnly ??
            (running.length > 0
              ? `A ${running[0]?.action ?? 'deployment'} ${running[0]?.action === 'undeploy' ? 'from' : 'to'} ${running[0]?.env ?? ''} is still running; wait for it to end.`
              : deployedEnvs.length > 0
                ? `Still deployed in ${describeEnvs(certificate, deployedEnvs)}. Undeploy it from every environment first: a certificate can only be deleted once nothing serves it.`
                : null);
          return {
            certificate: row,
            abilities: {
              versions: client.capabilities.versions,
              asyncTasks: client.capabilities.asyncTasks,
              keyUpload: client.capabilities.keyUpload,
              serverSideCsr: client.capabilities.serverSideCsr,
            },
            versions,
            history: newestFirst(history.map(historyEntry), c.store.get('tasks')),
            running: running.map(summary),
            deleteBlocked,
          };
        }),
      create: async ({ account: ref, name, material, comment }) =>
        withAccount(ref, async (account) => {
          const { material: m, keyFound } = await materialOf(material);
          if (keyFound === 'none') {
            const client = await c.accounts.client(account);
            if (client.capabilities.keyUpload) {
              throw new CertdeskError(
                'KEY_NOT_FOUND',
                `No private key belongs to the certificate you dropped, and ${account.name} needs it with a new certificate. Drop the key file too, or import the key into the vault first.`,
              );
            }
          }
          const result = await c.versions.createCertificate(account.id, name, m, comment !== undefined && comment.trim() !== '' ? { comment: comment.trim() } : {});
          return created(result, false);
        }),
      delete: async ({ account: ref, certificate }) =>
        withAccount(ref, async (account) => {
          await c.deployments.deleteCertificate(account.id, certificate);
          c.events.emit('inventoryChanged', { account: account.id });
        }),
    },

    versions: {
      add: async ({ account: ref, certificate: certRef, material, comment }) =>
        withAccount(ref, async (account) => {
          // A certificate for the latest version's key (its CSR answered by the CA) keeps that key.
          const latestSpki = async (): Promise<string | null> => {
            const certificate = await c.inventory.find(account, certRef);
            const latest = storedVersions(account, certificate.id).sort((a, b) => b.version - a.version)[0];
            return latest?.spkiSha256 ?? null;
          };
          const { material: m, keyFound } = await materialOf(material, latestSpki);
          const result = await c.versions.addVersion(account.id, certRef, m, comment !== undefined && comment.trim() !== '' ? { comment: comment.trim() } : {});
          return created(result, keyFound === 'none');
        }),
      csr: async ({ account: ref, certificate }) =>
        withAccount(ref, async (account) => {
          const result = await c.versions.csr(account.id, certificate);
          return { certificate: result.certificate.name, version: result.version, csrPem: result.csrPem };
        }),
      rekeyTemplate: async ({ account: ref, certificate }) => withAccount(ref, async (account) => c.versions.rekeyTemplate(account.id, certificate)),
    },

    deployments: {
      start: async ({ account: ref, certificate, env, action, version }) =>
        withAccount(ref, async (account) => {
          checkEnv(account, env);
          return started(await c.deployments.start({ account: account.id, certificate, env, action, ...(version !== undefined ? { version } : {}) }));
        }),
      promote: async ({ account: ref, certificate: certRef }) =>
        withAccount(ref, async (account) => {
          checkEnv(account, 'staging');
          checkEnv(account, 'production');
          const certificate = await current(account, certRef);
          const staging = certificate.deployed.staging;
          if (staging === undefined) throw new CertdeskError('USAGE', `Nothing is deployed in staging for "${certificate.name}", so there is nothing to promote; deploy a version to staging first.`);
          if (certificate.deployed.production === staging) throw new CertdeskError('CONFLICT', `Version ${staging} of "${certificate.name}" is already in production.`);
          return started(await c.deployments.start({ account: account.id, certificate: certificate.id, env: 'production', action: 'deploy', version: staging }));
        }),
      rollback: async ({ account: ref, certificate: certRef, env, version }) =>
        withAccount(ref, async (account) => {
          checkEnv(account, env);
          const certificate = await current(account, certRef);
          const now = certificate.deployed[env];
          if (now === undefined) throw new CertdeskError('USAGE', `Nothing is deployed in ${env} for "${certificate.name}"; deploy a version instead of rolling back.`);
          if (version >= now) throw new CertdeskError('USAGE', `Version ${version} is not earlier than version ${now} in ${env}; rolling back deploys an earlier version.`);
          return started(await c.deployments.start({ account: account.id, certificate: certificate.id, env, action: 'deploy', version }));
        }),
      diff: async ({ account: ref, certificate: certRef, env, version }) =>
        withAccount(ref, async (account) => {
          checkEnv(account, env);
          const client = await c.accounts.client(account);
          const found = await c.inventory.find(account, certRef);
          const certificate = await c.inventory.refreshOne(account, client, found.id);
          // Reading the versions caches each one's details (SANs, key, validity) for the comparison.
          await c.versions.list(account, certificate, client);
          const to = c.versions.get(account.id, certificate.id, version);
          if (to === undefined) throw new CertdeskError('NOT_FOUND', `"${certificate.name}" has no version ${version}.`);
          const fromNumber = certificate.deployed[env];
          const from = fromNumber !== undefined ? c.versions.get(account.id, certificate.id, fromNumber) : undefined;
          const now = c.now();
          const days = await windowDays();
          return deploymentDiff(
            certificate.name,
            env,
            versionInfo(to, deployedIn(certificate, to.version), now, days, c.anchors),
            from === undefined ? null : versionInfo(from, deployedIn(certificate, from.version), now, days, c.anchors),
            now,
          );
        }),
    },

    tasks: {
      list: async () => {
        c.tasks.resumeOnce();
        // Newest first; tasks of the same second in the order they were recorded (newest first too).
        const recorded = c.store.get('tasks');
        const position = new Map(recorded.map((t, i) => [t.id, i]));
        return [...recorded]
          .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || (position.get(b.id) ?? 0) - (position.get(a.id) ?? 0))
          .map(summary);
      },
      get: async ({ id }) => {
        const task = c.deployments.get(id);
        return summary(FINAL.has(task.status) ? task : await c.deployments.refresh(id).catch(() => c.deployments.get(id)));
      },
      retry: async ({ id }) => {
        const task = c.deployments.get(id);
        if (task.status !== 'failed') throw new CertdeskError('CONFLICT', `Task ${task.id} ${task.status === 'succeeded' ? 'succeeded' : 'is still running'}; only a failed task can be retried.`);
        return withAccount(task.account, async (account) =>
          started(
            await c.deployments.start({
              account: account.id,
              certificate: task.certificate,
              env: task.env,
              action: task.action,
              ...(task.action === 'deploy' && task.version !== null ? { version: task.version } : {}),
            }),
          ),
        );
      },
    },

    expiry: {
      overview: async () => {
        const { rows, days, now } = await inventory(false);
        return expiryOverview(rows, now, days);
      },
    },

    exportKey: async ({ id, format, password, legacy }): Promise<SaveResult> => {
      const out = await exportKey(c.keys, c.store.get('versions'), { id, format, password, ...(legacy !== undefined ? { legacy } : {}) });
      const path = await dialogs.chooseSavePath({
        title: `Export ${out.defaultName}`,
        defaultName: out.defaultName,
        filters: [format === 'pkcs12' ? { name: 'PKCS#12 file', extensions: ['p12', 'pfx'] } : { name: 'Encrypted private key (PEM)', extensions: ['pem', 'key'] }, { name: 'All files', extensions: ['*'] }],
      });
      if (path === null) return { saved: false };
      try {
        await writeFileAtomic(path, out.bytes, 0o600);
      } catch (err) {
        throw new CertdeskError('FILE_WRITE_FAILED', `Could not write ${path}: ${(err as Error).message}`, { file: path });
      }
      await c.keys.recordExport(id, format, path);
      return { saved: true, path };
    },
  };
}
