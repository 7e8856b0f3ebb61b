/**
 * `launchApp()`: the built renderer in Debian Chromium with window.certdesk bridged to main's real
 * handler table over real services (store, vault sealed by the real OS keychain, audit log) on a
 * fresh data directory; resolves once the app shows its ready state.
 *
 * Each app gets its own CDN Pro sandbox on a free loopback port, with short deployment tasks and
 * no rate limit, and the default Sandbox account points at it (its API key is the one the account
 * keeps in the keychain, as with `certdesk sandbox`). Main's events (task progress and results,
 * inventory changes) reach the page as webContents.send would deliver them, and are recorded so
 * tests can wait on them.
 *
 * Only the native save dialog is replaced: it "chooses" `<outDir>/<suggested name>`, so tests can
 * read what the app saved. Every envelope main returns is recorded for the secrets check.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { EVENT_CHANNELS, type CertdeskEvents } from '../../shared/api.js';
import { createHandlers, dispatch, type Envelope } from '../../main/ipc/handlers.js';
import type { DialogAdapter } from '../../main/adapters/dialog-adapter.js';
import { startSandbox, type SandboxHandle } from '../../main/providers/sandbox/server.js';
import { openContainer, type Container } from '../../main/services/container.js';
import { createProviderFactory } from '../../main/services/provider-factory.js';
import { accountSecretEntry } from '../../main/services/account-service.js';
import { createOsKeychain } from '../../main/vault/keychain.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RENDERER = join(ROOT, 'out', 'renderer');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** Where Debian's Chromium lives; override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The keychain service the e2e vaults use, apart from a real installation's `certdesk`. */
export const E2E_KEYCHAIN_SERVICE = 'certdesk-e2e';

/** How long the sandbox's deployment tasks take in the e2e suite. */
export const E2E_TASK_MS = 1_500;

/** One event main sent the page. */
export interface RecordedEvent {
  readonly event: keyof CertdeskEvents;
  readonly payload: unknown;
}

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
  /** This app's CDN Pro sandbox (the Sandbox account points at it): fault injection, state. */
  readonly sandbox: SandboxHandle;
  /** Every event main sent the page, in order. */
  readonly events: readonly RecordedEvent[];
  /** Resolves with the first event (already sent or still to come) that `match` accepts. */
  waitForEvent<E extends keyof CertdeskEvents>(event: E, match?: (payload: CertdeskEvents[E]) => boolean, timeoutMs?: number): Promise<CertdeskEvents[E]>;
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

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What a test may change about the app it launches. */
export interface LaunchOptions {
  /** Trust anchors (DER) for every chain check instead of the Mozilla roots, e.g. the test CA's root. */
  readonly anchors?: readonly Uint8Array[];
}

/** Launches Chromium on the built renderer with a fresh data directory, real services and a sandbox of its own. */
export async function launchApp(options: LaunchOptions = {}): Promise<LaunchedApp> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('renderer not built: the e2e global setup builds it');
  const dataDir = await mkdtemp(join(tmpdir(), 'certdesk-e2e-'));
  const outDir = await mkdtemp(join(tmpdir(), 'certdesk-e2e-out-'));
  const port = await freePort();
  const keychain = createOsKeychain();
  const container = await openContainer({
    dataDir,
    keychain,
    keychainService: E2E_KEYCHAIN_SERVICE,
    sandboxUrl: `http://127.0.0.1:${port}`,
    // Tasks take ~1.5 s here; read them often so the suite waits on their end, not on the poll.
    poll: { initialMs: 150, maxMs: 400, expectedMs: E2E_TASK_MS },
    providers: createProviderFactory({ cdnpro: { rateLimiters: null, reconcileDelayMs: 0 } }),
    ...(options.anchors ? { anchors: options.anchors } : {}),
  });
  const provisioned = await container.accounts.sandboxAccount();
  if (provisioned === null) throw new Error('the e2e data directory has no Sandbox account');
  const sandbox = await startSandbox({ port, apiKey: provisioned.apiKey, taskDurationMs: E2E_TASK_MS, taskWaitingMs: 300, rateLimit: false });
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
  const emit = async <E extends keyof CertdeskEvents>(event: E, payload: CertdeskEvents[E]): Promise<void> => {
    await page.evaluate(([channel, p]) => (window as unknown as { __certdeskEmit(c: string, p: unknown): void }).__certdeskEmit(channel, p), [EVENT_CHANNELS[event], payload] as const);
  };
  // Main's events go to the page as webContents.send delivers them, and are recorded for waits.
  const events: RecordedEvent[] = [];
  const waiters = new Set<(e: RecordedEvent) => void>();
  let closed = false;
  const stopEvents = container.events.subscribe((event, payload) => {
    const recorded = { event, payload };
    events.push(recorded);
    for (const w of [...waiters]) w(recorded);
    if (!closed) void emit(event, payload).catch(() => undefined);
  });
  await page.goto(url);
  await page.getByTestId('app-ready').waitFor();
  return {
    page,
    dataDir,
    outDir,
    container,
    calls,
    saved,
    sandbox,
    events,
    emit,
    waitForEvent(event, match = () => true, timeoutMs = 30_000) {
      type P = CertdeskEvents[typeof event];
      const hit = events.find((e) => e.event === event && match(e.payload as P));
      if (hit) return Promise.resolve(hit.payload as P);
      return new Promise<P>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no ${event} event within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (e: RecordedEvent): void => {
          if (e.event !== event || !match(e.payload as P)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(e.payload as P);
        };
        waiters.add(waiter);
      });
    },
    async close() {
      closed = true;
      stopEvents();
      container.close();
      await browser.close();
      server.close();
      await sandbox.close();
      // The accounts' secrets leave the test keychain with the data directory.
      for (const a of container.store.get('accounts')) await keychain.delete(E2E_KEYCHAIN_SERVICE, accountSecretEntry(a.id)).catch(() => false);
      await rm(dataDir, { recursive: true, force: true });
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
