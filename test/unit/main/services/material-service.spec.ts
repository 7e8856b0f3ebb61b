// Dropped material: per-file results (errors as data), key pairing by SPKI with the files and the
// vault, the cleaned bundle, chain validation against given anchors, importing keys.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../../shared/errors.js';
import { openContainer, type Container } from '../../../../main/services/container.js';
import { createMaterialService } from '../../../../main/services/material-service.js';
import { MemoryKeychain } from '../../../support/memory-keychain.js';
import { openssl, tempDir } from '../../../support/openssl.js';
import { makeChainMaterial, type ChainMaterial } from '../../../support/pki-material.js';

let m: ChainMaterial;
let c: Container;
const cleanups: (() => void)[] = [];
const file = (path: string, extra: { password?: string; name?: string } = {}) => ({ name: extra.name ?? path.replace(/^.*\//, ''), bytes: new Uint8Array(readFileSync(path)), ...(extra.password !== undefined ? { password: extra.password } : {}) });
const derOf = (path: string) => new Uint8Array(openssl(['x509', '-in', path, '-outform', 'DER']));

beforeAll(async () => {
  const t = tempDir('certdesk-material-');
  cleanups.push(t.cleanup);
  m = makeChainMaterial(t.dir);
  const d = tempDir('certdesk-material-data-');
  cleanups.push(d.cleanup);
  c = await openContainer({ dataDir: d.dir, keychain: new MemoryKeychain() });
});
afterAll(() => cleanups.splice(0).forEach((f) => f()));

describe('material service: inspect', () => {
  it('sorts out leaf, chain and key from separate files and pairs the key with the leaf', async () => {
    const result = await c.material.inspect([file(m.chainFile), file(m.keyFile), file(m.certFile)]);
    expect(result.files.map((f) => f.ok)).toEqual([true, true, true]);
    const kinds = result.files.flatMap((f) => (f.ok ? f.objects.map((o) => (o.kind === 'certificate' ? o.role : o.kind)) : []));
    expect(kinds.sort()).toEqual(['intermediate', 'leaf', 'private-key', 'root']);
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0]?.subject).toBe(m.leafSubject);
    expect(result.matches[0]?.keys).toEqual([{ where: 'file', file: 'www.example.test.key' }]);
    expect(result.unmatchedKeys).toEqual([]);
    const bundle = result.bundle;
    expect(bundle?.leaf.subject).toBe(m.leafSubject);
    expect(bundle?.chain.map((x) => x.subject)).toEqual(['CN=Certdesk Test Intermediate, O=Certdesk Test']);
    expect(bundle?.removed.map((x) => x.reason).join()).toMatch(/root/);
    expect(bundle?.findings.map((f) => f.code)).toContain('ROOT_INCLUDED');
    expect(bundle?.pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    // A private test root is not in the Mozilla store: the dropped root is named as untrusted, not as missing.
    expect(bundle?.validation.valid).toBe(false);
    expect(bundle?.validation.errors.map((e) => e.code)).toEqual(['UNTRUSTED_ROOT']);
  });

  it('validates the chain as complete when the test root is a trust anchor', async () => {
    const anchored = createMaterialService({ keys: c.keys, now: () => new Date(), expiryWindowDays: async () => 30, anchors: [derOf(`${m.dir}/root.pem`)] });
    const result = await anchored.inspect([file(m.certFile), file(m.chainFile)]);
    expect(result.bundle?.validation).toMatchObject({ valid: true, errors: [] });
    expect(result.bundle?.validation.chain).toHaveLength(3);
    const forHost = await anchored.verify([file(m.certFile), file(m.chainFile)], 'other.example.org');
    expect(forHost.valid).toBe(false);
    expect((await anchored.verify([file(m.certFile), file(m.chainFile)], 'www.example.test')).valid).toBe(true);
  });

  it('reports a PKCS#12 without password as PASSWORD_REQUIRED for that file only', async () => {
    const result = await c.material.inspect([file(m.pfxFile), file(m.chainFile)]);
    expect(result.files[0]).toMatchObject({ name: 'www.example.test.p12', ok: false, error: { code: 'PASSWORD_REQUIRED' } });
    expect(result.files[1]?.ok).toBe(true);
    const wrong = await c.material.inspect([file(m.pfxFile, { password: 'nope' })]);
    expect(wrong.files[0]).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
    const wrongMessage = wrong.files[0] && !wrong.files[0].ok ? wrong.files[0].error.message : '';
    expect(wrongMessage).toContain('www.example.test.p12');
    expect(wrongMessage).not.toContain('nope');
    const right = await c.material.inspect([file(m.pfxFile, { password: m.pfxPassword })]);
    expect(right.files[0]?.ok).toBe(true);
    expect(right.matches[0]?.keys).toEqual([{ where: 'file', file: 'www.example.test.p12' }]);
  });

  it('reports unreadable files as data and never fails the whole call', async () => {
    const result = await c.material.inspect([{ name: 'notes.txt', bytes: new TextEncoder().encode('hello') }, file(m.certFile)]);
    expect(result.files[0]).toMatchObject({ ok: false });
    expect(result.files[1]?.ok).toBe(true);
    expect(result.matches[0]?.keys).toEqual([]);
  });

  it('imports the key into the vault once, and then pairs the certificate with the vault key', async () => {
    const [imported] = await c.material.importKeys([file(m.keyFile)]);
    expect(imported).toMatchObject({ file: 'www.example.test.key', existing: false, algorithm: 'EC', curve: 'P-256' });
    const again = await c.material.importKeys([file(m.pfxFile, { password: m.pfxPassword })]);
    expect(again[0]).toMatchObject({ id: imported?.id, existing: true });
    const result = await c.material.inspect([file(m.certFile)]);
    expect(result.matches[0]?.keys).toEqual([{ where: 'vault', keyId: imported?.id, label: 'www.example.test.key' }]);
    const none = await c.material.importKeys([file(m.certFile)]).catch((e: unknown) => e);
    expect(isCertdeskError(none) && [none.code, none.message]).toEqual(['KEY_INVALID', 'www.example.test.crt: contains no private key']);
  });
});
