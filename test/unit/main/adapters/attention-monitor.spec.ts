// The attention monitor: announces each certificate and state once a day across checks and
// restarts (injected clock), sends every attention alert to the window, judges "expiring" by the
// user's threshold; the default source reads the cached inventory.
import { describe, expect, it } from 'vitest';
import { alertsFromInventory, createAttentionMonitor, type InventoryReader } from '../../../../main/adapters/attention-monitor.js';
import { NotificationDeduper, type AttentionAlert, type Notice } from '../../../../main/adapters/notification-policy.js';
import type { AccountRecord, CachedCertificate } from '../../../../main/store/schema.js';
import type { CertificateView } from '../../../../main/services/inventory-service.js';

const DAY = 86_400_000;

function setup(initial: AttentionAlert[], threshold = 30) {
  let t = Date.parse('2026-05-01T08:00:00Z');
  const now = (): Date => new Date(t);
  let alerts = initial;
  let thresholdDays = threshold;
  const shown: Notice[] = [];
  const forwarded: AttentionAlert[] = [];
  const saved: Record<string, string>[] = [];
  const dedupe = new NotificationDeduper({ now });
  const monitor = createAttentionMonitor({
    alerts: async () => alerts,
    thresholdDays: async () => thresholdDays,
    dedupe,
    notify: (n) => shown.push(n),
    onAlert: (a) => forwarded.push(a),
    save: async (s) => {
      saved.push(s);
    },
  });
  return {
    monitor,
    shown,
    forwarded,
    saved,
    advance: (ms: number) => (t += ms),
    setAlerts: (a: AttentionAlert[]) => (alerts = a),
    setThreshold: (d: number) => (thresholdDays = d),
  };
}

const cert = (over: Partial<AttentionAlert> = {}): AttentionAlert => ({ account: 'Sandbox', accountId: 'a_1', certificate: 'c1', certificateName: 'shop.example', states: [], daysLeft: 10, ...over });

describe('createAttentionMonitor', () => {
  it('announces once per certificate and state per day', async () => {
    const s = setup([cert(), cert({ certificate: 'c2', certificateName: 'api.example', daysLeft: 3 })]);
    expect((await s.monitor.check()).map((n) => n.title)).toEqual(['shop.example expires in 10 days', 'api.example expires in 3 days']);
    expect(await s.monitor.check()).toEqual([]);
    s.advance(23 * 3_600_000);
    expect(await s.monitor.check()).toEqual([]);
    s.advance(3_600_000);
    expect(await s.monitor.check()).toHaveLength(2);
    expect(s.shown).toHaveLength(4);
  });

  it('announces the day it expires even after "expiring" that day', async () => {
    const s = setup([cert({ daysLeft: 0 })]);
    expect((await s.monitor.check()).map((n) => n.title)).toEqual(['shop.example expires today']);
    s.setAlerts([cert({ daysLeft: -1 })]);
    s.advance(60_000);
    expect((await s.monitor.check()).map((n) => n.title)).toEqual(['shop.example has expired']);
  });

  it('uses the threshold from settings at every check', async () => {
    const s = setup([cert({ daysLeft: 45 })], 30);
    expect(await s.monitor.check()).toEqual([]);
    expect(s.forwarded).toEqual([]);
    s.setThreshold(60);
    expect(await s.monitor.check()).toHaveLength(1);
    expect(s.forwarded).toEqual([cert({ daysLeft: 45, states: ['expiring'] })]);
  });

  it('forwards every attention alert to the window, also when not announced', async () => {
    const s = setup([cert({ daysLeft: 200, states: ['staging-differs'] }), cert({ certificate: 'c3', daysLeft: 200 })]);
    expect(await s.monitor.check()).toEqual([]);
    expect(s.forwarded.map((a) => [a.certificate, a.states])).toEqual([['c1', ['staging-differs']]]);
    s.setAlerts([cert({ daysLeft: -2, states: ['renewed-not-deployed'] })]);
    await s.monitor.check();
    expect(s.forwarded.at(-1)?.states).toEqual(['expiring', 'renewed-not-deployed']);
  });

  it('saves the de-duplication state only when it announced something', async () => {
    const s = setup([cert()]);
    await s.monitor.check();
    await s.monitor.check();
    expect(s.saved).toHaveLength(1);
    expect(Object.keys(s.saved[0] ?? {})).toEqual([JSON.stringify(['a_1', 'c1', 'expiring'])]);
  });

  it('shares one check between concurrent callers', async () => {
    let calls = 0;
    const monitor = createAttentionMonitor({
      alerts: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        return [cert()];
      },
      thresholdDays: async () => 30,
      dedupe: new NotificationDeduper({ now: () => new Date('2026-05-01T08:00:00Z') }),
      notify: () => undefined,
    });
    const [a, b] = await Promise.all([monitor.check(), monitor.check()]);
    expect(calls).toBe(1);
    expect(a).toBe(b);
    await monitor.check();
    expect(calls).toBe(2);
  });

  it('reports a failing source and keeps running', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const monitor = createAttentionMonitor({
      alerts: async () => {
        if (fail) throw new Error('store unreadable');
        return [];
      },
      thresholdDays: async () => 30,
      dedupe: new NotificationDeduper({ now: () => new Date() }),
      notify: () => undefined,
      onError: (e) => errors.push(e),
    });
    monitor.start(60_000);
    await expect.poll(() => errors.length).toBe(1);
    monitor.stop();
    fail = false;
    await expect(monitor.check()).resolves.toEqual([]);
  });
});

describe('alertsFromInventory', () => {
  const now = new Date('2026-05-01T00:00:00Z');
  const account: AccountRecord = { id: 'a_1', name: 'Sandbox', provider: 'cdnpro', endpoint: 'http://127.0.0.1:38360', createdAt: '2026-01-01T00:00:00Z' } as AccountRecord;
  const base: CachedCertificate = { id: 'c1', name: 'shop.example', owner: null, latestVersion: 1, autoRenew: false, expiresAt: null, deployed: {}, deployedExpiresAt: {} };
  const reader = (certs: { c: CachedCertificate; view: Partial<CertificateView> }[]): InventoryReader => ({
    list: async () => [{ account, certificates: certs.map((x) => x.c) }],
    view: (_a, c) => {
      const found = certs.find((x) => x.c.id === c.id);
      return { id: c.id, name: c.name, account: 'Sandbox', provider: 'cdnpro', owner: null, latestVersion: 1, staging: null, production: null, notAfter: { staging: null, production: null }, states: [], ...found?.view };
    },
  });

  it('takes the fewest days over staging and production, else the latest version’s', async () => {
    const alerts = await alertsFromInventory(
      reader([
        { c: base, view: { notAfter: { staging: new Date(now.getTime() + 40 * DAY).toISOString(), production: new Date(now.getTime() + 12 * DAY).toISOString() } } },
        { c: { ...base, id: 'c2', name: 'undeployed.example', expiresAt: new Date(now.getTime() + 5 * DAY).toISOString() }, view: {} },
        { c: { ...base, id: 'c3', name: 'unknown.example' }, view: {} },
      ]),
      () => now,
    );
    expect(alerts).toEqual([
      { account: 'Sandbox', accountId: 'a_1', certificate: 'c1', certificateName: 'shop.example', states: [], daysLeft: 12 },
      { account: 'Sandbox', accountId: 'a_1', certificate: 'c2', certificateName: 'undeployed.example', states: [], daysLeft: 5 },
    ]);
  });

  it('keeps the inventory’s other states and leaves "expiring" to the threshold', async () => {
    const alerts = await alertsFromInventory(reader([{ c: base, view: { states: ['expiring', 'renewed-not-deployed'] } }]), () => now);
    expect(alerts).toEqual([{ account: 'Sandbox', accountId: 'a_1', certificate: 'c1', certificateName: 'shop.example', states: ['renewed-not-deployed'], daysLeft: null }]);
  });

  it('asks for the cached inventory, never a provider refresh', async () => {
    const asked: unknown[] = [];
    await alertsFromInventory(
      {
        list: async (options) => {
          asked.push(options);
          return [];
        },
        view: () => {
          throw new Error('unused');
        },
      },
      () => now,
    );
    expect(asked).toEqual([{ refresh: false }]);
  });
});
