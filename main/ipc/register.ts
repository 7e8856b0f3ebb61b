/**
 * The one place main registers IPC handlers: every call is checked to come from our own window.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, type AppInfo } from '../../shared/api.js';
import { isCertdeskError } from '../../shared/errors.js';

/** Result envelope: expected failures travel as data, never as thrown errors across IPC. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Registers the handler table for the given trusted window contents. */
export function registerHandlers(isTrusted: (sender: WebContents) => boolean, info: () => AppInfo): void {
  const handle = <T>(channel: string, fn: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<T> | T): void => {
    ipcMain.handle(channel, async (event, ...args): Promise<Envelope<T>> => {
      if (!isTrusted(event.sender)) return { ok: false, error: { code: 'FORBIDDEN', message: 'Caller is not a Certdesk window' } };
      try {
        return { ok: true, value: await fn(event, ...args) };
      } catch (err) {
        if (isCertdeskError(err)) return { ok: false, error: { code: err.code, message: err.message } };
        return { ok: false, error: { code: 'INTERNAL', message: 'Unexpected error in Certdesk; see the log' } };
      }
    });
  };
  handle(CHANNELS.appInfo, () => info());
}
