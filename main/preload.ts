/**
 * Preload: exposes exactly the typed `CertdeskApi` to the sandboxed renderer, nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi, type Envelope } from '../shared/api-client.js';

const api = createApi((channel, args) => ipcRenderer.invoke(channel, ...args) as Promise<Envelope>);

contextBridge.exposeInMainWorld('certdesk', api);
