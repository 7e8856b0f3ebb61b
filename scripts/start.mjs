#!/usr/bin/env node
// `npm start`: build the app with electron-vite and launch it in Electron.
//
// Electron ≥ 42 fetches its binary lazily. Where it is missing and cannot be fetched (offline build
// machines), say so in one clear line instead of a stack trace; the CLI works without Electron.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The Electron executable if it is present, without triggering electron's own download. */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel ?? 'electron');
    return existsSync(p) ? p : null;
  }
  if (rel && existsSync(join(pkgDir, 'dist', rel))) return join(pkgDir, 'dist', rel);
  // Try the lazy download once, quietly; it fails fast when the network is closed.
  const res = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'pipe', timeout: 300_000 });
  if (res.status === 0 && existsSync(pathFile)) {
    const p = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    if (existsSync(p)) return p;
  }
  return null;
}

const bin = electronBinary();
if (!bin) {
  console.error(
    'certdesk: the Electron runtime is not installed and could not be downloaded here, so the desktop app cannot start; ' +
      'run "npx install-electron" where GitHub is reachable (or set ELECTRON_OVERRIDE_DIST_PATH), or use the CLI: npx certdesk --help',
  );
  process.exit(1);
}
const build = spawnSync(process.execPath, [join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), 'build'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const child = spawn(bin, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
