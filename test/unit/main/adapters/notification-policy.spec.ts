// Notification policy: once per certificate and state in 24 h (injected clock, saved across
// restarts), the user's threshold decides "expiring", task results announced once with the
// provider's code and request id.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../../../shared/api.js';
import {
  ATTENTION_INTERVAL_MS,
  NOTIFICATIONS_FILE,
  NotificationDeduper,
  attentionKey,
  attentionNotice,
  attentionStates,
  createTaskNotifier,
  loadNotificationState,
  saveNotificationState,
  taskFinishedNotice,
  type AttentionAlert,
  type FinishedTask,
  type Notice,
} from '../../../../main/adapters/notification-policy.js';

function clock(start: string): { now: () => Date; advance: (ms: number) => void; set: (iso: string) => void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => (t += ms), set: (iso) => (t = Date.parse(iso)) };
}

const HOUR = 3_600_000;

function alert(over: Partial<AttentionAlert> = {}): AttentionAlert {
  return { account: 'Sandbox', accountId: 'a_1', certificate: 'c1', certificateName: 'www.example.com', states: [], daysLeft: 10, ...over };
}

function task(over: Partial<TaskSummary> = {}): TaskSummary {
  return {
    id: 't_0000000000000001',
    account: 'a_1',
    accountName: 'Sandbox',
    certificate: 'c1',
    certificateName: 'www.example.com',
    env: 'production',
    action: 'deploy',
    version: 3,
    status: 'succeeded',
    progress: 100,
    providerTaskId: 'p1',
    submittedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:03:00Z',
    detail: null,
    error: null,
    updatedAt: '2026-01-01T00:03:00Z',
    ...over,
  } as TaskSummary;
}

describe('NotificationDeduper', () => {
  it('allows a key once per 24 hours, then again', () => {
    const c = clock('2026-03-01T09:00:00Z');
    const d = new NotificationDeduper({ now: c.now });
    expect(d.claim('k')).toBe(true);
    expect(d.claim('k')).toBe(false);
    c.advance(ATTENTION_INTERVAL_MS - 1);
    expect(d.claim('k')).toBe(false);
    c.advance(1);
    expect(d.claim('k')).toBe(true);
    expect(d.claim('k')).toBe(false);
  });

  it('keeps keys apart', () => {
    const c = clock('2026-03-01T09:00:00Z');
    const d = new NotificationDeduper({ now: c.now });
    const a = alert();
    expect(d.claim(attentionKey(a, 'expiring'))).toBe(true);
    expect(d.claim(attentionKey(a, 'expired'))).toBe(true);
    expect(d.claim(attentionKey({ ...a, certificate: 'c2' }, 'expiring'))).toBe(true);
    expect(d.claim(attentionKey({ ...a, accountId: 'a_2' }, 'expiring'))).toBe(true);
    expect(d.claim(attentionKey(a, 'expiring'))).toBe(false);
    // A renamed account is the same account.
    expect(d.claim(attentionKey({ ...a, account: 'Renamed' }, 'expiring'))).toBe(false);
  });

  it('starts from a saved state and snapshots only what is still within the interval', () => {
    const c = clock('2026-03-02T09:00:00Z');
    const d = new NotificationDeduper({
      now: c.now,
      initial: { recent: '2026-03-02T08:00:00.000Z', old: '2026-03-01T08:00:00.000Z', junk: 'not a date' },
    });
    expect(d.claim('recent')).toBe(false);
    expect(d.snapshot()).toEqual({ recent: '2026-03-02T08:00:00.000Z' });
    expect(d.claim('old')).toBe(true);
    expect(d.claim('junk')).toBe(true);
    c.advance(23 * HOUR);
    expect(Object.keys(d.snapshot()).sort()).toEqual(['junk', 'old']);
  });

  it('does not trust a record from the future (the clock was set back)', () => {
    const c = clock('2026-03-02T09:00:00Z');
    const d = new NotificationDeduper({ now: c.now, initial: { k: '2027-01-01T00:00:00.000Z' } });
    expect(d.claim('k')).toBe(true);
    expect(d.claim('k')).toBe(false);
  });

  it('honours a custom interval', () => {
    const c = clock('2026-03-02T09:00:00Z');
    const d = new NotificationDeduper({ now: c.now, intervalMs: 1000 });
    expect(d.claim('k')).toBe(true);
    c.advance(999);
    expect(d.claim('k')).toBe(false);
    c.advance(1);
    expect(d.claim('k')).toBe(true);
  });
});

describe('saved state', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'certdesk-notify-'));
    dirs.push(d);
    return d;
  };

  it('round-trips through notifications.json, owner-only', async () => {
    const d = dir();
    await saveNotificationState(d, { a: '2026-03-02T08:00:00.000Z' });
    expect(await loadNotificationState(d)).toEqual({ a: '2026-03-02T08:00:00.000Z' });
    if (process.platform !== 'win32') expect(statSync(join(d, NOTIFICATIONS_FILE)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(d, NOTIFICATIONS_FILE), 'utf8'))).toEqual({ a: '2026-03-02T08:00:00.000Z' });
  });

  it('treats a missing, corrupt or odd file as empty', async () => {
    const d = dir();
    expect(await loadNotificationState(d)).toEqual({});
    writeFileSync(join(d, NOTIFICATIONS_FILE), '{not json');
    expect(await loadNotificationState(d)).toEqual({});
    writeFileSync(join(d, NOTIFICATIONS_FILE), '[1,2]');
    expect(await loadNotificationState(d)).toEqual({});
    writeFileSync(join(d, NOTIFICATIONS_FILE), '{"a": 1, "b": "2026-03-02T08:00:00.000Z"}');
    expect(await loadNotificationState(d)).toEqual({ b: '2026-03-02T08:00:00.000Z' });
  });
});

describe('attentionStates', () => {
  it('judges expiring by the threshold, whatever window made the alert', () => {
    expect(attentionStates(alert({ daysLeft: 29, states: [] }), 30)).toEqual(['expiring']);
    expect(attentionStates(alert({ daysLeft: 30, states: ['expiring'] }), 30)).toEqual([]);
    expect(attentionStates(alert({ daysLeft: 59, states: [] }), 60)).toEqual(['expiring']);
    expect(attentionStates(alert({ daysLeft: 0, states: [] }), 1)).toEqual(['expiring']);
  });

  it('calls a past date expired, not expiring', () => {
    expect(attentionStates(alert({ daysLeft: -1, states: ['expiring'] }), 30)).toEqual(['expired']);
  });

  it('falls back to the alert’s own state when the days are unknown', () => {
    expect(attentionStates(alert({ daysLeft: null, states: ['expiring'] }), 30)).toEqual(['expiring']);
    expect(attentionStates(alert({ daysLeft: null, states: [] }), 30)).toEqual([]);
  });

  it('announces renewed-not-deployed, not staging-differs or not-owner, by default', () => {
    const a = alert({ daysLeft: 200, states: ['renewed-not-deployed', 'staging-differs', 'not-owner'] });
    expect(attentionStates(a, 30)).toEqual(['renewed-not-deployed']);
    expect(attentionStates(a, 30, new Set(['staging-differs', 'not-owner']))).toEqual(['staging-differs', 'not-owner']);
  });
});

describe('notices', () => {
  it('names the certificate, the account and the days', () => {
    const a = alert({ daysLeft: 5 });
    expect(attentionNotice(a, 'expiring')).toMatchObject({ kind: 'attention', title: 'www.example.com expires in 5 days', urgent: false });
    expect(attentionNotice(a, 'expiring').body).toContain('(Sandbox)');
    expect(attentionNotice(alert({ daysLeft: 1 }), 'expiring').title).toBe('www.example.com expires in 1 day');
    expect(attentionNotice(alert({ daysLeft: 0 }), 'expiring').title).toBe('www.example.com expires today');
    const expired = attentionNotice(alert({ daysLeft: -3 }), 'expired');
    expect(expired).toMatchObject({ title: 'www.example.com has expired', urgent: true });
    expect(expired.body).toContain('3 days ago');
    expect(attentionNotice(a, 'renewed-not-deployed').title).toBe('www.example.com is renewed but not deployed');
  });

  it('announces a deployment that succeeded, with version, environment and account', () => {
    expect(taskFinishedNotice(task())).toEqual({
      kind: 'task-succeeded',
      title: 'Deployed www.example.com',
      body: 'Version 3 of www.example.com is live in production on Sandbox.',
      urgent: false,
    });
    expect(taskFinishedNotice(task({ action: 'undeploy', version: null, env: 'staging' }))?.title).toBe('Undeployed www.example.com');
  });

  it('announces a failure with the provider’s message, code and request id', () => {
    const n = taskFinishedNotice(
      task({ status: 'failed', error: { code: 'PROVIDER_ERROR', message: 'The certificate is invalid', providerCode: 'InvalidInput', requestId: 'req-42', httpStatus: 400 } }),
    );
    expect(n).toMatchObject({ kind: 'task-failed', title: 'Deployment of www.example.com failed', urgent: true });
    expect(n?.body).toBe('Deploying version 3 to production on Sandbox failed: The certificate is invalid (provider code InvalidInput, request id req-42)');
  });

  it('says nothing while a task runs, and clips long messages', () => {
    expect(taskFinishedNotice(task({ status: 'inprogress' }))).toBeNull();
    expect(taskFinishedNotice(task({ status: 'waiting' }))).toBeNull();
    const long = taskFinishedNotice(task({ status: 'failed', error: { code: 'X', message: 'x'.repeat(1000) } }));
    expect(long?.body.length).toBeLessThanOrEqual(240);
    expect(long?.body.endsWith('…')).toBe(true);
  });
});

describe('createTaskNotifier', () => {
  it('announces each finished task once, looking up the account name when the task has none', () => {
    const shown: Notice[] = [];
    const announce = createTaskNotifier({ notify: (n) => shown.push(n), accountName: (id) => (id === 'a_9' ? 'Production CDN' : undefined) });
    expect(announce(task({ status: 'inprogress' }))).toBe(false);
    expect(announce(task())).toBe(true);
    expect(announce(task())).toBe(false);
    const withoutName: FinishedTask = { id: 't_0000000000000002', account: 'a_9', certificateName: 'www.example.com', env: 'production', action: 'deploy', version: 3, status: 'succeeded', error: null };
    expect(announce(withoutName)).toBe(true);
    expect(shown.map((n) => n.body)).toEqual(['Version 3 of www.example.com is live in production on Sandbox.', 'Version 3 of www.example.com is live in production on Production CDN.']);
  });

  it('forgets the oldest ids beyond its limit', () => {
    const shown: Notice[] = [];
    const announce = createTaskNotifier({ notify: (n) => shown.push(n), limit: 2 });
    for (const id of ['t_1', 't_2', 't_3']) announce(task({ id }));
    expect(announce(task({ id: 't_3' }))).toBe(false);
    expect(announce(task({ id: 't_1' }))).toBe(true);
  });
});
