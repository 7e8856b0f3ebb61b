/**
 * The Apinizer client against the test simulator over real loopback HTTP: multipart create and
 * replace, trailing-slash paths, per-environment results and partial failure, undeploy by PUT
 * or DELETE, no private key ever sent, error mapping, client-credentials tokens, the rate-limit
 * body, and lost or failed responses (never a duplicate create).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ApinizerClient, type ApinizerAccount, type ApinizerClientOptions } from '../../../main/providers/apinizer/client.js';
import { startApinizerSimulator, type ApinizerSimulator, type ApinizerSimulatorOptions } from '../../simulators/apinizer.js';
import { testTime, type ManualClock } from '../../support/manual-clock.js';
import { makeMaterial, type Material } from './cdnpro-fixtures.js';
import { rejectedWith as failure } from '../../support/certdesk-error.js';

const ENVS = ['production', 'staging', 'development'];
const v1: Material = makeMaterial('rsa', 'api.example.com');
const v2: Material = makeMaterial('ec', 'api.example.com');

function sha1Of(pem: string): string {
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return createHash('sha1').update(Buffer.from(b64, 'base64')).digest('hex');
}

function sha256Of(pem: string): string {
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex');
}

interface Setup {
  sim: ApinizerSimulator;
  clock: ManualClock;
  waits: number[];
  client: ApinizerClient;
  clientWith(account?: Partial<ApinizerAccount>, options?: ApinizerClientOptions): ApinizerClient;
}

let sim: ApinizerSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(simOptions: ApinizerSimulatorOptions = {}, account: Partial<ApinizerAccount> = {}): Promise<Setup> {
  const { clock, waits, clientOptions } = testTime();
  const s = await startApinizerSimulator({ clock, environments: ENVS, ...simOptions });
  sim = s;
  const clientWith = (acc: Partial<ApinizerAccount> = {}, options: ApinizerClientOptions = {}): ApinizerClient =>
    new ApinizerClient(
      { managerUrl: s.url, projectName: 'MyProject', environments: ENVS, credentials: { token: s.token }, ...account, ...acc },
      clientOptions(options),
    );
  return { sim: s, clock, waits, client: clientWith(), clientWith };
}

describe('create, read and the wire format', () => {
  it('creates with a multipart POST to …/certificates/ carrying every documented field and a Bearer token', async () => {
    const { sim: s, client } = await setup();
    const id = await client.createCertificate({ name: 'api-cert', description: 'API TLS', material: { certificatePem: v1.certPem }, environments: ['production', 'staging'] });
    expect(id).toBe('api-cert');
    const post = s.requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe('/apiops/projects/MyProject/certificates/');
    expect(post?.authorization).toBe(`Bearer ${s.token}`);
    expect(post?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(post?.fields).toEqual({ certificateName: 'api-cert', alias: 'api-cert', certificateDescription: 'API TLS', environmentList: 'production,staging' });
    expect(post?.files).toHaveLength(1);
    expect(post?.files[0]?.name).toBe('pemEncodedFile');
    expect(sha1Of(post?.files[0]?.content ?? '')).toBe(sha1Of(v1.certPem));
    expect([...(s.certificates().get('api-cert')?.environments.keys() ?? [])].sort()).toEqual(['production', 'staging']);
  });

  it('every API path ends in "/" and names are URL-encoded', async () => {
    const { sim: s, clientWith } = await setup({ projects: ['My Project'] });
    const client = clientWith({ projectName: 'My Project' });
    await client.createCertificate({ name: 'a b/c', material: { certificatePem: v1.certPem }, environments: ['production'] });
    await client.getCertificate('a b/c');
    await client.listCertificates();
    await client.deploySlot({ certificateId: 'a b/c', env: 'staging', action: 'deploy', material: { certificatePem: v2.certPem } });
    await client.deleteCertificate('a b/c');
    expect(s.requests.length).toBeGreaterThan(4);
    for (const r of s.requests) {
      expect(r.path.endsWith('/')).toBe(true);
      expect(r.status).toBe(200);
    }
    expect(s.requests.some((r) => r.path === '/apiops/projects/My%20Project/certificates/a%20b%2Fc/')).toBe(true);
  });

  it('a path without the trailing slash is not an endpoint (the simulator is strict, like the docs)', async () => {
    const { sim: s } = await setup();
    const response = await fetch(`${s.url}/apiops/projects/MyProject/certificates`, { headers: { Authorization: `Bearer ${s.token}` } });
    expect(response.status).toBe(404);
  });

  it('never sends a private key, even when the material (or the certificate file) holds one', async () => {
    const { sim: s, client } = await setup();
    await client.createCertificate({
      name: 'with-key',
      material: { certificatePem: `${v1.keyPem}\n${v1.certPem}\n${v2.certPem}`, privateKeyPem: v1.keyPem },
      environments: ['production'],
    });
    await client.deploySlot({ certificateId: 'with-key', env: 'staging', action: 'deploy', material: { certificatePem: v2.certPem, chainPem: v1.certPem, privateKeyPem: v2.keyPem } });
    const writes = s.requests.filter((r) => r.method === 'POST' || r.method === 'PUT');
    expect(writes).toHaveLength(2);
    for (const r of writes) {
      expect(r.rawBody).not.toMatch(/PRIVATE KEY/);
      expect(r.files[0]?.content.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    }
    expect(sha1Of(writes[0]?.files[0]?.content ?? '')).toBe(sha1Of(v1.certPem));
    expect(sha1Of(writes[1]?.files[0]?.content ?? '')).toBe(sha1Of(v2.certPem));
  });

  it('lists slots per environment: SHA-1 thumbprint from the list, SHA-256 and PEM from get, expiry per environment', async () => {
    const { client } = await setup();
    await client.createCertificate({ name: 'listed', material: { certificatePem: v1.certPem }, environments: ['staging'] });
    const [summary] = await client.listCertificates();
    expect(summary?.id).toBe('listed');
    expect(summary?.latestVersion).toBeNull();
    expect(summary?.deployed).toEqual({});
    expect(summary?.slots?.staging?.fingerprint).toBe(sha1Of(v1.certPem));
    expect(summary?.slots?.staging?.fingerprintAlgorithm).toBe('sha1');
    expect(summary?.deployedExpiresAt.staging).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(summary?.expiresAt).toBe(summary?.deployedExpiresAt.staging);
    const detail = await client.getCertificate('listed');
    expect(detail.slots?.staging?.fingerprint).toBe(sha256Of(v1.certPem));
    expect(detail.slots?.staging?.fingerprintAlgorithm).toBe('sha256');
    expect(detail.slots?.staging?.subject).toContain('CN=api.example.com');
    expect(sha1Of(detail.slots?.staging?.certificatePem ?? '')).toBe(sha1Of(v1.certPem));
    expect(await client.listCertificates({ search: 'nothing-like-it' })).toEqual([]);
  });

  it('declares a slot provider: no versions, synchronous tasks, no key upload, the configured environments', async () => {
    const { client } = await setup();
    expect(client.capabilities).toMatchObject({ versions: false, asyncTasks: false, keyUpload: false, sharedSlot: true, environments: ENVS });
    expect((await failure(client.createVersion())).code).toBe('PROVIDER_UNSUPPORTED');
    expect((await failure(client.getCsr())).code).toBe('PROVIDER_UNSUPPORTED');
  });
});

describe('deploy and undeploy as slot replacement', () => {
  it('deploy creates when absent (POST), then replaces with the union of environments (PUT)', async () => {
    const { sim: s, client } = await setup();
    const first = await client.deploySlot({ certificateId: 'slot', env: 'staging', action: 'deploy', version: 1, material: { certificatePem: v1.certPem } });
    expect(first.status).toBe('succeeded');
    expect(first.environmentResults).toEqual([{ environment: 'staging', success: true, message: 'Deployed successfully' }]);
    const second = await client.deploySlot({ certificateId: 'slot', env: 'production', action: 'deploy', version: 2, material: { certificatePem: v2.certPem } });
    expect(second.status).toBe('succeeded');
    expect(second.detail).toMatch(/staging now serve/);
    const put = s.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe('/apiops/projects/MyProject/certificates/slot/');
    expect(put?.query).toEqual({ updateReferencedJwks: 'false' });
    expect(put?.fields.environmentList).toBe('staging,production');
    expect(put?.fields.alias).toBe('slot');
    const held = s.certificates().get('slot');
    expect(sha1Of(held?.environments.get('production')?.der.toString('base64').replace(/(.{64})/g, '$1\n') ?? '')).toBe(sha1Of(v2.certPem));
    expect(await client.getTask(second.id)).toEqual(second);
    expect((await client.listTasks({ certificateId: 'slot' })).map((t) => t.id)).toEqual([second.id, first.id]);
    expect((await client.listTasks({ certificateId: 'slot', env: 'staging' })).map((t) => t.id)).toEqual([first.id]);
  });

  it('sends updateScope with updateReferencedJwks=true', async () => {
    const { sim: s, clientWith } = await setup();
    const client = clientWith({ updateReferencedJwks: true });
    await client.deploySlot({ certificateId: 'jwk', env: 'staging', action: 'deploy', material: { certificatePem: v1.certPem } });
    await client.deploySlot({ certificateId: 'jwk', env: 'staging', action: 'deploy', material: { certificatePem: v2.certPem }, updateScope: 'ALL_PROJECTS' });
    expect(s.requests.find((r) => r.method === 'PUT')?.query).toEqual({ updateReferencedJwks: 'true', updateScope: 'ALL_PROJECTS' });
  });

  it('a partial failure fails the task and marks the failing environment', async () => {
    const { sim: s, client } = await setup();
    await client.createCertificate({ name: 'partial', material: { certificatePem: v1.certPem }, environments: ['production'] });
    s.failEnvironment('production', 'Gateway in production rejected the certificate');
    const task = await client.deploySlot({ certificateId: 'partial', env: 'staging', action: 'deploy', material: { certificatePem: v2.certPem } });
    expect(task.status).toBe('failed');
    expect(task.environmentResults).toEqual([
      { environment: 'production', success: false, message: 'Gateway in production rejected the certificate' },
      { environment: 'staging', success: true, message: 'Deployed successfully' },
    ]);
    expect(task.detail).toContain('production: Gateway in production rejected the certificate');
    expect(task.detail).toContain('succeeded: staging');
  });

  it('createCertificate reports a partial deployment as an error naming the failed environment', async () => {
    const { sim: s, client } = await setup();
    s.failEnvironment('staging');
    const error = await failure(client.createCertificate({ name: 'half', material: { certificatePem: v1.certPem }, environments: ['production', 'staging'] }));
    expect(error.code).toBe('PROVIDER_REJECTED');
    expect(error.details).toMatchObject({ certificateId: 'half', failedEnvironments: ['staging'] });
    expect(s.certificates().get('half')?.environments.has('production')).toBe(true);
  });

  it('undeploy from one of several environments is a PUT with the reduced list (content from Apinizer); the last one is a DELETE', async () => {
    const { sim: s, client } = await setup();
    await client.createCertificate({ name: 'u', material: { certificatePem: v1.certPem }, environments: ['production', 'staging'] });
    const first = await client.deploySlot({ certificateId: 'u', env: 'staging', action: 'undeploy' });
    expect(first.status).toBe('succeeded');
    expect(first.environmentResults?.[0]).toEqual({ environment: 'staging', success: true, message: 'Removed from the environment list' });
    const put = s.requests.find((r) => r.method === 'PUT');
    expect(put?.fields.environmentList).toBe('production');
    expect(sha1Of(put?.files[0]?.content ?? '')).toBe(sha1Of(v1.certPem));
    expect([...(s.certificates().get('u')?.environments.keys() ?? [])]).toEqual(['production']);

    const last = await client.deploySlot({ certificateId: 'u', env: 'production', action: 'undeploy' });
    expect(last.status).toBe('succeeded');
    expect(last.environmentResults).toEqual([{ environment: 'production', success: true, message: 'Undeployed successfully' }]);
    expect(s.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    expect(s.certificates().has('u')).toBe(false);

    const again = await client.deploySlot({ certificateId: 'u', env: 'production', action: 'undeploy' });
    expect(again.status).toBe('succeeded');
    expect(again.detail).toMatch(/not deployed/);
  });

  it('deleteCertificate is a DELETE; a deployment the provider refuses is a failed task, not an exception', async () => {
    const { sim: s, client } = await setup();
    await client.createCertificate({ name: 'd', material: { certificatePem: v1.certPem }, environments: ['production'] });
    await client.deleteCertificate('d');
    expect(s.certificates().has('d')).toBe(false);
    const task = await client.deploySlot({ certificateId: 'e', env: 'production', action: 'deploy', material: { certificatePem: v1.certPem }, environments: ['production', 'nowhere'] });
    expect(task.status).toBe('failed');
    expect(task.detail).toContain('Environment (nowhere) is not found!');
  });

  it('refuses an environment the account does not configure, before calling', async () => {
    const { sim: s, client } = await setup();
    const error = await failure(client.deploySlot({ certificateId: 'x', env: 'qa', action: 'deploy', material: { certificatePem: v1.certPem } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(s.requests).toHaveLength(0);
  });
});

describe('errors', () => {
  it('maps 400 "is not found" to PROVIDER_NOT_FOUND and "already exist" to PROVIDER_CONFLICT', async () => {
    const { client } = await setup();
    expect((await failure(client.getCertificate('missing'))).code).toBe('PROVIDER_NOT_FOUND');
    await client.createCertificate({ name: 'dup', material: { certificatePem: v1.certPem }, environments: ['production'] });
    const dup = await failure(client.createCertificate({ name: 'dup', material: { certificatePem: v1.certPem }, environments: ['production'] }));
    expect(dup.code).toBe('PROVIDER_CONFLICT');
    expect(dup.details).toMatchObject({ provider: 'apinizer', httpStatus: 400, providerCode: 'bad_request' });
    expect(dup.message).toContain('Certificate (name: dup) is already exist!');
    expect((await failure(client.deleteCertificate('nope'))).code).toBe('PROVIDER_NOT_FOUND');
  });

  it('an unknown project is not mistaken for a missing certificate', async () => {
    const { clientWith } = await setup();
    const client = clientWith({ projectName: 'Other' });
    const error = await failure(client.deploySlot({ certificateId: 'x', env: 'production', action: 'deploy', material: { certificatePem: v1.certPem } }));
    expect(error.code).toBe('PROVIDER_NOT_FOUND');
    expect(error.details.httpStatus).toBe(404);
  });

  it('a bad token is PROVIDER_AUTH_FAILED with the request id', async () => {
    const { clientWith } = await setup();
    const error = await failure(clientWith({ credentials: { token: 'wrong' } }).listCertificates());
    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.details).toMatchObject({ httpStatus: 401, providerCode: 'invalid_token' });
    expect(typeof error.details.requestId).toBe('string');
  });

  it('refuses plain http to a non-loopback host', () => {
    expect(() => new ApinizerClient({ managerUrl: 'http://apinizer.example.com', projectName: 'p', environments: [], credentials: { token: 't' } })).toThrow(
      expect.objectContaining({ code: 'INSECURE_ENDPOINT' }),
    );
  });
});

describe('client-credentials tokens', () => {
  it('fetches a token with a form-encoded POST /apiops/auth/token, caches it, and renews it once after expiry', async () => {
    const { sim: s, clientWith } = await setup({ users: { alice: 's3cret' } });
    const client = clientWith({ credentials: { clientId: 'alice', clientSecret: 's3cret' } });
    await client.listCertificates();
    await client.listCertificates();
    const tokenCalls = s.requests.filter((r) => r.path === '/apiops/auth/token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.contentType).toBe('application/x-www-form-urlencoded');
    expect(tokenCalls[0]?.fields).toEqual({ grant_type: 'client_credentials', client_id: 'alice', client_secret: 's3cret' });
    s.expireIssuedTokens();
    await client.listCertificates();
    expect(s.requests.filter((r) => r.path === '/apiops/auth/token')).toHaveLength(2);
    expect(s.requests.map((r) => r.status)).toEqual([200, 200, 200, 401, 200, 200]);
  });

  it('bad credentials are PROVIDER_AUTH_FAILED', async () => {
    const { clientWith } = await setup({ users: { alice: 's3cret' } });
    const error = await failure(clientWith({ credentials: { clientId: 'alice', clientSecret: 'nope' } }).listCertificates());
    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.details.providerCode).toBe('unauthorized_client');
    expect(error.message).not.toContain('nope');
  });
});

describe('faults', () => {
  it('honours retry_after from the body of a rate-limit answer (no Retry-After header)', async () => {
    const { sim: s, clock, client } = await setup();
    s.faults.next(1, { kind: 'rate-limit', retryAfterSeconds: 7 }, { method: 'GET' });
    const before = clock.now();
    await client.listCertificates();
    expect(clock.now() - before).toBeGreaterThanOrEqual(7_000);
    expect(s.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('recognises the rate-limit body whatever the status, and gives up with PROVIDER_RATE_LIMITED after the allowed waits', async () => {
    const { sim: s, clientWith } = await setup({ rateLimitStatus: 400 });
    const client = clientWith({}, { maxRateLimitWaits: 1 });
    s.faults.next(2, { kind: 'rate-limit', retryAfterSeconds: 3 });
    const error = await failure(client.listCertificates());
    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(error.details.retryAfterSeconds).toBe(3);
    expect(s.requests.map((r) => r.status)).toEqual([400, 400]);
  });

  it('a lost answer to the create POST is reconciled by reading back: no second POST, no duplicate', async () => {
    const { sim: s, client } = await setup();
    s.faults.next(1, { kind: 'drop-after' }, { method: 'POST' });
    const task = await client.deploySlot({ certificateId: 'lost', env: 'production', action: 'deploy', material: { certificatePem: v1.certPem } });
    expect(task.status).toBe('succeeded');
    expect(task.environmentResults?.[0]?.success).toBe(true);
    expect(s.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(s.certificates().size).toBe(1);
  });

  it('a POST that never arrived is sent again once the read-back shows nothing', async () => {
    const { sim: s, client } = await setup();
    s.faults.next(1, { kind: 'drop-before' }, { method: 'POST' });
    await client.createCertificate({ name: 'resent', material: { certificatePem: v1.certPem }, environments: ['staging'] });
    expect(s.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual(['dropped', 200]);
    expect(s.certificates().size).toBe(1);
  });

  it('a 500 to the POST is never retried blindly', async () => {
    const { sim: s, client } = await setup();
    s.faults.next(1, { kind: 'status', status: 500, code: 'internal_error', message: 'boom' }, { method: 'POST' });
    const error = await failure(client.createCertificate({ name: 'five', material: { certificatePem: v1.certPem }, environments: ['staging'] }));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(s.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a PUT (full replacement) is retried after a 503 and after a lost answer', async () => {
    const { sim: s, client } = await setup();
    await client.createCertificate({ name: 'p', material: { certificatePem: v1.certPem }, environments: ['staging'] });
    s.faults.next(1, { kind: 'status', status: 503 }, { method: 'PUT' });
    const task = await client.deploySlot({ certificateId: 'p', env: 'staging', action: 'deploy', material: { certificatePem: v2.certPem } });
    expect(task.status).toBe('succeeded');
    expect(s.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([503, 200]);
    s.faults.next(1, { kind: 'drop-after' }, { method: 'PUT' });
    const again = await client.deploySlot({ certificateId: 'p', env: 'staging', action: 'deploy', material: { certificatePem: v1.certPem } });
    expect(again.status).toBe('succeeded');
  });

  it('a lost answer to DELETE is settled by reading back', async () => {
    const { sim: s, client } = await setup();
    await client.createCertificate({ name: 'gone', material: { certificatePem: v1.certPem }, environments: ['staging'] });
    s.faults.next(1, { kind: 'drop-after' }, { method: 'DELETE' });
    await client.deleteCertificate('gone');
    expect(s.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    expect(s.certificates().has('gone')).toBe(false);
  });
});
