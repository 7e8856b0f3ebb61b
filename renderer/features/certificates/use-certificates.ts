/** Certificates, versions and deployments from main, through TanStack Query; events keep them fresh. */
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type {
  CertificateCsr,
  CertificateDetail,
  CertificateInventory,
  DeploymentDiff,
  TaskSummary,
  VersionCreated,
  VersionMaterialInput,
} from '../../../shared/api.js';

/** Query key of the inventory. */
export const INVENTORY_KEY = ['inventory'] as const;
/** Query key prefix of certificate details. */
export const CERTIFICATE_KEY = ['certificate'] as const;
/** Query key of the task list. */
export const TASKS_KEY = ['tasks'] as const;
/** Query key of the expiry overview. */
export const EXPIRY_KEY = ['expiry'] as const;

/** A certificate of an account. */
export interface CertificateTarget {
  readonly account: string;
  readonly certificate: string;
}

/** Marks everything that shows certificates as out of date. */
export function invalidateInventory(client: QueryClient): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: INVENTORY_KEY }),
    client.invalidateQueries({ queryKey: CERTIFICATE_KEY }),
    client.invalidateQueries({ queryKey: EXPIRY_KEY }),
  ]);
}

/** Puts a task's latest state into the task list (newest first) without asking main again. */
export function mergeTask(client: QueryClient, task: TaskSummary): void {
  client.setQueryData<TaskSummary[]>(TASKS_KEY, (tasks) => {
    if (tasks === undefined) return tasks;
    const at = tasks.findIndex((t) => t.id === task.id);
    if (at < 0) return [task, ...tasks];
    const next = [...tasks];
    next[at] = task;
    return next;
  });
  client.setQueryData<CertificateDetail>([...CERTIFICATE_KEY, task.account, task.certificate], (detail) => {
    if (detail === undefined) return detail;
    const running = detail.running.filter((t) => t.id !== task.id);
    return { ...detail, running: task.status === 'succeeded' || task.status === 'failed' ? running : [task, ...running] };
  });
}

/**
 * Follows main's events while mounted: task progress goes straight into the cache, a finished
 * task or an inventory change refreshes what shows certificates. Unsubscribes on unmount.
 */
export function useLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(() => {
    const events = window.certdesk.events;
    const stops = [
      events.onTaskProgress(({ task }) => mergeTask(client, task)),
      events.onTaskFinished(({ task }) => {
        mergeTask(client, task);
        void invalidateInventory(client);
      }),
      events.onInventoryChanged(() => void invalidateInventory(client)),
    ];
    return () => stops.forEach((stop) => stop());
  }, [client]);
}

/** Every certificate of every account (main reads providers again when its copy is old). */
export function useInventory(): UseQueryResult<CertificateInventory> {
  return useQuery({ queryKey: INVENTORY_KEY, queryFn: () => window.certdesk.certificates.list() });
}

/** Reads every account's certificates from the providers now. */
export function useRefreshInventory(): UseMutationResult<CertificateInventory, Error, void> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => window.certdesk.certificates.list({ refresh: true }),
    onSuccess: (inventory) => {
      client.setQueryData(INVENTORY_KEY, inventory);
      return client.invalidateQueries({ queryKey: EXPIRY_KEY });
    },
  });
}

/** One certificate with its versions and history. */
export function useCertificate(target: CertificateTarget | null): UseQueryResult<CertificateDetail> {
  return useQuery({
    queryKey: [...CERTIFICATE_KEY, target?.account, target?.certificate],
    queryFn: () => window.certdesk.certificates.show(target as CertificateTarget),
    enabled: target !== null,
  });
}

/** Creates a certificate with its first version. */
export function useCreateCertificate(): UseMutationResult<VersionCreated, Error, { account: string; name: string; material: VersionMaterialInput; comment?: string }> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { account: string; name: string; material: VersionMaterialInput; comment?: string }) => window.certdesk.certificates.create(input),
    onSuccess: () => invalidateInventory(client),
  });
}

/** Adds a version. */
export function useAddVersion(): UseMutationResult<VersionCreated, Error, CertificateTarget & { material: VersionMaterialInput; comment?: string }> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CertificateTarget & { material: VersionMaterialInput; comment?: string }) => window.certdesk.versions.add(input),
    onSuccess: () => invalidateInventory(client),
  });
}

/** The CSR of the latest version. */
export function useCertificateCsr(): UseMutationResult<CertificateCsr, Error, CertificateTarget> {
  return useMutation({ mutationFn: (target: CertificateTarget) => window.certdesk.versions.csr(target) });
}

/** Deletes a certificate deployed nowhere. */
export function useDeleteCertificate(): UseMutationResult<void, Error, CertificateTarget> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (target: CertificateTarget) => window.certdesk.certificates.delete(target),
    onSuccess: () => invalidateInventory(client),
  });
}

/** What the user asked for in an environment. */
export type DeploymentRequest =
  | (CertificateTarget & { readonly kind: 'deploy' | 'rollback'; readonly env: string; readonly version: number })
  | (CertificateTarget & { readonly kind: 'undeploy'; readonly env: string })
  | (CertificateTarget & { readonly kind: 'promote' });

/** Starts a deployment (deploy, roll back, undeploy, promote); main follows it and sends progress. */
export function useStartDeployment(): UseMutationResult<TaskSummary, Error, DeploymentRequest> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (r: DeploymentRequest) => {
      const target = { account: r.account, certificate: r.certificate };
      switch (r.kind) {
        case 'deploy':
          return window.certdesk.deployments.start({ ...target, env: r.env, action: 'deploy', version: r.version });
        case 'rollback':
          return window.certdesk.deployments.rollback({ ...target, env: r.env, version: r.version });
        case 'undeploy':
          return window.certdesk.deployments.start({ ...target, env: r.env, action: 'undeploy' });
        case 'promote':
          return window.certdesk.deployments.promote(target);
      }
    },
    onSuccess: (task) => mergeTask(client, task),
    // A refused start may still have been recorded (as a failed task): show it.
    onError: () => Promise.all([client.invalidateQueries({ queryKey: TASKS_KEY }), client.invalidateQueries({ queryKey: CERTIFICATE_KEY })]),
  });
}

/** What deploying `version` to `env` would change, while `enabled`. */
export function useDeploymentDiff(target: CertificateTarget, env: string, version: number | null): UseQueryResult<DeploymentDiff> {
  return useQuery({
    queryKey: ['diff', target.account, target.certificate, env, version],
    queryFn: () => window.certdesk.deployments.diff({ ...target, env, version: version as number }),
    enabled: version !== null,
    staleTime: 0,
  });
}
