/**
 * The CDN Pro client under injected faults over real loopback HTTP: 429 with Retry-After,
 * 5xx on idempotent and non-idempotent calls, lost responses after a write (reconciled, never
 * duplicated), timeouts, failed tasks, and the client- and server-side rate limiters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CdnProClient } from '../../../main/providers/cdnpro/client.js';
import { RateLimiterRegistry } from '../../../main/providers/rate-limiter.js';
import { startSandbox } from '../../../main/providers/sandbox/server.js';
import { harness, makeMaterial, type Harness, type Material } from './cdnpro-fixtures.js';
import { rejectedWith as failure } from '../../support/certdesk-error.js';

let h: Harness | undefined;
const rsa: Material = makeMaterial('rsa', 'faults.example.com');

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(...args: Parameters<typeof harness>): Promise<Harness> {
  h = await harness(...args);
  return h;
}

function count(hh: Harness, method: string, path: string): number {
  return hh.sandbox.requests.filter((r) => r.method === method && r.path === path).length;
}

async function newCert(hh: Harness, name = 'cert'): Promise<string> {
  return hh.client.createCertificate({ name, material: { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem } });
}

describe('rate limiting', () => {
  it('honours Retry-After / x-rate-limit-retry-after-seconds on 429, then succeeds', async () => {
    const hh = await setup();
    const id = await newCert(hh);
    hh.sandbox.faults.next(1, { kind: 'rate-limit', retryAfterSeconds: 7 }, { method: 'GET' });
    const before = hh.clock.now();
    const cert = await hh.client.getCertificate(id);
    expect(cert.id).toBe(id);
    expect(hh.clock.now() - before).toBeGreaterThanOrEqual(7_000);
    const statuses = hh.sandbox.requests.filter((r) => r.path === `/cdn/certificates/${id}`).map((r) => r.status);
    expect(statuses).toEqual([429, 200]);
  });

  it('waits out a 429 for a POST too (the request was refused, not processed) and creates once', async () => {
    const hh = await setup();
    hh.sandbox.faults.next(1, { kind: 'rate-limit', retryAfterSeconds: 2 }, { method: 'POST' });
    await newCert(hh, 'after-429');
    expect(hh.sandbox.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([429, 201]);
    expect((await hh.client.listCertificates()).filter((c) => c.name === 'after-429')).toHaveLength(1);
  });

  it('the sandbox enforces its own token bucket; the client backs off and gets through', async () => {
    const hh = await setup({ rateLimit: { perMinute: 60, burst: 2 } }, { rateLimiters: null });
    await hh.client.testConnection();
    await hh.client.testConnection();
    await hh.client.testConnection(); // third within the same instant: 429, wait 1 s, retry
    const statuses = hh.sandbox.requests.map((r) => r.status);
    expect(statuses).toEqual([200, 200, 429, 200]);
    expect(hh.waits.some((w) => w >= 1_000)).toBe(true);
  });

  it('the client-side bucket (burst, refill) keeps the client under the limit without any 429', async () => {
    const hh = await setup({ rateLimit: { perMinute: 60, burst: 2 } });
    const waits: number[] = [];
    const client = new CdnProClient(
      { baseUrl: hh.sandbox.url, user: hh.sandbox.user, apiKey: hh.sandbox.apiKey, rateLimit: { perMinute: 60, burst: 2 } },
      {
        clock: hh.clock,
        sleep: (ms) => {
          waits.push(ms);
          hh.clock.advance(ms);
          return Promise.resolve();
        },
        rateLimiters: new RateLimiterRegistry(hh.clock),
      },
    );
    for (let i = 0; i < 5; i += 1) await client.testConnection();
    expect(hh.sandbox.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(waits).toEqual([1_000, 1_000, 1_000]);
  });

  it('gives up with PROVIDER_RATE_LIMITED when the provider asks for too long a wait', async () => {
    const hh = await setup();
    hh.sandbox.faults.next(1, { kind: 'rate-limit', retryAfterSeconds: 3600 });
    const error = await failure(hh.client.testConnection());
    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(error.details.retryAfterSeconds).toBe(3600);
    expect(error.message).toContain('HTTP 429');
  });
});

describe('5xx and timeouts', () => {
  it('retries a GET after 500s with backoff and succeeds', async () => {
    const hh = await setup();
    const id = await newCert(hh);
    hh.sandbox.faults.next(2, { kind: 'status', status: 500 }, { method: 'GET' });
    expect((await hh.client.getCertificate(id)).id).toBe(id);
    expect(count(hh, 'GET', `/cdn/certificates/${id}`)).toBe(3);
    expect(hh.waits.length).toBeGreaterThanOrEqual(2);
  });

  it('stops retrying a GET after the bounded number of attempts', async () => {
    const hh = await setup();
    hh.sandbox.faults.next(10, { kind: 'status', status: 503 }, { method: 'GET' });
    const error = await failure(hh.client.testConnection());
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.details.httpStatus).toBe(503);
    expect(hh.sandbox.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
  });

  it('does not retry a POST after a 500: one POST, an error, no certificate', async () => {
    const hh = await setup();
    hh.sandbox.faults.next(1, { kind: 'status', status: 500 }, { method: 'POST', path: '/cdn/certificates' });
    const error = await failure(newCert(hh, 'five-hundred'));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.details.httpStatus).toBe(500);
    expect(error.details.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(count(hh, 'POST', '/cdn/certificates')).toBe(1);
    expect((await hh.client.listCertificates()).some((c) => c.name === 'five-hundred')).toBe(false);
  });

  it('does not retry a PATCH newVersion after a 500', async () => {
    const hh = await setup();
    const id = await newCert(hh);
    hh.sandbox.faults.next(1, { kind: 'status', status: 502 }, { method: 'PATCH' });
    const error = await failure(hh.client.createVersion(id, { certificatePem: rsa.certPem }));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(count(hh, 'PATCH', `/cdn/certificates/${id}`)).toBe(1);
    expect((await hh.client.getCertificate(id)).versions).toHaveLength(1);
  });

  it('retries a GET that timed out', async () => {
    const hh = await setup({}, { timeoutMs: 300 });
    const id = await newCert(hh);
    hh.sandbox.faults.next(1, { kind: 'delay', ms: 800 }, { method: 'GET' });
    expect((await hh.client.getCertificate(id)).id).toBe(id);
    expect(count(hh, 'GET', `/cdn/certificates/${id}`)).toBe(2);
  });

  it('re-signs once after a 401 (e.g. clock skew) and succeeds', async () => {
    const hh = await setup();
    hh.sandbox.faults.next(1, { kind: 'status', status: 401, code: 'AccessDenied' });
    await hh.client.testConnection();
    expect(hh.sandbox.requests.map((r) => r.status)).toEqual([401, 200]);
  });

  it('reports PROVIDER_UNAVAILABLE when nothing listens', async () => {
    const sandbox = await startSandbox({ rateLimit: false, seed: false });
    const url = sandbox.url;
    await sandbox.close();
    const client = new CdnProClient({ baseUrl: url, user: 'x', apiKey: 'y' }, { rateLimiters: null, sleep: () => Promise.resolve(), retry: { maxAttempts: 2 } });
    const error = await failure(client.testConnection());
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.details.transport).toBe('network');
  });
});

describe('lost responses are reconciled, never duplicated', () => {
  it('a dropped response after the version was created yields exactly one new version', async () => {
    const hh = await setup();
    const id = await newCert(hh);
    hh.sandbox.faults.next(1, { kind: 'drop-after' }, { method: 'PATCH' });
    const n = await hh.client.createVersion(id, { certificatePem: rsa.certPem, comment: 'renewal' });
    expect(n).toBe(2);
    const cert = await hh.client.getCertificate(id);
    expect(cert.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(count(hh, 'PATCH', `/cdn/certificates/${id}`)).toBe(1);
  });

  it('a response lost before the write is retried once and yields exactly one new version', async () => {
    const hh = await setup();
    const id = await newCert(hh);
    hh.sandbox.faults.next(1, { kind: 'drop-before' }, { method: 'PATCH' });
    const n = await hh.client.createVersion(id, { certificatePem: rsa.certPem, privateKeyPem: rsa.keyPem });
    expect(n).toBe(2);
    expect((await hh.client.getCertificate(id)).versions).toHaveLength(2);
    expect(count(hh, 'PATCH', `/cdn/certificates/${id}`)).toBe(2);
  });

  it('a timeout while the server is still writing is reconciled: one version', async () => {
    const hh = await setup({}, { timeoutMs: 300 });
    const id = await newCert(hh);
    hh.sandbox.faults.next(1, { kind: 'delay', ms: 900 }, { method: 'PATCH' });
    const n = await hh.client.createVersion(id, { chainPem: rsa.certPem, comment: 'chain' });
    expect(n).toBe(2);
    expect((await hh.client.getCertificate(id)).versions).toHaveLength(2);
    expect(count(hh, 'PATCH', `/cdn/certificates/${id}`)).toBe(1);
  });

  it('a dropped response after a deployment POST yields exactly one task', async () => {
    const hh = await setup();
    const id = await newCert(hh);
    hh.sandbox.faults.next(1, { kind: 'drop-after' }, { method: 'POST', path: '/cdn/deploymentTasks' });
    const taskId = await hh.client.startDeployment({ certificateId: id, env: 'production', action: 'deploy', version: 1 });
    const tasks = await hh.client.listTasks({ certificateId: id });
    expect(tasks.map((t) => t.id)).toEqual([taskId]);
    expect(count(hh, 'POST', '/cdn/deploymentTasks')).toBe(1);
  });

  it('a deployment POST lost before the write is retried: exactly one task', async () => {
    const hh = await setup();
    const id = await newCert(hh);
    hh.sandbox.faults.next(1, { kind: 'drop-before' }, { method: 'POST', path: '/cdn/deploymentTasks' });
    const taskId = await hh.client.startDeployment({ certificateId: id, env: 'staging', action: 'deploy', version: 1 });
    expect((await hh.client.listTasks({ certificateId: id })).map((t) => t.id)).toEqual([taskId]);
    expect(count(hh, 'POST', '/cdn/deploymentTasks')).toBe(2);
  });

  it('finds the lost task by its actions when the provider does not echo task names', async () => {
    const hh = await setup();
    const id = await newCert(hh);
    // A provider that drops the task name everywhere (list and detail).
    const namelessFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/cdn/deploymentTasks') || (init?.method ?? 'GET') !== 'GET') return response;
      const body = (await response.json()) as Record<string, unknown>;
      delete body.name;
      if (Array.isArray(body.deploy)) body.deploy = (body.deploy as Record<string, unknown>[]).map(({ name: _name, ...rest }) => rest);
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };
    const client = hh.clientWith({ fetch: namelessFetch });
    hh.sandbox.faults.next(1, { kind: 'drop-after' }, { method: 'POST', path: '/cdn/deploymentTasks' });
    const taskId = await client.startDeployment({ certificateId: id, env: 'staging', action: 'deploy', version: 1 });
    expect((await client.listTasks({ certificateId: id })).map((t) => t.id)).toEqual([taskId]);
    expect(count(hh, 'POST', '/cdn/deploymentTasks')).toBe(1);
  });

  it('a dropped response after creating a certificate finds it by name: exactly one certificate', async () => {
    const hh = await setup();
    hh.sandbox.faults.next(1, { kind: 'drop-after' }, { method: 'POST', path: '/cdn/certificates' });
    const id = await newCert(hh, 'lost-create');
    const matches = (await hh.client.listCertificates()).filter((c) => c.name === 'lost-create');
    expect(matches.map((c) => c.id)).toEqual([id]);
    expect(count(hh, 'POST', '/cdn/certificates')).toBe(1);
  });

  it('a lost create does not adopt an older certificate that already had the name', async () => {
    const hh = await setup();
    const existing = await newCert(hh, 'taken');
    hh.clock.advance(3_600_000);
    hh.sandbox.faults.next(1, { kind: 'drop-before' }, { method: 'POST', path: '/cdn/certificates' });
    const error = await failure(newCert(hh, 'taken'));
    expect(error.code).toBe('PROVIDER_CONFLICT');
    expect(error.message).toContain(existing);
    expect(count(hh, 'POST', '/cdn/certificates')).toBe(2); // the first create, then the lost one; no blind retry
  });

  it('when even the reconciliation fails, the error says the outcome is unknown', async () => {
    const hh = await setup({}, { retry: { maxAttempts: 1 } });
    const id = await newCert(hh);
    hh.sandbox.faults.next(1, { kind: 'drop-after' }, { method: 'PATCH' });
    // The first GET (reading the latest version before the PATCH) goes through; the checks after it fail.
    hh.sandbox.faults.next(5, { kind: 'status', status: 503 }, { method: 'GET', skip: 1 });
    const error = await failure(hh.client.createVersion(id, { certificatePem: rsa.certPem }));
    expect(error.details.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/could not confirm/);
  });
});

describe('task failures', () => {
  it('a failed task surfaces its statusDetails and leaves the pointer where it was', async () => {
    const hh = await setup();
    const id = await newCert(hh);
    hh.sandbox.faults.failNextTask('Deployment failed: certificate does not cover hostname www.example.net');
    const taskId = await hh.client.startDeployment({ certificateId: id, env: 'production', action: 'deploy', version: 1 });
    hh.clock.advance(61_000);
    const task = await hh.client.getTask(taskId);
    expect(task.status).toBe('failed');
    expect(task.detail).toBe('Deployment failed: certificate does not cover hostname www.example.net');
    expect(task.finishedAt).not.toBeNull();
    expect((await hh.client.getCertificate(id)).versionInProduction).toBeNull();
  });
});
