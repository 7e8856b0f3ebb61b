import { describe, expect, it } from 'vitest';
import { assessCertificate, daysLeft, type ExpiryInput } from '../../../../main/services/expiry.js';

const now = new Date('2026-06-01T12:00:00Z');
const inDays = (d: number): string => new Date(now.getTime() + d * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const base: ExpiryInput = {
  deployed: {},
  deployedExpiresAt: {},
  latestVersion: 1,
  latestExpiresAt: inDays(200),
  owner: '20001',
  customerId: '20001',
  now,
};

describe('daysLeft', () => {
  it('counts whole days, negative once expired', () => {
    expect(daysLeft(inDays(10), now)).toBe(10);
    expect(daysLeft(new Date(now.getTime() + 10 * 86_400_000 - 1).toISOString(), now)).toBe(9);
    expect(daysLeft(inDays(-1), now)).toBe(-1);
    expect(daysLeft('not a date', now)).toBeNull();
  });
});

describe('assessCertificate', () => {
  it('reports nothing for a healthy certificate and gives days left per environment', () => {
    const r = assessCertificate({ ...base, deployed: { staging: 1, production: 1 }, deployedExpiresAt: { staging: inDays(200), production: inDays(200) } });
    expect(r.states).toEqual([]);
    expect(r.environments.map((e) => [e.env, e.version, e.daysLeft])).toEqual([
      ['production', 1, 200],
      ['staging', 1, 200],
    ]);
    expect(r.daysLeft).toBe(200);
  });

  it('flags expiring inside the window (default 30 days), at its edge and after expiry', () => {
    const at = (d: number, windowDays?: number) =>
      assessCertificate({ ...base, deployed: { production: 1 }, deployedExpiresAt: { production: inDays(d) }, ...(windowDays !== undefined ? { windowDays } : {}) }).states;
    expect(at(31)).toEqual([]);
    expect(at(30)).toEqual(['expiring']);
    expect(at(3)).toEqual(['expiring']);
    expect(at(-2)).toEqual(['expiring']);
    expect(at(31, 45)).toEqual(['expiring']);
    const expired = assessCertificate({ ...base, deployed: { production: 1 }, deployedExpiresAt: { production: inDays(-2) } });
    expect(expired.environments[0]).toMatchObject({ expired: true, expiring: true, daysLeft: -2 });
  });

  it('judges the latest version when nothing is deployed, and uses version expiries when the provider gives none', () => {
    expect(assessCertificate({ ...base, latestExpiresAt: inDays(5) }).states).toEqual(['expiring']);
    const r = assessCertificate({ ...base, deployed: { production: 1 }, versionExpiresAt: (v) => (v === 1 ? inDays(7) : null) });
    expect(r.states).toEqual(['expiring']);
    expect(r.environments[0]?.notAfter).toBe(inDays(7));
  });

  it('flags renewed-not-deployed when a newer, longer-lived version is not in production', () => {
    const renewed = { ...base, latestVersion: 3, latestExpiresAt: inDays(300), deployed: { production: 2 }, deployedExpiresAt: { production: inDays(100) } };
    expect(assessCertificate(renewed).states).toEqual(['renewed-not-deployed']);
    expect(assessCertificate({ ...renewed, deployed: { production: 3 }, deployedExpiresAt: { production: inDays(300) } }).states).toEqual([]);
    // A newer version that ends sooner (a self-signed placeholder) is not a renewal.
    expect(assessCertificate({ ...renewed, latestExpiresAt: inDays(10) }).states).toEqual([]);
    // Not in production at all: nothing to compare with.
    expect(assessCertificate({ ...renewed, deployed: { staging: 2 }, deployedExpiresAt: { staging: inDays(100) } }).states).toEqual([]);
  });

  it('flags staging-differs only when both environments hold different versions', () => {
    const both = (s: number, p: number) =>
      assessCertificate({ ...base, latestVersion: Math.max(s, p), deployed: { staging: s, production: p }, deployedExpiresAt: { staging: inDays(200), production: inDays(200) } }).states;
    expect(both(2, 1)).toContain('staging-differs');
    expect(both(2, 2)).toEqual([]);
    expect(assessCertificate({ ...base, deployed: { staging: 1 }, deployedExpiresAt: { staging: inDays(200) } }).states).toEqual([]);
  });

  it('flags not-owner only when both owner and customer are known and differ', () => {
    expect(assessCertificate({ ...base, owner: '20002' }).states).toEqual(['not-owner']);
    expect(assessCertificate({ ...base, owner: null }).states).toEqual([]);
    expect(assessCertificate({ ...base, owner: '20002', customerId: null }).states).toEqual([]);
  });

  it('reports several states in a fixed order', () => {
    const r = assessCertificate({
      ...base,
      owner: '1',
      latestVersion: 3,
      latestExpiresAt: inDays(300),
      deployed: { staging: 3, production: 1 },
      deployedExpiresAt: { staging: inDays(300), production: inDays(4) },
    });
    expect(r.states).toEqual(['expiring', 'renewed-not-deployed', 'staging-differs', 'not-owner']);
    expect(r.daysLeft).toBe(4);
  });
});
