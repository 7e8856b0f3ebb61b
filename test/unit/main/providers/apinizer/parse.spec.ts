/** Apinizer response readers: list/get envelopes, deployment results, thumbprints, content. */
import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  certificatePemFromContent,
  normaliseThumbprint,
  parseCertificateList,
  parseDeploymentResult,
  slotFromEntry,
  toDetail,
  toSummary,
} from '../../../../../main/providers/apinizer/parse.js';
import { makeMaterial } from '../../../../integration/providers/cdnpro-fixtures.js';

const cert = makeMaterial('ec', 'parse.example.com');
const der = new X509Certificate(cert.certPem).raw;

describe('parseCertificateList', () => {
  it('reads the documented list/get example, tolerating a missing base64EncodedContent', () => {
    const list = parseCertificateList({
      success: true,
      resultList: [
        {
          name: 'my-certificate',
          description: 'SSL certificate for API',
          certificateEnvironmentList: [
            {
              environmentName: 'production',
              startDate: '2024-01-01T00:00:00.000Z',
              endDate: '2025-12-31T23:59:59.000Z',
              sha1Thumbprint: 'A1:B2:C3',
              subjectDn: 'CN=example.com, O=Example Inc, C=US',
              alias: 'my-cert-alias',
            },
            { startDate: 'no environment name: skipped' },
          ],
        },
        { description: 'no name: skipped' },
      ],
    });
    expect(list).toEqual([
      {
        name: 'my-certificate',
        description: 'SSL certificate for API',
        environments: [
          {
            environmentName: 'production',
            startDate: '2024-01-01T00:00:00Z',
            endDate: '2025-12-31T23:59:59Z',
            base64EncodedContent: null,
            sha1Thumbprint: 'a1b2c3',
            subjectDn: 'CN=example.com, O=Example Inc, C=US',
            alias: 'my-cert-alias',
          },
        ],
      },
    ]);
  });

  it('accepts a bare array and an empty envelope; refuses success:false and non-objects', () => {
    expect(parseCertificateList([{ name: 'x' }]).map((c) => c.name)).toEqual(['x']);
    expect(parseCertificateList({ success: true })).toEqual([]);
    expect(() => parseCertificateList({ success: false, error_description: 'nope' })).toThrow(expect.objectContaining({ code: 'PROVIDER_REJECTED' }));
    expect(() => parseCertificateList('text')).toThrow(expect.objectContaining({ code: 'PROVIDER_ERROR' }));
  });
});

describe('parseDeploymentResult', () => {
  it('keeps every environment result and fails the whole when one failed', () => {
    const result = parseDeploymentResult(
      {
        success: true,
        deploymentResult: {
          success: false,
          message: 'Deployment completed with errors',
          environmentResults: [
            { environmentName: 'production', success: true, message: 'Deployed successfully' },
            { environmentName: 'staging', success: false, message: 'Timeout' },
          ],
        },
      },
      'deploy',
    );
    expect(result).toEqual({
      success: false,
      message: 'Deployment completed with errors',
      environmentResults: [
        { environment: 'production', success: true, message: 'Deployed successfully' },
        { environment: 'staging', success: false, message: 'Timeout' },
      ],
    });
  });

  it('a failed environment fails the result even when the summary flag says success', () => {
    const result = parseDeploymentResult({ success: true, deploymentResult: { success: true, environmentResults: [{ environmentName: 'a', success: false }] } }, 'x');
    expect(result.success).toBe(false);
    expect(parseDeploymentResult({ success: true, deploymentResult: { success: true, message: 'ok', environmentResults: [] } }, 'x').success).toBe(true);
  });
});

describe('content, thumbprints and slots', () => {
  it('reads base64 DER and base64 PEM content, and refuses garbage', () => {
    const fromDer = certificatePemFromContent(der.toString('base64'));
    expect(new X509Certificate(fromDer ?? '').raw.equals(der)).toBe(true);
    const fromPem = certificatePemFromContent(Buffer.from(cert.certPem).toString('base64'));
    expect(new X509Certificate(fromPem ?? '').raw.equals(der)).toBe(true);
    expect(certificatePemFromContent(Buffer.from('not a certificate').toString('base64'))).toBeNull();
    expect(certificatePemFromContent(null)).toBeNull();
  });

  it('normalises thumbprints', () => {
    expect(normaliseThumbprint('AB:CD ef-01')).toBe('abcdef01');
    expect(normaliseThumbprint('')).toBeNull();
    expect(normaliseThumbprint(undefined)).toBeNull();
  });

  it('prefers SHA-256 of the content, else the SHA-1 thumbprint', () => {
    const sha1 = createHash('sha1').update(der).digest('hex');
    const base = { environmentName: 'p', startDate: null, endDate: null, subjectDn: null, alias: null };
    expect(slotFromEntry({ ...base, base64EncodedContent: null, sha1Thumbprint: sha1 })).toMatchObject({ fingerprint: sha1, fingerprintAlgorithm: 'sha1', certificatePem: null });
    expect(slotFromEntry({ ...base, base64EncodedContent: der.toString('base64'), sha1Thumbprint: sha1 })).toMatchObject({
      fingerprint: createHash('sha256').update(der).digest('hex'),
      fingerprintAlgorithm: 'sha256',
    });
    expect(slotFromEntry({ ...base, base64EncodedContent: null, sha1Thumbprint: 'xyz' }).fingerprintAlgorithm).toBe('unknown');
  });

  it('summarises with the soonest expiry and no version numbers', () => {
    const entry = (environmentName: string, endDate: string) => ({ environmentName, startDate: null, endDate, base64EncodedContent: null, sha1Thumbprint: null, subjectDn: null, alias: null });
    const summary = toSummary({ name: 'n', description: 'd', environments: [entry('production', '2027-01-01T00:00:00Z'), entry('staging', '2026-06-01T00:00:00Z')] });
    expect(summary.expiresAt).toBe('2026-06-01T00:00:00Z');
    expect(summary.deployedExpiresAt).toEqual({ production: '2027-01-01T00:00:00Z', staging: '2026-06-01T00:00:00Z' });
    expect(summary.deployed).toEqual({});
    expect(summary.latestVersion).toBeNull();
    expect(Object.keys(summary.slots ?? {})).toEqual(['production', 'staging']);
    expect(toDetail({ name: 'n', description: 'd', environments: [] })).toMatchObject({ description: 'd', versions: [], usage: [], expiresAt: null });
  });
});
