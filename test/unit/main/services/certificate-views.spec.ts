// The screens' views: certificate rows across accounts, versions with issuer/chain/lint and their
// chain validated as `certdesk verify` does, the deployment diff shown before a deploy, and the
// expiry overview.
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VersionInfo } from '../../../../shared/api.js';
import { certificateRow, deploymentDiff, environmentsOf, expiryOverview, groupVersions, readOnlyReason, versionInfo } from '../../../../main/services/certificate-views.js';
import { createSelfSigned } from '../../../../main/pki/selfsign.js';
import type { AccountRecord, CachedCertificate, VersionRecord } from '../../../../main/store/schema.js';
import { makeTestCa, type TestCa } from '../../../support/test-ca.js';
import { DAY, hierarchy, NOW as PKI_NOW } from '../pki/fixtures.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const day = (n: number): string => new Date(NOW.getTime() + n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const account: AccountRecord = { id: 'a_1', name: 'Sandbox', provider: 'cdnpro', endpoint: 'http://127.0.0.1:1', user: 'sandbox', customerId: '20001', isSandbox: true, createdAt: day(-100) };

function version(n: number, patch: Partial<VersionRecord> = {}): VersionRecord {
  return {
    account: 'a_1',
    certificate: 'c1',
    version: n,
    source: 'uploaded',
    createdAt: day(-50 + n),
    leafPem: null,
    chainPem: null,
    keyId: null,
    fingerprint: `f${n}`.padEnd(64, '0'),
    spkiSha256: `s${n}`.padEnd(64, '0'),
    subject: 'CN=www.example.com',
    sans: [{ type: 'dns', value: 'www.example.com' }],
    notBefore: day(-10),
    notAfter: day(60 + n),
    keyAlgorithm: 'EC P-256',
    comment: '',
    ...patch,
  };
}

function cert(patch: Partial<CachedCertificate> = {}): CachedCertificate {
  return { id: 'c1', name: 'www', owner: '20001', latestVersion: 3, autoRenew: false, expiresAt: day(63), deployed: {}, deployedExpiresAt: {}, ...patch };
}

function info(n: number, patch: Partial<VersionInfo> = {}): VersionInfo {
  return { ...versionInfo(version(n), [], NOW, 30), ...patch };
}

describe('certificateRow', () => {
  it('shows each environment in deployment order with days left and the attention states', () => {
    const row = certificateRow({
      account,
      certificate: cert({ deployed: { production: 1, staging: 3 }, deployedExpiresAt: { production: day(10) } }),
      versions: [version(1), version(2), version(3, { sans: [{ type: 'dns', value: 'WWW.example.com' }, { type: 'dns', value: 'api.example.com' }] })],
      now: NOW,
      windowDays: 30,
    });
    expect(row.environments.map((e) => [e.env, e.version, e.daysLeft, e.expiring])).toEqual([
      ['staging', 3, 63, false],
      ['production', 1, 10, true],
    ]);
    expect(row).toMatchObject({ key: 'a_1/c1', staging: 3, production: 1, daysLeft: 10, readOnly: null, providerLabel: 'CDN Pro', isSandbox: true });
    expect(row.states).toEqual(['expiring', 'renewed-not-deployed', 'staging-differs']);
    expect([...row.names].sort()).toEqual(['api.example.com', 'www.example.com']);
    expect(row.fingerprints).toHaveLength(3);
  });

  it('lists the account environments even when nothing is deployed, and judges the latest version', () => {
    const row = certificateRow({ account, certificate: cert(), versions: [version(3)], now: NOW, windowDays: 90 });
    expect(row.environments.map((e) => [e.env, e.deployed, e.version])).toEqual([
      ['staging', false, null],
      ['production', false, null],
    ]);
    expect(row.daysLeft).toBe(63);
    expect(row.states).toEqual(['expiring']);
  });

  it('marks a certificate of another customer read-only with the reason', () => {
    const row = certificateRow({ account, certificate: cert({ owner: '20002' }), versions: [], now: NOW, windowDays: 30 });
    expect(row.states).toContain('not-owner');
    expect(row.readOnly).toMatch(/Another customer \(20002\) owns this certificate/);
    expect(readOnlyReason({ ...account, customerId: undefined }, cert({ owner: '20002' }))).toBeNull();
  });

  it('knows each provider’s environments', () => {
    expect(environmentsOf(account)).toEqual(['staging', 'production']);
    expect(environmentsOf({ ...account, provider: 'gcore' })).toEqual(['production']);
    expect(environmentsOf({ ...account, provider: 'apinizer', environments: ['prod', 'test', 'staging', 'production'] })).toEqual(['staging', 'production', 'prod', 'test']);
  });

  it('groups versions by account and certificate', () => {
    const grouped = groupVersions([version(1), version(2), { ...version(1), certificate: 'c2' }]);
    expect(grouped.get('a_1/c1')?.map((v) => v.version)).toEqual([1, 2]);
    expect(grouped.get('a_1/c2')).toHaveLength(1);
  });
});

describe('deploymentDiff', () => {
  it('calls out names that would disappear, a changed key and a shorter validity', () => {
    const from = info(3, { sans: [{ type: 'dns', value: 'www.example.com' }, { type: 'dns', value: 'shop.example.com' }], notAfter: day(200) });
    const to = info(4, { sans: [{ type: 'dns', value: 'www.example.com' }, { type: 'ip', value: '192.0.2.1' }], spkiSha256: 'other'.padEnd(64, '0'), notAfter: day(100) });
    const diff = deploymentDiff('www', 'production', to, from, NOW);
    expect(diff.direction).toBe('newer');
    expect(diff.sans).toEqual({ added: ['IP:192.0.2.1'], removed: ['DNS:shop.example.com'], unchanged: ['DNS:www.example.com'] });
    expect(diff.key.changed).toBe(true);
    expect(diff.expiresSooner).toBe(true);
    expect(diff.validity.changed).toBe(true);
    expect(diff.warnings.join('\n')).toMatch(/This name would no longer be served in production: DNS:shop.example.com/);
    expect(diff.warnings.join('\n')).toMatch(/expires on .* before version 3 now in production/);
  });

  it('a first deployment has nothing to compare; a rollback is older; a redeploy changes nothing', () => {
    expect(deploymentDiff('www', 'staging', info(2), null, NOW)).toMatchObject({ direction: 'first', from: null, sans: { added: ['DNS:www.example.com'], removed: [] }, warnings: [] });
    expect(deploymentDiff('www', 'staging', info(1), info(2), NOW).direction).toBe('older');
    const same = deploymentDiff('www', 'staging', info(2), info(2), NOW);
    expect(same.direction).toBe('same');
    expect(same.key.changed).toBe(false);
    expect(same.warnings).toEqual([expect.stringMatching(/already in staging/)]);
  });

  it('warns before a self-signed placeholder or an expired version goes live', () => {
    const selfSigned = deploymentDiff('www', 'production', info(5, { selfSigned: true }), info(4), NOW);
    expect(selfSigned.warnings.join('\n')).toMatch(/self-signed: browsers and API clients will not trust it/);
    const expired = deploymentDiff('www', 'production', info(5, { notAfter: day(-1) }), info(4), NOW);
    expect(expired.warnings.join('\n')).toMatch(/Version 5 expired on/);
  });

  it('compares DNS names without regard to case', () => {
    const diff = deploymentDiff('www', 'staging', info(2, { sans: [{ type: 'dns', value: 'WWW.Example.com' }] }), info(1), NOW);
    expect(diff.sans).toMatchObject({ added: [], removed: [] });
  });
});

describe('expiryOverview', () => {
  it('puts every deployed environment on the timeline (the latest version when deployed nowhere), soonest first, and orders the attention list by urgency', () => {
    const rows = [
      certificateRow({ account, certificate: cert({ deployed: { production: 1, staging: 3 }, deployedExpiresAt: { production: day(10) } }), versions: [version(1), version(3)], now: NOW, windowDays: 30 }),
      certificateRow({ account, certificate: cert({ id: 'c2', name: 'api', latestVersion: 1, expiresAt: day(300) }), versions: [], now: NOW, windowDays: 30 }),
      certificateRow({ account, certificate: cert({ id: 'c3', name: 'old', latestVersion: 1, expiresAt: day(-2), deployed: { production: 1 }, deployedExpiresAt: { production: day(-2) } }), versions: [], now: NOW, windowDays: 30 }),
      certificateRow({ account, certificate: cert({ id: 'c4', name: 'shared', owner: '20002', latestVersion: 1, expiresAt: day(300) }), versions: [], now: NOW, windowDays: 30 }),
    ];
    const overview = expiryOverview(rows, NOW, 30);
    expect(overview.entries.map((e) => [e.certificate, e.env, e.daysLeft, e.expired, e.expiring])).toEqual([
      ['old', 'production', -2, true, true],
      ['www', 'production', 10, false, true],
      ['www', 'staging', 63, false, false],
      ['api', 'latest', 300, false, false],
      ['shared', 'latest', 300, false, false],
    ]);
    expect(overview.attention.map((a) => [a.certificateName, a.states])).toEqual([
      ['old', ['expiring']],
      ['www', ['expiring', 'renewed-not-deployed', 'staging-differs']],
      ['shared', ['not-owner']],
    ]);
    expect(overview.thresholdDays).toBe(30);
  });
});

describe('versionInfo from stored PEM', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeTestCa('Views');
  });
  afterAll(() => ca.cleanup());

  it('reads the issuer, the chain and the lint findings of a stored leaf', () => {
    const leaf = ca.issue('www.example.com', { days: 20 });
    const v = versionInfo(version(1, { leafPem: leaf.certPem, chainPem: ca.intermediatePem }), ['production'], new Date(), 30);
    expect(v.issuer).toBe('CN=Views Intermediate');
    expect(v.selfSigned).toBe(false);
    expect(v.chain?.map((c) => c.subject)).toEqual(['CN=Views Intermediate']);
    expect(v.chain?.[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // 20 days left is inside a 30-day window.
    expect(v.findings.map((f) => f.code)).toContain('EXPIRING_SOON');
    expect(v.deployedIn).toEqual(['production']);
  });

  it('describes a version only the provider holds by its record', () => {
    const v = versionInfo(version(2), [], NOW, 30);
    expect(v).toMatchObject({ issuer: null, chain: null, selfSigned: null, findings: [], subject: 'CN=www.example.com', chainCheck: null });
  });
});

describe('versionInfo chain check', () => {
  let ca: TestCa;
  let root: Uint8Array;
  beforeAll(() => {
    ca = makeTestCa('Views');
    root = new Uint8Array(new X509Certificate(ca.rootPem).raw);
  });
  afterAll(() => ca.cleanup());

  const stored = (leafPem: string, chainPem: string | null): VersionRecord => version(1, { leafPem, chainPem });

  it('follows the stored chain to a trusted root: leaf, intermediate, root, each with where it came from', () => {
    const leaf = ca.issue('www.example.com', { days: 90 });
    const check = versionInfo(stored(leaf.certPem, ca.intermediatePem), [], new Date(), 30, [root]).chainCheck;
    expect(check).toMatchObject({ verdict: 'valid', summary: 'Chain valid — trusted by Views Root', problems: [] });
    expect(check?.path.map((e) => [e.role, e.source, e.subject, e.expired])).toEqual([
      ['leaf', 'version', 'CN=www.example.com', false],
      ['intermediate', 'chain', 'CN=Views Intermediate', false],
      ['root', 'trust store', 'CN=Views Root', false],
    ]);
    expect(check?.path[1]?.issuer).toBe('CN=Views Root');
    expect(Date.parse(check?.path[0]?.notAfter ?? '')).toBeGreaterThan(Date.now() + 80 * 86_400_000);
  });

  it('builds the path whatever order the stored chain is in', () => {
    const leaf = ca.issue('www.example.com');
    const check = versionInfo(stored(leaf.certPem, ca.rootPem + ca.intermediatePem), [], new Date(), 30, [root]).chainCheck;
    expect(check?.verdict).toBe('valid');
    expect(check?.path.map((e) => e.role)).toEqual(['leaf', 'intermediate', 'root']);
  });

  it('names the missing intermediate when the version was stored without it', () => {
    const leaf = ca.issue('www.example.com');
    for (const chainPem of ['', null]) {
      const check = versionInfo(stored(leaf.certPem, chainPem), [], new Date(), 30, [root]).chainCheck;
      expect(check).toMatchObject({ verdict: 'incomplete', summary: 'Chain incomplete — intermediate Views Intermediate is missing' });
      expect(check?.path.map((e) => e.role)).toEqual(['leaf']);
      expect(check?.problems.map((p) => p.code)).toEqual(['CHAIN_INCOMPLETE']);
    }
  });

  it('says when the root is not in the trust store (the Mozilla roots by default)', () => {
    const leaf = ca.issue('www.example.com');
    const withoutRoot = versionInfo(stored(leaf.certPem, ca.intermediatePem), [], new Date(), 30).chainCheck;
    expect(withoutRoot?.verdict).toBe('incomplete');
    expect(withoutRoot?.summary).toBe('Chain incomplete — Views Root, the issuer of Views Intermediate, is missing or is not in the trust store');
    const withRoot = versionInfo(stored(leaf.certPem, ca.chainPem), [], new Date(), 30).chainCheck;
    expect(withRoot).toMatchObject({ verdict: 'untrusted', summary: 'Chain not trusted — root Views Root is not in the trust store' });
    expect(withRoot?.path.map((e) => [e.role, e.source])).toEqual([
      ['leaf', 'version'],
      ['intermediate', 'chain'],
      ['root', 'chain'],
    ]);
    expect(withRoot?.problems.map((p) => p.code)).toContain('UNTRUSTED_ROOT');
  });

  it('finds an expired intermediate even though the leaf is current', () => {
    const h = hierarchy({ inter: { notBefore: new Date(PKI_NOW.getTime() - 365 * DAY), notAfter: new Date(PKI_NOW.getTime() - DAY) } });
    const check = versionInfo(stored(h.leaf.pem, h.inter.pem), [], PKI_NOW, 30, [h.root.der]).chainCheck;
    expect(check?.verdict).toBe('invalid');
    expect(check?.summary).toMatch(/^Chain not valid: intermediate 'Test Intermediate' expired on /);
    expect(check?.path.map((e) => [e.role, e.expired])).toEqual([
      ['leaf', false],
      ['intermediate', true],
      ['root', false],
    ]);
    expect(check?.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual(['EXPIRED']);
  });

  it('calls a self-signed placeholder untrusted', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const placeholder = createSelfSigned({ key: privateKey, subject: { commonName: 'www.example.com' }, sans: [{ type: 'dns', value: 'www.example.com' }], days: 90, now: new Date() });
    const check = versionInfo(stored(placeholder.pem, ''), [], new Date(), 30, [root]).chainCheck;
    expect(check).toMatchObject({ verdict: 'untrusted', summary: 'Chain not trusted — the certificate is self-signed' });
    expect(check?.path.map((e) => [e.role, e.source])).toEqual([['leaf', 'version']]);
  });
});
