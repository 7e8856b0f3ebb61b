/**
 * The handler table: one function per API channel, and the envelope every call returns.
 *
 * Plain Node (no electron import) so the e2e bridge and tests call exactly what the IPC wrapper
 * registers in the app.
 */
import { CHANNELS, type AppInfo } from '../../shared/api.js';
import { isCertdeskError } from '../../shared/errors.js';

/** Result envelope: expected failures travel as data, never as thrown errors across IPC. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** A handler receives already-untrusted arguments; it validates them before calling a service. */
export type Handler = (...args: unknown[]) => Promise<unknown> | unknown;

/** What the handlers need from the app. */
export interface HandlerDeps {
  readonly appInfo: () => AppInfo;
}

/** Builds the channel → handler table. */
export function createHandlers(deps: HandlerDeps): ReadonlyMap<string, Handler> {
  return new Map<string, Handler>([[CHANNELS.appInfo, () => deps.appInfo()]]);
}

/** Calls a handler and wraps its outcome in an envelope; unexpected errors are not leaked. */
export async function dispatch(handlers: ReadonlyMap<string, Handler>, channel: string, args: readonly unknown[]): Promise<Envelope> {
  const handler = handlers.get(channel);
  if (!handler) return { ok: false, error: { code: 'USAGE', message: `Unknown channel ${channel}` } };
  try {
    return { ok: true, value: await handler(...args) };
  } catch (err) {
    if (isCertdeskError(err)) return { ok: false, error: { code: err.code, message: err.message } };
    return { ok: false, error: { code: 'INTERNAL', message: 'Unexpected error in Certdesk; see the log' } };
  }
}
