/** Provider error normalisation: body shapes, status → code mapping, messages. */
import { describe, expect, it } from 'vitest';
import {
  describeCause,
  errorCodeForStatus,
  parseErrorBody,
  providerHttpError,
  providerTransportError,
  requestIdFrom,
  unsupportedOperation,
} from '../../../../main/providers/errors.js';

describe('parseErrorBody', () => {
  it.each([
    ['CDN Pro', '{"code":"InvalidKey","message":"bad key"}', { code: 'InvalidKey', message: 'bad key' }],
    ['Apinizer', '{"error":"bad_request","error_description":"Certificate (name: X) is not found!"}', { code: 'bad_request', message: 'Certificate (name: X) is not found!' }],
    ['Gcore message', '{"message":"Not found"}', { message: 'Not found' }],
    ['Gcore errors', '{"errors":{"name":["must be unique"]}}', { message: 'name: must be unique' }],
    ['problem+json', '{"type":"/cps/error-types/not-found","title":"Not Found","detail":"Enrollment 1 not found"}', { code: '/cps/error-types/not-found', message: 'Enrollment 1 not found' }],
    ['Cloudflare', '{"success":false,"errors":[{"code":1414,"message":"Invalid certificate"}]}', { code: '1414', message: 'Invalid certificate' }],
    ['empty', '', {}],
    ['HTML', '<html><body><h1>502 Bad Gateway</h1></body></html>', { message: '502 Bad Gateway' }],
  ])('reads %s', (_name, body, expected) => {
    expect(parseErrorBody(body)).toEqual(expected);
  });
});

describe('errorCodeForStatus', () => {
  it.each([
    [400, 'InvalidKey', 'PROVIDER_REJECTED'],
    [401, 'AccessDenied', 'PROVIDER_AUTH_FAILED'],
    [402, 'TooManyCerts', 'PROVIDER_REJECTED'],
    [403, 'AccessDenied', 'PROVIDER_NOT_OWNER'],
    [403, 'TooManyVersions', 'PROVIDER_REJECTED'],
    [403, 'TooManyCerts', 'PROVIDER_REJECTED'],
    [404, 'InvalidCertId', 'PROVIDER_NOT_FOUND'],
    [408, undefined, 'PROVIDER_TIMEOUT'],
    [409, 'CertificateInUse', 'PROVIDER_CONFLICT'],
    [429, undefined, 'PROVIDER_RATE_LIMITED'],
    [500, undefined, 'PROVIDER_UNAVAILABLE'],
    [503, undefined, 'PROVIDER_UNAVAILABLE'],
    [302, undefined, 'PROVIDER_ERROR'],
  ] as const)('%i %s → %s', (status, code, expected) => {
    expect(errorCodeForStatus(status, code)).toBe(expected);
  });
});

describe('providerHttpError', () => {
  it('names the status, provider code, message and request id, with details for callers', () => {
    const error = providerHttpError({
      provider: 'cdnpro',
      providerLabel: 'CDN Pro',
      httpStatus: 409,
      providerCode: 'CertificateInUse',
      providerMessage: 'Certificate is deployed',
      requestId: 'req-123',
      operation: 'delete certificate abc',
    });
    expect(error.code).toBe('PROVIDER_CONFLICT');
    expect(error.message).toContain('HTTP 409');
    expect(error.message).toContain('CertificateInUse');
    expect(error.message).toContain('Certificate is deployed');
    expect(error.message).toContain('request id req-123');
    expect(error.message).toContain('delete certificate abc');
    expect(error.details).toMatchObject({ provider: 'cdnpro', httpStatus: 409, providerCode: 'CertificateInUse', requestId: 'req-123', message: 'Certificate is deployed' });
    expect(error.details.outcomeUnknown).toBeUndefined();
  });

  it('says "you are not the owner of certificate X" on a 403', () => {
    const error = providerHttpError({ provider: 'cdnpro', providerLabel: 'CDN Pro', httpStatus: 403, providerCode: 'AccessDenied', certificateId: '5c5a0462' });
    expect(error.code).toBe('PROVIDER_NOT_OWNER');
    expect(error.message).toContain('you are not the owner of certificate 5c5a0462');
  });

  it('marks 5xx answers as outcome unknown and keeps long messages short', () => {
    const error = providerHttpError({ provider: 'x', providerLabel: 'X', httpStatus: 500, providerMessage: 'y'.repeat(1000) });
    expect(error.details.outcomeUnknown).toBe(true);
    expect(error.message.length).toBeLessThan(500);
  });
});

describe('transport errors', () => {
  it('maps timeouts and network failures and says what failed', () => {
    const timeout = providerTransportError('timeout', { provider: 'cdnpro', providerLabel: 'CDN Pro', operation: 'list certificates', timeoutMs: 30_000 });
    expect(timeout.code).toBe('PROVIDER_TIMEOUT');
    expect(timeout.message).toBe('CDN Pro did not answer the request to list certificates within 30 s');
    expect(timeout.details).toMatchObject({ provider: 'cdnpro', transport: 'timeout', outcomeUnknown: true });
    const cause = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    const network = providerTransportError('network', { provider: 'cdnpro', providerLabel: 'CDN Pro', cause });
    expect(network.code).toBe('PROVIDER_UNAVAILABLE');
    expect(network.message).toContain('ECONNREFUSED');
    expect(describeCause(undefined)).toBe('connection failed');
  });
});

describe('requestIdFrom', () => {
  it('prefers Qtl-Request-Id, then X-Cnc-Request-Id, then x-request-id', () => {
    expect(requestIdFrom(new Headers({ 'x-request-id': 'c', 'Qtl-Request-Id': 'a', 'X-Cnc-Request-Id': 'b' }))).toBe('a');
    expect(requestIdFrom(new Headers({ 'x-request-id': 'c', 'X-Cnc-Request-Id': 'b' }))).toBe('b');
    expect(requestIdFrom(new Headers({ 'x-request-id': 'c' }))).toBe('c');
    expect(requestIdFrom(new Headers())).toBeUndefined();
  });
});

describe('unsupportedOperation', () => {
  it('names the provider and the operation', () => {
    const error = unsupportedOperation('apinizer', 'Apinizer', 'downloading a CSR');
    expect(error.code).toBe('PROVIDER_UNSUPPORTED');
    expect(error.message).toBe('Apinizer does not support downloading a CSR');
    expect(error.details.provider).toBe('apinizer');
  });
});
