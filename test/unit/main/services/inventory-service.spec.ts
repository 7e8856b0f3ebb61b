/**
 * The inventory: slot matching for providers without versions (pure), and listing against a
 * real sandbox with one account unreachable.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CertificateSummary } from '../../../../main/providers/types.js';
import { toCached, versionInSlot } from '../../../../main/services/inventory-service.js';
import type { VersionRecord } from '../../../../main/store/schema.js';
import { addSandboxAccount, openServices, quickSandbox } from '../../../support/services.js';
import { serviceSuite } from '../../../support/service-suite.js';

const { keychainIt, cleanups, harnesses, ca } = await serviceSuite('inventory-service');

function version(n: number, certPem: string): VersionRecord {
  const x = new X509Certificate(certPem);
  return {
    account: 'a_0000000000000001',
    certificate: 'gw',
    version: n,
    source: 'uploaded',
    createdAt: '2026-01-01T00:00:00Z',
    leafPem: certPem,
    chainPem: '',
    keyId: null,
    fingerprint: x.fingerprint256.replace(/:/g, '').toLowerCase(),
    spkiSha256: null,
    subject: x.subject,
    sans: [],
    notBefore: null,
    notAfter: new Date(x.validTo).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    keyAlgorithm: null,
    comment: '',
  };
}

const summary = (slots: CertificateSummary['slots']): CertificateSummary => ({
  id: 'gw',
  name: 'gw',
  owner: null,
  latestVersion: null,
  autoRenew: false,
  forceRenew: false,
  caOnly: false,
  createdAt: null,
  updatedAt: null,
  expiresAt: null,
  versionInStaging: null,
  versionInProduction: null,
  deployed: {},
  deployedExpiresAt: {},
  ...(slots !== undefined ? { slots } : {}),
});

describe('slots of providers without versions', () => {
  it('matches each environment to the local version by SHA-1, SHA-256 or the certificate itself', () => {
    const one = ca.issue('gw.example.com').certPem;
    const two = ca.issue('gw.example.com', { days: 120 }).certPem;
    const versions = [version(1, one), version(2, two)];
    const sha1 = new X509Certificate(one).fingerprint.replace(/:/g, '').toLowerCase();
    const slot = { fingerprint: null, fingerprintAlgorithm: 'unknown' as const, notBefore: null, expiresAt: '2027-01-01T00:00:00Z', subject: null, certificatePem: null };
    expect(versionInSlot({ ...slot, fingerprint: sha1, fingerprintAlgorithm: 'sha1' }, versions)?.version).toBe(1);
    expect(versionInSlot({ ...slot, fingerprint: versions[1]!.fingerprint, fingerprintAlgorithm: 'sha256' }, versions)?.version).toBe(2);
    expect(versionInSlot({ ...slot, certificatePem: two }, versions)?.version).toBe(2);
    expect(versionInSlot({ ...slot, fingerprint: 'ab'.repeat(20), fingerprintAlgorithm: 'sha1' }, versions)).toBeUndefined();
    // No fingerprint (Gcore CDN): the same expiry and CN.
    expect(versionInSlot({ ...slot, expiresAt: versions[0]!.notAfter, subject: 'CN=GW.example.com' }, versions)?.version).toBe(1);
    expect(versionInSlot({ ...slot, expiresAt: versions[1]!.notAfter, subject: 'CN=gw.example.com' }, versions)?.version).toBe(2);
    expect(versionInSlot({ ...slot, expiresAt: versions[1]!.notAfter, subject: 'CN=other.example.com' }, versions)).toBeUndefined();

    const cached = toCached(
      summary({ production: { ...slot, fingerprint: sha1, fingerprintAlgorithm: 'sha1' }, staging: { ...slot, certificatePem: two }, dev: { ...slot, fingerprint: 'ff', fingerprintAlgorithm: 'sha1' } }),
      versions,
    );
    expect(cached.deployed).toEqual({ production: 1, staging: 2 });
    expect(Object.keys(cached.deployedExpiresAt).sort()).toEqual(['dev', 'production', 'staging']);
    expect(cached.latestVersion).toBe(2);
    expect(cached.expiresAt).toBe(versions[1]!.notAfter);
  });
});

describe('inventory service', () => {
  keychainIt('lists every account, keeps the cache for an unreachable one and says why', async () => {
    const s = await quickSandbox();
    cleanups.push(() => s.close());
    const h = await openServices({ onCleanup: (fn) => cleanups.push(fn) });
    harnesses.push(h);
    const account = await addSandboxAccount(h, s, 'up');
    const down = await quickSandbox();
    const downAccount = await addSandboxAccount(h, down, 'down');
    const first = await h.inventory.list();
    expect(first.map((e) => [e.account.name, e.certificates.map((c) => c.name), e.error])).toEqual([
      ['up', ['shared-by-another-customer'], null],
      ['down', ['shared-by-another-customer'], null],
    ]);
    await down.close();
    const second = await h.inventory.list();
    expect(second[0]?.error).toBeNull();
    expect(second[1]).toMatchObject({ account: { id: downAccount.id }, certificates: [{ name: 'shared-by-another-customer' }], error: { code: 'PROVIDER_UNAVAILABLE' } });
    const cachedOnly = await h.inventory.list({ account: 'up', refresh: false });
    expect(cachedOnly[0]?.refreshedAt).toBe(second[0]?.refreshedAt);
    // Neutral for the app; the details let the CLI add its `cert list` hint.
    await expect(h.inventory.find(account, 'no-such-cert')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Account "up" has no certificate "no-such-cert" (by name or id).',
      details: { account: 'up', certificate: 'no-such-cert' },
    });
    const shared = await h.inventory.find(account, (await h.inventory.find(account, 'shared-by-another-customer')).id);
    expect(h.inventory.view(account, shared)).toMatchObject({ account: 'up', provider: 'cdnpro', owner: String(s.otherCustomer.customerId), latestVersion: 1, staging: null, production: null, notAfter: { staging: null, production: null } });
    expect(h.inventory.view(account, shared).states).toEqual(['not-owner']); // seeded for a year: not expiring
  });
});
