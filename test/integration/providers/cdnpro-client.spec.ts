/**
 * The CDN Pro client against the sandbox over real loopback HTTP: authentication both ways,
 * certificates and versions, the CSR workflow, deployment tasks, ownership and deletion rules.
 */
import { X509Certificate, createPublicKey } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptPrivateKey, httpDate } from '../../../main/providers/cdnpro/auth.js';
import type { CdnProClient } from '../../../main/providers/cdnpro/client.js';
import { openssl } from '../../support/openssl.js';
import { harness, makeCa, makeMaterial, opensslFingerprint, rawRequest, type Harness, type Material } from './cdnpro-fixtures.js';
import { rejectedWith as failure } from '../../support/certdesk-error.js';

let h: Harness;
let client: CdnProClient;
let rsa: Material;

beforeEach(async () => {
  h = await harness();
  client = h.client;
  rsa ??= makeMaterial('rsa', 'www.example.com');
});
afterEach(async () => {
  await h.close();
});

async function runTask(taskId: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 20; i += 1) {
    const task = await client.getTask(taskId);
    if (seen.at(-1) !== task.status) seen.push(task.status);
    if (task.status === 'succeeded' || task.status === 'failed') return seen;
    h.clock.advance(7_000);
  }
  throw new Error(`task ${taskId} did not finish: ${seen.join(' → ')}`);
}

describe('authentication', () => {
  it('connects with the right key', async () => {
    const check = await client.testConnection();
    expect(check.ok).toBe(true);
    expect(check.certificateCount).toBe(1); // the seeded shared certificate
  });

  it('a wrong API key gives PROVIDER_AUTH_FAILED after exactly one re-signed retry', async () => {
    const bad = h.clientWith({}, { apiKey: 'not-the-key' });
    const error = await failure(bad.listCertificates());
    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.details.httpStatus).toBe(401);
    expect(error.details.providerCode).toBe('AccessDenied');
    expect(error.message).toContain('HTTP 401');
    expect(error.message).toContain(String(error.details.requestId));
    expect(h.sandbox.requests.filter((r) => r.status === 401)).toHaveLength(2);
  });

  it('the sandbox rejects a missing Date, a stale Date and an unknown user', async () => {
    const noDate = await fetch(`${h.sandbox.url}/cdn/certificates`, { headers: { Authorization: 'Basic c2FuZGJveDp4' } });
    expect(noDate.status).toBe(401);
    expect(((await noDate.json()) as { code: string }).code).toBe('AccessDenied');
    expect(noDate.headers.get('qtl-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const stale = await rawRequest(h.sandbox, 'GET', '/cdn/certificates', { date: httpDate(h.clock.now() - 3_600_000) });
    expect(stale.status).toBe(401);
    const nobody = await rawRequest(h.sandbox, 'GET', '/cdn/certificates', { clock: h.clock, user: 'nobody' });
    expect(nobody.status).toBe(401);
    const ok = await rawRequest(h.sandbox, 'GET', '/cdn/certificates', { clock: h.clock });
    expect(ok.status).toBe(200);
  });

  it('the sandbox decrypts a key encrypted with the request Date and rejects one encrypted with another Date', async () => {
    const date = httpDate(h.clock.now());
    const otherDate = httpDate(h.clock.now() - 1000);
    const body = (keyDate: string, name: string): string =>
      JSON.stringify({ name, newVersion: { certificate: rsa.certPem, privateKey: encryptPrivateKey(rsa.keyPem, h.sandbox.apiKey, keyDate) } });
    const wrong = await rawRequest(h.sandbox, 'POST', '/cdn/certificates', { date, body: body(otherDate, 'wrong-date') });
    expect(wrong.status).toBe(400);
    expect((wrong.json() as { code: string }).code).toBe('InvalidKey');
    const right = await rawRequest(h.sandbox, 'POST', '/cdn/certificates', { date, body: body(date, 'right-date') });
    expect(right.status).toBe(201);
    expect(right.text).toBe('');
    expect(right.headers.get('location')).toMatch(new RegExp(`^${h.sandbox.url}/cdn/certificates/[0-9a-f]{24}$`));
    expect(right.headers.get('qtl-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('certificates and versions', () => {
  it('creates from uploaded material and reports the version with its SHA-256 fingerprint', async () => {
    const id = await client.createCertificate({ name: 'www', comment: 'first', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    const cert = await client.getCertificate(id);
    expect(cert.name).toBe('www');
    expect(cert.owner).toBe(String(h.sandbox.customerId));
    expect(cert.latestVersion).toBe(1);
    expect(cert.versionInStaging).toBeNull();
    expect(cert.versions).toHaveLength(1);
    expect(cert.versions[0]).toMatchObject({ version: 1, type: 'uploaded', comment: 'first', fingerprintAlgorithm: 'sha256' });
    expect(cert.versions[0]?.fingerprint).toBe(opensslFingerprint(rsa.certPem));
    const v1 = await client.getVersion(id, 1);
    expect(v1.keyAlgorithm).toBe('RSA');
    expect(v1.keyLength).toBe(2048);
    expect(v1.sans).toEqual(['www.example.com']);
    expect(v1.deletable).toBe(false); // the only version
    const listed = await client.listCertificates();
    expect(listed.map((c) => c.name).sort()).toEqual(['shared-by-another-customer', 'www']);
  });

  it('refuses a duplicate name with PROVIDER_CONFLICT (409 DuplicateName)', async () => {
    await client.createCertificate({ name: 'dup', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    const error = await failure(client.createCertificate({ name: 'dup', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } }));
    expect(error.code).toBe('PROVIDER_CONFLICT');
    expect(error.details.providerCode).toBe('DuplicateName');
  });

  it('runs the CSR workflow: GENERATE, download the CSR, upload the CA-signed certificate with the key carried over', async () => {
    const id = await client.createCertificate({
      name: 'csr-flow',
      material: { selfSigned: { keyAlgorithm: 'ECC256', identification: { commonName: 'shop.example.org', sans: ['shop.example.org', 'www.shop.example.org'], country: 'DE', company: 'Shop' } } },
    });
    const v1 = await client.getVersion(id, 1);
    expect(v1.type).toBe('self-signed');
    expect(v1.keyAlgorithm).toBe('ECC');
    const days = (Date.parse(v1.expiresAt ?? '') - h.clock.now()) / 86_400_000;
    expect(days).toBeGreaterThan(9.9);
    expect(days).toBeLessThanOrEqual(10);

    const csr = await client.getCsr(id);
    expect(csr.version).toBe(1);
    const text = openssl(['req', '-noout', '-verify', '-text'], csr.csrPem).toString();
    expect(text).toContain('CN = shop.example.org');
    expect(text).toContain('DNS:www.shop.example.org');

    const ca = makeCa();
    try {
      const signed = ca.sign(csr.csrPem);
      const n = await client.createVersion(id, { certificatePem: signed, chainPem: ca.certPem, comment: 'CA-signed' });
      expect(n).toBe(2);
      const v2 = await client.getVersion(id, 2);
      expect(v2.type).toBe('uploaded');
      expect(v2.issuer).toContain('Certdesk Test CA');
      expect(v2.chain).toHaveLength(1);
      expect(v2.fingerprint).toBe(opensslFingerprint(signed));
      // The CSR's key is the signed certificate's key: the server kept the version-1 key.
      const csrKey = createPublicKey(openssl(['req', '-noout', '-pubkey'], csr.csrPem).toString()).export({ type: 'spki', format: 'der' });
      expect(new X509Certificate(signed).publicKey.export({ type: 'spki', format: 'der' }).equals(csrKey)).toBe(true);

      // Chain-only version: certificate and key carried over, fingerprint unchanged.
      const n3 = await client.createVersion(id, { chainPem: ca.certPem, comment: 'chain only' });
      expect(n3).toBe(3);
      const cert = await client.getCertificate(id);
      expect(cert.versions.map((v) => v.version)).toEqual([1, 2, 3]);
      expect(cert.versions[2]?.fingerprint).toBe(cert.versions[1]?.fingerprint);
    } finally {
      ca.cleanup();
    }
  });

  it('rejects a new version whose key algorithm differs from the latest (400 InvalidCertVersion)', async () => {
    const id = await client.createCertificate({
      name: 'ecc-cert',
      material: { selfSigned: { keyAlgorithm: 'ECC256', identification: { commonName: 'a.example', sans: ['a.example'] } } },
    });
    const error = await failure(client.createVersion(id, { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem }));
    expect(error.code).toBe('PROVIDER_REJECTED');
    expect(error.details.providerCode).toBe('InvalidCertVersion');
    expect(error.message).toMatch(/algorithm type is 'ECC'/);
    expect((await client.getCertificate(id)).versions).toHaveLength(1);
  });

  it('rejects a certificate that does not match the carried-over key', async () => {
    const id = await client.createCertificate({ name: 'mismatch', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    const other = makeMaterial('rsa', 'other.example.com');
    const error = await failure(client.createVersion(id, { certificatePem: other.certPem }));
    expect(error.code).toBe('PROVIDER_REJECTED');
    expect(error.details.providerCode).toBe('InvalidCert');
  });

  it('the sandbox answers a bare CR with 400 InvalidLineBreak; the client sends normalised line breaks', async () => {
    const id = await client.createCertificate({ name: 'crlf', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    const crOnly = rsa.certPem.replace(/\n/g, '\r');
    const raw = await rawRequest(h.sandbox, 'PATCH', `/cdn/certificates/${id}`, { clock: h.clock, body: JSON.stringify({ newVersion: { certificate: crOnly } }) });
    expect(raw.status).toBe(400);
    expect((raw.json() as { code: string }).code).toBe('InvalidLineBreak');
    const crlf = await rawRequest(h.sandbox, 'PATCH', `/cdn/certificates/${id}`, {
      clock: h.clock,
      body: JSON.stringify({ newVersion: { certificate: rsa.certPem.replace(/\n/g, '\r\n') } }),
    });
    expect(crlf.status).toBe(201);
    expect(crlf.headers.get('location')).toMatch(/\/cdn\/certificates\/[0-9a-f]{24}\/versions\/2$/);
    expect(await client.createVersion(id, { certificatePem: crOnly, privateKeyPem: rsa.keyPem.replace(/\n/g, '\r') })).toBe(3);
  });

  it('deletes only the latest never-deployed version, and the number is reused', async () => {
    const id = await client.createCertificate({ name: 'versions', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    expect(await client.createVersion(id, { certificatePem: rsa.certPem })).toBe(2);
    expect((await client.getVersion(id, 2)).deletable).toBe(true);
    expect((await failure(client.deleteVersion(id, 1))).details.providerCode).toBe('VersionIsNotTheLatest');
    await client.deleteVersion(id, 2);
    expect(await client.createVersion(id, { certificatePem: rsa.certPem })).toBe(2);
    const task = await client.startDeployment({ certificateId: id, env: 'staging', action: 'deploy', version: 2 });
    await runTask(task);
    const used = await failure(client.deleteVersion(id, 2));
    expect(used.code).toBe('PROVIDER_CONFLICT');
    expect(used.details.providerCode).toBe('VersionUsed');
  });

  it('toggles auto-renewal and force-renew', async () => {
    const id = await client.createCertificate({ name: 'renew', autoRenew: false, material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    expect((await client.getCertificate(id)).autoRenew).toBe(false);
    await client.setAutoRenew(id, true);
    expect((await client.getCertificate(id)).autoRenew).toBe(true);
    await client.forceRenew(id);
    expect((await client.getCertificate(id)).forceRenew).toBe(true);
    await client.setAutoRenew(id, false);
    expect((await client.getCertificate(id)).autoRenew).toBe(false);
  });

  it('pages through the list using count as the total', async () => {
    for (let i = 0; i < 7; i += 1) {
      await client.createCertificate({ name: `page-${i}`, material: { selfSigned: { keyAlgorithm: 'ECC256', identification: { commonName: `p${i}.example`, sans: [`p${i}.example`] } } } });
    }
    const small = h.clientWith({ pageSize: 3 });
    const all = await small.listCertificates();
    expect(all).toHaveLength(8);
    expect(new Set(all.map((c) => c.id)).size).toBe(8);
    const gets = h.sandbox.requests.filter((r) => r.method === 'GET' && r.path === '/cdn/certificates');
    expect(gets).toHaveLength(3);
    expect((await client.listCertificates({ search: 'page-6' })).map((c) => c.name)).toEqual(['page-6']);
  });

  it('acts for a child customer with On-Behalf-Of', async () => {
    const child = h.clientWith({}, { onBehalfOf: String(h.sandbox.childCustomer.customerId) });
    const id = await child.createCertificate({ name: 'for-child', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    expect((await child.getCertificate(id)).owner).toBe(String(h.sandbox.childCustomer.customerId));
    expect((await failure(client.getCertificate(id))).code).toBe('PROVIDER_NOT_FOUND');
  });
});

describe('deployment tasks', () => {
  it('deploys to staging then production, with tasks moving waiting → inprogress → succeeded', async () => {
    const id = await client.createCertificate({ name: 'deploy', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    const staging = await client.startDeployment({ certificateId: id, env: 'staging', action: 'deploy', version: 1 });
    expect(staging).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const duplicate = await failure(client.startDeployment({ certificateId: id, env: 'staging', action: 'deploy', version: 1 }));
    expect(duplicate.code).toBe('PROVIDER_REJECTED');
    expect(duplicate.details.providerCode).toBe('DuplicateDeployment');
    expect(await runTask(staging)).toEqual(['waiting', 'inprogress', 'succeeded']);
    const done = await client.getTask(staging);
    expect(done.detail).toBe('Task has successfully finished');
    expect(done.finishedAt).not.toBeNull();
    expect(done.env).toBe('staging');
    expect(done.actions).toEqual([{ action: 'deploy', certificateId: id, version: 1 }]);
    let cert = await client.getCertificate(id);
    expect(cert.versionInStaging).toBe(1);
    expect(cert.versionInProduction).toBeNull();

    const production = await client.startDeployment({ certificateId: id, env: 'production', action: 'deploy', version: 1 });
    const mid = await client.getCertificate(id);
    expect(mid.versionInProduction).toBeNull(); // not until the task succeeds
    await runTask(production);
    cert = await client.getCertificate(id);
    expect(cert.deployed).toEqual({ staging: 1, production: 1 });
    expect(cert.deployedExpiresAt.production).toBe(cert.expiresAt);
    expect((await client.getVersion(id, 1)).deployedIn).toEqual(['staging', 'production']);

    const history = await client.listTasks({ certificateId: id });
    expect(history.map((t) => t.id)).toEqual([production, staging]);
    expect(history.every((t) => t.status === 'succeeded')).toBe(true);
    expect((await client.listTasks({ certificateId: id, env: 'staging' })).map((t) => t.id)).toEqual([staging]);
  });

  it('refuses to delete while deployed, undeploys, then deletes', async () => {
    const id = await client.createCertificate({ name: 'delete-me', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    const busy = await client.startDeployment({ certificateId: id, env: 'production', action: 'deploy', version: 1 });
    const inFlight = await failure(client.deleteCertificate(id));
    expect(inFlight.code).toBe('PROVIDER_CONFLICT');
    expect(inFlight.details.providerCode).toBe('CertificateInUse');
    await runTask(busy);
    const deployed = await failure(client.deleteCertificate(id));
    expect(deployed.details.providerCode).toBe('CertificateInUse');
    const undeploy = await client.startDeployment({ certificateId: id, env: 'production', action: 'undeploy' });
    await runTask(undeploy);
    expect((await client.getCertificate(id)).versionInProduction).toBeNull();
    await client.deleteCertificate(id);
    const gone = await failure(client.getCertificate(id));
    expect(gone.code).toBe('PROVIDER_NOT_FOUND');
    expect(gone.details.providerCode).toBe('InvalidCertId');
  });

  it('the sandbox rejects a numeric version and an unknown version in deploy_cert', async () => {
    const id = await client.createCertificate({ name: 'strict', material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
    const numeric = await rawRequest(h.sandbox, 'POST', '/cdn/deploymentTasks', {
      clock: h.clock,
      body: JSON.stringify({ target: 'staging', actions: [{ action: 'deploy_cert', certificateId: id, version: 1 }] }),
    });
    expect(numeric.status).toBe(400);
    const unknown = await failure(client.startDeployment({ certificateId: id, env: 'staging', action: 'deploy', version: 9 }));
    expect(unknown.details.providerCode).toBe('InvalidCertificateVersion');
    const badEnv = await rawRequest(h.sandbox, 'POST', '/cdn/deploymentTasks', {
      clock: h.clock,
      body: JSON.stringify({ target: 'qa', actions: [{ action: 'deploy_cert', certificateId: id, version: '1' }] }),
    });
    expect((badEnv.json() as { code: string }).code).toBe('InvalidDeploymentTarget');
  });
});

describe('ownership', () => {
  it('a certificate owned by another customer is readable but every change is PROVIDER_NOT_OWNER', async () => {
    const id = h.sandbox.sharedCertificateId ?? '';
    const cert = await client.getCertificate(id);
    expect(cert.owner).toBe(String(h.sandbox.otherCustomer.customerId));
    const attempts = [
      () => client.createVersion(id, { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem }),
      () => client.startDeployment({ certificateId: id, env: 'staging', action: 'deploy', version: 1 }),
      () => client.deleteCertificate(id),
      () => client.getCsr(id),
    ];
    for (const attempt of attempts) {
      const error = await failure(attempt());
      expect(error.code).toBe('PROVIDER_NOT_OWNER');
      expect(error.details.httpStatus).toBe(403);
      expect(error.message).toContain(`you are not the owner of certificate ${id}`);
    }
    expect((await client.getCertificate(id)).versions).toHaveLength(1);
  });
});
