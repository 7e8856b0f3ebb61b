/**
 * Builds the `CertdeskApi` object from the method table over any transport: the preload passes one
 * over `ipcRenderer`, the e2e bridge one over a Playwright binding. One implementation, two transports.
 */
import {
  API,
  EVENT_CHANNELS,
  EVENT_SUBSCRIPTIONS,
  type CertdeskApi,
  type CertdeskEvents,
  type CertdeskEventsApi,
  type MethodSpec,
  type Unsubscribe,
} from './api.js';

/** Non-secret facts an error envelope may carry (the file or field it is about). */
export interface EnvelopeErrorDetails {
  readonly file?: string;
  readonly field?: string;
}

/** The envelope main returns for every call. */
export type Envelope<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string; details?: EnvelopeErrorDetails } };

/** Sends one call to main and returns its envelope. */
export type Invoke = (channel: string, args: readonly unknown[]) => Promise<Envelope>;

/** Listens to one event channel; returns the function that stops listening. */
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => Unsubscribe;

/** How the client reaches main. */
export interface Transport {
  readonly invoke: Invoke;
  /** Event subscriptions; a transport without events gets subscriptions that never fire. */
  readonly subscribe?: Subscribe;
}

/** An error rebuilt in the renderer from an error envelope: has the stable `code`. */
export class RemoteError extends Error {
  readonly code: string;
  readonly details: EnvelopeErrorDetails;
  constructor(code: string, message: string, details: EnvelopeErrorDetails = {}) {
    super(message);
    this.name = 'CertdeskError';
    this.code = code;
    this.details = details;
  }
}

/** True when `err` carries a Certdesk error code (a RemoteError, also across realms, by shape). */
export function errorCode(err: unknown): string | null {
  if (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return null;
}

/** Creates the API; every method unwraps its envelope or throws a coded RemoteError. */
export function createApi(transport: Transport | Invoke): CertdeskApi {
  const { invoke, subscribe } = typeof transport === 'function' ? { invoke: transport, subscribe: undefined } : transport;
  const call = async (channel: string, args: readonly unknown[]): Promise<unknown> => {
    const res = await invoke(channel, args);
    if (res.ok) return res.value;
    throw new RemoteError(res.error.code, res.error.message, res.error.details);
  };
  const api: Record<string, unknown> = {};
  for (const [ns, methods] of Object.entries(API)) {
    const out: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const [name, spec] of Object.entries(methods as Record<string, MethodSpec>)) {
      out[name] = (...args: unknown[]) => call(spec.channel, args);
    }
    api[ns] = Object.freeze(out);
  }
  const events: Record<string, (listener: (payload: unknown) => void) => Unsubscribe> = {};
  for (const [name, event] of Object.entries(EVENT_SUBSCRIPTIONS) as [keyof CertdeskEventsApi, keyof CertdeskEvents][]) {
    const channel = EVENT_CHANNELS[event];
    events[name] = (listener) => (subscribe ? subscribe(channel, listener) : () => undefined);
  }
  api.events = Object.freeze(events);
  // The loops above build exactly the mapped type from the same table; TypeScript cannot follow them.
  return Object.freeze(api) as unknown as CertdeskApi;
}
