/**
 * The Gcore CDN client against the test simulator over real loopback HTTP: upload with the
 * ordered chain and a PKCS#8 key, paged and legacy lists, replace in place (same id), undeploy
 * = delete (refused while attached), attach/detach, Let's Encrypt issuance as a task, error
 * bodies, 429 with Retry-After, and lost or failed creates (never a duplicate).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GcoreCdnClient, type GcoreClientOptions } from '../../../main/providers/gcore/cdn-client.js';
import { createGcoreClient } from '../../../main/providers/gcore/client.js';
import type { HttpLogEntry } from '../../../main/providers/http.js';
import { startGcoreSimulator, type GcoreSimulator, type GcoreSimulatorOptions } from '../../simulators/gcore.js';
import { testTime } from '../../support/manual-clock.js';
import { makeChain, opensslNotAfter, opensslSha256, type ChainMaterial } from './gcore-fixtures.js';
import { rejectedWith as failure } from '../../support/certdesk-error.js';

const a: ChainMaterial = makeChain('cdn.example.com', 'rsa', 90);
const b: ChainMaterial = makeChain('cdn.example.com', 'ec', 200);

function material(m: ChainMaterial): { certificatePem: string; chainPem: string; privateKeyPem: string } {
  // Root before intermediate on purpose: the client must send leaf → intermediate → root.
  return { certificatePem: m.leafPem, chainPem: `${m.rootPem}${m.intermediatePem}`, privateKeyPem: m.leafKeyPem };
}

let sim: GcoreSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(simOptions: GcoreSimulatorOptions = {}, options: GcoreClientOptions = {}, apiKey?: string) {
  const { clock, waits, clientOptions } = testTime();
  const s = await startGcoreSimulator({ clock, ...simOptions });
  sim = s;
  const client = new GcoreCdnClient({ baseUrl: s.url, apiKey: apiKey ?? s.apiKey }, clientOptions(options));
  return { sim: s, clock, waits, client };
}

function posts(s: GcoreSimulator) {
  return s.requests.filter((r) => r.method === 'POST' && r.path === '/cdn/sslData');
}

describe('upload, list, replace in place', () => {
  it('uploads name, the chain leaf → intermediate → root and a PKCS#8 key, with APIKey auth; the id comes from the body', async () => {
    const { sim: s, client } = await setup();
    const id = await client.createCertificate({ name: 'cdn-a', material: material(a) });
    const post = posts(s)[0];
    expect(post?.authorization).toBe(`APIKey ${s.apiKey}`);
    const body = post?.body as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['name', 'sslCertificate', 'sslPrivateKey']);
    expect(body.sslCertificate).toBe(`${a.leafPem}${a.intermediatePem}${a.rootPem}`);
    expect(body.sslPrivateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(id).toBe(String([...s.sslData.keys()][0]));
    const detail = await client.getCertificate(id);
    expect(detail.name).toBe('cdn-a');
    expect(detail.slots?.production?.expiresAt).toBe(opensslNotAfter(a.leafPem));
    expect(detail.deployedExpiresAt).toEqual({ production: opensslNotAfter(a.leafPem) });
    expect(detail.latestVersion).toBeNull();
  });

  it('finds the id by name when the create answer has no body', async () => {
    const { sim: s, client } = await setup({ createReturnsBody: false });
    const id = await client.createCertificate({ name: 'no-body', material: material(a) });
    expect(id).toBe(String([...s.sslData.keys()][0]));
  });

  it('pages with limit/offset and reads the older bare-array list', async () => {
    const { sim: s, client } = await setup({}, { pageSize: 2 });
    for (const name of ['one', 'two', 'three']) await client.createCertificate({ name, material: material(a) });
    const all = await client.listCertificates();
    expect(all.map((c) => c.name).sort()).toEqual(['one', 'three', 'two']);
    expect(s.requests.filter((r) => r.method === 'GET' && r.path === '/cdn/sslData').map((r) => r.query)).toEqual([
      { limit: '2', offset: '0' },
      { limit: '2', offset: '2' },
    ]);
    expect((await client.listCertificates({ search: 'TW' })).map((c) => c.name)).toEqual(['two']);
    const legacy = await startGcoreSimulator({ legacyList: true });
    try {
      const other = new GcoreCdnClient({ baseUrl: legacy.url, apiKey: legacy.apiKey }, { rateLimiters: null });
      await other.createCertificate({ name: 'x', material: material(a) });
      expect((await other.listCertificates()).map((c) => c.name)).toEqual(['x']);
      expect((await other.testConnection()).certificateCount).toBe(1);
    } finally {
      await legacy.close();
    }
  });

  it('deploying a version replaces the certificate in place: PUT to the same id', async () => {
    const { sim: s, client } = await setup();
    const id = await client.createCertificate({ name: 'slot', material: material(a) });
    const task = await client.deploySlot({ certificateId: id, env: 'production', action: 'deploy', version: 2, material: material(b) });
    expect(task.status).toBe('succeeded');
    expect(task.actions).toEqual([{ action: 'deploy', certificateId: id, version: 2 }]);
    expect(task.environmentResults?.[0]?.success).toBe(true);
    const put = s.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/cdn/sslData/${id}`);
    expect((put?.body as Record<string, string>).name).toBe('slot');
    expect(s.sslData.size).toBe(1);
    expect(s.sslData.get(Number(id))?.notAfter).toBe(opensslNotAfter(b.leafPem));
    expect((await client.getCertificate(id)).expiresAt).toBe(opensslNotAfter(b.leafPem));
    expect(await client.getTask(task.id)).toEqual(task);
  });

  it('refuses a key that does not belong to the leaf before calling, and never puts the key in logs or errors', async () => {
    const log: HttpLogEntry[] = [];
    const { sim: s, client } = await setup({}, { logger: (e) => log.push(e) });
    const error = await failure(client.createCertificate({ name: 'bad', material: { certificatePem: a.leafPem, privateKeyPem: b.leafKeyPem } }));
    expect(error.code).toBe('KEY_MISMATCH');
    expect(error.message).not.toMatch(/PRIVATE KEY/);
    expect(s.requests).toHaveLength(0);
    await client.createCertificate({ name: 'good', material: material(a) });
    expect(log.length).toBeGreaterThan(0);
    expect(JSON.stringify(log)).not.toMatch(/PRIVATE KEY|BEGIN/);
  });
});

describe('undeploy, resources', () => {
  it('attaches with PATCH {sslEnabled, sslData}; undeploy (delete) is refused while attached, then deletes after detach', async () => {
    const { sim: s, client } = await setup();
    const id = await client.createCertificate({ name: 'att', material: material(a) });
    await client.attachToResource(id, '1001');
    const patch = s.requests.find((r) => r.method === 'PATCH');
    expect(patch?.path).toBe('/cdn/resources/1001');
    expect(patch?.body).toEqual({ sslEnabled: true, sslData: Number(id) });
    expect(s.cdnResources.get(1001)).toEqual({ sslEnabled: true, sslData: Number(id) });

    const refused = await client.deploySlot({ certificateId: id, env: 'production', action: 'undeploy' });
    expect(refused.status).toBe('failed');
    expect(refused.detail).toMatch(/still used by a CDN resource/);
    expect(s.sslData.has(Number(id))).toBe(true);

    await client.detachFromResource('1001');
    expect(s.cdnResources.get(1001)).toEqual({ sslEnabled: false, sslData: null });
    const done = await client.deploySlot({ certificateId: id, env: 'production', action: 'undeploy' });
    expect(done.status).toBe('succeeded');
    expect(s.requests.some((r) => r.method === 'DELETE' && r.path === `/cdn/sslData/${id}`)).toBe(true);
    expect(s.sslData.has(Number(id))).toBe(false);

    const again = await client.deploySlot({ certificateId: id, env: 'production', action: 'deploy', name: 'att', material: material(b) });
    expect(again.status).toBe('succeeded');
    const newId = again.actions[0]?.certificateId;
    expect(newId).not.toBe(id);
    expect(s.sslData.has(Number(newId))).toBe(true);
    expect(again.detail).toContain(`Created as certificate ${newId}`);
  });

  it('a provider refusal of the delete (raced attachment) is a failed task', async () => {
    const { sim: s, client } = await setup();
    const id = await client.createCertificate({ name: 'race', material: material(a) });
    s.faults.next(1, { kind: 'status', status: 400, message: 'The SSL certificate is used by a CDN resource and cannot be deleted.' }, { method: 'DELETE' });
    const task = await client.deploySlot({ certificateId: id, env: 'production', action: 'undeploy' });
    expect(task.status).toBe('failed');
    expect(task.environmentResults?.[0]?.message).toContain('used by a CDN resource');
  });

  it('only knows the "production" environment', async () => {
    const { client } = await setup();
    expect(client.capabilities).toMatchObject({ versions: false, asyncTasks: false, environments: ['production'], keyUpload: true });
    expect((await failure(client.deploySlot({ certificateId: '1', env: 'staging', action: 'deploy' }))).code).toBe('INVALID_ARGUMENT');
  });
});

describe("Let's Encrypt", () => {
  it('creates an automated certificate, attaches it, and exposes issuance as a task until Done', async () => {
    const { sim: s, clock, client } = await setup({ issuanceMs: 60_000 });
    const { certificateId, taskId } = await client.requestLetsEncrypt('le-cert', { resourceId: '1002' });
    expect(posts(s)[0]?.body).toEqual({ name: 'le-cert', automated: true });
    expect(taskId).toBe(`le-${certificateId}`);
    const running = await client.getTask(taskId);
    expect(running.status).toBe('inprogress');
    clock.advance(61_000);
    const done = await client.getTask(taskId);
    expect(done.status).toBe('succeeded');
    expect(done.detail).toContain('Latest attempt: Done');
    const [summary] = await client.listCertificates();
    expect(summary?.autoRenew).toBe(true);
    expect(summary?.expiresAt).not.toBeNull();
    await client.forceRenew(certificateId);
    expect(s.requests.some((r) => r.method === 'POST' && r.path === `/cdn/sslData/${certificateId}/renew`)).toBe(true);
    expect((await client.getTask(taskId)).status).toBe('inprogress');
  });

  it('a failed issuance is a failed task with the error and the retry-after time', async () => {
    const { sim: s, client } = await setup();
    s.failNextIssuance('RateLimited', 'too many certificates already issued', '2026-12-01T00:00:00Z');
    const { certificateId, taskId } = await client.requestLetsEncrypt('le-fail', { resourceId: '1001' });
    const task = await client.getTask(taskId);
    expect(task.status).toBe('failed');
    expect(task.detail).toContain('RateLimited');
    expect(task.detail).toContain('retry after 2026-12-01T00:00:00Z');
    await client.retryIssuance(certificateId);
    expect((await client.getTask(taskId)).status).toBe('inprogress');
  });

  it('before any attempt the issuance is waiting for a resource', async () => {
    const { client } = await setup();
    const { taskId } = await client.requestLetsEncrypt('le-idle');
    const task = await client.getTask(taskId);
    expect(task.status).toBe('waiting');
    expect(task.detail).toMatch(/attach/);
  });
});

describe('errors and faults', () => {
  it('a bad API key is PROVIDER_AUTH_FAILED; {message} and {errors} bodies are surfaced', async () => {
    const { client } = await setup({}, {}, 'wrong');
    const error = await failure(client.listCertificates());
    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.details).toMatchObject({ provider: 'gcore', httpStatus: 401 });
    expect(error.message).toContain('Invalid authentication credentials.');
    const { client: good } = await setup();
    await good.createCertificate({ name: 'dup', material: material(a) });
    const dup = await failure(good.createCertificate({ name: 'dup', material: material(a) }));
    expect(dup.code).toBe('PROVIDER_CONFLICT');
    expect(dup.message).toContain('name: ssl data with this name already exists.');
    expect((await failure(good.getCertificate('999999'))).code).toBe('PROVIDER_NOT_FOUND');
  });

  it('honours Retry-After on 429', async () => {
    const { sim: s, clock, client } = await setup();
    s.faults.next(1, { kind: 'rate-limit', retryAfterSeconds: 5 }, { method: 'GET' });
    const before = clock.now();
    await client.listCertificates();
    expect(clock.now() - before).toBeGreaterThanOrEqual(5_000);
    expect(s.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('a lost create answer is reconciled by name: one POST, one certificate', async () => {
    const { sim: s, client } = await setup();
    s.faults.next(1, { kind: 'drop-after' }, { method: 'POST' });
    const id = await client.createCertificate({ name: 'lost', material: material(a) });
    expect(posts(s)).toHaveLength(1);
    expect(s.sslData.size).toBe(1);
    expect(id).toBe(String([...s.sslData.keys()][0]));
  });

  it('a create that never arrived is sent again; a 500 is never resent', async () => {
    const { sim: s, client } = await setup();
    s.faults.next(1, { kind: 'drop-before' }, { method: 'POST' });
    await client.createCertificate({ name: 'resent', material: material(a) });
    expect(posts(s).map((r) => r.status)).toEqual(['dropped', 201]);
    s.faults.next(1, { kind: 'status', status: 500 }, { method: 'POST' });
    const error = await failure(client.createCertificate({ name: 'five', material: material(a) }));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(posts(s).filter((r) => (r.body as { name?: string }).name === 'five')).toHaveLength(1);
    expect(s.sslData.size).toBe(1);
  });

  it('a lost create never adopts an older certificate with the same name but different content', async () => {
    const { sim: s, client } = await setup();
    await client.createCertificate({ name: 'taken', material: material(b) });
    s.faults.next(1, { kind: 'drop-before' }, { method: 'POST' });
    const error = await failure(client.createCertificate({ name: 'taken', material: material(a) }));
    expect(error.code).toBe('PROVIDER_CONFLICT');
    expect(s.sslData.size).toBe(1);
  });

  it('PUT is retried after a 503 and after a lost answer', async () => {
    const { sim: s, client } = await setup();
    const id = await client.createCertificate({ name: 'p', material: material(a) });
    s.faults.next(1, { kind: 'status', status: 503 }, { method: 'PUT' });
    expect((await client.deploySlot({ certificateId: id, env: 'production', action: 'deploy', material: material(b) })).status).toBe('succeeded');
    s.faults.next(1, { kind: 'drop-after' }, { method: 'PUT' });
    expect((await client.deploySlot({ certificateId: id, env: 'production', action: 'deploy', material: material(a) })).status).toBe('succeeded');
    expect(s.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([503, 200, 'dropped', 200]);
    expect(s.sslData.get(Number(id))?.notAfter).toBe(opensslNotAfter(a.leafPem));
  });

  it('createGcoreClient picks the CDN client by default', async () => {
    const { sim: s } = await setup();
    const client = createGcoreClient({ baseUrl: s.url, apiKey: s.apiKey }, { rateLimiters: null });
    expect(client).toBeInstanceOf(GcoreCdnClient);
    expect(opensslSha256(a.leafPem)).toMatch(/^[0-9a-f]{64}$/);
  });
});
