/**
 * The packaged wiring under the real Electron runtime (preload exposes exactly the contract,
 * window hardening). Runs only where the Electron binary exists; says why when it is skipped.
 */
import { test, expect, _electron as electron } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { apiMethods } from '../../shared/api.js';

const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
const reason = 'Electron binary not installed (Electron ≥ 42 downloads it lazily and this machine cannot reach the download); the Chromium e2e suite covers the renderer';
if (!bin) console.warn(`[skip] test/electron/packaged.e2e.ts: ${reason}`);

test.describe('packaged Electron app', () => {
  test.skip(!bin, reason);

  test('preload exposes exactly the contract and the window is hardened', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'certdesk-electron-'));
    const app = await electron.launch({ executablePath: bin as string, args: [join(import.meta.dirname, '..', '..')], env: { ...process.env, CERTDESK_DATA_DIR: dataDir } });
    try {
      const page = await app.firstWindow();
      await page.getByTestId('app-ready').waitFor({ state: 'attached' });
      const expected: Record<string, string[]> = {};
      for (const [ns, name] of apiMethods()) (expected[ns] ??= []).push(name);
      expected.events = ['onTaskProgress', 'onTaskFinished', 'onExpiryAlert', 'onInventoryChanged'];
      const shape = await page.evaluate(() => {
        const api = window.certdesk as unknown as Record<string, Record<string, unknown>>;
        return Object.fromEntries(Object.keys(api).map((ns) => [ns, Object.keys(api[ns] ?? {})]));
      });
      expect(shape).toEqual(expected);
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      // Sandboxed, isolated renderer: no Node globals leak into the page.
      const globals = await page.evaluate(() => ({
        process: typeof (window as unknown as { process?: unknown }).process,
        module: typeof (window as unknown as { module?: unknown }).module,
      }));
      expect(globals).toEqual({ process: 'undefined', module: 'undefined' });
      // New windows are denied.
      await page.evaluate(() => window.open('about:blank'));
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
