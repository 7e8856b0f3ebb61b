// @vitest-environment jsdom
// Certificates: a virtualised table that keeps only a window of 5,000 rows in the DOM, search by
// name / SAN / fingerprint, filters and expiry sort, the empty state pointing at the Sandbox
// account, and a deploy confirmation that calls out names that would disappear.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateDetail, CertificateInventory, CertificateRow, DeploymentDiff, EnvironmentStatus, VersionInfo } from '../../shared/api.js';
import { CertificateTable, ROW_HEIGHT } from '../../renderer/features/certificates/CertificateTable.js';
import { CertificatesView } from '../../renderer/features/certificates/CertificatesView.js';
import { filterCertificates, NO_FILTER } from '../../renderer/features/certificates/filter.js';
import { renderWithApi } from './render.js';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

// jsdom lays nothing out: give the table's scroll area a real height so the virtualiser has a window.
const VIEWPORT = 600;
let restore: (() => void) | undefined;
beforeAll(() => {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('cert-scroll') ? VIEWPORT : 0;
    },
  });
  restore = () => {
    if (original) Object.defineProperty(HTMLElement.prototype, 'clientHeight', original);
  };
});
afterAll(() => restore?.());

function env(name: string, version: number | null, daysLeft: number | null): EnvironmentStatus {
  return { env: name, version, deployed: version !== null, notAfter: daysLeft === null ? null : '2027-01-01T00:00:00Z', daysLeft, expiring: daysLeft !== null && daysLeft <= 30, expired: daysLeft !== null && daysLeft < 0 };
}

function row(i: number, patch: Partial<CertificateRow> = {}): CertificateRow {
  const days = (i * 37) % 400 - 10;
  return {
    key: `a_1/c${i}`,
    id: `c${i}`,
    name: `cert-${String(i).padStart(4, '0')}`,
    accountId: i % 2 === 0 ? 'a_1' : 'a_2',
    account: i % 2 === 0 ? 'Sandbox' : 'Production CDN',
    provider: 'cdnpro',
    providerLabel: 'CDN Pro',
    isSandbox: i % 2 === 0,
    owner: '20001',
    readOnly: null,
    latestVersion: 2,
    latestNotAfter: '2027-01-01T00:00:00Z',
    staging: 2,
    production: 1,
    environments: [env('staging', 2, days + 30), env('production', 1, days)],
    daysLeft: days,
    states: days <= 30 ? ['expiring', 'staging-differs'] : ['staging-differs'],
    names: [`host${i}.example.com`],
    fingerprints: [`${i.toString(16).padStart(8, '0')}${'ab'.repeat(28)}`],
    ...patch,
  };
}

const MANY = Array.from({ length: 5_000 }, (_, i) => row(i));

describe('CertificateTable with 5,000 certificates', () => {
  it('keeps only a window of rows in the DOM and moves it when scrolled', async () => {
    renderWithApi(<CertificateTable rows={MANY} threshold={30} height={VIEWPORT} />, {});
    const table = screen.getByRole('table', { name: 'Certificates' });
    const rendered = (): HTMLElement[] => within(table).getAllByRole('row').filter((r) => r.getAttribute('aria-rowindex') !== null);
    const visible = Math.ceil(VIEWPORT / ROW_HEIGHT);
    expect(rendered().length).toBeGreaterThanOrEqual(visible);
    expect(rendered().length).toBeLessThan(visible + 20);
    expect(table.getAttribute('aria-rowcount')).toBe('5001');
    expect(within(table).getByRole('link', { name: 'cert-0000' })).toBeTruthy();
    expect(within(table).queryByRole('link', { name: 'cert-4999' })).toBeNull();

    const scroller = screen.getByRole('region', { name: /Certificates, 5000 rows/ });
    await act(async () => {
      scroller.scrollTop = 4_990 * ROW_HEIGHT;
      fireEvent.scroll(scroller);
      await new Promise((r) => setTimeout(r, 50));
    });
    expect(within(table).getByRole('link', { name: 'cert-4999' })).toBeTruthy();
    expect(within(table).queryByRole('link', { name: 'cert-0000' })).toBeNull();
    expect(rendered().length).toBeLessThan(visible + 20);
  });

  it('filters and sorts 5,000 rows quickly', () => {
    const t0 = performance.now();
    const bySan = filterCertificates(MANY, { ...NO_FILTER, query: 'HOST4321.example' });
    const byFingerprint = filterCertificates(MANY, { ...NO_FILTER, query: '0000:10e1' });
    const expiring = filterCertificates(MANY, { ...NO_FILTER, status: 'expiring', account: 'a_2' });
    const elapsed = performance.now() - t0;
    expect(bySan.map((r) => r.name)).toEqual(['cert-4321']);
    expect(byFingerprint.map((r) => r.name)).toEqual(['cert-4321']);
    expect(expiring.length).toBeGreaterThan(0);
    expect(expiring.every((r) => r.accountId === 'a_2' && r.states.includes('expiring'))).toBe(true);
    const days = expiring.map((r) => r.daysLeft ?? Infinity);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(elapsed).toBeLessThan(500);
  });

  it('sorts by expiry both ways, unknown last', () => {
    const rows = [row(1, { daysLeft: 50 }), row(2, { daysLeft: null }), row(3, { daysLeft: -3 })];
    expect(filterCertificates(rows, NO_FILTER).map((r) => r.daysLeft)).toEqual([-3, 50, null]);
    expect(filterCertificates(rows, { ...NO_FILTER, sort: 'expiry-desc' }).map((r) => r.daysLeft)).toEqual([50, -3, null]);
    expect(filterCertificates(rows, { ...NO_FILTER, env: 'none' })).toEqual([]);
  });
});

const INVENTORY: CertificateInventory = {
  certificates: [row(1, { name: 'www', names: ['www.example.com', 'shop.example.com'] }), row(2, { name: 'api', states: [], daysLeft: 200 }), row(3, { name: 'shared', states: ['not-owner'] })],
  accounts: [
    { accountId: 'a_1', account: 'Sandbox', isSandbox: true, refreshedAt: '2026-11-23T10:00:00Z', error: null },
    { accountId: 'a_2', account: 'Production CDN', isSandbox: false, refreshedAt: null, error: { code: 'PROVIDER_UNAVAILABLE', message: 'CDN Pro answered 503' } },
  ],
  thresholdDays: 30,
};

describe('CertificatesView', () => {
  it('lists certificates, searches by SAN, and reports an account that could not be read', async () => {
    renderWithApi(<CertificatesView />, { 'certificates:list': INVENTORY });
    expect(await screen.findByRole('link', { name: 'www' })).toBeTruthy();
    expect(screen.getByText(/CDN Pro answered 503/)).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Search'), 'shop.example');
    await screen.findByText('1 of 3 certificates', { exact: false });
    expect(screen.getByRole('link', { name: 'www' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'api' })).toBeNull();
  });

  it('filters by status', async () => {
    renderWithApi(<CertificatesView />, { 'certificates:list': INVENTORY });
    await screen.findByRole('link', { name: 'www' });
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Not owner');
    await screen.findByText('1 of 3 certificates', { exact: false });
    expect(screen.getByRole('link', { name: 'shared' })).toBeTruthy();
  });

  it('points at the Sandbox account when there are no certificates', async () => {
    renderWithApi(<CertificatesView />, { 'certificates:list': { ...INVENTORY, certificates: [] } });
    expect(await screen.findByText('No certificates yet')).toBeTruthy();
    expect(screen.getByText(/The Sandbox account is a local CDN Pro simulation/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Accounts & settings' }).getAttribute('href')).toBe('#/settings');
  });
});

function version(n: number, patch: Partial<VersionInfo> = {}): VersionInfo {
  return {
    version: n,
    source: 'uploaded',
    createdAt: '2026-11-01T00:00:00Z',
    subject: 'CN=www.example.com',
    issuer: 'CN=Test CA',
    sans: [{ type: 'dns', value: 'www.example.com' }],
    notBefore: '2026-11-01T00:00:00Z',
    notAfter: '2027-02-01T00:00:00Z',
    fingerprint: 'ab'.repeat(32),
    spkiSha256: 'cd'.repeat(32),
    keyId: 'k_0123456789abcdef',
    keyAlgorithm: 'EC P-256',
    comment: '',
    deployedIn: [],
    chain: [],
    selfSigned: false,
    findings: [],
    chainCheck: null,
    ...patch,
  };
}

describe('certificate page', () => {
  const detail: CertificateDetail = {
    certificate: row(1, { name: 'www', staging: null, production: 1, environments: [env('staging', null, null), env('production', 1, 60)], states: ['renewed-not-deployed'] }),
    abilities: { versions: true, asyncTasks: true, keyUpload: true, serverSideCsr: true },
    versions: [version(2, { sans: [{ type: 'dns', value: 'www.example.com' }] }), version(1, { deployedIn: ['production'], sans: [{ type: 'dns', value: 'www.example.com' }, { type: 'dns', value: 'shop.example.com' }] })],
    history: [],
    running: [],
    deleteBlocked: 'Still deployed in production (version 1). Undeploy it from every environment first.',
  };
  const diff: DeploymentDiff = {
    certificate: 'www',
    env: 'production',
    to: detail.versions[0] as VersionInfo,
    from: detail.versions[1] as VersionInfo,
    direction: 'newer',
    sans: { added: [], removed: ['DNS:shop.example.com'], unchanged: ['DNS:www.example.com'] },
    subject: { from: 'CN=www.example.com', to: 'CN=www.example.com', changed: false },
    issuer: { from: 'CN=Test CA', to: 'CN=Test CA', changed: false },
    key: { from: { algorithm: 'EC P-256', spkiSha256: 'cd'.repeat(32) }, to: { algorithm: 'EC P-256', spkiSha256: 'cd'.repeat(32) }, changed: false },
    validity: { from: { notBefore: null, notAfter: null }, to: { notBefore: null, notAfter: null }, changed: false },
    expiresSooner: false,
    warnings: ['This name would no longer be served in production: DNS:shop.example.com. Clients using it get certificate errors.'],
  };

  it('explains why delete is disabled and calls out disappearing names before a deploy', async () => {
    window.location.hash = '#/certificates/a_1/c1';
    const { calls } = renderWithApi(<CertificatesView />, { 'certificates:show': detail, 'settings:get': { theme: 'system', expiryThresholdDays: 30 }, 'deployments:diff': diff, 'deployments:start': () => ({ id: 't_0123456789abcdef' }) });
    expect(await screen.findByRole('heading', { level: 1, name: 'www' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Delete certificate…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Still deployed in production \(version 1\)/)).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Deploy to production…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deploy version 2 to production?' });
    expect(await within(dialog).findByText('A name would disappear from production')).toBeTruthy();
    expect(within(dialog).getAllByText('DNS:shop.example.com').length).toBeGreaterThan(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deploy version 2 to production' }));
    expect(calls.list.find((c) => c.channel === 'deployments:start')?.args).toEqual([{ account: 'a_1', certificate: 'c1', env: 'production', action: 'deploy', version: 2 }]);
  });

  it('shows each version’s chain: the verdict in words, the path leaf first with expiry and origin, and the problems', async () => {
    window.location.hash = '#/certificates/a_1/c1';
    const path = (role: 'leaf' | 'intermediate' | 'root', subject: string, source: 'version' | 'chain' | 'trust store', expired = false) => ({
      subject,
      issuer: 'CN=Test Root',
      notAfter: expired ? '2026-10-01T00:00:00Z' : '2030-01-01T00:00:00Z',
      expired,
      sha256: `${role}${subject}`.padEnd(64, '0'),
      role,
      source,
    });
    const valid = version(2, {
      chainCheck: {
        verdict: 'valid',
        summary: 'Chain valid — trusted by Test Root',
        path: [path('leaf', 'CN=www.example.com', 'version'), path('intermediate', 'CN=Test Intermediate', 'chain'), path('root', 'CN=Test Root', 'trust store')],
        problems: [],
      },
    });
    const expired = version(1, {
      chainCheck: {
        verdict: 'invalid',
        summary: "Chain not valid: intermediate 'Test Intermediate' expired on 2026-10-01T00:00:00Z",
        path: [path('leaf', 'CN=www.example.com', 'version'), path('intermediate', 'CN=Test Intermediate', 'chain', true), path('root', 'CN=Test Root', 'trust store')],
        problems: [{ code: 'EXPIRED', message: "intermediate 'Test Intermediate' expired on 2026-10-01T00:00:00Z", severity: 'error' }],
      },
    });
    renderWithApi(<CertificatesView />, { 'certificates:show': { ...detail, versions: [valid, expired] }, 'settings:get': { theme: 'system', expiryThresholdDays: 30 } });

    const chain2 = await screen.findByRole('region', { name: 'Chain of version 2' });
    expect(within(chain2).getByText('Valid')).toBeTruthy();
    expect(within(chain2).getByText('Chain valid — trusted by Test Root')).toBeTruthy();
    const steps = within(within(chain2).getByRole('list', { name: 'Certification path of version 2, leaf first' })).getAllByRole('listitem');
    expect(steps.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^LeafCN=www\.example\.comExpires .+ · from this version$/),
      expect.stringMatching(/^IntermediateCN=Test IntermediateExpires .+ · from the chain stored with this version$/),
      expect.stringMatching(/^RootCN=Test RootExpires .+ · from the trust store$/),
    ]);
    expect(within(chain2).queryByText('Problem')).toBeNull();

    const chain1 = screen.getByRole('region', { name: 'Chain of version 1' });
    expect(within(chain1).getByText('Not valid')).toBeTruthy();
    const middle = within(within(chain1).getByRole('list', { name: /Certification path of version 1/ })).getAllByRole('listitem')[1];
    expect(middle?.textContent).toMatch(/Expired /);
    expect(within(chain1).getByText('Problem')).toBeTruthy();
    expect(within(chain1).getByText(/Intermediate 'Test Intermediate' expired on/)).toBeTruthy();
    // The bare line of intermediates gives way to the checked chain.
    expect(screen.queryByText('No intermediates')).toBeNull();
  });

  it('shows a certificate of another customer read-only, with the reason', async () => {
    window.location.hash = '#/certificates/a_1/c3';
    const reason = 'Another customer (20002) owns this certificate and shares it with "Sandbox" (customer 20001).';
    renderWithApi(<CertificatesView />, {
      'certificates:show': { ...detail, certificate: { ...detail.certificate, readOnly: reason, states: ['not-owner'] }, deleteBlocked: reason },
      'settings:get': { theme: 'system', expiryThresholdDays: 30 },
    });
    expect(await screen.findByText('Read-only: this account is not the owner')).toBeTruthy();
    expect(screen.getAllByText(reason).length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: /Deploy to/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New version' })).toBeNull();
  });
});
