import { describe, expect, it } from 'vitest';
import { emptyStoreData, isStoreData, storeIssues, type KeyRecord } from '../../../../main/store/schema.js';

const rsa: KeyRecord = {
  id: 'k_00000000000000aa',
  algorithm: 'RSA',
  bits: 3072,
  keyType: 'rsa-3072',
  spkiSha256: '0'.repeat(64),
  label: '',
  createdAt: '2026-01-02T03:04:05Z',
  source: 'imported',
  uploads: [{ provider: 'cdnpro', account: 'prod', certificate: 'www', version: 3, at: '2026-01-02T03:04:05Z' }],
};

const withKey = (k: unknown) => ({ ...emptyStoreData(), keys: [k] });

describe('store schema', () => {
  it('accepts the empty store and full records', () => {
    expect(storeIssues(emptyStoreData())).toEqual([]);
    expect(isStoreData(withKey(rsa))).toBe(true);
    expect(
      isStoreData({
        ...emptyStoreData(),
        pendingRequests: [
          {
            id: 'r',
            keyId: rsa.id,
            subject: 'CN=a',
            sans: [{ type: 'ip', value: '192.0.2.1' }],
            createdAt: '2026-01-02T03:04:05.123Z',
            target: { account: 'a', certificate: 'c' },
          },
        ],
      }),
    ).toBe(true);
  });

  it.each([
    [{ id: 'key-1' }, 'keys[0].id must be a vault key id'],
    [{ algorithm: 'DSA' }, 'keys[0].algorithm must be one of RSA, EC'],
    [{ bits: undefined }, 'keys[0].bits is required for an RSA key'],
    [{ keyType: 'rsa-1024' }, 'keys[0].keyType must be one of'],
    [{ spkiSha256: 'A'.repeat(64) }, 'keys[0].spkiSha256 must be 64 lowercase hex digits'],
    [{ createdAt: '2026-01-02 03:04:05' }, 'keys[0].createdAt must be an ISO 8601 UTC time'],
    [{ source: 'stolen' }, 'keys[0].source must be one of generated, imported'],
    [{ uploads: [{ provider: 'x' }] }, 'keys[0].uploads[0].account must be a non-empty string'],
    [{ label: 5 }, 'keys[0].label must be a string'],
  ])('reports %j at its path', (patch, issue) => {
    const issues = storeIssues(withKey({ ...rsa, ...patch }));
    expect(issues.some((i) => i.startsWith(issue)), issues.join('\n')).toBe(true);
  });

  it('requires a curve for EC keys and rejects non-objects', () => {
    expect(storeIssues(withKey({ ...rsa, algorithm: 'EC', bits: undefined, keyType: 'ec-p256' }))).toContain(
      'keys[0].curve is required for an EC key',
    );
    expect(storeIssues([])).toEqual(['the store must be an object']);
    expect(storeIssues({ ...emptyStoreData(), schemaVersion: -1 })).toContain('schemaVersion must be a non-negative integer');
    expect(storeIssues({ ...emptyStoreData(), pendingRequests: [{ id: 'r', keyId: 'k', subject: 'CN=a', sans: [{ type: 'x', value: 'v' }], createdAt: '2026-01-02T03:04:05Z' }] })).toEqual([
      'pendingRequests[0].sans[0].type must be one of dns, ip, email, uri, other',
    ]);
  });
});
