/**
 * Electron main entry: single-instance lock, one hardened window, the IPC handler table, the
 * application menu, and the background (sandbox, resumed tasks, notifications). Wiring only: the
 * logic lives in plain-Node modules (main/adapters/background.ts and the ones it uses).
 */
import { app, BrowserWindow, dialog, session, shell, type WebContents } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import type { CertdeskEvents, MenuCommand } from '../shared/api.js';
import { alertsFromInventory } from './adapters/attention-monitor.js';
import { startBackground, type Background } from './adapters/background.js';
import { createElectronDialogs } from './adapters/dialogs.js';
import { allowedExternalUrl } from './adapters/external-links.js';
import { installApplicationMenu } from './adapters/menu.js';
import { sandboxUrlFromEnv } from './adapters/sandbox-autostart.js';
import type { Notice } from './adapters/notification-policy.js';
import { createDesktopNotifier } from './adapters/notifications.js';
import { guardWebContents, hardenSession } from './adapters/web-guards.js';
import { createHandlers } from './ipc/handlers.js';
import { registerHandlers, sendEvent } from './ipc/register.js';
import { APP_NAME, resolveDataDir } from './paths.js';
import { openContainer, type Container } from './services/container.js';
import type { ConfClass } from './store/store.js';
import { createOsKeychain } from './vault/keychain.js';

const dev = !app.isPackaged;
let mainWindow: BrowserWindow | null = null;
let container: Container | null = null;
let background: Background | null = null;

const warn = (message: string): void => console.warn(`certdesk: ${message}`);

function openExternalIfAllowed(url: string): void {
  const allowed = allowedExternalUrl(url);
  if (allowed !== null) void shell.openExternal(allowed);
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function send<E extends keyof CertdeskEvents>(event: E, payload: CertdeskEvents[E]): void {
  sendEvent(mainWindow?.webContents ?? null, event, payload);
}

/** Opens the main window (hidden until its first paint). */
function createWindow(): void {
  // Options inline, not built elsewhere, so Electronegativity checks exactly these.
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Certdesk',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click must not open anything (new windows are denied anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  // New windows, navigation and <webview> are refused for every webContents (guardWebContents).
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl && dev) void win.loadURL(devUrl);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
}

/** The data directory, shared with the CLI; Chromium's profile and the single-instance lock live there too. */
let dataDir: string | Error;
try {
  dataDir = resolveDataDir();
  app.setName(APP_NAME);
  app.setPath('userData', dataDir);
} catch (err) {
  dataDir = err instanceof Error ? err : new Error(String(err));
}
if (process.platform === 'win32') app.setAppUserModelId('com.certdesk.app');

async function start(dir: string): Promise<void> {
  hardenSession(session.defaultSession);
  const sandboxUrl = sandboxUrlFromEnv(process.env);
  try {
    container = await openContainer({
      dataDir: dir,
      keychain: createOsKeychain(),
      // electron-store extends conf and takes the same options.
      Conf: ElectronStore as unknown as ConfClass,
      onWarning: warn,
      ...(sandboxUrl !== undefined ? { sandboxUrl } : {}),
    });
  } catch (err) {
    dialog.showErrorBox('Certdesk cannot start', err instanceof Error ? err.message : String(err));
    app.quit();
    return;
  }
  const c = container;
  const handlers = createHandlers({
    appInfo: () => ({ name: app.getName(), version: app.getVersion(), platform: process.platform }),
    container: c,
    dialogs: createElectronDialogs(() => mainWindow),
  });
  registerHandlers(handlers, (sender: WebContents) => mainWindow !== null && sender === mainWindow.webContents);
  c.events.subscribe((event, payload) => send(event, payload));
  installApplicationMenu({
    platform: process.platform,
    dev,
    appName: APP_NAME,
    send: (command: MenuCommand) => send('menuCommand', { command }),
  });
  createWindow();

  const notify = createDesktopNotifier({ focus: focusWindow, warn });
  background = await startBackground({
    dataDir: dir,
    now: c.now,
    events: c.events,
    sandboxAccount: () => c.accounts.sandboxAccount(),
    resumeTasks: () => c.tasks.resumeOnce(),
    alerts: () => alertsFromInventory(c.inventory, c.now),
    thresholdDays: async () => (await c.settings.get()).expiryThresholdDays,
    notify,
    warn,
    env: process.env,
  });
  // Test builds only (never packaged): lets the _electron suite drive the notification adapter.
  if (dev && process.env.CERTDESK_TEST_HOOKS === '1') {
    (globalThis as { __certdeskTestHooks?: unknown }).__certdeskTestHooks = { notify: (notice: Notice) => notify(notice) };
  }
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusWindow);
  guardWebContents(app, openExternalIfAllowed);
  void app.whenReady().then(async () => {
    if (dataDir instanceof Error) {
      dialog.showErrorBox('Certdesk cannot start', dataDir.message);
      app.quit();
      return;
    }
    await start(dataDir);
  });
  // macOS keeps the app running without windows; the Dock icon brings one back.
  app.on('activate', () => {
    if (container !== null && mainWindow === null) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Stop the background (the sandbox above all) before quitting, within a bounded time.
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    container?.close();
    void (background?.stop() ?? Promise.resolve()).finally(() => app.quit());
  });
}
