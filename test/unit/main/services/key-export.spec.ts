// Explicit, always-encrypted key export: PKCS#8 and PKCS#12 (with the certificate Certdesk holds),
// read back by OpenSSL.
import { createPrivateKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContainer, type Container } from '../../../../main/services/container.js';
import { exportKey } from '../../../../main/services/key-export.js';
import type { VersionRecord } from '../../../../main/store/schema.js';
import { MemoryKeychain } from '../../../support/memory-keychain.js';
import { openssl, tempDir } from '../../../support/openssl.js';
import { makeTestCa, type TestCa } from '../../../support/test-ca.js';

let ca: TestCa;
let c: Container;
let dir: string;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  ca = makeTestCa('Export');
  const d = tempDir('certdesk-export-');
  dir = d.dir;
  cleanups.push(d.cleanup, () => ca.cleanup());
  c = await openContainer({ dataDir: d.dir, keychain: new MemoryKeychain(), sandboxUrl: false });
});
afterAll(() => {
  c.close();
  cleanups.forEach((f) => f());
});

function versionFor(keyId: string, spki: string, leafPem: string): VersionRecord {
  return {
    account: 'a_1', certificate: 'c1', version: 2, source: 'uploaded', createdAt: '2026-01-01T00:00:00Z', leafPem, chainPem: ca.intermediatePem, keyId, fingerprint: null,
    spkiSha256: spki, subject: 'CN=shop.example.com', sans: [], notBefore: null, notAfter: null, keyAlgorithm: 'EC P-256', comment: '',
  };
}

describe('exportKey', () => {
  it('writes encrypted PKCS#8 that OpenSSL opens only with the password', async () => {
    const key = await c.keys.generate('ec-p256', 'web *.example.com 2026');
    const out = await exportKey(c.keys, [], { id: key.id, format: 'pkcs8-encrypted', password: 'pw-123' });
    expect(out.defaultName).toBe('web_.example.com_2026.key.pem');
    expect(String(out.bytes)).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const path = join(dir, 'k.pem');
    writeFileSync(path, out.bytes);
    const pub = openssl(['pkey', '-in', path, '-passin', 'pass:pw-123', '-pubout']).toString();
    expect(pub).toMatch(/BEGIN PUBLIC KEY/);
    expect(() => openssl(['pkey', '-in', path, '-passin', 'pass:wrong', '-noout'])).toThrow();
  });

  it('writes PKCS#12 with the newest certificate for the key and its chain', async () => {
    const leaf = ca.issue('shop.example.com');
    const record = await c.keys.import(createPrivateKey(leaf.keyPem), 'shop');
    const out = await exportKey(c.keys, [versionFor(record.id, record.spkiSha256, leaf.certPem)], { id: record.id, format: 'pkcs12', password: 'pw-456' });
    expect(out.defaultName).toBe('shop.p12');
    const path = join(dir, 'shop.p12');
    writeFileSync(path, out.bytes);
    const dump = openssl(['pkcs12', '-in', path, '-passin', 'pass:pw-456', '-nokeys']).toString();
    expect(dump).toContain('subject=CN = shop.example.com');
    expect(dump).toContain('subject=CN = Export Intermediate');
  });

  it('refuses PKCS#12 without a known certificate, and an empty password', async () => {
    const key = await c.keys.generate('ec-p256', 'lonely');
    await expect(exportKey(c.keys, [], { id: key.id, format: 'pkcs12', password: 'pw' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/Export it as encrypted PKCS#8 instead/) });
    await expect(exportKey(c.keys, [], { id: key.id, format: 'pkcs8-encrypted', password: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
