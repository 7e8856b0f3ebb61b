// Starting the embedded sandbox for the default Sandbox account: a real sandbox on the account's
// port with the account's API key and the data directory's state file; nothing for a removed or
// non-local account; a taken port reported, not thrown.
import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sandboxBinding, sandboxUrlFromEnv, startSandboxForAccount, taskTimings, type SandboxAutostart } from '../../../../main/adapters/sandbox-autostart.js';
import { authHeaders } from '../../../../main/providers/cdnpro/auth.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'certdesk-sbx-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function track(result: SandboxAutostart): SandboxAutostart {
  if (result.status === 'started') cleanups.push(() => result.handle.close());
  return result;
}

async function busyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('sandboxBinding', () => {
  it('binds loopback endpoints on their port', () => {
    expect(sandboxBinding('http://127.0.0.1:38360')).toEqual({ host: '127.0.0.1', port: 38360 });
    expect(sandboxBinding('http://localhost:4000/')).toEqual({ host: '127.0.0.1', port: 4000 });
    expect(sandboxBinding('http://[::1]:4001')).toEqual({ host: '::1', port: 4001 });
    expect(sandboxBinding('http://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 80 });
  });

  it('refuses what is not a local http address', () => {
    for (const url of ['https://127.0.0.1:38360', 'http://10.0.0.5:38360', 'https://api.cdnetworks.com', 'http://127.0.0.2:1', 'nonsense']) {
      expect(sandboxBinding(url), url).toHaveProperty('reason');
    }
  });
});

describe('sandboxUrlFromEnv', () => {
  it('reads CERTDESK_SANDBOX_PORT as the CLI does', () => {
    expect(sandboxUrlFromEnv({ CERTDESK_SANDBOX_PORT: '40123' })).toBe('http://127.0.0.1:40123');
    for (const raw of [undefined, '', '0', '65536', 'x', '-1', '80.5']) expect(sandboxUrlFromEnv({ CERTDESK_SANDBOX_PORT: raw }), String(raw)).toBeUndefined();
  });
});

describe('taskTimings', () => {
  it('reads CERTDESK_SANDBOX_TASK_SECONDS as certdesk sandbox --task-seconds does', () => {
    expect(taskTimings({ CERTDESK_SANDBOX_TASK_SECONDS: '2' })).toEqual({ taskDurationMs: 2000, taskWaitingMs: 400 });
    expect(taskTimings({ CERTDESK_SANDBOX_TASK_SECONDS: '180' })).toEqual({ taskDurationMs: 180_000, taskWaitingMs: 10_000 });
    for (const raw of [undefined, '', '0', '-1', '1.5', 'abc', '99999']) expect(taskTimings({ CERTDESK_SANDBOX_TASK_SECONDS: raw }), String(raw)).toEqual({});
  });
});

describe('startSandboxForAccount', () => {
  it('starts a real sandbox with the account’s key, persisting in the data directory', async () => {
    const dir = dataDir();
    const apiKey = 'k'.repeat(32);
    const result = track(
      await startSandboxForAccount({
        sandboxAccount: async () => ({ account: { name: 'Sandbox', endpoint: 'http://127.0.0.1:0' }, apiKey }),
        dataDir: dir,
        env: { CERTDESK_SANDBOX_TASK_SECONDS: '1' },
      }),
    );
    if (result.status !== 'started') throw new Error(`not started: ${JSON.stringify(result)}`);
    expect(result.handle.apiKey).toBe(apiKey);
    expect(result.handle.user).toBe('sandbox');
    expect(result.handle.stateFile).toBe(join(dir, 'cdnpro-sandbox.json'));
    // The account's credentials work against it, over real HTTP.
    const date = new Date().toUTCString();
    const res = await fetch(`${result.handle.url}/cdn/certificates`, { headers: { ...authHeaders({ user: 'sandbox', apiKey }, date), Accept: 'application/json' } });
    expect(res.status).toBe(200);
    const wrong = await fetch(`${result.handle.url}/cdn/certificates`, { headers: authHeaders({ user: 'sandbox', apiKey: 'x'.repeat(32) }, date) });
    expect(wrong.status).toBe(401);
    await result.handle.close();
    expect(existsSync(join(dir, 'cdnpro-sandbox.json'))).toBe(true);
  });

  it('passes the host, port, key and timings to the sandbox', async () => {
    const seen: unknown[] = [];
    await startSandboxForAccount({
      sandboxAccount: async () => ({ account: { name: 'Sandbox', endpoint: 'http://localhost:38999' }, apiKey: 'abc' }),
      dataDir: '/data',
      env: { CERTDESK_SANDBOX_TASK_SECONDS: '3' },
      start: async (options) => {
        seen.push(options);
        throw Object.assign(new Error('stop here'), { code: 'EACCES' });
      },
    }).catch(() => undefined);
    expect(seen).toEqual([{ host: '127.0.0.1', port: 38999, dataDir: '/data', apiKey: 'abc', taskDurationMs: 3000, taskWaitingMs: 600 }]);
  });

  it('does nothing without a Sandbox account, or for one pointed elsewhere', async () => {
    let started = 0;
    const start = async (): Promise<never> => {
      started++;
      throw new Error('must not start');
    };
    expect(await startSandboxForAccount({ sandboxAccount: async () => null, dataDir: '/x', start })).toEqual({ status: 'skipped', reason: 'there is no Sandbox account (it was removed)' });
    const elsewhere = await startSandboxForAccount({ sandboxAccount: async () => ({ account: { name: 'Sandbox', endpoint: 'https://sandbox.example.com' }, apiKey: 'k' }), dataDir: '/x', start });
    expect(elsewhere.status).toBe('skipped');
    expect(elsewhere.status === 'skipped' && elsewhere.reason).toMatch(/not a local http address/);
    expect(started).toBe(0);
  });

  it('reports a taken port (a sandbox already running there) instead of failing', async () => {
    const { port } = await busyPort();
    const result = track(
      await startSandboxForAccount({ sandboxAccount: async () => ({ account: { name: 'Sandbox', endpoint: `http://127.0.0.1:${port}` }, apiKey: 'k'.repeat(32) }), dataDir: dataDir() }),
    );
    expect(result.status).toBe('port-in-use');
    expect(result.status === 'port-in-use' && result.reason).toContain(`port ${port} is already in use`);
  });

  it('lets other failures through', async () => {
    await expect(
      startSandboxForAccount({
        sandboxAccount: async () => {
          throw new Error('keychain locked');
        },
        dataDir: '/x',
      }),
    ).rejects.toThrow('keychain locked');
  });
});
