// CSR use cases over a real container (store, vault with an in-memory keychain, audit log),
// checked against OpenSSL's reading of the request.
import { afterEach, describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../../shared/errors.js';
import { openContainer, type Container } from '../../../../main/services/container.js';
import { requestSans } from '../../../../main/services/csr-service.js';
import { MemoryKeychain } from '../../../support/memory-keychain.js';
import { openssl, tempDir } from '../../../support/openssl.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
async function container(): Promise<Container> {
  const t = tempDir('certdesk-csr-');
  cleanups.push(t.cleanup);
  return openContainer({ dataDir: t.dir, keychain: new MemoryKeychain(), now: () => new Date('2026-11-23T10:00:00Z') });
}

describe('requestSans', () => {
  it('puts a host-name CN first unless listed, normalises and de-duplicates', () => {
    expect(requestSans('Example.COM', ['www.example.com', 'IP:10.0.0.1', 'WWW.example.com'])).toEqual([
      { type: 'dns', value: 'example.com' },
      { type: 'dns', value: 'www.example.com' },
      { type: 'ip', value: '10.0.0.1' },
    ]);
    expect(requestSans('example.com', ['DNS:example.com'])).toEqual([{ type: 'dns', value: 'example.com' }]);
    expect(requestSans('My Company', [])).toEqual([]);
  });
});

describe('csr service', () => {
  it('checks SANs one by one with main’s rules', async () => {
    const c = await container();
    const checks = c.csr.checkSans(['www.example.com', 'bad..name', '*.example.com', '2001:DB8::1', 'EMAIL:ops@example.com', 'ftp:x']);
    expect(checks.map((x) => x.ok)).toEqual([true, false, true, true, true, false]);
    expect(checks[3]).toEqual({ input: '2001:DB8::1', ok: true, san: { type: 'ip', value: '2001:db8::1' } });
    const bad = checks[1];
    expect(bad && !bad.ok && bad.message).toMatch(/bad\.\.name/);
  });

  it('previews and lints without creating a key', async () => {
    const c = await container();
    const preview = await c.csr.preview({ subject: { commonName: 'example.com', organization: 'Example Ltd', country: 'de' }, sans: ['www.example.com'] });
    expect(preview.sans).toEqual([
      { type: 'dns', value: 'example.com' },
      { type: 'dns', value: 'www.example.com' },
    ]);
    expect(preview.subject).toContain('CN=example.com');
    expect(preview.subject).toContain('O=Example Ltd');
    expect(preview.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(await c.keys.list()).toEqual([]);
    const lonely = await c.csr.preview({ subject: { commonName: 'Internal service' }, sans: [] });
    expect(lonely.findings.map((f) => f.code)).toContain('SAN_MISSING');
  });

  it('refuses bad names before any key is made, naming the field', async () => {
    const c = await container();
    const err = await c.csr.create({ newKeyType: 'ec-p256', subject: { commonName: 'example.com', country: 'Germany' }, sans: [] }).catch((e: unknown) => e);
    expect(isCertdeskError(err) && [err.code, err.details.field]).toEqual(['INVALID_ARGUMENT', 'country']);
    const err2 = await c.csr.create({ newKeyType: 'ec-p256', subject: { commonName: 'example.com' }, sans: ['a b'] }).catch((e: unknown) => e);
    expect(isCertdeskError(err2) && err2.code).toBe('INVALID_NAME');
    expect(await c.keys.list()).toEqual([]);
  });

  it('creates a CSR for a new key: key sealed, CSR valid for OpenSSL, request pending', async () => {
    const c = await container();
    const created = await c.csr.create({ newKeyType: 'rsa-2048', subject: { commonName: 'shop.example.com', organization: 'Example' }, sans: ['DNS:www.shop.example.com', '192.0.2.7'] });
    expect(created.csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    expect(created.csrPem).not.toMatch(/PRIVATE KEY/);
    const [key] = await c.keys.list();
    expect(key?.id).toBe(created.keyId);
    expect(key?.spkiSha256).toBe(created.spkiSha256);
    expect(key?.label).toBe('CSR for shop.example.com');
    // OpenSSL checks the self-signature and reads back the names.
    openssl(['req', '-verify', '-noout'], created.csrPem); // throws unless the self-signature verifies
    const text = openssl(['req', '-noout', '-text'], created.csrPem).toString();
    expect(text).toContain('DNS:shop.example.com, DNS:www.shop.example.com, IP Address:192.0.2.7');
    const spki = openssl(['req', '-pubkey', '-noout'], created.csrPem);
    const der = openssl(['pkey', '-pubin', '-outform', 'DER'], spki);
    expect(openssl(['dgst', '-sha256', '-r'], der).toString().slice(0, 64)).toBe(created.spkiSha256);
    expect(await c.csr.pending()).toEqual([
      { id: created.pendingRequestId, keyId: created.keyId, subject: created.subject, sans: created.sans, createdAt: '2026-11-23T10:00:00Z' },
    ]);
    const audit = await c.audit.read();
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['key.generate', 'csr.create']));
  });

  it('creates a CSR for an existing vault key without generating another', async () => {
    const c = await container();
    const key = await c.keys.generate('ec-p384', 'existing');
    const created = await c.csr.create({ keyId: key.id, subject: { commonName: 'api.example.com' }, sans: [] });
    expect(created.keyId).toBe(key.id);
    expect((await c.keys.list()).length).toBe(1);
    expect(openssl(['req', '-noout', '-text'], created.csrPem).toString()).toContain('ecdsa-with-SHA384');
    const missing = await c.csr.create({ keyId: 'k_0000000000000000', subject: { commonName: 'x.example.com' }, sans: [] }).catch((e: unknown) => e);
    expect(isCertdeskError(missing) && missing.code).toBe('KEY_NOT_FOUND');
  });
});
