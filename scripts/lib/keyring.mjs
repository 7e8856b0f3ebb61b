// A private D-Bus session with a throwaway, unlocked gnome-keyring, for tests and benchmarks that
// need a real Secret Service without touching the user's own keyring (Linux only).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * On Linux outside a keyring session, re-runs `scriptUrl` with `args` inside `dbus-run-session`
 * with a throwaway HOME and exits with its status; inside the session, starts the keyring and returns.
 */
export async function ensureKeyringSession(scriptUrl, args) {
  if (process.platform !== 'linux') return;
  if (process.env.CERTDESK_TEST_SESSION === '1') {
    startKeyring();
    return;
  }
  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((c) => !has(c));
  if (missing.length > 0) {
    console.error(
      `${missing.join(', ')} not found. Keychain tests need a real Secret Service: install the Debian packages ` +
        'dbus, gnome-keyring and libsecret-1-dev (see README "Test prerequisites").',
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
  const code = await new Promise((resolve) => {
    const child = spawn('dbus-run-session', ['--', process.execPath, fileURLToPath(scriptUrl), ...args], { stdio: 'inherit', env });
    child.on('exit', (c, signal) => resolve(signal ? 1 : (c ?? 1)));
    child.on('error', () => resolve(1));
  });
  rmSync(home, { recursive: true, force: true });
  process.exit(code);
}

/** Starts an unlocked secrets-only gnome-keyring in the current D-Bus session and exports its env. */
function startKeyring() {
  const res = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: 'certdesk-test-keyring',
    encoding: 'utf8',
    env: process.env,
  });
  if (res.status !== 0) {
    console.error(`gnome-keyring-daemon failed to start: ${res.stderr || res.error?.message}`);
    process.exit(1);
  }
  for (const line of res.stdout.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
}
