/** Tasks in words: what a task does, what it waits on, how long it has run. */
import type { TaskSummary } from '../../../shared/api.js';

/** "Deploy version 4 to production", "Undeploy version 2 from staging". */
export function taskTitle(t: Pick<TaskSummary, 'action' | 'version' | 'env'>): string {
  return t.action === 'deploy' ? `Deploy version ${t.version ?? '?'} to ${t.env}` : `Undeploy${t.version !== null ? ` version ${t.version}` : ''} from ${t.env}`;
}

/** True while the provider works on it. */
export function isRunning(t: Pick<TaskSummary, 'status'>): boolean {
  return t.status === 'waiting' || t.status === 'inprogress';
}

/** What a running task is waiting on, in plain words. */
export function waitingOn(t: TaskSummary): string {
  if (t.status === 'succeeded') return 'Done';
  if (t.status === 'failed') return 'Failed';
  if (t.providerTaskId === null) return 'Sending the request to the provider';
  if (t.status === 'waiting') return `Queued at the provider (task ${t.providerTaskId})`;
  return t.detail ?? `The provider is rolling it out to its servers (task ${t.providerTaskId})`;
}

/** "42 s", "3 min 5 s", "1 h 2 min" between two times (or until now while running). */
export function elapsedText(fromIso: string, toIso: string | null, now: number): string {
  const from = Date.parse(fromIso);
  const to = toIso !== null ? Date.parse(toIso) : now;
  if (Number.isNaN(from) || Number.isNaN(to)) return '—';
  const s = Math.max(0, Math.round((to - from) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The provider's facts about a failure: HTTP status, its code, its request id. */
export function failureFacts(t: TaskSummary): string[] {
  const e = t.error;
  if (e === null) return [];
  return [
    e.httpStatus !== undefined ? `HTTP ${e.httpStatus}` : null,
    e.providerCode ?? null,
    e.requestId !== undefined ? `request id ${e.requestId}` : null,
    t.providerTaskId !== null ? `provider task ${t.providerTaskId}` : null,
  ].filter((x): x is string => x !== null);
}
