/**
 * `launchApp()`: the built renderer in Debian Chromium with window.certdesk bridged to main's real
 * handler table, on a fresh data directory; resolves once the app shows its ready state.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { createHandlers, dispatch } from '../../main/ipc/handlers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RENDERER = join(ROOT, 'out', 'renderer');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** Where Debian's Chromium lives; override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A running app under test. */
export interface LaunchedApp {
  readonly page: Page;
  readonly dataDir: string;
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

/** Launches Chromium on the built renderer with a fresh data directory. */
export async function launchApp(): Promise<LaunchedApp> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('renderer not built: the e2e global setup builds it');
  const dataDir = await mkdtemp(join(tmpdir(), 'certdesk-e2e-'));
  const handlers = createHandlers({ appInfo: () => ({ name: 'Certdesk', version: 'e2e', platform: process.platform }) });
  const { server, url } = await serveRenderer();
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext();
  await context.exposeBinding('__certdeskInvoke', (_source, channel: string, args: unknown[]) => dispatch(handlers, channel, args));
  await context.addInitScript({ path: join(ROOT, 'out', 'e2e', 'bridge.js') });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('app-ready').filter({ hasNotText: 'Starting' }).waitFor();
  return {
    page,
    dataDir,
    async close() {
      await browser.close();
      server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
