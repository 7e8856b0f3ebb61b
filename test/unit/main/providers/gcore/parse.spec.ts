/** Gcore readers: pages, SslDetail, issuance status → task, protected resources; error classification. */
import { describe, expect, it } from 'vitest';
import { classifyGcoreError } from '../../../../../main/providers/gcore/cdn-client.js';
import {
  parseIssuanceStatus,
  parsePage,
  parseProtectionSsl,
  parseSslDetail,
  protectionToSummary,
  sslToSummary,
  unwrapResource,
} from '../../../../../main/providers/gcore/parse.js';

describe('parsePage', () => {
  it('reads {count, results} and a bare array', () => {
    expect(parsePage({ count: 3, next: null, results: [{ id: 1 }, 'x'] }, 'l')).toEqual({ count: 3, items: [{ id: 1 }], paged: true });
    expect(parsePage([{ id: 1 }], 'l')).toEqual({ count: null, items: [{ id: 1 }], paged: false });
    expect(() => parsePage({ count: 1 }, 'l')).toThrow(expect.objectContaining({ code: 'PROVIDER_ERROR' }));
  });
});

describe('SslDetail', () => {
  it('reads the documented fields (ids as numbers or strings) and summarises one production slot', () => {
    const d = parseSslDetail({
      id: 7001,
      name: 'c',
      automated: false,
      cert_issuer: 'Test CA',
      cert_subject_cn: 'cdn.example.com',
      cert_subject_alt: 'cdn.example.com',
      validity_not_before: '2026-01-01T00:00:00Z',
      validity_not_after: '2026-04-01T00:00:00.000Z',
      hasRelatedResources: true,
      deleted: false,
    });
    expect(d).toMatchObject({ id: '7001', notAfter: '2026-04-01T00:00:00Z', hasRelatedResources: true, subjectCn: 'cdn.example.com' });
    if (d === undefined) throw new Error('parse');
    const s = sslToSummary(d);
    expect(s.slots?.production).toMatchObject({ expiresAt: '2026-04-01T00:00:00Z', subject: 'CN=cdn.example.com', fingerprintAlgorithm: 'unknown' });
    expect(s.deployedExpiresAt).toEqual({ production: '2026-04-01T00:00:00Z' });
    expect(parseSslDetail({ name: 'no id' })).toBeUndefined();
  });

  it('an automated certificate not issued yet has no slot', () => {
    const d = parseSslDetail({ id: '9', name: 'le', automated: true, validity_not_after: null });
    if (d === undefined) throw new Error('parse');
    expect(sslToSummary(d)).toMatchObject({ autoRenew: true, slots: {}, deployedExpiresAt: {}, expiresAt: null });
  });
});

describe('parseIssuanceStatus', () => {
  const status = (s: string) => ({ id: 1, created: '2026-01-01T00:00:00Z', status: s, error: null, details: null, retry_after: null });
  it.each([
    [{ active: true, latest_status: null }, 'inprogress'],
    [{ active: false, latest_status: status('Done') }, 'succeeded'],
    [{ active: false, latest_status: status('Failed') }, 'failed'],
    [{ active: false, latest_status: status('Cancelled') }, 'failed'],
    [{ active: false, latest_status: null }, 'waiting'],
    [{ active: false, latest_status: status('Mystery') }, 'inprogress'],
    [{ latest_status: null }, 'inprogress'],
  ] as const)('%j → %s', (json, expected) => {
    expect(parseIssuanceStatus(json, '5').status).toBe(expected);
  });

  it('names the error, details and the Let\'s Encrypt retry time', () => {
    const task = parseIssuanceStatus(
      {
        active: false,
        attempts_count: 2,
        started: '2026-01-01T00:00:00Z',
        finished: '2026-01-01T00:01:00Z',
        latest_status: { status: 'Failed', error: 'RateLimited', details: 'too many', retry_after: '2026-02-01T00:00:00Z' },
      },
      '5',
    );
    expect(task).toMatchObject({ id: 'le-5', status: 'failed', env: 'production', submittedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z' });
    expect(task.detail).toBe("Latest attempt: Failed; RateLimited; too many; Let's Encrypt limit: retry after 2026-02-01T00:00:00Z; 2 attempt(s)");
  });
});

describe('protected resources', () => {
  it('unwraps {resource} and bare objects', () => {
    expect(unwrapResource({ resource: { id: 1 } }, 'r')).toEqual({ resource: { id: 1 }, wrapped: true });
    expect(unwrapResource({ id: 1 }, 'r')).toEqual({ resource: { id: 1 }, wrapped: false });
  });

  it('takes expiry from service_ssl_expire (unix seconds) and never reads the key', () => {
    const ssl = parseProtectionSsl({ id: 501, name: 'shop', ssl_type: 'custom', service_ssl_expire: 1798761600, service_ssl_key: '-----BEGIN PRIVATE KEY-----x' });
    expect(ssl).toEqual({ id: '501', name: 'shop', sslType: 'custom', expiresAt: '2027-01-01T00:00:00Z', status: null, certificatePem: null });
    if (ssl === undefined) throw new Error('parse');
    expect(protectionToSummary(ssl)).toMatchObject({ expiresAt: '2027-01-01T00:00:00Z', deployedExpiresAt: { production: '2027-01-01T00:00:00Z' }, autoRenew: false });
    expect(JSON.stringify(protectionToSummary(ssl))).not.toContain('PRIVATE');
    const none = parseProtectionSsl({ id: 1, name: 'n', ssl_type: null, service_ssl_expire: 0 });
    if (none === undefined) throw new Error('parse');
    expect(protectionToSummary(none)).toMatchObject({ expiresAt: null, slots: {} });
  });
});

describe('classifyGcoreError', () => {
  it('a duplicate name is a conflict; other 400s keep the default', () => {
    expect(classifyGcoreError({ httpStatus: 400, providerMessage: 'name: ssl data with this name already exists.' })).toBe('PROVIDER_CONFLICT');
    expect(classifyGcoreError({ httpStatus: 400, providerMessage: 'sslPrivateKey: This field is required.' })).toBeUndefined();
    expect(classifyGcoreError({ httpStatus: 500, providerMessage: 'already exists' })).toBeUndefined();
  });
});
