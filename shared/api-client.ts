/**
 * Builds the `CertdeskApi` object over any invoke function: the preload passes one over
 * `ipcRenderer.invoke`, the e2e bridge one over a Playwright binding. One implementation, two transports.
 */
import { CHANNELS, type CertdeskApi } from './api.js';

/** The envelope main returns for every call. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Sends one call to main and returns its envelope. */
export type Invoke = (channel: string, args: readonly unknown[]) => Promise<Envelope>;

/** An error rebuilt in the renderer from an error envelope: has the stable `code`. */
export class RemoteError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CertdeskError';
    this.code = code;
  }
}

/** Creates the API; every method unwraps its envelope or throws a coded RemoteError. */
export function createApi(invoke: Invoke): CertdeskApi {
  const call = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const res = await invoke(channel, args);
    if (res.ok) return res.value as T;
    throw new RemoteError(res.error.code, res.error.message);
  };
  return {
    app: { info: () => call(CHANNELS.appInfo) },
  };
}
