/**
 * The provider workflows end to end through the `certdesk` CLI against the sandbox — the real
 * processes (`certdesk sandbox` in the background, each command a fresh process of the bundle)
 * when the CLI bundle builds, else in-process — with a temp data directory and the real keychain:
 *
 * 1. renew with a CA-signed certificate (drop key + certificate + chain, deploy to production);
 * 2. renew through a CSR with the key carried over (self-signed version, `cert csr`, CA-signed
 *    certificate without key);
 * 3. deploy to staging then production, roll back;
 * 4. delete refused while deployed, undeploy both, delete;
 * plus the not-owner certificate, a failing deployment, resuming a task in a new process, account
 * secrets that never touch argv, and the JSON shapes of the contract.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, httpDate } from '../../main/providers/cdnpro/auth.js';
import { startSandbox, type SandboxHandle } from '../../main/providers/sandbox/server.js';
import { createOsKeychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';
import { cliRunner, freePort, spawnSandbox, type CliResult, type CliRunner } from '../support/cli-runner.js';
import { skipKeychainTests } from '../support/keychain.js';
import { openssl, tempDir } from '../support/openssl.js';
import { makeTestCa, type TestCa } from '../support/test-ca.js';

const skip = await skipKeychainTests('cli-providers');
const suite = describe.skipIf(skip);

const CERT_KEYS = ['id', 'name', 'account', 'provider', 'owner', 'latestVersion', 'staging', 'production', 'notAfter', 'states'];
const TASK_KEYS = ['id', 'certificate', 'version', 'env', 'action', 'status', 'submittedAt', 'finishedAt', 'detail'];
const VERSION_KEYS = ['version', 'source', 'createdAt', 'subject', 'sans', 'notBefore', 'notAfter', 'fingerprint', 'spkiSha256', 'keyId', 'comment', 'deployedIn'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let dir: string;
let cleanupDir: () => void;
let ca: TestCa;
let cli: CliRunner;
let stopSandbox: () => Promise<unknown>;
let apiKey: string;
let sandboxUrl: string;

const file = (name: string): string => join(dir, name);
const run = (args: readonly string[], options?: { env?: Record<string, string>; stdin?: string }): Promise<CliResult> => cli.run(['--data-dir', dir, ...args], options);
const json = <T = Record<string, unknown>>(r: CliResult): T => {
  expect(r.stderr.includes('internal error'), r.stderr).toBe(false);
  return JSON.parse(r.stdout) as T;
};
const ok = async (args: readonly string[], options?: { env?: Record<string, string>; stdin?: string }): Promise<CliResult> => {
  const r = await run(args, options);
  expect(r.code, `certdesk ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
};

/** A key and CA-signed certificate for `cn` written to files; the chain file holds intermediate + root. */
function issue(cn: string, base: string, days = 90): { cert: string; key: string; chain: string } {
  const leaf = ca.issue(cn, { days });
  writeFileSync(file(`${base}.pem`), leaf.certPem);
  writeFileSync(file(`${base}.key`), leaf.keyPem, { mode: 0o600 });
  writeFileSync(file('chain.pem'), ca.chainPem);
  return { cert: file(`${base}.pem`), key: file(`${base}.key`), chain: file('chain.pem') };
}

async function certList(): Promise<Record<string, unknown>[]> {
  return json<{ certificates: Record<string, unknown>[] }>(await ok(['cert', 'list', '--account', 'Sandbox', '--json'])).certificates;
}

/** Signed call to the sandbox control API. */
async function control(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandboxUrl}${path}`, {
    method: 'POST',
    headers: { ...authHeaders({ user: 'sandbox', apiKey }, httpDate(Date.now())), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(204);
}

beforeAll(async () => {
  if (skip) return;
  ({ dir, cleanup: cleanupDir } = tempDir('certdesk-cli-e2e-'));
  ca = makeTestCa('E2E');
  const port = await freePort();
  const env = { CERTDESK_SANDBOX_PORT: String(port), CERTDESK_POLL_MS: '100' };
  cli = await cliRunner(env);
  console.info(`[cli-providers] running certdesk ${cli.mode === 'process' ? 'as real processes' : 'in-process'}`);
  if (cli.mode === 'process') {
    const sandbox = await spawnSandbox(cli.entry as string, ['--data-dir', dir, 'sandbox', '--task-seconds', '1', '--rate-limit', '0'], env);
    stopSandbox = sandbox.stop;
    apiKey = /API key:\s+([0-9a-f]+)/.exec(sandbox.output())?.[1] ?? '';
  } else {
    // What `certdesk sandbox` does: the Sandbox account's key from the keychain, state in the data dir.
    await ok(['account', 'list']);
    const store = JSON.parse(readFileSync(file('config.json'), 'utf8')) as { accounts: { id: string }[] };
    apiKey = (await createOsKeychain().get('certdesk', `account:${store.accounts[0]?.id ?? ''}`)) ?? '';
    const handle: SandboxHandle = await startSandbox({ port, dataDir: dir, apiKey, taskDurationMs: 1_000, taskWaitingMs: 200, rateLimit: false });
    stopSandbox = () => handle.close();
  }
  sandboxUrl = `http://127.0.0.1:${port}`;
  expect(apiKey).toMatch(/^[0-9a-f]{32}$/);
}, 120_000);

afterAll(async () => {
  if (skip) return;
  await stopSandbox?.();
  cli?.cleanup();
  const keychain = createOsKeychain();
  try {
    const store = JSON.parse(readFileSync(file('config.json'), 'utf8')) as { accounts: { id: string }[] };
    for (const a of store.accounts) await keychain.delete('certdesk', `account:${a.id}`).catch(() => false);
    await keychain.delete('certdesk', (await new Vault({ dataDir: dir, keychain }).kekEntry()).account).catch(() => false);
  } finally {
    ca.cleanup();
    cleanupDir();
  }
});

suite('certdesk CLI against the sandbox', () => {
  it('starts with a labelled Sandbox account whose secret is only in the keychain', async () => {
    const { accounts } = json<{ accounts: Record<string, unknown>[] }>(await ok(['account', 'list', '--json']));
    expect(accounts).toEqual([
      expect.objectContaining({ name: 'Sandbox', provider: 'cdnpro', endpoint: sandboxUrl, user: 'sandbox', customerId: '20001', isSandbox: true }),
    ]);
    expect(readFileSync(file('config.json'), 'utf8')).not.toContain(apiKey);
    const test = await ok(['account', 'test', 'Sandbox']);
    expect(test.stdout).toMatch(/Connected to CDN Pro as sandbox/);
  });

  it('lists the not-owner certificate and refuses to deploy it with the provider status, code and request id (exit 3)', async () => {
    const shared = (await certList()).find((c) => c.name === 'shared-by-another-customer');
    expect(Object.keys(shared ?? {})).toEqual(CERT_KEYS);
    expect(shared).toMatchObject({ owner: '20002', provider: 'cdnpro', account: 'Sandbox', states: ['not-owner'] });
    const r = await run(['deploy', 'shared-by-another-customer', '--account', 'Sandbox', '--version', '1', '--env', 'staging', '--wait']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not the owner/);
    expect(r.stderr).toMatch(/HTTP 403 AccessDenied/);
    expect(r.stderr).toMatch(/request id [0-9a-f]{32}/);
  });

  it('workflow 1: renews with a CA-signed certificate (key + certificate + chain) and deploys it to production', async () => {
    const v1 = issue('www.example.com', 'www-v1');
    const created = json<{ certificate: Record<string, unknown>; version: Record<string, unknown>; warnings: string[] }>(
      await ok(['cert', 'create', '--account', 'Sandbox', '--name', 'www', '--cert', v1.cert, '--chain', v1.chain, '--key-file', v1.key, '--comment', 'initial', '--json']),
    );
    expect(created.version).toMatchObject({ version: 1, source: 'uploaded', subject: 'CN=www.example.com', comment: 'initial' });
    expect(Object.keys(created.version)).toEqual(VERSION_KEYS);
    expect(created.warnings.some((w) => /root/.test(w))).toBe(true);

    // A key that is not the certificate's is refused before anything is sent.
    const other = issue('other.example.com', 'other');
    const mismatch = await run(['version', 'add', 'www', '--account', 'Sandbox', '--cert', v1.cert, '--chain', v1.chain, '--key-file', other.key]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain(`The private key in ${other.key} does not belong to www.example.com's certificate (${v1.cert})`);
    // An incomplete chain is refused, naming the file.
    const incomplete = await run(['version', 'add', 'www', '--account', 'Sandbox', '--cert', v1.cert, '--key-file', v1.key]);
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toMatch(new RegExp(`${v1.cert.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the chain of www.example.com's certificate is incomplete`));

    const v2 = issue('www.example.com', 'www-v2', 120);
    const added = json<{ version: Record<string, unknown> }>(await ok(['version', 'add', 'www', '--account', 'Sandbox', '--cert', v2.cert, '--chain', v2.chain, '--key-file', v2.key, '--json']));
    expect(added.version).toMatchObject({ version: 2, source: 'uploaded' });

    const deployed = json(await ok(['deploy', 'www', '--account', 'Sandbox', '--version', '2', '--env', 'production', '--wait', '--json']));
    expect(Object.keys(deployed)).toEqual(TASK_KEYS);
    expect(deployed).toMatchObject({ certificate: 'www', version: 2, env: 'production', action: 'deploy', status: 'succeeded', finishedAt: expect.stringMatching(ISO) });
    expect((await certList()).find((c) => c.name === 'www')).toMatchObject({ latestVersion: 2, staging: null, production: 2 });
  });

  it('workflow 2: renews through a CSR with the key carried over', async () => {
    const placeholder = json<{ version: { version: number; keyId: string; source: string } }>(
      await ok(['version', 'add', 'www', '--account', 'Sandbox', '--self-signed', '--cn', 'www.example.com', '--key-type', 'ec-p256', '--json']),
    );
    expect(placeholder.version).toMatchObject({ version: 3, source: 'generated', keyId: expect.stringMatching(/^k_[0-9a-f]{16}$/) });

    await ok(['cert', 'csr', 'www', '--account', 'Sandbox', '--out', file('www.csr')]);
    const csrPem = readFileSync(file('www.csr'), 'utf8');
    openssl(['req', '-in', '-', '-noout', '-verify'], csrPem); // throws unless openssl verifies its signature
    writeFileSync(file('www-renewed.pem'), ca.signCsr(csrPem, { days: 200 }));

    const renewed = json<{ version: Record<string, unknown> }>(
      await ok(['version', 'add', 'www', '--account', 'Sandbox', '--cert', file('www-renewed.pem'), '--chain', file('chain.pem'), '--comment', 'CA-signed', '--json']),
    );
    expect(renewed.version).toMatchObject({ version: 4, source: 'renewed', keyId: placeholder.version.keyId, comment: 'CA-signed' });

    // A CA-signed certificate for another key is refused: it does not match the pending CSR's key.
    const stray = issue('www.example.com', 'stray');
    const refused = await run(['version', 'add', 'www', '--account', 'Sandbox', '--cert', stray.cert, '--chain', stray.chain]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/does not belong to www.example.com's certificate/);

    await ok(['deploy', 'www', '--account', 'Sandbox', '--version', '4', '--env', 'production', '--wait']);
    expect((await certList()).find((c) => c.name === 'www')).toMatchObject({ latestVersion: 4, production: 4 });
  });

  it('workflow 3: deploys to staging then production, then rolls production back', async () => {
    await ok(['deploy', 'www', '--account', 'Sandbox', '--version', '4', '--env', 'staging', '--wait']);
    expect((await certList()).find((c) => c.name === 'www')).toMatchObject({ staging: 4, production: 4, states: [] });
    await ok(['deploy', 'www', '--account', 'Sandbox', '--version', '2', '--env', 'production', '--wait']);
    const show = json<Record<string, unknown> & { versions: Record<string, unknown>[]; history: Record<string, unknown>[]; notAfter: Record<string, unknown> }>(
      await ok(['cert', 'show', 'www', '--account', 'Sandbox', '--json']),
    );
    expect(show).toMatchObject({ staging: 4, production: 2, states: ['renewed-not-deployed', 'staging-differs'] });
    expect(show.notAfter.production).toMatch(ISO);
    expect(show.versions.map((v) => [v.version, v.source, v.deployedIn])).toEqual([
      [4, 'renewed', ['staging']],
      [3, 'generated', []],
      [2, 'uploaded', ['production']],
      [1, 'uploaded', []],
    ]);
    expect(show.history.map((t) => [t.action, t.version, t.env, t.status])).toEqual([
      ['deploy', 2, 'production', 'succeeded'],
      ['deploy', 4, 'staging', 'succeeded'],
      ['deploy', 4, 'production', 'succeeded'],
      ['deploy', 2, 'production', 'succeeded'],
    ]);
    for (const t of show.history) expect(Object.keys(t)).toEqual(TASK_KEYS);
  });

  it('reports a failed deployment (exit 3) and keeps it in the task list', async () => {
    await control('/_sandbox/task-failures', { detail: 'Edge servers rejected the certificate' });
    const r = await run(['deploy', 'www', '--account', 'Sandbox', '--version', '3', '--env', 'staging', '--wait', '--json']);
    expect(r.code).toBe(3);
    expect(json(r)).toMatchObject({ status: 'failed', detail: 'Edge servers rejected the certificate', version: 3, env: 'staging' });
    expect(r.stderr).toMatch(/deploying version 3 of "www" to staging failed .*Edge servers rejected the certificate/);
    const { tasks } = json<{ tasks: Record<string, unknown>[] }>(await ok(['tasks', '--json']));
    expect(tasks[0]).toMatchObject({ status: 'failed', env: 'staging' });
    expect((await certList()).find((c) => c.name === 'www')).toMatchObject({ staging: 4 });
  });

  it('follows a task started by one process to its end in another (resume after restart)', async () => {
    const started = json<{ id: string; status: string }>(await ok(['deploy', 'www', '--account', 'Sandbox', '--version', '4', '--env', 'production', '--json']));
    expect(['waiting', 'inprogress']).toContain(started.status);
    const done = json(await ok(['task', 'show', started.id, '--wait', '--json']));
    expect(done).toMatchObject({ id: started.id, status: 'succeeded', finishedAt: expect.stringMatching(ISO) });
  });

  it('workflow 4: refuses to delete while deployed, undeploys both environments, then deletes', async () => {
    const refused = await run(['cert', 'delete', 'www', '--account', 'Sandbox']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/still deployed in production \(version 4\) and staging \(version 4\)/);
    expect(refused.stderr).toMatch(/certdesk undeploy "www" --account "Sandbox" --env production/);

    const undeployed = json(await ok(['undeploy', 'www', '--account', 'Sandbox', '--env', 'staging', '--wait', '--json']));
    expect(undeployed).toMatchObject({ action: 'undeploy', env: 'staging', status: 'succeeded' });
    await ok(['undeploy', 'www', '--account', 'Sandbox', '--env', 'production', '--wait']);
    await ok(['cert', 'delete', 'www', '--account', 'Sandbox']);
    expect((await certList()).map((c) => c.name)).toEqual(['shared-by-another-customer']);
    const gone = await run(['cert', 'show', 'www', '--account', 'Sandbox']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/has no certificate "www"/);

    const audit = readFileSync(file('audit.log'), 'utf8');
    for (const action of ['certificate.create', 'version.create', 'deploy', 'undeploy', 'certificate.delete', 'key.upload', 'key.import', 'key.generate']) {
      expect(audit, action).toContain(`"action":"${action}"`);
    }
    expect(audit).not.toMatch(/PRIVATE KEY/);
    expect(audit).toContain('"action":"version.create","target":"Sandbox/www","outcome":"success"');
  });

  it('takes a PKCS#12 file holding key, certificate and chain (password from CERTDESK_PASSWORD)', async () => {
    const m = issue('p12.example.com', 'p12');
    openssl(['pkcs12', '-export', '-inkey', m.key, '-in', m.cert, '-certfile', m.chain, '-passout', 'pass:s3cret', '-out', file('bundle.p12')]);
    const wrong = await run(['cert', 'create', '--account', 'Sandbox', '--name', 'p12', '--cert', file('bundle.p12')], { env: { CERTDESK_PASSWORD: 'nope' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('bundle.p12');
    const created = json<{ version: Record<string, unknown>; warnings: string[] }>(
      await ok(['cert', 'create', '--account', 'Sandbox', '--name', 'p12', '--cert', file('bundle.p12'), '--json'], { env: { CERTDESK_PASSWORD: 's3cret' } }),
    );
    expect(created.version).toMatchObject({ version: 1, source: 'uploaded', subject: 'CN=p12.example.com', keyId: expect.stringMatching(/^k_/) });
    const keys = json<{ keys: { id: string; label: string }[] }>(await ok(['key', 'list', '--json']));
    expect(keys.keys.find((k) => k.id === created.version.keyId)?.label).toBe('bundle.p12');
    await ok(['cert', 'delete', 'p12', '--account', 'Sandbox']);
  });

  it('adds accounts with the secret from CERTDESK_SECRET or stdin, never argv; refuses plain http to a remote host', async () => {
    const viaEnv = json(await ok(['account', 'add', '--provider', 'cdnpro', '--name', 'Second', '--endpoint', sandboxUrl, '--user', 'sandbox', '--json'], { env: { CERTDESK_SECRET: apiKey } }));
    expect(viaEnv).toMatchObject({ name: 'Second', isSandbox: false, customerId: null });
    const viaStdin = await ok(['account', 'add', '--provider', 'cdnpro', '--name', 'Third', '--endpoint', sandboxUrl, '--user', 'sandbox', '--secret-stdin'], { stdin: `${apiKey}\n` });
    expect(viaStdin.stdout).toMatch(/Third/);
    await ok(['account', 'test', 'Third']);
    expect(readFileSync(file('config.json'), 'utf8')).not.toContain(apiKey);

    const noSecret = await run(['account', 'add', '--provider', 'cdnpro', '--name', 'Fourth', '--endpoint', sandboxUrl, '--user', 'sandbox'], { env: { CERTDESK_SECRET: '' } });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/CERTDESK_SECRET|--secret-stdin/);
    const insecure = await run(['account', 'add', '--provider', 'cdnpro', '--name', 'Remote', '--endpoint', 'http://cdn.example.com', '--user', 'u'], { env: { CERTDESK_SECRET: 'x' } });
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toMatch(/not HTTPS; plain http:\/\/ is only allowed for loopback/);

    await ok(['account', 'remove', 'Second']);
    await ok(['account', 'remove', 'Third']);
    const { accounts } = json<{ accounts: { name: string }[] }>(await ok(['account', 'list', '--json']));
    expect(accounts.map((a) => a.name)).toEqual(['Sandbox']);
  });

  it('names its flags and commands where the services speak to the app too (exit 2)', async () => {
    const add = (args: readonly string[], options: { env?: Record<string, string>; stdin?: string } = { env: { CERTDESK_SECRET: 'x' } }): Promise<CliResult> =>
      run(['account', 'add', '--name', 'Flags', ...args], options);
    const cases: [() => Promise<CliResult>, RegExp][] = [
      [() => add(['--provider', 'cdnpro', '--endpoint', sandboxUrl]), /account add: a CDN Pro account needs its API user: --user USER/],
      [() => add(['--provider', 'apinizer', '--endpoint', 'https://apinizer.example']), /account add: an Apinizer account needs its project: --project PROJECT/],
      [() => add(['--provider', 'apinizer', '--endpoint', 'https://apinizer.example', '--project', 'p', '--environments', ' ,']), /needs the names of its environments: --environments production,staging/],
      [() => add(['--provider', 'gcore', '--endpoint', 'https://me:pw@api.gcore.example']), /--endpoint must not contain a user name or password: give the secret in CERTDESK_SECRET, on stdin with --secret-stdin, or at the prompt/],
      [() => add(['--provider', 'cdnpro', '--endpoint', sandboxUrl, '--user', 'sandbox', '--secret-stdin'], { stdin: ' \n' }), /the account secret is empty: give the secret in CERTDESK_SECRET, on stdin with --secret-stdin/],
      [() => run(['cert', 'show', 'no-such-cert', '--account', 'Sandbox']), /has no certificate "no-such-cert" \(by name or id\)\. List its certificates with `certdesk cert list --account "Sandbox"`/],
      [() => run(['cert', 'list', '--account', 'Nope']), /There is no account "Nope"\. The accounts are "Sandbox"\. Add accounts with `certdesk account add`\.$/m],
      [() => run(['task', 'show', 't_0123456789abcdef']), /There is no task "t_0123456789abcdef"; the task list shows the tasks there are\. List them with `certdesk tasks`\.$/m],
      [() => run(['key', 'delete', 'k_0123456789abcdef']), /There is no key k_0123456789abcdef; the key list shows the keys Certdesk holds\. List them with `certdesk key list`\.$/m],
    ];
    for (const [command, stderr] of cases) {
      const r = await command();
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(stderr);
    }
    const { accounts } = json<{ accounts: { name: string }[] }>(await ok(['account', 'list', '--json']));
    expect(accounts.map((a) => a.name)).toEqual(['Sandbox']);
  });

  it('names an unreachable Sandbox and how to start it (exit 3)', async () => {
    // A fresh data directory whose Sandbox account points at a closed port.
    const other = tempDir('certdesk-cli-down-');
    try {
      const closed = await freePort();
      const r = await cli.run(['--data-dir', other.dir, 'cert', 'list'], { env: { CERTDESK_SANDBOX_PORT: String(closed) } });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/start it with `certdesk sandbox`/);
      const store = JSON.parse(readFileSync(join(other.dir, 'config.json'), 'utf8')) as { accounts: { id: string }[] };
      for (const a of store.accounts) await createOsKeychain().delete('certdesk', `account:${a.id}`);
    } finally {
      other.cleanup();
    }
  });

  it('exits 4 when the keychain is unreachable', async () => {
    if (cli.mode !== 'process') return; // the keychain connection belongs to the process
    const r = await run(['account', 'add', '--provider', 'cdnpro', '--name', `nokeychain-${randomBytes(2).toString('hex')}`, '--endpoint', sandboxUrl, '--user', 'sandbox'], {
      env: { CERTDESK_SECRET: 'x', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/keychain is unavailable/);
  });
});
