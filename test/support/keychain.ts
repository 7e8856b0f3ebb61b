/**
 * Tells keychain tests whether a real Secret Service (or the OS keychain elsewhere) is reachable.
 *
 * `npm test` (scripts/test.mjs) runs everything inside a private D-Bus session with an unlocked
 * throwaway gnome-keyring and sets CERTDESK_TEST_SESSION=1: there, an unreachable keychain must
 * fail the tests. Run on their own (plain `npx vitest run …`) keychain tests skip with a printed
 * reason instead. To run them by hand:
 * `HOME=$(mktemp -d) dbus-run-session -- bash -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run FILE'`.
 */
import { randomBytes } from 'node:crypto';
import { createOsKeychain } from '../../main/vault/keychain.js';

/** Whether the keychain can store and return a secret, and why not. */
export interface SecretServiceStatus {
  readonly available: boolean;
  readonly reason: string;
}

/** True inside `npm test`'s keyring session, where keychain tests must not skip. */
export const keychainRequired = process.env.CERTDESK_TEST_SESSION === '1';

const PROBE_TIMEOUT_MS = 10_000;
let cached: Promise<SecretServiceStatus> | undefined;

async function probe(): Promise<SecretServiceStatus> {
  const keychain = createOsKeychain();
  const service = 'certdesk-test-probe';
  const account = `probe-${randomBytes(6).toString('hex')}`;
  const secret = randomBytes(16).toString('base64');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    // A session bus with an auto-started but locked or collection-less keyring answers `get` but refuses `set`.
    await Promise.race([keychain.set(service, account, secret), timeout]);
    const back = await Promise.race([keychain.get(service, account), timeout]);
    await Promise.race([keychain.delete(service, account), timeout]);
    if (back !== secret) return { available: false, reason: 'the keychain accepted a secret but did not return it' };
    return { available: true, reason: 'a Secret Service stored and returned a probe secret' };
  } catch (err) {
    return { available: false, reason: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Probes the OS keychain once per process (store, read back and delete a random secret). */
export function secretServiceStatus(): Promise<SecretServiceStatus> {
  cached ??= probe();
  return cached;
}

/** True when the OS keychain (a Secret Service on Linux) can store and return secrets. */
export async function secretServiceAvailable(): Promise<boolean> {
  return (await secretServiceStatus()).available;
}

/**
 * Whether keychain tests in `suite` should skip: only when no keychain is reachable AND this is
 * not `npm test`'s keyring session. Prints the reason when it skips.
 */
export async function skipKeychainTests(suite: string): Promise<boolean> {
  const status = await secretServiceStatus();
  if (status.available || keychainRequired) return false;
  console.warn(
    `[${suite}] skipping keychain tests: no Secret Service is reachable (${status.reason}). ` +
      'Run them with `npm test`, or inside `dbus-run-session` with an unlocked gnome-keyring (see test/support/keychain.ts).',
  );
  return true;
}
