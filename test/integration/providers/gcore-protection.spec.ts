/**
 * The Gcore web security client against the test simulator over real loopback HTTP: GET the
 * resource, PUT the full object back with only the certificate fields changed (chain leaf →
 * root ending in a newline, PKCS#8 key, ssl_type custom), expiry from `service_ssl_expire`,
 * wrapped or bare GET answers, the `/v2` fallback, undeploy, keys never surfaced, faults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGcoreClient } from '../../../main/providers/gcore/client.js';
import type { GcoreClientOptions } from '../../../main/providers/gcore/cdn-client.js';
import { GcoreProtectionClient } from '../../../main/providers/gcore/protection-client.js';
import { startGcoreSimulator, type GcoreSimulator, type GcoreSimulatorOptions } from '../../simulators/gcore.js';
import { testTime } from '../../support/manual-clock.js';
import { makeChain, opensslNotAfter, opensslSha256, type ChainMaterial } from './gcore-fixtures.js';
import { rejectedWith as failure } from '../../support/certdesk-error.js';

const rsa: ChainMaterial = makeChain('shop.example.com', 'rsa', 90);
const ec: ChainMaterial = makeChain('shop.example.com', 'ec', 120);

function material(m: ChainMaterial): { certificatePem: string; chainPem: string; privateKeyPem: string } {
  return { certificatePem: m.leafPem, chainPem: `${m.intermediatePem}${m.rootPem}`, privateKeyPem: m.leafKeyPem };
}

let sim: GcoreSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(simOptions: GcoreSimulatorOptions = {}, options: GcoreClientOptions = {}, account: { baseUrl?: string; token?: string } = {}) {
  const { clock, clientOptions } = testTime();
  const s = await startGcoreSimulator({ clock, ...simOptions });
  sim = s;
  const client = new GcoreProtectionClient(
    { baseUrl: account.baseUrl ?? s.protectionBase, token: account.token ?? s.protectionToken },
    clientOptions(options),
  );
  return { sim: s, clock, client };
}

describe('deploy: read the resource, write the full object back', () => {
  it('PUTs the object as read, changing only service_ssl_crt, service_ssl_key and ssl_type', async () => {
    const { sim: s, client } = await setup();
    const before = structuredClone(s.protectedResources.get(501));
    const task = await client.deploySlot({ certificateId: '501', env: 'production', action: 'deploy', version: 3, material: material(rsa) });
    expect(task.status).toBe('succeeded');
    expect(task.environmentResults?.[0]?.success).toBe(true);
    const get = s.requests.find((r) => r.method === 'GET');
    const put = s.requests.find((r) => r.method === 'PUT');
    expect(get?.path).toBe('/security/v2/resources/501');
    expect(put?.path).toBe('/security/v2/resources/501');
    expect(put?.authorization).toBe(`Bearer ${s.protectionToken}`);
    const body = { ...(put?.body as Record<string, unknown>) };
    expect(body.ssl_type).toBe('custom');
    expect(body.service_ssl_crt).toBe(`${rsa.leafPem}${rsa.intermediatePem}${rsa.rootPem}`);
    expect(String(body.service_ssl_crt).endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(String(body.service_ssl_key)).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    delete body.service_ssl_crt;
    delete body.service_ssl_key;
    expect(body).toEqual({ ...before, ssl_type: 'custom' });
    expect(s.protectedResources.get(501)?.service_ssl_expire).toBe(Math.floor(Date.parse(opensslNotAfter(rsa.leafPem)) / 1000));
  });

  it('converts a SEC1 EC key to PKCS#8 and reads expiry and fingerprint back', async () => {
    const { client } = await setup();
    await client.deploySlot({ certificateId: '502', env: 'production', action: 'deploy', material: material(ec) });
    const detail = await client.getCertificate('502');
    expect(detail.expiresAt).toBe(opensslNotAfter(ec.leafPem));
    expect(detail.deployedExpiresAt).toEqual({ production: opensslNotAfter(ec.leafPem) });
    expect(detail.slots?.production?.fingerprint).toBe(opensslSha256(ec.leafPem));
    expect(detail.description).toMatch(/does not warn/);
    const list = await client.listCertificates();
    expect(list.map((r) => r.id).sort()).toEqual(['501', '502']);
    expect(list.find((r) => r.id === '501')?.slots).toEqual({});
    expect(list.find((r) => r.id === '502')?.expiresAt).toBe(opensslNotAfter(ec.leafPem));
  });

  it('reads a bare (unwrapped) resource too', async () => {
    const { sim: s, client } = await setup({ wrapResource: false });
    const task = await client.deploySlot({ certificateId: '501', env: 'production', action: 'deploy', material: material(rsa) });
    expect(task.status).toBe('succeeded');
    expect((s.requests.find((r) => r.method === 'PUT')?.body as Record<string, unknown>).resource).toBeUndefined();
  });

  it('falls back to {base}/v2/resources when the base has no version, and remembers it', async () => {
    const { sim: s2, client: c2 } = await setup();
    const base = s2.protectionBase.replace(/\/v2$/, '');
    const fallback = new GcoreProtectionClient({ baseUrl: base, token: s2.protectionToken }, { rateLimiters: null, reconcileDelayMs: 0 });
    await fallback.deploySlot({ certificateId: '501', env: 'production', action: 'deploy', material: material(rsa) });
    await fallback.listCertificates();
    await fallback.getCertificate('502');
    await fallback.listCertificates();
    expect(s2.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /security/resources/501 404',
      'GET /security/v2/resources/501 200',
      'PUT /security/v2/resources/501 200',
      'GET /security/resources 404',
      'GET /security/v2/resources 200',
      'GET /security/v2/resources/502 200',
      'GET /security/v2/resources 200',
    ]);
    // A resource missing under both prefixes is PROVIDER_NOT_FOUND, not some other error.
    expect((await failure(fallback.getCertificate('999'))).code).toBe('PROVIDER_NOT_FOUND');
    expect(await c2.testConnection()).toMatchObject({ ok: true, certificateCount: 2 });
  });

  it('undeploy writes the object back with ssl_type null and without the certificate fields', async () => {
    const { sim: s, client } = await setup();
    await client.deploySlot({ certificateId: '501', env: 'production', action: 'deploy', material: material(rsa) });
    const task = await client.deploySlot({ certificateId: '501', env: 'production', action: 'undeploy' });
    expect(task.status).toBe('succeeded');
    const put = s.requests.filter((r) => r.method === 'PUT')[1]?.body as Record<string, unknown>;
    expect(put.ssl_type).toBeNull();
    expect('service_ssl_crt' in put || 'service_ssl_key' in put).toBe(false);
    expect(s.protectedResources.get(501)?.service_ssl_expire).toBe(0);
    const again = await client.deploySlot({ certificateId: '501', env: 'production', action: 'undeploy' });
    expect(again.detail).toMatch(/nothing to undeploy/);
    expect(s.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
  });

  it('never surfaces a key the provider returns', async () => {
    const { client } = await setup({ exposeKey: true });
    await client.deploySlot({ certificateId: '501', env: 'production', action: 'deploy', material: material(rsa) });
    const seen = JSON.stringify([await client.getCertificate('501'), await client.listCertificates()]);
    expect(seen).toContain('BEGIN CERTIFICATE');
    expect(seen).not.toContain('PRIVATE KEY');
  });
});

describe('errors and faults', () => {
  it('a bad token is PROVIDER_AUTH_FAILED; a missing resource is PROVIDER_NOT_FOUND', async () => {
    const { client } = await setup({}, {}, { token: 'nope' });
    expect((await failure(client.getCertificate('501'))).code).toBe('PROVIDER_AUTH_FAILED');
    const { client: good } = await setup();
    expect((await failure(good.getCertificate('999'))).code).toBe('PROVIDER_NOT_FOUND');
  });

  it('a refused PUT is a failed task with the provider message', async () => {
    const { sim: s, client } = await setup();
    s.faults.next(1, { kind: 'status', status: 400, code: 'service_ssl_crt', message: 'Certificate chain is incomplete' }, { method: 'PUT' });
    const task = await client.deploySlot({ certificateId: '501', env: 'production', action: 'deploy', material: material(rsa) });
    expect(task.status).toBe('failed');
    expect(task.detail).toContain('service_ssl_crt: Certificate chain is incomplete');
  });

  it('a lost PUT answer and a 429 are retried (full replacement)', async () => {
    const { sim: s, clock, client } = await setup();
    s.faults.next(1, { kind: 'rate-limit', retryAfterSeconds: 4 }, { method: 'GET' });
    s.faults.next(1, { kind: 'drop-after' }, { method: 'PUT' });
    const before = clock.now();
    const task = await client.deploySlot({ certificateId: '501', env: 'production', action: 'deploy', material: material(rsa) });
    expect(task.status).toBe('succeeded');
    expect(clock.now() - before).toBeGreaterThanOrEqual(4_000);
    expect(s.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 429', 'GET 200', 'PUT dropped', 'PUT 200']);
  });

  it('needs the key, and refuses creating or deleting resources', async () => {
    const { sim: s, client } = await setup();
    const error = await failure(client.deploySlot({ certificateId: '501', env: 'production', action: 'deploy', material: { certificatePem: rsa.leafPem } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(s.requests).toHaveLength(0);
    expect((await failure(client.createCertificate())).code).toBe('PROVIDER_UNSUPPORTED');
    expect((await failure(client.deleteCertificate())).code).toBe('PROVIDER_UNSUPPORTED');
  });

  it('createGcoreClient builds the protection client for mode "protection"', async () => {
    const { sim: s } = await setup();
    const client = createGcoreClient({ mode: 'protection', baseUrl: s.protectionBase, token: s.protectionToken }, { rateLimiters: null });
    expect(client).toBeInstanceOf(GcoreProtectionClient);
    expect(client.capabilities).toMatchObject({ versions: false, asyncTasks: false, environments: ['production'] });
  });
});
