// createApi: one client from the method table over any transport; errors rebuilt with their code;
// events subscribe and unsubscribe.
import { describe, expect, it } from 'vitest';
import { apiMethods, EVENT_CHANNELS } from '../../../shared/api.js';
import { createApi, errorCode, RemoteError, type Envelope } from '../../../shared/api-client.js';

describe('createApi', () => {
  it('exposes exactly the table’s namespaces and methods, frozen, plus events', () => {
    const api = createApi(async () => ({ ok: true, value: null }));
    const expected: Record<string, string[]> = {};
    for (const [ns, name] of apiMethods()) (expected[ns] ??= []).push(name);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(expected), 'events'].sort());
    for (const [ns, names] of Object.entries(expected)) expect(Object.keys((api as unknown as Record<string, object>)[ns] ?? {})).toEqual(names);
    expect(Object.keys(api.events).sort()).toEqual(['onExpiryAlert', 'onInventoryChanged', 'onMenuCommand', 'onTaskFinished', 'onTaskProgress']);
    expect(Object.isFrozen(api) && Object.isFrozen(api.keys) && Object.isFrozen(api.events)).toBe(true);
  });

  it('sends the channel and the arguments, and unwraps the value', async () => {
    const sent: [string, readonly unknown[]][] = [];
    const api = createApi(async (channel, args): Promise<Envelope> => {
      sent.push([channel, args]);
      return { ok: true, value: [{ id: 'k_1' }] };
    });
    await expect(api.keys.list()).resolves.toEqual([{ id: 'k_1' }]);
    await api.keys.generate({ type: 'ec-p256', label: 'web' });
    expect(sent).toEqual([
      ['keys:list', []],
      ['keys:generate', [{ type: 'ec-p256', label: 'web' }]],
    ]);
  });

  it('rebuilds error envelopes as coded errors', async () => {
    const api = createApi(async () => ({ ok: false, error: { code: 'PASSWORD_REQUIRED', message: 'a.p12 needs a password', details: { file: 'a.p12' } } }));
    const err = await api.pki.inspect({ files: [{ name: 'a.p12', bytes: new Uint8Array(1) }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ code: 'PASSWORD_REQUIRED', message: 'a.p12 needs a password', details: { file: 'a.p12' }, name: 'CertdeskError' });
    expect(errorCode(err)).toBe('PASSWORD_REQUIRED');
    expect(errorCode(new Error('x'))).toBeNull();
  });

  it('subscribes to event channels and unsubscribes', () => {
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    const api = createApi({
      invoke: async () => ({ ok: true, value: null }),
      subscribe: (channel, listener) => {
        const set = listeners.get(channel) ?? new Set();
        set.add(listener);
        listeners.set(channel, set);
        return () => set.delete(listener);
      },
    });
    const got: unknown[] = [];
    const off = api.events.onInventoryChanged((e) => got.push(e));
    listeners.get(EVENT_CHANNELS.inventoryChanged)?.forEach((l) => l({ account: null }));
    off();
    listeners.get(EVENT_CHANNELS.inventoryChanged)?.forEach((l) => l({ account: 'a' }));
    expect(got).toEqual([{ account: null }]);
    expect(listeners.get(EVENT_CHANNELS.inventoryChanged)?.size).toBe(0);
  });

  it('gives subscriptions that never fire over a transport without events', () => {
    const api = createApi(async () => ({ ok: true, value: null }));
    const off = api.events.onTaskProgress(() => undefined);
    expect(typeof off).toBe('function');
    off();
  });
});
