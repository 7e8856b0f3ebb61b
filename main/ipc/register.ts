/**
 * The one place main touches `ipcMain`: registers the handler table, checking every sender, and
 * sends events to the window.
 */
import { ipcMain, type WebContents } from 'electron';
import { EVENT_CHANNELS, type CertdeskEvents } from '../../shared/api.js';
import { dispatch, type Envelope, type Handler } from './handlers.js';

/** Registers every handler; calls from anything but our own window get a FORBIDDEN envelope. */
export function registerHandlers(handlers: ReadonlyMap<string, Handler>, isTrusted: (sender: WebContents) => boolean): void {
  for (const channel of handlers.keys()) {
    ipcMain.handle(channel, async (event, ...args): Promise<Envelope> => {
      if (!isTrusted(event.sender)) return { ok: false, error: { code: 'FORBIDDEN', message: 'Caller is not a Certdesk window' } };
      return dispatch(handlers, channel, args);
    });
  }
}

/** Sends one event to the window, if it is still there. */
export function sendEvent<E extends keyof CertdeskEvents>(target: WebContents | null, event: E, payload: CertdeskEvents[E]): void {
  if (target && !target.isDestroyed()) target.send(EVENT_CHANNELS[event], payload);
}
