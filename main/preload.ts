/**
 * Preload: exposes exactly the typed `CertdeskApi` to the sandboxed renderer, nothing else.
 *
 * The renderer never sees `ipcRenderer` or the IPC event object: listeners get the payload only.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi, type Envelope } from '../shared/api-client.js';

const api = createApi({
  invoke: (channel, args) => ipcRenderer.invoke(channel, ...args) as Promise<Envelope>,
  subscribe: (channel, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
});

contextBridge.exposeInMainWorld('certdesk', api);
