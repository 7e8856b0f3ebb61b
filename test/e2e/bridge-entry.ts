/** Page-side half of the e2e bridge: window.certdesk built by the preload's own createApi. */
import { createApi, type Envelope } from '../../shared/api-client.js';

declare global {
  interface Window {
    __certdeskInvoke(channel: string, args: readonly unknown[]): Promise<Envelope>;
  }
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();

// The fixture delivers main's events here (page.evaluate), as webContents.send does in the app.
Object.defineProperty(window, '__certdeskEmit', {
  value: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l(payload)),
  enumerable: false,
});

Object.defineProperty(window, 'certdesk', {
  value: createApi({
    invoke: (channel, args) => window.__certdeskInvoke(channel, args),
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => {
        set.delete(listener);
      };
    },
  }),
  writable: false,
});
