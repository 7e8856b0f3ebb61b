/**
 * The app's event hub: what main tells the window about (task progress and results, inventory
 * changes, expiry alerts), by the event names of the contract. Services publish; the IPC edge
 * (and the e2e fixture, and desktop notifications) subscribe, and every subscription can be undone.
 */
import type { CertdeskEvents, Unsubscribe } from '../../shared/api.js';

/** Receives every event with its name. */
export type AppEventListener = <E extends keyof CertdeskEvents>(event: E, payload: CertdeskEvents[E]) => void;

/** Publish and subscribe. */
export interface AppEvents {
  emit<E extends keyof CertdeskEvents>(event: E, payload: CertdeskEvents[E]): void;
  /** Receives every event; returns the function that stops it. */
  subscribe(listener: AppEventListener): Unsubscribe;
}

/** A new hub; a failing listener is reported to `onWarning` and never stops the others. */
export function createAppEvents(onWarning?: (message: string) => void): AppEvents {
  const listeners = new Set<AppEventListener>();
  return {
    emit(event, payload) {
      for (const listener of [...listeners]) {
        try {
          listener(event, payload);
        } catch (err) {
          onWarning?.(`An event listener failed on ${event}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
