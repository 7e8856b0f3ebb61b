// Dropped files as a version's material: the leaf paired with its key in the files, else in the
// vault, else none (carried over when it is the latest version's key).
import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContainer, type Container } from '../../../../main/services/container.js';
import { carryOver, uploadFromFiles } from '../../../../main/services/upload-material.js';
import { MemoryKeychain } from '../../../support/memory-keychain.js';
import { tempDir } from '../../../support/openssl.js';
import { makeTestCa, type TestCa } from '../../../support/test-ca.js';

let ca: TestCa;
let c: Container;
const cleanups: (() => void)[] = [];
const enc = new TextEncoder();
const file = (name: string, text: string) => ({ name, bytes: enc.encode(text) });

beforeAll(async () => {
  ca = makeTestCa('Upload');
  const d = tempDir('certdesk-upload-');
  cleanups.push(d.cleanup, () => ca.cleanup());
  c = await openContainer({ dataDir: d.dir, keychain: new MemoryKeychain(), sandboxUrl: false });
});
afterAll(() => {
  c.close();
  cleanups.forEach((f) => f());
});

describe('uploadFromFiles', () => {
  it('pairs the leaf with the key among the files, whatever the order, and keeps every certificate', async () => {
    const leaf = ca.issue('www.example.com');
    const up = await uploadFromFiles([file('chain.pem', ca.chainPem), file('www.key', leaf.keyPem), file('www.pem', leaf.certPem)], c.keys);
    expect(up.keyFound).toBe('file');
    expect(up.leafSubject).toBe('CN=www.example.com');
    expect(up.material.certificates.map((x) => x.file)).toEqual(['chain.pem', 'chain.pem', 'www.pem']);
    expect(up.material.key && 'file' in up.material.key ? up.material.key.file : null).toBe('www.key');
  });

  it('passes a key that does not belong on, so the version check names its file', async () => {
    const leaf = ca.issue('www.example.com');
    const other = ca.issue('other.example.com');
    const up = await uploadFromFiles([file('www.pem', leaf.certPem), file('other.key', other.keyPem)], c.keys);
    expect(up.material.key && 'file' in up.material.key ? up.material.key.file : null).toBe('other.key');
  });

  it('finds the key in the vault by its public key, and carries it over when it is the latest version’s', async () => {
    const leaf = ca.issue('vault.example.com');
    const record = await c.keys.import(createPrivateKey(leaf.keyPem), 'vault key');
    const up = await uploadFromFiles([file('leaf.pem', leaf.certPem), file('chain.pem', ca.chainPem)], c.keys);
    expect(up).toMatchObject({ keyFound: 'vault', material: { key: { keyId: record.id } }, leafSpki: record.spkiSha256 });
    const carried = carryOver(up, record.spkiSha256);
    expect(carried.keyFound).toBe('none');
    expect(carried.material.key).toBeUndefined();
    expect(carryOver(up, 'ff'.repeat(32))).toBe(up);
  });

  it('has no key when neither the files nor the vault hold it', async () => {
    const leaf = ca.issue('nokey.example.com');
    const up = await uploadFromFiles([file('leaf.pem', leaf.certPem)], c.keys);
    expect(up.keyFound).toBe('none');
    expect(up.material.key).toBeUndefined();
  });

  it('refuses files without a certificate, naming them, and a protected file without its password', async () => {
    const leaf = ca.issue('x.example.com');
    await expect(uploadFromFiles([file('only.key', leaf.keyPem)], c.keys)).rejects.toMatchObject({ code: 'NOT_A_CERTIFICATE', message: expect.stringMatching(/^only.key: no certificate found/) });
    const encrypted = createPrivateKey(leaf.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    await expect(uploadFromFiles([file('leaf.pem', leaf.certPem), file('enc.key', encrypted)], c.keys)).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    const ok = await uploadFromFiles([file('leaf.pem', leaf.certPem), { ...file('enc.key', encrypted), password: 'pw' }], c.keys);
    expect(ok.keyFound).toBe('file');
  });
});
