/** Builds the renderer and the browser bridge once before the e2e run. */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), 'build'], { stdio: 'inherit' });
  // The same createApi the preload uses, bundled for the page, over a Playwright binding.
  await build({
    entryPoints: ['test/e2e/bridge-entry.ts'],
    outfile: 'out/e2e/bridge.js',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    logLevel: 'warning',
  });
}
