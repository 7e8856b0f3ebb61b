#!/usr/bin/env node
// Runs the Playwright suites (Chromium e2e + the _electron suite, which skips with a reason where
// the Electron binary is missing).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const cli = require.resolve('@playwright/test/cli');
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Nothing here may trigger Electron's lazy binary download.
const env = { ...process.env };
if (!env.ELECTRON_OVERRIDE_DIST_PATH) {
  env.ELECTRON_OVERRIDE_DIST_PATH = join(tmpdir(), 'certdesk-no-electron-dist');
  mkdirSync(env.ELECTRON_OVERRIDE_DIST_PATH, { recursive: true });
}
const res = spawnSync(process.execPath, [cli, 'test', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(res.status ?? 1);
