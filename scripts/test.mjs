#!/usr/bin/env node
// `npm test`: typecheck, lint, unit + integration tests (Vitest), end-to-end tests (Playwright) and the
// Electron security scan (Electronegativity).
//
// On Linux the whole run happens inside a private D-Bus session with a throwaway, unlocked
// gnome-keyring, so keychain tests talk to a real Secret Service and never touch the user's own
// keyring. Usage: `npm test` (everything) or `npm test -- typecheck|lint|unit|e2e|security` (one or more steps).
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { ensureKeyringSession } from './lib/keyring.mjs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const ALL_STEPS = ['typecheck', 'lint', 'unit', 'e2e', 'security'];
const steps = args.length > 0 ? args : ALL_STEPS;

function run(cmd, cmdArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
    child.on('error', (err) => {
      console.error(`test: could not start ${cmd}: ${err.message}`);
      resolve(1);
    });
  });
}

async function main() {
  await ensureKeyringSession(import.meta.url, steps);
  const dummyElectron = join(tmpdir(), 'certdesk-no-electron-dist');
  mkdirSync(dummyElectron, { recursive: true });
  const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: process.env.ELECTRON_OVERRIDE_DIST_PATH ?? dummyElectron };
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  const commands = {
    typecheck: [[bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']], [bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']], [bin('tsc'), ['-p', 'tsconfig.e2e.json', '--noEmit']]],
    lint: [[bin('eslint'), ['--max-warnings', '0', '.']]],
    unit: [[bin('vitest'), ['run']]],
    e2e: existsSync(join(root, 'playwright.config.ts')) ? [[process.execPath, [join(root, 'scripts', 'e2e.mjs')]]] : [],
    // Electronegativity over main/, renderer/ and a fresh build.
    security: [[process.execPath, [join(root, 'scripts', 'electronegativity.mjs')]]],
  };
  const results = [];
  for (const step of steps) {
    const cmds = commands[step];
    if (!cmds) {
      console.error(`test: unknown step "${step}"; steps are ${ALL_STEPS.join(', ')}`);
      process.exit(2);
    }
    console.log(`\n▶ ${step}`);
    let code = 0;
    for (const [cmd, cmdArgs] of cmds) {
      code = await run(cmd, cmdArgs, env);
      if (code !== 0) break;
    }
    results.push([step, code]);
  }
  const failed = results.filter(([, c]) => c !== 0);
  console.log(`\n${results.map(([s, c]) => `${s}: ${c === 0 ? 'ok' : 'FAILED'}`).join(', ')}`);
  console.log(`steps: ${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length === 0 ? 0 : 1);
}

await main();
