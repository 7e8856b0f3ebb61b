import { describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../../shared/errors.js';
import {
  classifyKeychainError,
  createOsKeychain,
  keychainUnavailable,
  type KeytarApi,
} from '../../../../main/vault/keychain.js';

// Messages libsecret/keytar really produce (seen on Debian 12 under the conditions named).
const NO_BUS_ADDRESS = 'Cannot autolaunch D-Bus without X11 $DISPLAY';
const DEAD_BUS = 'Could not connect: No such file or directory';
const NO_SERVICE = 'The name org.freedesktop.secrets was not provided by any .service files';
const NO_COLLECTION = 'Object does not exist at path “/org/freedesktop/secrets/collection/login”';

function failing(message: string): KeytarApi {
  const fail = () => Promise.reject(new Error(message));
  return { getPassword: fail, setPassword: fail, deletePassword: fail };
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isCertdeskError(err)) return { code: err.code, message: err.message };
    return { code: 'not a CertdeskError', message: String(err) };
  }
  return { code: 'no error', message: '' };
}

describe('keychain error mapping', () => {
  it('classifies the Secret Service failures', () => {
    expect(classifyKeychainError(NO_BUS_ADDRESS)).toBe('no-dbus');
    expect(classifyKeychainError(DEAD_BUS)).toBe('no-dbus');
    expect(classifyKeychainError(NO_SERVICE)).toBe('no-service');
    expect(classifyKeychainError(NO_COLLECTION)).toBe('no-service');
    expect(classifyKeychainError('Cannot create an item in a locked collection')).toBe('locked');
    expect(classifyKeychainError('GDBus.Error:org.freedesktop.DBus.Error.NoReply: Message recipient disconnected')).toBe(
      'no-service',
    );
    expect(classifyKeychainError('anything', 'load')).toBe('module');
  });

  it.each([NO_BUS_ADDRESS, DEAD_BUS, NO_SERVICE, NO_COLLECTION, 'Cannot create an item in a locked collection'])(
    'turns "%s" into KEYCHAIN_UNAVAILABLE for every operation',
    async (message) => {
      const keychain = createOsKeychain({ load: async () => failing(message), platform: 'linux' });
      for (const op of [keychain.get('s', 'a'), keychain.set('s', 'a', 'S3cr3t-value'), keychain.delete('s', 'a')]) {
        const err = await errorOf(op);
        expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
        expect(err.message).toContain(message);
        expect(err.message).not.toContain('S3cr3t-value');
      }
    },
  );

  it('says what to install on Linux', () => {
    const msg = keychainUnavailable(new Error(NO_SERVICE), 'linux').message;
    expect(msg).toContain('gnome-keyring');
    expect(msg).toContain('libsecret-1-0');
    expect(msg).toContain('D-Bus');
    expect(msg).toContain('unlock');
    expect(keychainUnavailable(new Error('Cannot create an item in a locked collection'), 'linux').message).toMatch(/locked: unlock/);
  });

  it('says what to unlock on macOS and Windows', () => {
    expect(keychainUnavailable(new Error('User interaction is not allowed.'), 'darwin').message).toContain('login keychain');
    expect(keychainUnavailable(new Error('Element not found.'), 'win32').message).toContain('Credential Manager');
  });

  it('reports a keytar that cannot be loaded, and retries the load next time', async () => {
    let loads = 0;
    const keychain = createOsKeychain({
      platform: 'linux',
      load: async () => {
        loads++;
        if (loads === 1) throw new Error('libsecret-1.so.0: cannot open shared object file');
        return { getPassword: async () => 'v', setPassword: async () => undefined, deletePassword: async () => true };
      },
    });
    const err = await errorOf(keychain.get('s', 'a'));
    expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(err.message).toContain('keytar');
    expect(err.message).toContain('libsecret-1-0');
    expect(await keychain.get('s', 'a')).toBe('v');
    expect(loads).toBe(2);
  });

  it('passes results through when keytar works', async () => {
    const store = new Map<string, string>();
    const keychain = createOsKeychain({
      load: async () => ({
        getPassword: async (s, a) => store.get(`${s}/${a}`) ?? null,
        setPassword: async (s, a, p) => void store.set(`${s}/${a}`, p),
        deletePassword: async (s, a) => store.delete(`${s}/${a}`),
      }),
    });
    expect(await keychain.get('s', 'a')).toBeNull();
    await keychain.set('s', 'a', 'x');
    expect(await keychain.get('s', 'a')).toBe('x');
    expect(await keychain.delete('s', 'a')).toBe(true);
    expect(await keychain.delete('s', 'a')).toBe(false);
  });
});
