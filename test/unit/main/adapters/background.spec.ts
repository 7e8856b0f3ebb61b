// The app's background: the sandbox listens before tasks resume, a finished task is announced
// once and re-checks attention, alerts reach the window's events, and stopping closes the sandbox
// within a bound; a failing part is reported, never fatal.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CertdeskEvents, TaskSummary } from '../../../../shared/api.js';
import { startBackground, type BackgroundDeps, type EventHub } from '../../../../main/adapters/background.js';
import { NOTIFICATIONS_FILE, type AttentionAlert, type Notice } from '../../../../main/adapters/notification-policy.js';
import type { SandboxHandle } from '../../../../main/providers/sandbox/server.js';

type Emitted = { [E in keyof CertdeskEvents]: [E, CertdeskEvents[E]] }[keyof CertdeskEvents];

function hub(): EventHub & { emitted: Emitted[]; listeners: number } {
  const listeners = new Set<(event: keyof CertdeskEvents, payload: unknown) => void>();
  const emitted: Emitted[] = [];
  return {
    emitted,
    get listeners() {
      return listeners.size;
    },
    emit(event, payload) {
      emitted.push([event, payload] as Emitted);
      for (const l of [...listeners]) l(event, payload);
    },
    subscribe(listener) {
      const l = listener as (event: keyof CertdeskEvents, payload: unknown) => void;
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function deps(over: Partial<BackgroundDeps> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'certdesk-bg-'));
  dirs.push(dataDir);
  const log: string[] = [];
  const shown: Notice[] = [];
  const warnings: string[] = [];
  const events = hub();
  let closed = 0;
  const fakeHandle = { url: 'http://127.0.0.1:1', close: async () => void closed++ } as unknown as SandboxHandle;
  const d: BackgroundDeps = {
    dataDir,
    now: () => new Date('2026-05-01T08:00:00Z'),
    events,
    sandboxAccount: async () => {
      log.push('sandbox-account');
      return { account: { name: 'Sandbox', endpoint: 'http://127.0.0.1:38360' }, apiKey: 'k' };
    },
    startSandbox: async () => {
      log.push('sandbox-started');
      return fakeHandle;
    },
    resumeTasks: () => log.push('resume'),
    alerts: async () => [],
    thresholdDays: async () => 30,
    notify: (n) => shown.push(n),
    warn: (m) => warnings.push(m),
    checkIntervalMs: 3_600_000,
    ...over,
  };
  return { d, log, shown, warnings, events, closed: () => closed };
}

const finished = (over: Partial<TaskSummary> = {}): TaskSummary =>
  ({
    id: 't_0000000000000001',
    account: 'a_1',
    accountName: 'Sandbox',
    certificate: 'c1',
    certificateName: 'shop.example',
    env: 'staging',
    action: 'deploy',
    version: 2,
    status: 'succeeded',
    progress: 100,
    providerTaskId: 'p',
    submittedAt: '2026-05-01T07:00:00Z',
    finishedAt: '2026-05-01T07:03:00Z',
    detail: null,
    error: null,
    updatedAt: '2026-05-01T07:03:00Z',
    ...over,
  }) as TaskSummary;

describe('startBackground', () => {
  it('starts the sandbox before resuming tasks, and stops it', async () => {
    const t = deps();
    const bg = await startBackground(t.d);
    expect(t.log).toEqual(['sandbox-account', 'sandbox-started', 'resume']);
    expect(bg.sandbox?.status).toBe('started');
    await bg.stop();
    await bg.stop();
    expect(t.closed()).toBe(1);
    expect(t.events.listeners).toBe(0);
  });

  it('announces a finished task once, not its progress, and re-checks attention', async () => {
    let checks = 0;
    const t = deps({
      alerts: async () => {
        checks++;
        return [];
      },
    });
    const bg = await startBackground(t.d);
    await expect.poll(() => checks).toBe(1);
    t.events.emit('taskProgress', { task: finished({ status: 'inprogress', progress: 40 }) });
    t.events.emit('taskFinished', { task: finished() });
    t.events.emit('taskFinished', { task: finished() });
    expect(t.shown.map((n) => n.title)).toEqual(['Deployed shop.example']);
    await expect.poll(() => checks).toBeGreaterThanOrEqual(2);
    await bg.stop();
    t.events.emit('taskFinished', { task: finished({ id: 't_0000000000000002', status: 'failed', error: { code: 'X', message: 'no' } }) });
    expect(t.shown).toHaveLength(1);
  });

  it('sends attention alerts to the window and remembers announcements across restarts', async () => {
    const alert: AttentionAlert = { account: 'Sandbox', accountId: 'a_1', certificate: 'c1', certificateName: 'shop.example', states: [], daysLeft: 3 };
    const t = deps({ alerts: async () => [alert] });
    const first = await startBackground(t.d);
    await expect.poll(() => t.shown.length).toBe(1);
    await first.monitor.check();
    expect(t.events.emitted.filter(([e]) => e === 'expiryAlert').map(([, p]) => p)).toContainEqual({ ...alert, states: ['expiring'] });
    await first.stop();
    expect(Object.keys(JSON.parse(readFileSync(join(t.d.dataDir, NOTIFICATIONS_FILE), 'utf8')))).toHaveLength(1);

    // A restart the same day: nothing announced again.
    const again = await startBackground(t.d);
    await again.monitor.check();
    expect(t.shown).toHaveLength(1);
    await again.stop();
  });

  it('reports a sandbox that cannot start or is skipped, and still resumes tasks', async () => {
    const t = deps({
      startSandbox: async () => {
        throw new Error('boom');
      },
    });
    const bg = await startBackground(t.d);
    expect(t.log).toContain('resume');
    expect(t.warnings).toEqual(['The embedded sandbox could not start: boom']);
    expect(bg.sandbox).toBeNull();
    await bg.stop();

    const removed = deps({ sandboxAccount: async () => null });
    const bg2 = await startBackground(removed.d);
    expect(removed.warnings).toEqual(['The embedded sandbox was not started: there is no Sandbox account (it was removed).']);
    expect(removed.log).toEqual(['resume']);
    await bg2.stop();
  });

  it('stops within its bound when the sandbox hangs', async () => {
    const t = deps({ startSandbox: async () => ({ close: () => new Promise<void>(() => undefined) }) as unknown as SandboxHandle });
    const bg = await startBackground(t.d);
    const started = Date.now();
    await bg.stop(50);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(t.warnings).toEqual(['The embedded sandbox did not stop within 50 ms; quitting anyway.']);
  });
});
