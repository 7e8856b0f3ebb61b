/**
 * Preload: exposes exactly the typed `CertdeskApi` to the sandboxed renderer, nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type CertdeskApi } from '../shared/api.js';

type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

async function invoke<T>(channel: string, ...args: unknown[]): Promise<T> {
  const res = (await ipcRenderer.invoke(channel, ...args)) as Envelope<T>;
  if (res.ok) return res.value;
  throw Object.assign(new Error(res.error.message), { name: 'CertdeskError', code: res.error.code });
}

const api: CertdeskApi = {
  app: { info: () => invoke(CHANNELS.appInfo) },
};

contextBridge.exposeInMainWorld('certdesk', api);
