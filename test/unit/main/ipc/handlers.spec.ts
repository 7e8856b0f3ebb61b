// The handler table: one validating handler per method, the envelope, and what never leaks.
import { describe, expect, it, vi } from 'vitest';
import { API, apiMethods, type ApiImplementation } from '../../../../shared/api.js';
import { CertdeskError } from '../../../../shared/errors.js';
import { bindHandlers, dispatch } from '../../../../main/ipc/handlers.js';

/** An implementation whose every method records its call and resolves to `null`. */
function spyImplementation(): { impl: ApiImplementation; calls: string[] } {
  const calls: string[] = [];
  const impl: Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>> = {};
  for (const [ns, name] of apiMethods()) {
    impl[ns] ??= {};
    (impl[ns] as Record<string, (...a: unknown[]) => Promise<unknown>>)[name] = vi.fn(async () => {
      calls.push(`${ns}.${name}`);
      return null;
    });
  }
  return { impl: impl as unknown as ApiImplementation, calls };
}

/** Arguments that pass each method's schema. */
const VALID: Readonly<Record<string, readonly unknown[]>> = {
  'app:info': [],
  'keys:list': [],
  'keys:generate': [{ type: 'ec-p256' }],
  'keys:import': [{ files: [{ name: 'k.pem', bytes: new Uint8Array([1]) }] }],
  'keys:delete': [{ id: 'k_0123456789abcdef' }],
  'pki:inspect': [{ files: [{ name: 'a.pem', bytes: new Uint8Array([1]), password: 'pw' }] }],
  'pki:verify': [{ files: [{ name: 'a.pem', bytes: new Uint8Array([1]) }], host: 'example.com' }],
  'csr:check-sans': [['example.com']],
  'csr:preview': [{ subject: { commonName: 'example.com' }, sans: [] }],
  'csr:create': [{ newKeyType: 'ec-p256', subject: { commonName: 'example.com' }, sans: [] }],
  'csr:pending': [],
  'settings:get': [],
  'settings:set': [{ theme: 'dark' }],
  'dialogs:save-text': [{ defaultName: 'example.csr', content: 'x' }],
  'keys:export': [{ id: 'k_0123456789abcdef', format: 'pkcs12', password: 'pw' }],
  'accounts:list': [],
  'accounts:add': [{ provider: 'cdnpro', name: 'Prod', endpoint: 'https://api.example.com', user: 'me', secret: 's3cret' }],
  'accounts:test': [{ account: 'Prod' }],
  'accounts:remove': [{ account: 'Prod' }],
  'certificates:list': [{ refresh: true }],
  'certificates:show': [{ account: 'Sandbox', certificate: 'www' }],
  'certificates:create': [{ account: 'Sandbox', name: 'www', material: { kind: 'self-signed', commonName: 'www.example.com', sans: [], keyType: 'ec-p256' } }],
  'certificates:delete': [{ account: 'Sandbox', certificate: 'www' }],
  'versions:add': [{ account: 'Sandbox', certificate: 'www', material: { kind: 'files', files: [{ name: 'a.pem', bytes: new Uint8Array([1]) }] }, comment: 'renewal' }],
  'versions:csr': [{ account: 'Sandbox', certificate: 'www' }],
  'versions:rekey-template': [{ account: 'Sandbox', certificate: 'www' }],
  'deployments:start': [{ account: 'Sandbox', certificate: 'www', env: 'production', action: 'deploy', version: 2 }],
  'deployments:promote': [{ account: 'Sandbox', certificate: 'www' }],
  'deployments:rollback': [{ account: 'Sandbox', certificate: 'www', env: 'production', version: 1 }],
  'deployments:diff': [{ account: 'Sandbox', certificate: 'www', env: 'staging', version: 1 }],
  'tasks:list': [],
  'tasks:get': [{ id: 't_0123456789abcdef' }],
  'tasks:retry': [{ id: 't_0123456789abcdef' }],
  'expiry:overview': [],
};

describe('bindHandlers', () => {
  it('registers exactly one handler per method of the table', () => {
    const { impl } = spyImplementation();
    const handlers = bindHandlers(impl);
    expect([...handlers.keys()].sort()).toEqual(apiMethods().map(([, , s]) => s.channel).sort());
    expect(Object.keys(VALID).sort()).toEqual([...handlers.keys()].sort());
  });

  it('passes valid arguments through to the implementation', async () => {
    const { impl, calls } = spyImplementation();
    const handlers = bindHandlers(impl);
    for (const [channel, args] of Object.entries(VALID)) {
      const res = await dispatch(handlers, channel, args);
      expect(res, channel).toEqual({ ok: true, value: null });
    }
    expect(calls).toHaveLength(Object.keys(VALID).length);
  });

  it('answers INVALID_ARGUMENT for every method given garbage, without calling the implementation', async () => {
    const { impl, calls } = spyImplementation();
    const handlers = bindHandlers(impl);
    const garbage: readonly (readonly unknown[])[] = [[{ __proto__: null, x: 1 }, 2], ['x', 'y', 'z'], [null, null]];
    for (const channel of handlers.keys()) {
      for (const args of garbage) {
        const res = await dispatch(handlers, channel, args);
        expect(res.ok, `${channel} ${JSON.stringify(args)}`).toBe(false);
        if (!res.ok) expect(res.error.code).toBe('INVALID_ARGUMENT');
      }
    }
    expect(calls).toEqual([]);
  });

  it('names the argument and the problem but never echoes a value (a password may be in it)', async () => {
    const handlers = bindHandlers(spyImplementation().impl);
    const res = await dispatch(handlers, API.pki.inspect.channel, [{ files: [{ name: 'a.p12', bytes: 'not bytes', password: 'hunter2-secret' }] }]);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('INVALID_ARGUMENT');
    expect(res.error.message).toContain('pki:inspect');
    expect(res.error.message).toContain('argument 1 (files.0.bytes)');
    expect(res.error.message).not.toContain('hunter2');
    expect(res.error.message).not.toContain('not bytes');
  });

  it('never echoes an account secret or export password it refuses', async () => {
    const handlers = bindHandlers(spyImplementation().impl);
    const bad = await dispatch(handlers, 'accounts:add', [{ provider: 'akamai', name: 'X', endpoint: 'https://x', secret: 'tok-hunter2' }]);
    expect(bad.ok ? '' : bad.error.message).toMatch(/argument 1 \(provider\)/);
    expect(JSON.stringify(bad)).not.toContain('hunter2');
    const pw = await dispatch(handlers, 'keys:export', [{ id: 'k_0123456789abcdef', format: 'pkcs12', password: 'hunter2', extra: 1 }]);
    expect(pw.ok).toBe(false);
    expect(JSON.stringify(pw)).not.toContain('hunter2');
  });

  it('refuses a file over 10 MiB before main reads it', async () => {
    const { impl, calls } = spyImplementation();
    const res = await dispatch(bindHandlers(impl), 'pki:inspect', [{ files: [{ name: 'big.pem', bytes: new Uint8Array(10 * 1024 * 1024 + 1) }] }]);
    expect(res.ok ? null : res.error.code).toBe('INVALID_ARGUMENT');
    expect(calls).toEqual([]);
  });

  it('refuses to bind an incomplete implementation', () => {
    const { impl } = spyImplementation();
    const broken = { ...impl, csr: { ...impl.csr, pending: undefined } } as unknown as ApiImplementation;
    expect(() => bindHandlers(broken)).toThrow(/csr:pending/);
  });
});

describe('dispatch', () => {
  const one = (fn: () => Promise<unknown>) => new Map([['x:y', fn]]);

  it('turns a CertdeskError into an error envelope with only the safe details', async () => {
    const res = await dispatch(one(async () => {
      throw new CertdeskError('PASSWORD_REQUIRED', 'a.p12 is protected by a password', { file: 'a.p12', field: 'password', secret: 'x' });
    }), 'x:y', []);
    expect(res).toEqual({ ok: false, error: { code: 'PASSWORD_REQUIRED', message: 'a.p12 is protected by a password', details: { file: 'a.p12', field: 'password' } } });
  });

  it('hides unexpected errors behind INTERNAL and reports them to main only', async () => {
    const seen: unknown[] = [];
    const res = await dispatch(one(async () => {
      throw new Error('at /home/me/secret/path: boom');
    }), 'x:y', [], (_ch, err) => seen.push(err));
    expect(res).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Unexpected error in Certdesk; see the log' } });
    expect(seen).toHaveLength(1);
  });

  it('answers USAGE for an unknown channel', async () => {
    const res = await dispatch(new Map(), 'keys:steal', []);
    expect(res.ok ? null : res.error.code).toBe('USAGE');
  });
});
