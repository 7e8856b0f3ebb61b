/** Page-side half of the e2e bridge: window.certdesk built by the preload's own createApi. */
import { createApi, type Envelope } from '../../shared/api-client.js';

declare global {
  interface Window {
    __certdeskInvoke(channel: string, args: readonly unknown[]): Promise<Envelope>;
  }
}

Object.defineProperty(window, 'certdesk', {
  value: Object.freeze(createApi((channel, args) => window.__certdeskInvoke(channel, args))),
  writable: false,
});
