/**
 * When Certdesk shows a desktop notification, and what it says. Plain Node with an injected clock;
 * `notifications.ts` only shows what this decides.
 *
 * - A deployment task that ends (succeeded or failed) is announced once per task.
 * - A certificate needing attention is announced at most once per certificate and state in any
 *   24 hours ("expiring" uses the user's threshold; "expired" is its own state, so crossing
 *   the date is announced even if "expiring" was announced that day). The last times are kept
 *   in `notifications.json` in the data directory, so restarting the app does not repeat them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExpiryAlert, TaskSummary } from '../../shared/api.js';
import { writeFileAtomic } from '../vault/atomic-file.js';

/** What a notification says. */
export interface Notice {
  readonly kind: 'task-succeeded' | 'task-failed' | 'attention';
  readonly title: string;
  readonly body: string;
  /** A failure or an expired certificate: shown with more urgency where the OS supports it. */
  readonly urgent: boolean;
}

/** A task as notifications need it: a TaskSummary, or the store's TaskRecord (the account's name is then looked up). */
export type FinishedTask = Pick<TaskSummary, 'id' | 'account' | 'certificateName' | 'env' | 'action' | 'version' | 'status' | 'error'> & {
  readonly accountName?: string;
};

/** An alert as notifications need it; `accountId`, when given, keys the de-duplication (names can change). */
export type AttentionAlert = ExpiryAlert & { readonly accountId?: string };

/** The states a certificate is announced for. */
export type AttentionState = 'expired' | 'expiring' | 'renewed-not-deployed' | 'staging-differs' | 'not-owner';

/** States announced by default: the ones a person can act on today. Staging≠production is a normal step of a rollout, and not-owner cannot change. */
export const NOTIFIED_STATES: ReadonlySet<AttentionState> = new Set(['expired', 'expiring', 'renewed-not-deployed']);

/** At most one notification per certificate and state in this long. */
export const ATTENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** The file keeping when each certificate and state was last announced. */
export const NOTIFICATIONS_FILE = 'notifications.json';

const MAX_BODY = 240;

function clip(text: string, max = MAX_BODY): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

function where(task: FinishedTask, accountName: string | undefined): string {
  return `${task.env}${accountName !== undefined ? ` on ${accountName}` : ''}`;
}

/** The notification for a task that ended, or null while it runs; `accountName` defaults to the task's. */
export function taskFinishedNotice(task: FinishedTask, accountName: string | undefined = task.accountName): Notice | null {
  const name = task.certificateName;
  const version = task.version !== null ? `version ${task.version}` : 'the certificate';
  if (task.status === 'succeeded') {
    return task.action === 'deploy'
      ? { kind: 'task-succeeded', title: `Deployed ${name}`, body: clip(`${capitalise(version)} of ${name} is live in ${where(task, accountName)}.`), urgent: false }
      : { kind: 'task-succeeded', title: `Undeployed ${name}`, body: clip(`${name} was removed from ${where(task, accountName)}.`), urgent: false };
  }
  if (task.status === 'failed') {
    const err = task.error;
    const ids = err ? [err.providerCode !== undefined ? `provider code ${err.providerCode}` : null, err.requestId !== undefined ? `request id ${err.requestId}` : null].filter((s) => s !== null) : [];
    const reason = err ? `${err.message}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}` : 'The provider gave no reason.';
    const what = task.action === 'deploy' ? `Deploying ${version} to ${where(task, accountName)}` : `Undeploying from ${where(task, accountName)}`;
    return { kind: 'task-failed', title: `${task.action === 'deploy' ? 'Deployment' : 'Undeploy'} of ${name} failed`, body: clip(`${what} failed: ${reason}`), urgent: true };
  }
  return null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/**
 * The states of an alert worth announcing, judged with the user's threshold.
 *
 * When the alert knows the days left, they decide `expiring` (fewer whole days left than the
 * threshold) and `expired` (below zero), whatever window produced the alert; otherwise its own
 * `expiring` state counts.
 */
export function attentionStates(alert: AttentionAlert, thresholdDays: number, notified: ReadonlySet<AttentionState> = NOTIFIED_STATES): AttentionState[] {
  const out: AttentionState[] = [];
  const left = alert.daysLeft;
  if (left !== null) {
    if (left < 0) out.push('expired');
    else if (left < thresholdDays) out.push('expiring');
  } else if (alert.states.includes('expiring')) {
    out.push('expiring');
  }
  for (const state of alert.states) if (state !== 'expiring') out.push(state);
  return out.filter((s) => notified.has(s));
}

/** The notification for one state of a certificate. */
export function attentionNotice(alert: AttentionAlert, state: AttentionState): Notice {
  const name = alert.certificateName;
  const on = alert.account !== '' ? ` (${alert.account})` : '';
  const left = alert.daysLeft;
  switch (state) {
    case 'expired':
      return { kind: 'attention', title: `${name} has expired`, body: clip(`${name}${on} expired${left !== null ? ` ${days(-left)} ago` : ''}. Deploy a renewed version now.`), urgent: true };
    case 'expiring':
      return {
        kind: 'attention',
        title: `${name} expires ${left === 0 ? 'today' : left !== null ? `in ${days(left)}` : 'soon'}`,
        body: clip(`${name}${on} needs a renewed version deployed before it expires.`),
        urgent: false,
      };
    case 'renewed-not-deployed':
      return { kind: 'attention', title: `${name} is renewed but not deployed`, body: clip(`A newer version of ${name}${on} is not in production yet.`), urgent: false };
    case 'staging-differs':
      return { kind: 'attention', title: `${name}: staging differs from production`, body: clip(`Staging and production hold different versions of ${name}${on}.`), urgent: false };
    case 'not-owner':
      return { kind: 'attention', title: `${name} belongs to another customer`, body: clip(`${name}${on} is shared with this account; only its owner can renew it.`), urgent: false };
  }
}

/** The de-duplication key of a certificate and state. */
export function attentionKey(alert: Pick<AttentionAlert, 'account' | 'accountId' | 'certificate'>, state: AttentionState): string {
  return JSON.stringify([alert.accountId ?? alert.account, alert.certificate, state]);
}

/** Remembers when each key was last announced; at most once per key in `intervalMs`. */
export class NotificationDeduper {
  // TypeScript-private, not #private: Electronegativity's parser cannot read class private fields.
  private readonly now: () => Date;
  private readonly intervalMs: number;
  private readonly last = new Map<string, number>();

  constructor(options: { readonly now: () => Date; readonly intervalMs?: number; readonly initial?: Readonly<Record<string, string>> }) {
    this.now = options.now;
    this.intervalMs = options.intervalMs ?? ATTENTION_INTERVAL_MS;
    for (const [key, at] of Object.entries(options.initial ?? {})) {
      const t = Date.parse(at);
      if (!Number.isNaN(t)) this.last.set(key, t);
    }
  }

  /** True, and remembered, when `key` was not announced in the interval; false otherwise. */
  claim(key: string): boolean {
    const now = this.now().getTime();
    const last = this.last.get(key);
    // A time in the future means the clock was set back: that record says nothing about "today".
    if (last !== undefined && last <= now && now - last < this.intervalMs) return false;
    this.last.set(key, now);
    return true;
  }

  /** The keys announced within the interval and when (older ones are dropped), for saving. */
  snapshot(): Record<string, string> {
    const now = this.now().getTime();
    const out: Record<string, string> = {};
    for (const [key, at] of this.last) {
      if (at <= now && now - at < this.intervalMs) out[key] = new Date(at).toISOString();
      else this.last.delete(key);
    }
    return out;
  }
}

/** Reads the saved de-duplication state of a data directory; a missing or unreadable file counts as empty. */
export async function loadNotificationState(dataDir: string): Promise<Record<string, string>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dataDir, NOTIFICATIONS_FILE), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    // At worst a notification is shown again: not worth stopping for.
    return {};
  }
}

/** Saves the de-duplication state of a data directory (atomically, owner-only). */
export async function saveNotificationState(dataDir: string, state: Readonly<Record<string, string>>): Promise<void> {
  await writeFileAtomic(join(dataDir, NOTIFICATIONS_FILE), `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

/** Announces each task once when it ends; remembers the last `limit` task ids. */
export function createTaskNotifier(options: {
  readonly notify: (notice: Notice) => void;
  readonly accountName?: (accountId: string) => string | undefined;
  readonly limit?: number;
}): (task: FinishedTask) => boolean {
  const seen = new Set<string>();
  const limit = options.limit ?? 500;
  return (task) => {
    if (seen.has(task.id)) return false;
    const notice = taskFinishedNotice(task, task.accountName ?? options.accountName?.(task.account));
    if (notice === null) return false;
    seen.add(task.id);
    if (seen.size > limit) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
    options.notify(notice);
    return true;
  };
}
