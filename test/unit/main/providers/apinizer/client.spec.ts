/** Apinizer client helpers: error classification, the rate-limit body, the base URL, leaf extraction. */
import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apinizerBaseUrl, apinizerRateLimit, classifyApinizerError, leafCertificatePem } from '../../../../../main/providers/apinizer/client.js';
import { makeMaterial } from '../../../../integration/providers/cdnpro-fixtures.js';

describe('classifyApinizerError', () => {
  it.each([
    [400, 'bad_request', 'Certificate (name: x) is not found!', 'PROVIDER_NOT_FOUND'],
    [400, 'bad_request', 'Certificate (name: x) is already exist!', 'PROVIDER_CONFLICT'],
    [400, 'bad_request', 'Alias (a) is already used for another certificate, try changing this value!', 'PROVIDER_CONFLICT'],
    [400, 'bad_request', 'alias value can not be empty!', undefined],
    [404, 'not_found', 'Project(P) was not found or user does not have privilege to access it!', 'PROVIDER_NOT_FOUND'],
    [409, 'duplicate_name', 'exists', 'PROVIDER_CONFLICT'],
    [401, 'token_expired', 'Token has expired', 'PROVIDER_AUTH_FAILED'],
    [400, 'rate_limit_exceeded', 'Rate limit exceeded', 'PROVIDER_RATE_LIMITED'],
    [403, 'forbidden', 'You do not have permission', 'PROVIDER_NOT_OWNER'],
    [500, 'internal_error', 'Certificate is not found', undefined],
  ] as const)('%i %s "%s" → %s', (httpStatus, providerCode, providerMessage, expected) => {
    expect(classifyApinizerError({ httpStatus, providerCode, providerMessage })).toBe(expected);
  });
});

describe('apinizerRateLimit', () => {
  it('reads retry_after seconds from the documented body, whatever the status', () => {
    const body = JSON.stringify({ error: 'rate_limit_exceeded', error_description: 'Rate limit exceeded. Please try again later.', retry_after: 60 });
    expect(apinizerRateLimit(429, body)).toEqual({ retryAfterMs: 60_000 });
    expect(apinizerRateLimit(400, body)).toEqual({ retryAfterMs: 60_000 });
    expect(apinizerRateLimit(429, JSON.stringify({ error: 'rate_limit_exceeded', retry_after: '2.5' }))).toEqual({ retryAfterMs: 2_500 });
  });

  it('is undefined for other errors, and a bare 429 still counts', () => {
    expect(apinizerRateLimit(400, JSON.stringify({ error: 'bad_request', error_description: 'x' }))).toBeUndefined();
    expect(apinizerRateLimit(500, 'oops')).toBeUndefined();
    expect(apinizerRateLimit(429, '')).toEqual({});
    expect(apinizerRateLimit(429, '{}')).toEqual({});
  });
});

describe('apinizerBaseUrl', () => {
  it('appends /apiops once', () => {
    expect(apinizerBaseUrl('https://demo.apinizer.com')).toBe('https://demo.apinizer.com/apiops');
    expect(apinizerBaseUrl('https://demo.apinizer.com/')).toBe('https://demo.apinizer.com/apiops');
    expect(apinizerBaseUrl('https://demo.apinizer.com/apiops/')).toBe('https://demo.apinizer.com/apiops');
    expect(apinizerBaseUrl('https://h/manager/apiops')).toBe('https://h/manager/apiops');
  });
});

describe('leafCertificatePem', () => {
  it('keeps only the first certificate and drops any key, with its fingerprints', () => {
    const a = makeMaterial('rsa', 'a.example.com');
    const b = makeMaterial('ec', 'b.example.com');
    const leaf = leafCertificatePem({ certificatePem: `junk\n${a.keyPem}${a.certPem}${b.certPem}`, privateKeyPem: a.keyPem });
    expect(leaf.pem).not.toMatch(/PRIVATE KEY/);
    expect(leaf.pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    const der = new X509Certificate(a.certPem).raw;
    expect(leaf.sha1).toBe(createHash('sha1').update(der).digest('hex'));
    expect(leaf.sha256).toBe(createHash('sha256').update(der).digest('hex'));
  });

  it('refuses material without a certificate', () => {
    expect(() => leafCertificatePem({ certificatePem: 'nothing here' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
