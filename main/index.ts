/**
 * Electron main entry: single-instance lock, one hardened window, the IPC handler table. Thin by design.
 */
import { app, BrowserWindow, dialog, session, shell, type WebContents } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import { registerHandlers } from './ipc/register.js';
import { createHandlers } from './ipc/handlers.js';
import { createElectronDialogs } from './adapters/dialogs.js';
import { resolveDataDir } from './paths.js';
import { openContainer } from './services/container.js';
import type { ConfClass } from './store/store.js';
import { createOsKeychain } from './vault/keychain.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Hosts whose https links may open in the user's browser (provider docs and portals). */
const EXTERNAL_HOSTS = new Set(['docs.cdnetworks.com', 'www.cdnetworks.com', 'gcore.com', 'api.gcore.com', 'docs.apinizer.com', 'letsencrypt.org']);

let mainWindow: BrowserWindow | null = null;

/** Opens a link externally only when it is https to an allowed host. */
function openExternalIfAllowed(url: string): void {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' && EXTERNAL_HOSTS.has(u.hostname)) void shell.openExternal(u.toString());
  } catch {
    // not a URL: ignore
  }
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'Certdesk',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Middle-click must not open anything (new windows are denied anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl && !app.isPackaged) void win.loadURL(devUrl);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  void app.whenReady().then(async () => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    // Copying a CSR or fingerprint is the only permission the UI needs.
    session.defaultSession.setPermissionRequestHandler((_wc, permission, cb) => cb(permission === 'clipboard-sanitized-write'));
    let container;
    try {
      container = await openContainer({
        dataDir: resolveDataDir(),
        keychain: createOsKeychain(),
        // electron-store extends conf and takes the same options.
        Conf: ElectronStore as unknown as ConfClass,
        onWarning: (message) => console.warn(`certdesk: ${message}`),
      });
    } catch (err) {
      dialog.showErrorBox('Certdesk cannot start', err instanceof Error ? err.message : String(err));
      app.quit();
      return;
    }
    const handlers = createHandlers({
      appInfo: () => ({ name: app.getName(), version: app.getVersion(), platform: process.platform }),
      container,
      dialogs: createElectronDialogs(() => mainWindow),
    });
    registerHandlers(handlers, (sender: WebContents) => mainWindow !== null && sender === mainWindow.webContents);
    mainWindow = createWindow();
    mainWindow.on('closed', () => (mainWindow = null));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
