/** Tolerant parsing of CDN Pro responses: both spec generations' spellings, unknown fields, odd types. */
import { describe, expect, it } from 'vitest';
import { CertdeskError } from '../../../../../shared/errors.js';
import {
  idFromLocation,
  isoTime,
  normaliseAutoRenew,
  normaliseFingerprint,
  normaliseTaskStatus,
  normaliseVersionType,
  parseCertificateDetail,
  parseCertificateList,
  parseCsr,
  parseTask,
  parseTaskList,
  parseVersionDetail,
} from '../../../../../main/providers/cdnpro/parse.js';

describe('enums', () => {
  it.each([
    ['waiting', 'waiting'],
    ['inprogress', 'inprogress'],
    ['in progress', 'inprogress'],
    ['In Progress', 'inprogress'],
    ['succeeded', 'succeeded'],
    ['failed', 'failed'],
    ['FAILED', 'failed'],
    ['validating', 'inprogress'], // unknown → still running
    [undefined, 'inprogress'],
  ])('task status %s → %s', (raw, expected) => {
    expect(normaliseTaskStatus(raw)).toBe(expected);
  });

  it('autoRenew "LE" is on; "Off", "off" and absent are off', () => {
    expect(normaliseAutoRenew('LE')).toBe(true);
    expect(normaliseAutoRenew('le')).toBe(true);
    expect(normaliseAutoRenew('Off')).toBe(false);
    expect(normaliseAutoRenew('off')).toBe(false);
    expect(normaliseAutoRenew(undefined)).toBe(false);
  });

  it('version type self-signed / selfsigned / uploaded', () => {
    expect(normaliseVersionType('self-signed')).toBe('self-signed');
    expect(normaliseVersionType('selfsigned')).toBe('self-signed');
    expect(normaliseVersionType('uploaded')).toBe('uploaded');
    expect(normaliseVersionType('imported')).toBe('unknown');
  });

  it('fingerprints: SHA-256 or SHA-1 by length, colons and case removed', () => {
    expect(normaliseFingerprint('0'.repeat(32))).toEqual({ fingerprint: '0'.repeat(32), fingerprintAlgorithm: 'unknown' });
    expect(normaliseFingerprint('not hex')).toEqual({ fingerprint: 'not hex', fingerprintAlgorithm: 'unknown' });
    const sha256 = 'A'.repeat(64);
    expect(normaliseFingerprint(sha256)).toEqual({ fingerprint: 'a'.repeat(64), fingerprintAlgorithm: 'sha256' });
    const sha1Colons = Array.from({ length: 20 }, () => '0F').join(':');
    expect(normaliseFingerprint(sha1Colons)).toEqual({ fingerprint: '0f'.repeat(20), fingerprintAlgorithm: 'sha1' });
    expect(normaliseFingerprint(undefined)).toEqual({ fingerprint: null, fingerprintAlgorithm: 'unknown' });
  });
});

describe('Location', () => {
  it('takes the last path segment of absolute or relative URLs', () => {
    expect(idFromLocation('https://ngapi.cdnetworks.com/cdn/certificates/5c5a11ab1f4e9a0001b60462')).toBe('5c5a11ab1f4e9a0001b60462');
    expect(idFromLocation('/cdn/certificates/abc/versions/3')).toBe('3');
    expect(idFromLocation('https://ngapi.cdnetworks.com/cdn/deploymentTasks/7e3b6c3e-1d2f-4b7a-9c1e-2f3a4b5c6d7e/')).toBe('7e3b6c3e-1d2f-4b7a-9c1e-2f3a4b5c6d7e');
    expect(idFromLocation(null)).toBeNull();
    expect(idFromLocation('')).toBeNull();
  });
});

describe('certificates', () => {
  it('reads a list page (count is the total), ignoring unknown fields', () => {
    const page = parseCertificateList({
      count: 10,
      certificates: [
        {
          certificateId: '5c5a',
          name: 'A',
          latestVersion: '3',
          owner: 1234567,
          caOnly: false,
          autoRenew: 'Off',
          forceRenew: false,
          creationTime: '2019-02-06T04:16:37Z',
          expirationTime: '2027-01-01T00:00:00.000Z',
          versionInProduction: 1,
          versionInStaging: 2,
          productionExpirationTime: '2026-12-01T00:00:00Z',
          somethingNew: { nested: true },
        },
      ],
    });
    expect(page.count).toBe(10);
    expect(page.certificates[0]).toMatchObject({
      id: '5c5a',
      name: 'A',
      latestVersion: 3,
      owner: '1234567',
      autoRenew: false,
      createdAt: '2019-02-06T04:16:37Z',
      expiresAt: '2027-01-01T00:00:00Z',
      versionInProduction: 1,
      versionInStaging: 2,
      deployed: { staging: 2, production: 1 },
      deployedExpiresAt: { production: '2026-12-01T00:00:00Z' },
    });
    expect(parseCertificateList({ count: 1, '': [{ certificateId: 'x' }] }).certificates[0]?.id).toBe('x');
  });

  it('reads a detail with versions, usage and the old spellings', () => {
    const detail = parseCertificateDetail(
      {
        name: 'B',
        ownerCustomerId: 99,
        autoRenew: 'LE',
        versions: [
          { version: 2, type: 'self-signed', creationTime: '2024-01-02T00:00:00Z', expirationTime: '2024-01-12T00:00:00Z', fingerprint: 'a'.repeat(64), comments: 'gen' },
          { version: '1', type: 'selfsigned', fingerprint: 'B'.repeat(40) },
          { type: 'uploaded' },
        ],
        versionInProduction: 2,
        usageInProduction: [{ customerId: 99, propertyId: 'p1', hostnames: ['a.example'] }],
      },
      'requested-id',
    );
    expect(detail.id).toBe('requested-id');
    expect(detail.owner).toBe('99');
    expect(detail.autoRenew).toBe(true);
    expect(detail.latestVersion).toBe(2);
    expect(detail.versions.map((v) => [v.version, v.type, v.fingerprintAlgorithm])).toEqual([
      [1, 'self-signed', 'sha1'],
      [2, 'self-signed', 'sha256'],
    ]);
    expect(detail.deployedExpiresAt).toEqual({ production: '2024-01-12T00:00:00Z' });
    expect(detail.usage).toEqual([{ environment: 'production', customerId: '99', propertyId: 'p1', hostnames: ['a.example'] }]);
  });

  it('reads a version detail', () => {
    const v = parseVersionDetail(
      {
        version: 3,
        algorithm: 'ECC',
        keyLength: 256,
        subjectAlternativeNames: ['a.example', 7],
        chainCertificates: [{ subject: 'CN=CA', issuer: 'CN=Root', expirationTime: '2030-01-01T00:00:00Z' }],
        inProduction: true,
        inStaging: 'false',
        deletable: false,
        signatureAlgo: 'ecdsa-with-SHA256',
      },
      3,
    );
    expect(v).toMatchObject({ version: 3, keyAlgorithm: 'ECC', keyLength: 256, sans: ['a.example', '7'], deployedIn: ['production'], signatureAlgorithm: 'ecdsa-with-SHA256' });
    expect(v.chain).toEqual([{ subject: 'CN=CA', issuer: 'CN=Root', expiresAt: '2030-01-01T00:00:00Z' }]);
    expect(parseVersionDetail({}, 5).version).toBe(5);
  });

  it('reads a CSR and refuses a body without one', () => {
    const pem = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----';
    expect(parseCsr({ certificateId: 'x', csr: pem, latestVersion: 4 }, 'x')).toEqual({ csrPem: `${pem}\n`, version: 4 });
    expect(() => parseCsr({ csr: '' }, 'x')).toThrow(CertdeskError);
    expect(() => parseCsr([], 'x')).toThrow(/unexpected response/);
  });
});

describe('tasks', () => {
  it('reads a task detail (no id in the body) with its actions', () => {
    const task = parseTask(
      {
        name: 'n',
        submissionTime: '2024-09-25T01:20:22Z',
        finishTime: '2024-09-25T01:24:18Z',
        target: 'production',
        status: 'failed',
        statusDetails: 'Certificate does not cover www.example.com',
        actions: [
          { action: 'deploy_cert', certificateId: 'c1', version: '5' },
          { action: 'remove_cert', certificateId: 'c2' },
          { action: 'deploy_property', propertyId: 'p1', version: '2' },
        ],
      },
      'task-1',
    );
    expect(task).toEqual({
      id: 'task-1',
      status: 'failed',
      detail: 'Certificate does not cover www.example.com',
      submittedAt: '2024-09-25T01:20:22Z',
      finishedAt: '2024-09-25T01:24:18Z',
      env: 'production',
      name: 'n',
      actions: [
        { action: 'deploy', certificateId: 'c1', version: 5 },
        { action: 'undeploy', certificateId: 'c2', version: null },
      ],
    });
  });

  it('a running task has no finish time even if the server sends one', () => {
    expect(parseTask({ status: 'in progress', finishTime: '2024-09-25T01:24:18Z' }, 't').finishedAt).toBeNull();
  });

  it('reads the history list', () => {
    const list = parseTaskList({ count: 2, deploy: [{ id: 'a', status: 'succeeded' }, { id: 'b', status: 'waiting' }] });
    expect(list.count).toBe(2);
    expect(list.tasks.map((t) => [t.id, t.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'waiting'],
    ]);
  });
});

describe('isoTime', () => {
  it('normalises to second precision UTC', () => {
    expect(isoTime('2024-09-25T01:20:22.123Z')).toBe('2024-09-25T01:20:22Z');
    expect(isoTime('Wed, 25 Sep 2024 05:35:12 GMT')).toBe('2024-09-25T05:35:12Z');
    expect(isoTime('nonsense')).toBeNull();
    expect(isoTime(undefined)).toBeNull();
  });
});
