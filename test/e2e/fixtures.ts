/**
 * `launchApp()`: the built renderer in Debian Chromium with window.certdesk bridged to main's real
 * handler table over real services (store, vault sealed by the real OS keychain, audit log) on a
 * fresh data directory; resolves once the app shows its ready state.
 *
 * Only the native save dialog is replaced: it "chooses" `<outDir>/<suggested name>`, so tests can
 * read what the app saved. Every envelope main returns is recorded for the secrets check.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { EVENT_CHANNELS, type CertdeskEvents } from '../../shared/api.js';
import { createHandlers, dispatch, type Envelope } from '../../main/ipc/handlers.js';
import type { DialogAdapter } from '../../main/adapters/dialog-adapter.js';
import { openContainer, type Container } from '../../main/services/container.js';
import { createOsKeychain } from '../../main/vault/keychain.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RENDERER = join(ROOT, 'out', 'renderer');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** Where Debian's Chromium lives; override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The keychain service the e2e vaults use, apart from a real installation's `certdesk`. */
export const E2E_KEYCHAIN_SERVICE = 'certdesk-e2e';

/** One call through the bridge and what main answered. */
export interface RecordedCall {
  readonly channel: string;
  readonly envelope: Envelope;
}

/** A running app under test. */
export interface LaunchedApp {
  readonly page: Page;
  readonly dataDir: string;
  /** Where the stubbed save dialog puts files. */
  readonly outDir: string;
  /** The services behind the handlers, for assertions (never handed to the page). */
  readonly container: Container;
  /** Every call the page made, with main's envelope, in order. */
  readonly calls: readonly RecordedCall[];
  /** Paths the save dialog was asked for. */
  readonly saved: readonly string[];
  /** Sends an event to the page as main's webContents.send would. */
  emit<E extends keyof CertdeskEvents>(event: E, payload: CertdeskEvents[E]): Promise<void>;
  close(): Promise<void>;
}

function serveRenderer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    const file = join(RENDERER, path === '/' ? 'index.html' : path);
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

/** Launches Chromium on the built renderer with a fresh data directory and real services. */
export async function launchApp(): Promise<LaunchedApp> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('renderer not built: the e2e global setup builds it');
  const dataDir = await mkdtemp(join(tmpdir(), 'certdesk-e2e-'));
  const outDir = await mkdtemp(join(tmpdir(), 'certdesk-e2e-out-'));
  const container = await openContainer({ dataDir, keychain: createOsKeychain(), keychainService: E2E_KEYCHAIN_SERVICE });
  const saved: string[] = [];
  const dialogs: DialogAdapter = {
    async chooseSavePath({ defaultName }) {
      const path = join(outDir, defaultName);
      saved.push(path);
      return path;
    },
  };
  const handlers = createHandlers({ appInfo: () => ({ name: 'Certdesk', version: 'e2e', platform: process.platform }), container, dialogs });
  const calls: RecordedCall[] = [];
  const { server, url } = await serveRenderer();
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  await context.exposeBinding('__certdeskInvoke', async (_source, channel: string, args: unknown[]) => {
    const envelope = await dispatch(handlers, channel, args);
    calls.push({ channel, envelope });
    return envelope;
  });
  await context.addInitScript({ path: join(ROOT, 'out', 'e2e', 'bridge.js') });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('app-ready').waitFor();
  return {
    page,
    dataDir,
    outDir,
    container,
    calls,
    saved,
    async emit(event, payload) {
      await page.evaluate(([channel, p]) => (window as unknown as { __certdeskEmit(c: string, p: unknown): void }).__certdeskEmit(channel, p), [EVENT_CHANNELS[event], payload] as const);
    },
    async close() {
      await browser.close();
      server.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
