/**
 * The sandbox itself: persistence across a restart (tasks keep progressing), the `certdesk
 * sandbox` entry point, the control API, quotas and the other rules the client tests do not reach.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CdnProClient } from '../../../main/providers/cdnpro/client.js';
import { RateLimiterRegistry } from '../../../main/providers/rate-limiter.js';
import { runSandboxCommand, startSandbox, type SandboxHandle } from '../../../main/providers/sandbox/server.js';
import { tempDir } from '../../support/openssl.js';
import { ManualClock, fakeSleep } from '../../support/manual-clock.js';
import { harness, makeMaterial, rawRequest, type Harness } from './cdnpro-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function clientFor(sandbox: SandboxHandle, clock: ManualClock): CdnProClient {
  const { sleep } = fakeSleep(clock);
  return new CdnProClient(
    { baseUrl: sandbox.url, user: sandbox.user, apiKey: sandbox.apiKey },
    { clock, sleep, rateLimiters: new RateLimiterRegistry(clock), reconcileDelayMs: 0 },
  );
}

async function withHarness(...args: Parameters<typeof harness>): Promise<Harness> {
  const h = await harness(...args);
  cleanups.push(() => h.close());
  return h;
}

describe('persistence', () => {
  it('keeps credentials, certificates and in-flight tasks across a restart; the task finishes afterwards', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = new ManualClock();
    const first = await startSandbox({ clock, dataDir: dir, taskDurationMs: 60_000, rateLimit: false });
    const client = clientFor(first, clock);
    const id = await client.createCertificate({
      name: 'persisted',
      material: { selfSigned: { keyAlgorithm: 'RSA2048', identification: { commonName: 'p.example', sans: ['p.example'] } } },
    });
    const taskId = await client.startDeployment({ certificateId: id, env: 'staging', action: 'deploy', version: 1 });
    await first.close();
    const file = join(dir, 'cdnpro-sandbox.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    clock.advance(120_000); // the task's time passes while the sandbox is down
    const second = await startSandbox({ clock, dataDir: dir, rateLimit: false });
    cleanups.push(() => second.close());
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.sharedCertificateId).toBe(first.sharedCertificateId);
    const again = clientFor(second, clock);
    expect((await again.getTask(taskId)).status).toBe('succeeded');
    expect((await again.getCertificate(id)).versionInStaging).toBe(1);
    expect((await again.listCertificates()).map((c) => c.name).sort()).toEqual(['persisted', 'shared-by-another-customer']);
  });

  it('moves a corrupt state file aside and starts fresh', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'cdnpro-sandbox.json'), '{ not json');
    const lines: string[] = [];
    const sandbox = await startSandbox({ dataDir: dir, log: (l) => lines.push(l) });
    cleanups.push(() => sandbox.close());
    expect(readdirSync(dir).some((f) => f.startsWith('cdnpro-sandbox.json.corrupt-'))).toBe(true);
    expect(lines.some((l) => l.includes('unreadable'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'cdnpro-sandbox.json'), 'utf8')).schema).toBe(1);
  });
});

describe('certdesk sandbox', () => {
  it('prints the URL and credentials and serves the API', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    let printed = '';
    const handle = await runSandboxCommand({ port: 0, dataDir: dir, out: { write: (t: string) => (printed += t) } });
    cleanups.push(() => handle.close());
    expect(printed).toContain(`listening on ${handle.url}`);
    expect(printed).toContain(`API user: ${handle.user}`);
    expect(printed).toContain(`API key:  ${handle.apiKey}`);
    expect(printed).toContain('not a real provider');
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new CdnProClient({ baseUrl: handle.url, user: handle.user, apiKey: handle.apiKey }, { rateLimiters: null });
    expect((await client.testConnection()).certificateCount).toBe(1);
    expect(existsSync(join(dir, 'cdnpro-sandbox.json'))).toBe(true);
  });

  it('refuses a non-loopback bind address', async () => {
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('control API', () => {
  it('arms faults and task failures over HTTP with the sandbox credentials', async () => {
    const h = await withHarness();
    const unauth = await fetch(`${h.sandbox.url}/_sandbox/state`);
    expect(unauth.status).toBe(401);
    const arm = await rawRequest(h.sandbox, 'POST', '/_sandbox/faults', { clock: h.clock, body: JSON.stringify({ kind: 'status', status: 503, count: 1, method: 'GET' }) });
    expect(arm.status).toBe(204);
    const fail = await rawRequest(h.sandbox, 'POST', '/_sandbox/task-failures', { clock: h.clock, body: JSON.stringify({ detail: 'boom' }) });
    expect(fail.status).toBe(204);
    const state = await rawRequest(h.sandbox, 'GET', '/_sandbox/state', { clock: h.clock });
    expect(state.json()).toMatchObject({ certificates: 1, tasks: 0, faultsPending: 2 });
    const hit = await rawRequest(h.sandbox, 'GET', '/cdn/certificates', { clock: h.clock });
    expect(hit.status).toBe(503);
    expect(hit.headers.get('qtl-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const bad = await rawRequest(h.sandbox, 'POST', '/_sandbox/faults', { clock: h.clock, body: JSON.stringify({ kind: 'nonsense' }) });
    expect(bad.status).toBe(400);
    expect((await rawRequest(h.sandbox, 'DELETE', '/_sandbox/faults', { clock: h.clock })).status).toBe(204);
    expect(h.sandbox.faults.pending()).toBe(0);
  });
});

describe('service rules', () => {
  it('caps versions per certificate (403 TooManyVersions) and certificates per customer (403 TooManyCerts)', async () => {
    const h = await withHarness({ maxVersions: 2, maxCertificates: 1 });
    const rsa = makeMaterial('rsa', 'cap.example.com');
    const id = await h.client.createCertificate({ name: 'cap', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    await h.client.createVersion(id, { certificatePem: rsa.certPem });
    const versions = await h.client.createVersion(id, { certificatePem: rsa.certPem }).catch((e: unknown) => e);
    expect(versions).toMatchObject({ code: 'PROVIDER_REJECTED', details: { httpStatus: 403, providerCode: 'TooManyVersions' } });
    const certs = await h.client.createCertificate({ name: 'second', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } }).catch((e: unknown) => e);
    expect(certs).toMatchObject({ code: 'PROVIDER_REJECTED', details: { httpStatus: 403, providerCode: 'TooManyCerts' } });
  });

  it('refuses to deploy an expired version (409 CertificateExpired)', async () => {
    const h = await withHarness();
    const id = await h.client.createCertificate({
      name: 'short',
      material: { selfSigned: { keyAlgorithm: 'ECC256', identification: { commonName: 's.example', sans: ['s.example'] } } },
    });
    h.clock.advance(11 * 86_400_000); // self-signed versions live 10 days
    const error = await h.client.startDeployment({ certificateId: id, env: 'production', action: 'deploy', version: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROVIDER_CONFLICT', details: { providerCode: 'CertificateExpired' } });
  });

  it('validates the create body: missing name, bad autoRenew, self-signed without identificationInfo, garbage certificate', async () => {
    const h = await withHarness();
    const post = async (body: unknown): Promise<{ status: number; code: string }> => {
      const r = await rawRequest(h.sandbox, 'POST', '/cdn/certificates', { clock: h.clock, body: JSON.stringify(body) });
      return { status: r.status, code: (r.json() as { code: string }).code };
    };
    expect(await post({ newVersion: { certificate: 'GENERATE', privateKey: 'ECC256' } })).toEqual({ status: 400, code: 'InvalidInput' });
    expect(await post({ name: 'x', autoRenew: 'yes', newVersion: {} })).toEqual({ status: 400, code: 'InvalidAutoRenew' });
    expect(await post({ name: 'x', newVersion: { certificate: 'Generate', privateKey: 'RSA2048' } })).toEqual({ status: 400, code: 'InvalidIdentificationInfo' });
    expect(await post({ name: 'x', newVersion: { certificate: 'Generate', privateKey: 'RSA2048', identificationInfo: { commonName: 'a', subjectAlternativeNames: ['a'], country: 'USA' } } })).toEqual({
      status: 400,
      code: 'InvalidIdentificationInfo',
    });
    const ok = await rawRequest(h.sandbox, 'POST', '/cdn/certificates', {
      clock: h.clock,
      body: JSON.stringify({ name: 'gen', autoRenew: 'off', newVersion: { certificate: 'Generate', privateKey: 'RSA2048', identificationInfo: { commonName: 'g.example', subjectAlternativeNames: ['g.example'] } } }),
    });
    expect(ok.status).toBe(201);
    const invalid = await rawRequest(h.sandbox, 'POST', '/cdn/certificates', { clock: h.clock, body: '{"name":' });
    expect(invalid.status).toBe(400);
  });

  it('accepts the old /cdnapi prefix and answers unknown paths with 404', async () => {
    const h = await withHarness();
    expect((await rawRequest(h.sandbox, 'GET', '/cdnapi/certificates', { clock: h.clock })).status).toBe(200);
    expect((await rawRequest(h.sandbox, 'GET', '/cdn/nothing', { clock: h.clock })).status).toBe(404);
    expect((await rawRequest(h.sandbox, 'PUT', '/cdn/certificates', { clock: h.clock })).status).toBe(405);
  });

  it('lists tasks with filters and validates them', async () => {
    const h = await withHarness();
    const rsa = makeMaterial('rsa', 'list.example.com');
    const id = await h.client.createCertificate({ name: 'tasks', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    await h.client.startDeployment({ certificateId: id, env: 'staging', action: 'deploy', version: 1 });
    h.clock.advance(61_000);
    await h.client.startDeployment({ certificateId: id, env: 'production', action: 'deploy', version: 1 });
    const list = async (q: string): Promise<{ status: number; body: { count?: number; code?: string } }> => {
      const r = await rawRequest(h.sandbox, 'GET', `/cdn/deploymentTasks${q}`, { clock: h.clock });
      return { status: r.status, body: r.json() as { count?: number; code?: string } };
    };
    expect((await list(`?certificateId=${id}`)).body.count).toBe(2);
    expect((await list('?status=succeeded')).body.count).toBe(1);
    expect((await list('?status=waiting&target=production')).body.count).toBe(1);
    expect((await list('?status=bogus')).body.code).toBe('InvalidStatus');
    expect((await list('?limit=201')).body.code).toBe('InvalidListLimit');
    expect((await list('?startdate=yesterday')).body.code).toBe('InvalidStartDate');
  });
});
