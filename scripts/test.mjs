#!/usr/bin/env node
// `npm test`: typecheck, lint, unit + integration tests (Vitest) and end-to-end tests (Playwright).
//
// On Linux the whole run happens inside a private D-Bus session with a throwaway, unlocked
// gnome-keyring, so keychain tests talk to a real Secret Service and never touch the user's own
// keyring. Usage: `npm test` (everything) or `npm test -- unit|e2e|lint|typecheck|bench-smoke …`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const ALL_STEPS = ['typecheck', 'lint', 'unit', 'e2e'];
const steps = args.length > 0 ? args : ALL_STEPS;

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

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

/** Re-executes this script inside `dbus-run-session` with a throwaway HOME. */
async function enterKeyringSession() {
  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((c) => !has(c));
  if (missing.length > 0) {
    console.error(
      `test: ${missing.join(', ')} not found. Keychain tests need a real Secret Service: ` +
        'install the Debian packages dbus, gnome-keyring and libsecret-1-dev (see README "Test prerequisites").',
    );
    process.exit(1);
  }
  const home = mkdtempSync(join(tmpdir(), 'certdesk-test-home-'));
  mkdirSync(join(home, '.local', 'share', 'keyrings'), { recursive: true });
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_RUNTIME_DIR: home,
    CERTDESK_TEST_SESSION: '1',
    CERTDESK_TEST_HOME: home,
  };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.GNOME_KEYRING_CONTROL;
  const code = await run('dbus-run-session', ['--', process.execPath, fileURLToPath(import.meta.url), ...steps], env);
  rmSync(home, { recursive: true, force: true });
  process.exit(code);
}

/** Starts an unlocked secrets-only gnome-keyring in the current D-Bus session. */
function startKeyring() {
  const res = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: 'certdesk-test-keyring',
    encoding: 'utf8',
    env: process.env,
  });
  if (res.status !== 0) {
    console.error(`test: gnome-keyring-daemon failed to start: ${res.stderr || res.error?.message}`);
    process.exit(1);
  }
  for (const line of res.stdout.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
}

async function main() {
  if (process.platform === 'linux' && process.env.CERTDESK_TEST_SESSION !== '1') {
    await enterKeyringSession();
    return;
  }
  if (process.platform === 'linux') startKeyring();
  const dummyElectron = join(tmpdir(), 'certdesk-no-electron-dist');
  mkdirSync(dummyElectron, { recursive: true });
  const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: process.env.ELECTRON_OVERRIDE_DIST_PATH ?? dummyElectron };
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  const commands = {
    typecheck: [[bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']], [bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']], [bin('tsc'), ['-p', 'tsconfig.e2e.json', '--noEmit']]],
    lint: [[bin('eslint'), ['--max-warnings', '0', '.']]],
    unit: [[bin('vitest'), ['run']]],
    e2e: existsSync(join(root, 'playwright.config.ts')) ? [[process.execPath, [join(root, 'scripts', 'e2e.mjs')]]] : [],
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
