import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../../shared/errors.js';
import { STORE_PROJECT_VERSION } from '../../../../main/store/migrations.js';
import { STORE_SCHEMA_VERSION, type KeyRecord } from '../../../../main/store/schema.js';
import { createStore, storeFileProblem, type ConfClass, type ConfLike, type ConfOptions } from '../../../../main/store/store.js';
import { tempDir } from '../../../support/openssl.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir('certdesk-store-');
  cleanups.push(t.cleanup);
  return t.dir;
}

const key: KeyRecord = {
  id: 'k_0123456789abcdef',
  algorithm: 'EC',
  curve: 'P-256',
  keyType: 'ec-p256',
  spkiSha256: 'a'.repeat(64),
  label: 'web',
  createdAt: '2026-11-23T07:06:00Z',
  source: 'generated',
  uploads: [],
};

const fixedNow = () => new Date('2026-11-23T07:06:05.123Z');

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

describe('createStore', () => {
  it('creates a fresh store with the current layout, mode 0600', async () => {
    const d = dir();
    const store = await createStore({ cwd: d });
    expect(store.path).toBe(join(d, 'config.json'));
    expect(store.recoveredFrom).toBeNull();
    expect(store.read()).toMatchObject({ schemaVersion: STORE_SCHEMA_VERSION, keys: [], pendingRequests: [] });
    const onDisk = json(store.path);
    expect(onDisk).toMatchObject({ schemaVersion: STORE_SCHEMA_VERSION, keys: [], pendingRequests: [] });
    expect(onDisk.__internal__).toEqual({ migrations: { version: STORE_PROJECT_VERSION } });
    if (process.platform !== 'win32') expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('persists writes across reopening', async () => {
    const d = dir();
    const store = await createStore({ cwd: d });
    store.update('keys', (keys) => [...keys, key]);
    store.set('pendingRequests', [
      { id: 'r1', keyId: key.id, subject: 'CN=example.com', sans: [{ type: 'dns', value: 'example.com' }], createdAt: '2026-11-23T07:06:00Z' },
    ]);
    const again = await createStore({ cwd: d });
    expect(again.get('keys')).toEqual([key]);
    expect(again.get('pendingRequests')).toHaveLength(1);
    expect(readdirSync(d).sort()).toEqual(['config.json']);
  });

  it('refuses to write an invalid value and leaves the file alone', async () => {
    const store = await createStore({ cwd: dir() });
    const before = readFileSync(store.path, 'utf8');
    expect(() => store.set('keys', [{ ...key, spkiSha256: 'nope' }])).toThrow(/spkiSha256/);
    expect(() => store.set('keys', [key, key])).toThrow(/repeats the key id/);
    expect(readFileSync(store.path, 'utf8')).toBe(before);
  });

  it.each([
    ['not JSON', '{"keys": [', /not valid JSON/],
    ['an array', '[1, 2]', /does not hold a JSON object/],
    ['null', 'null', /does not hold a JSON object/],
    ['empty', '', /not valid JSON/],
    ['a schema violation', JSON.stringify({ schemaVersion: 1, keys: [{ id: 'x' }], pendingRequests: [] }), /store schema: keys\[0\]/],
  ])('moves %s aside, reports it, and starts empty', async (_name, content, reason) => {
    const d = dir();
    writeFileSync(join(d, 'config.json'), content);
    const warnings: string[] = [];
    const store = await createStore({ cwd: d, now: fixedNow, onWarning: (w) => warnings.push(w) });
    const aside = join(d, 'config.corrupt-2026-11-23T07-06-05Z.json');
    expect(store.recoveredFrom).toBe(aside);
    expect(readFileSync(aside, 'utf8')).toBe(content);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(d, 'config.json'));
    expect(warnings[0]).toContain(aside);
    expect(warnings[0]).toMatch(reason);
    expect(store.get('keys')).toEqual([]);
  });

  it('never overwrites an earlier backup', async () => {
    const d = dir();
    writeFileSync(join(d, 'config.json'), 'garbage 1');
    await createStore({ cwd: d, now: fixedNow });
    writeFileSync(join(d, 'config.json'), 'garbage 2');
    const second = await createStore({ cwd: d, now: fixedNow });
    expect(second.recoveredFrom).toBe(join(d, 'config.corrupt-2026-11-23T07-06-05Z-1.json'));
    expect(readFileSync(join(d, 'config.corrupt-2026-11-23T07-06-05Z.json'), 'utf8')).toBe('garbage 1');
    expect(readFileSync(second.recoveredFrom!, 'utf8')).toBe('garbage 2');
  });

  it('migrates a store from before schemaVersion, keeping its data', async () => {
    const d = dir();
    writeFileSync(join(d, 'config.json'), JSON.stringify({ keys: [key], somethingElse: 42 }));
    const store = await createStore({ cwd: d });
    expect(store.recoveredFrom).toBeNull();
    expect(store.read()).toMatchObject({ schemaVersion: STORE_SCHEMA_VERSION, keys: [key], pendingRequests: [] });
    expect(json(store.path).somethingElse).toBe(42);
  });

  it('moves aside (with its original bytes) an old store that is still invalid after migration', async () => {
    const d = dir();
    const original = JSON.stringify({ keys: 'oops' });
    writeFileSync(join(d, 'config.json'), original);
    const warnings: string[] = [];
    const store = await createStore({ cwd: d, now: fixedNow, onWarning: (w) => warnings.push(w) });
    expect(store.recoveredFrom).not.toBeNull();
    expect(readFileSync(store.recoveredFrom!, 'utf8')).toBe(original);
    expect(warnings[0]).toMatch(/after migration it fails the store schema: keys must be an array/);
    expect(store.get('keys')).toEqual([]);
  });

  it('opens a store written by a newer Certdesk and keeps fields it does not know', async () => {
    const d = dir();
    const newer = {
      schemaVersion: 7,
      keys: [{ ...key, futureField: true }],
      pendingRequests: [],
      accounts: [],
      inventory: [],
      versions: [],
      tasks: [],
      sandboxProvisioned: true,
      futureThings: [{ name: 'x' }],
      __internal__: { migrations: { version: '7.0.0' } },
    };
    writeFileSync(join(d, 'config.json'), JSON.stringify(newer));
    const store = await createStore({ cwd: d });
    expect(store.recoveredFrom).toBeNull();
    store.set('pendingRequests', []);
    const onDisk = json(store.path);
    expect(onDisk.futureThings).toEqual([{ name: 'x' }]);
    expect(onDisk.schemaVersion).toBe(7);
    expect((onDisk.__internal__ as { migrations: { version: string } }).migrations.version).toBe('7.0.0');
  });

  it('reports a file that goes bad while open as STORE_CORRUPT naming it', async () => {
    const store = await createStore({ cwd: dir() });
    writeFileSync(store.path, '{');
    try {
      store.get('keys');
      expect.unreachable();
    } catch (err) {
      expect(isCertdeskError(err) && err.code).toBe('STORE_CORRUPT');
      expect((err as Error).message).toContain(store.path);
    }
  });

  it('reports a failed write as STORE_WRITE_FAILED naming the file', async () => {
    const { default: Conf } = await import('conf');
    let broken = false;
    class Failing extends (Conf as unknown as ConfClass) {
      override set(key: string, value: unknown): void {
        if (broken) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        super.set(key, value);
      }
    }
    const store = await createStore({ cwd: dir(), Conf: Failing });
    broken = true;
    expect(() => store.set('keys', [key])).toThrow(expect.objectContaining({ code: 'STORE_WRITE_FAILED' }));
    expect(() => store.set('keys', [key])).toThrow(new RegExp(store.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('reports an I/O failure while opening as STORE_WRITE_FAILED and leaves the file alone', async () => {
    const d = dir();
    const content = JSON.stringify({ keys: [key] });
    writeFileSync(join(d, 'config.json'), content);
    const { default: Conf } = await import('conf');
    class ReadOnlyDisk extends (Conf as unknown as ConfClass) {
      constructor(options: ConfOptions) {
        super(options);
        throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
      }
    }
    await expect(createStore({ cwd: d, Conf: ReadOnlyDisk })).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
    expect(readdirSync(d)).toEqual(['config.json']);
  });

  it('never moves a good store aside when the store code itself fails (e.g. a broken build)', async () => {
    const d = dir();
    const content = JSON.stringify({ keys: [key] });
    writeFileSync(join(d, 'config.json'), content);
    class NotAConstructor {
      constructor() {
        throw new TypeError('ConfImpl is not a constructor');
      }
    }
    await expect(createStore({ cwd: d, Conf: NotAConstructor as unknown as ConfClass })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(readdirSync(d)).toEqual(['config.json']);
    expect(readFileSync(join(d, 'config.json'), 'utf8')).toBe(content);
  });

  it('reports a data directory that cannot be created', async () => {
    const d = dir();
    writeFileSync(join(d, 'file'), '');
    await expect(createStore({ cwd: join(d, 'file', 'sub') })).rejects.toMatchObject({
      code: 'STORE_WRITE_FAILED',
      message: expect.stringContaining(join(d, 'file', 'sub')),
    });
  });

  it('takes electron-store style classes (same options, same members)', async () => {
    const seen: ConfOptions[] = [];
    const { default: Conf } = await import('conf');
    const Spy = class extends (Conf as unknown as ConfClass) implements ConfLike {
      constructor(options: ConfOptions) {
        seen.push(options);
        super(options);
      }
    };
    const d = dir();
    await createStore({ cwd: d, Conf: Spy });
    expect(seen[0]).toMatchObject({ cwd: d, configName: 'config', projectVersion: STORE_PROJECT_VERSION, clearInvalidConfig: false });
    expect(existsSync(join(d, 'config.json'))).toBe(true);
  });
});

describe('storeFileProblem', () => {
  it('accepts valid and older stores, names the problem of others', () => {
    expect(storeFileProblem(JSON.stringify({ schemaVersion: 1, keys: [], pendingRequests: [] }))).toBeNull();
    expect(storeFileProblem('{}')).toBeNull();
    expect(storeFileProblem(JSON.stringify({ schemaVersion: STORE_SCHEMA_VERSION }))).toMatch(/keys must be an array/);
    expect(storeFileProblem('\u0000\u0001')).toMatch(/not valid JSON/);
  });
});
