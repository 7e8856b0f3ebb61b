/**
 * The services with providers that keep no versions (Apinizer, Gcore CDN), against the test
 * simulators over loopback HTTP: local version history, "deploy version N" = replace the slot
 * with N's material, the slot matched back to versions by fingerprint, a Gcore certificate
 * created on first deploy (local records follow its new id), undeploy and delete.
 */
import { createPrivateKey } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { UploadMaterial } from '../../main/services/version-service.js';
import { startApinizerSimulator } from '../simulators/apinizer.js';
import { startGcoreSimulator } from '../simulators/gcore.js';
import { openServices, type ServiceHarness } from '../support/services.js';
import { certificateDers as der, serviceSuite } from '../support/service-suite.js';

const { keychainIt, cleanups, harnesses, ca } = await serviceSuite('services-versionless');


function material(cn: string, days = 90): { upload: UploadMaterial; certPem: string } {
  const leaf = ca.issue(cn, { days });
  return {
    certPem: leaf.certPem,
    upload: {
      kind: 'upload',
      certificates: [...der(leaf.certPem).map((d) => ({ der: d, file: 'cert.pem' })), ...der(ca.chainPem).map((d) => ({ der: d, file: 'chain.pem' }))],
      key: { key: createPrivateKey(leaf.keyPem), file: 'key.pem' },
    },
  };
}

async function harness(): Promise<ServiceHarness> {
  const h = await openServices({ onCleanup: (fn) => cleanups.push(fn) });
  harnesses.push(h);
  return h;
}

describe('Apinizer (shared slot, synchronous, no key upload)', () => {
  keychainIt('keeps versions locally and deploys them as slot replacements', async () => {
    const sim = await startApinizerSimulator({ environments: ['production', 'staging'] });
    cleanups.push(() => sim.close());
    const h = await harness();
    const account = await h.accounts.add({ provider: 'apinizer', name: 'gw', endpoint: sim.url, project: 'MyProject', environments: ['production', 'staging'], secret: sim.token });

    const v1 = material('gw.example.com');
    const created = await h.versions.createCertificate('gw', 'api-cert', v1.upload);
    expect(created.certificate).toMatchObject({ id: 'api-cert', latestVersion: 1, deployed: {} });
    expect(sim.certificates().size).toBe(0); // nothing on the gateway until deployed
    // The key stays in the vault; Apinizer never receives keys, so no upload is recorded.
    expect((await h.keys.get(created.version.keyId!)).uploads).toEqual([]);

    const t1 = await h.deployments.start({ account: 'gw', certificate: 'api-cert', env: 'staging', action: 'deploy', version: 1 });
    expect(t1).toMatchObject({ status: 'succeeded', progress: 100 });
    expect([...(sim.certificates().get('api-cert')?.environments.keys() ?? [])]).toEqual(['staging']);
    expect((await h.inventory.find(account, 'api-cert', { refresh: true })).deployed).toEqual({ staging: 1 });

    // Neutral for the app; the details let the CLI name `cert show`.
    await expect(h.deployments.start({ account: 'gw', certificate: 'api-cert', env: 'staging', action: 'deploy', version: 9 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Certdesk holds no version 9 of "api-cert"; choose one of the versions listed for the certificate.',
      details: { account: 'gw', certificate: 'api-cert', version: 9, reason: 'version-not-found' },
    });

    const v2 = material('gw.example.com', 120);
    const added = await h.versions.addVersion('gw', 'api-cert', v2.upload);
    expect(added.version.version).toBe(2);
    expect(sim.requests.filter((r) => r.method !== 'GET').length).toBe(1); // a local version only

    await h.deployments.start({ account: 'gw', certificate: 'api-cert', env: 'production', action: 'deploy', version: 2 });
    const after = await h.inventory.find(account, 'api-cert', { refresh: true });
    // One certificate per name serves every environment it is in: both now hold version 2.
    expect(after.deployed).toEqual({ production: 2, staging: 2 });
    const served = sim.certificates().get('api-cert')!.environments.get('production')!.der;
    expect(Buffer.compare(served, der(v2.certPem)[0]!)).toBe(0);

    await expect(h.deployments.deleteCertificate('gw', 'api-cert')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await h.deployments.start({ account: 'gw', certificate: 'api-cert', env: 'staging', action: 'undeploy' })).status).toBe('succeeded');
    expect((await h.deployments.start({ account: 'gw', certificate: 'api-cert', env: 'production', action: 'undeploy' })).status).toBe('succeeded');
    expect(sim.certificates().has('api-cert')).toBe(false);
    // Gone from the gateway, still known locally with its history.
    const local = await h.inventory.find(account, 'api-cert', { refresh: true });
    expect(local).toMatchObject({ latestVersion: 2, deployed: {} });
    expect((await h.versions.list(account, local)).map((v) => v.version)).toEqual([2, 1]);
    await h.deployments.deleteCertificate('gw', 'api-cert');
    expect((await h.inventory.list({ account: 'gw' }))[0]?.certificates).toEqual([]);
  });
});

describe('Gcore CDN (one slot, key upload)', () => {
  keychainIt('creates the certificate on first deploy, follows its new id, replaces it in place, records key custody', async () => {
    const sim = await startGcoreSimulator();
    cleanups.push(() => sim.close());
    const h = await harness();
    const account = await h.accounts.add({ provider: 'gcore', name: 'cdn', endpoint: sim.url, secret: sim.apiKey });

    const v1 = material('edge.example.com');
    const created = await h.versions.createCertificate('cdn', 'edge', v1.upload);
    expect(sim.sslData.size).toBe(0);
    const t1 = await h.deployments.start({ account: 'cdn', certificate: 'edge', env: 'production', action: 'deploy', version: 1 });
    expect(t1.status).toBe('succeeded');
    const [remote] = [...sim.sslData.values()];
    expect(remote?.name).toBe('edge');
    const id = String(remote!.id);
    expect(t1.certificate).toBe(id);
    expect(h.store.get('versions').map((v) => v.certificate)).toEqual([id]);
    expect((await h.inventory.find(account, 'edge', { refresh: true })).deployed).toEqual({ production: 1 });
    expect((await h.keys.get(created.version.keyId!)).uploads).toEqual([expect.objectContaining({ provider: 'gcore', account: 'cdn', certificate: 'edge', version: 1 })]);

    const v2 = material('edge.example.com', 120);
    await h.versions.addVersion('cdn', 'edge', v2.upload);
    await h.deployments.start({ account: 'cdn', certificate: 'edge', env: 'production', action: 'deploy', version: 2 });
    expect([...sim.sslData.keys()]).toEqual([remote!.id]); // replaced in place
    expect(sim.sslData.get(remote!.id)?.certificatePem).toContain(v2.certPem.trim().split('\n')[1]);
    const listed = (await h.inventory.list({ account: 'cdn' }))[0]!.certificates.map((c) => h.inventory.view(account, c));
    expect(listed).toEqual([expect.objectContaining({ id, name: 'edge', provider: 'gcore', latestVersion: 2, production: 2, staging: null })]);

    await h.deployments.start({ account: 'cdn', certificate: 'edge', env: 'production', action: 'undeploy' });
    expect(sim.sslData.size).toBe(0);
    await h.deployments.deleteCertificate('cdn', 'edge');
    expect(h.store.get('versions')).toEqual([]);
  });
});
