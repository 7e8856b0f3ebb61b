/**
 * Certificates and versions against a real sandbox over loopback HTTP, with the real vault and
 * keychain: validation before upload, key custody, the CSR flow with the key carried over,
 * owner violations and a lost answer that must not create a second version.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../../../main/providers/sandbox/server.js';
import { createCsrService } from '../../../../main/services/csr-service.js';
import { validateUpload, type UploadMaterial } from '../../../../main/services/version-service.js';
import type { AccountRecord } from '../../../../main/store/schema.js';
import { openssl, tempDir } from '../../../support/openssl.js';
import { addSandboxAccount, openServices, quickSandbox, type ServiceHarness } from '../../../support/services.js';
import { certificateDers as der, serviceSuite } from '../../../support/service-suite.js';

const { keychainIt, cleanups, harnesses, ca } = await serviceSuite('version-service');

const fp = (pem: string): string => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

/** An upload as the CLI builds it: the --cert file's certificates, then the --chain file's. */
function upload(files: { cert: string; chain?: string }, key?: { pem: string; file: string }): UploadMaterial {
  return {
    kind: 'upload',
    certificates: [...der(files.cert).map((d) => ({ der: d, file: 'cert.pem' })), ...(files.chain !== undefined ? der(files.chain).map((d) => ({ der: d, file: 'chain.pem' })) : [])],
    ...(key !== undefined ? { key: { key: createPrivateKey(key.pem), file: key.file } } : {}),
  };
}

async function setup(): Promise<{ h: ServiceHarness; s: SandboxHandle; account: AccountRecord }> {
  const s = await quickSandbox();
  cleanups.push(() => s.close());
  const h = await openServices({ onCleanup: (fn) => cleanups.push(fn) });
  harnesses.push(h);
  return { h, s, account: await addSandboxAccount(h, s) };
}

describe('validateUpload', () => {
  it('cleans the bundle: leaf first, intermediates in order, root left out', () => {
    const leaf = ca.issue('v.example.com');
    const v = validateUpload({
      certificates: [...der(ca.rootPem), ...der(leaf.certPem), ...der(ca.intermediatePem)].map((d, i) => ({ der: d, file: i === 1 ? 'cert.pem' : 'chain.pem' })),
      key: { spkiSha256: validateUpload({ certificates: der(leaf.certPem + ca.chainPem).map((d) => ({ der: d, file: 'x' })), now: new Date() }).info.spkiSha256, label: 'key.pem' },
      now: new Date(),
    });
    expect(v.leafFile).toBe('cert.pem');
    expect(fp(v.leafPem)).toBe(fp(leaf.certPem));
    expect(der(v.chainPem).map((d) => d.toString('hex'))).toEqual(der(ca.intermediatePem).map((d) => d.toString('hex')));
    expect(v.warnings.some((w) => /root/.test(w))).toBe(true);
  });

  it('names the file and the missing issuer when the chain is incomplete', () => {
    const leaf = ca.issue('w.example.com');
    expect(() => validateUpload({ certificates: der(leaf.certPem).map((d) => ({ der: d, file: 'www.crt' })), now: new Date() })).toThrow(
      expect.objectContaining({ code: 'CHAIN_INCOMPLETE', message: expect.stringMatching(/^www\.crt: the chain of w\.example\.com's certificate is incomplete.*Certdesk Test Intermediate.*Add the CA's intermediate certificates/) }),
    );
  });

  it('refuses a key that is not the leaf key, naming both files', () => {
    const leaf = ca.issue('x.example.com');
    expect(() =>
      validateUpload({ certificates: der(leaf.certPem + ca.chainPem).map((d) => ({ der: d, file: 'cert.pem' })), key: { spkiSha256: '0'.repeat(64), label: 'key.pem' }, now: new Date() }),
    ).toThrow("The private key in key.pem does not belong to x.example.com's certificate (cert.pem).");
  });

  it('refuses an expired leaf', () => {
    const leaf = ca.issue('old.example.com', { days: 1 });
    const later = new Date(Date.now() + 3 * 86_400_000);
    expect(() => validateUpload({ certificates: der(leaf.certPem + ca.chainPem).map((d) => ({ der: d, file: 'old.pem' })), now: later })).toThrow(
      expect.objectContaining({ code: 'CERTIFICATE_INVALID', message: expect.stringMatching(/^old\.pem: old\.example\.com's certificate expired/) }),
    );
  });
});

describe('version service', () => {
  keychainIt('creates a certificate from dropped files: validated, cleaned bundle sent, key in the vault, custody and audit recorded', async () => {
    const { h, s, account } = await setup();
    const leaf = ca.issue('www.example.com');
    const result = await h.versions.createCertificate(account.name, 'www', upload({ cert: leaf.certPem, chain: ca.rootPem + ca.intermediatePem }, { pem: leaf.keyPem, file: 'www.key' }), {
      comment: 'first',
    });
    expect(result.version).toMatchObject({ version: 1, source: 'uploaded', subject: 'CN=www.example.com', comment: 'first', fingerprint: fp(leaf.certPem) });
    expect(result.version.sans).toEqual([{ type: 'dns', value: 'www.example.com' }]);
    expect(result.certificate).toMatchObject({ name: 'www', latestVersion: 1, owner: '20001', deployed: {} });
    expect(result.warnings.some((w) => /root/.test(w))).toBe(true);

    // The provider holds the leaf and the intermediate only, and our key.
    const stored = s.state.data.certificates.find((c) => c.certificateId === result.certificate.id);
    expect(fp(stored!.versions[0]!.certificatePem!)).toBe(fp(leaf.certPem));
    expect(der(stored!.versions[0]!.chainPem).length).toBe(1); // the root was left out
    expect(fp(stored!.versions[0]!.chainPem)).toBe(fp(ca.intermediatePem));

    const key = await h.keys.get(result.version.keyId!);
    expect(key.uploads).toEqual([expect.objectContaining({ provider: 'cdnpro', account: account.name, certificate: 'www', version: 1 })]);
    expect(key.spkiSha256).toBe(result.version.spkiSha256);
    const audit = readFileSync(h.audit.path, 'utf8');
    expect(audit).toMatch(/"action":"certificate.create","target":"sb\/www","outcome":"success"/);
    expect(audit).toMatch(/"action":"key.upload"/);
    expect(readFileSync(h.store.path, 'utf8')).not.toMatch(/PRIVATE KEY/);

    const listed = await h.versions.list(account, result.certificate);
    expect(listed.map((v) => [v.version, v.source, v.keyId, v.deployedIn])).toEqual([[1, 'uploaded', result.version.keyId, []]]);
  });

  keychainIt('refuses a mismatched key and an incomplete chain before calling the provider, and audits the failure', async () => {
    const { h, s, account } = await setup();
    const a = ca.issue('a.example.com');
    const b = ca.issue('b.example.com');
    const before = s.requests.length;
    await expect(h.versions.createCertificate(account.name, 'a', upload({ cert: a.certPem, chain: ca.chainPem }, { pem: b.keyPem, file: 'b.key' }))).rejects.toThrow(
      "The private key in b.key does not belong to a.example.com's certificate (cert.pem).",
    );
    await expect(h.versions.createCertificate(account.name, 'a', upload({ cert: a.certPem }, { pem: a.keyPem, file: 'a.key' }))).rejects.toMatchObject({ code: 'CHAIN_INCOMPLETE' });
    expect(s.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(readFileSync(h.audit.path, 'utf8')).toMatch(/"action":"certificate.create".*"outcome":"failure".*KEY_MISMATCH/);
  });

  keychainIt('renews through a CSR: self-signed version with a vault key, CSR from the provider, CA-signed certificate without key', async () => {
    const { h, s, account } = await setup();
    const first = ca.issue('api.example.com');
    const created = await h.versions.createCertificate(account.name, 'api', upload({ cert: first.certPem, chain: ca.chainPem }, { pem: first.keyPem, file: 'api.key' }));

    const placeholder = await h.versions.addVersion(account.name, 'api', { kind: 'self-signed', commonName: 'api.example.com', sans: [{ type: 'dns', value: 'api.example.com' }], keyType: 'ec-p256' });
    expect(placeholder.version).toMatchObject({ version: 2, source: 'generated' });
    const generated = await h.keys.get(placeholder.version.keyId!);
    expect(generated.source).toBe('generated');
    expect(generated.uploads.map((u) => u.version)).toEqual([2]);

    const { csrPem, version } = await h.versions.csr(account.name, 'api');
    expect(version).toBe(2);
    // The provider's CSR is for the key in our vault (checked with openssl, not our parser).
    const csrKey = createPublicKey(openssl(['req', '-in', '-', '-noout', '-pubkey'], csrPem).toString());
    expect(createHash('sha256').update(csrKey.export({ type: 'spki', format: 'der' })).digest('hex')).toBe(generated.spkiSha256);

    // A certificate for some other key is refused before the provider sees it.
    const stranger = ca.issue('api.example.com');
    await expect(h.versions.addVersion(account.name, 'api', upload({ cert: stranger.certPem, chain: ca.chainPem }))).rejects.toMatchObject({ code: 'KEY_MISMATCH' });

    const signed = ca.signCsr(csrPem);
    const renewed = await h.versions.addVersion(account.name, created.certificate.id, upload({ cert: signed, chain: ca.chainPem }), { comment: 'CA-signed' });
    expect(renewed.version).toMatchObject({ version: 3, source: 'renewed', keyId: placeholder.version.keyId, spkiSha256: generated.spkiSha256, comment: 'CA-signed' });
    // The sandbox carried the key over server-side: version 3 holds version 2's key.
    const stored = s.state.data.certificates.find((c) => c.certificateId === created.certificate.id)!;
    expect(stored.versions[2]!.privateKeyPem).toBe(stored.versions[1]!.privateKeyPem);
    // No second upload of the key was recorded (it never left again).
    expect((await h.keys.get(placeholder.version.keyId!)).uploads.map((u) => u.version)).toEqual([2]);

    const listed = await h.versions.list(account, renewed.certificate);
    expect(listed.map((v) => [v.version, v.source])).toEqual([
      [3, 'renewed'],
      [2, 'generated'],
      [1, 'uploaded'],
    ]);
  });

  keychainIt('re-keys: the latest version\'s names for a new key, the request ends when its signed certificate becomes a version', async () => {
    const { h, account } = await setup();
    // An OV-style certificate made by openssl: RSA 3072, two OUs, a serialNumber and a URI SAN a new CSR cannot repeat.
    const keyPem = openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072']).toString();
    const dir = tempDir('certdesk-ov-');
    cleanups.push(dir.cleanup);
    writeFileSync(join(dir.dir, 'ov.key'), keyPem);
    const ovCsr = openssl(
      ['req', '-new', '-key', join(dir.dir, 'ov.key'), '-subj', '/C=DE/ST=Berlin/O=Example GmbH/OU=Web/OU=Second/CN=shop.example.com/serialNumber=HRB 1',
        '-addext', 'subjectAltName=DNS:shop.example.com,DNS:www.shop.example.com,IP:192.0.2.7,URI:https://shop.example.com/'],
    ).toString();
    const ovPem = ca.signCsr(ovCsr);
    const created = await h.versions.createCertificate(account.name, 'shop', upload({ cert: ovPem, chain: ca.chainPem }, { pem: keyPem, file: 'shop.key' }));

    const template = await h.versions.rekeyTemplate(account.name, 'shop');
    expect(template).toEqual({
      account: account.id,
      certificate: created.certificate.id,
      certificateName: 'shop',
      version: 1,
      subject: { country: 'DE', state: 'Berlin', organization: 'Example GmbH', organizationalUnit: 'Web', commonName: 'shop.example.com' },
      sans: ['shop.example.com', 'www.shop.example.com', 'IP:192.0.2.7'],
      keyType: 'rsa-3072',
      currentKey: 'RSA 3072',
      // CDN Pro keeps a certificate's key algorithm across versions.
      keyFamily: 'rsa',
      omitted: ['OU=Second', 'SERIALNUMBER=HRB 1', 'URI:https://shop.example.com/'],
    });

    const csr = createCsrService({ keys: h.keys });
    // An EC key is refused by CDN Pro for an RSA certificate, as the template said.
    const ec = await csr.create({ newKeyType: 'ec-p256', subject: template.subject, sans: template.sans });
    await expect(h.versions.addVersion(account.name, 'shop', { ...upload({ cert: ca.signCsr(ec.csrPem), chain: ca.chainPem }), key: { keyId: ec.keyId } })).rejects.toMatchObject({
      code: 'PROVIDER_REJECTED',
      message: expect.stringMatching(/InvalidCertVersion/),
    });
    const request = await csr.create({ newKeyType: 'rsa-4096', subject: template.subject, sans: template.sans, target: { account: template.account, certificate: template.certificate } });
    expect((await csr.pending()).find((r) => r.keyId === request.keyId)?.target).toEqual({ account: account.id, certificate: created.certificate.id });
    // openssl reads the same names back from the new request.
    const text = openssl(['req', '-in', '-', '-noout', '-text'], request.csrPem).toString();
    expect(text).toMatch(/Subject: C ?= ?DE, ST ?= ?Berlin, O ?= ?Example GmbH, OU ?= ?Web, CN ?= ?shop\.example\.com/);
    expect(text).toMatch(/DNS:shop\.example\.com, DNS:www\.shop\.example\.com, IP Address:192\.0\.2\.7/);
    expect(text).toMatch(/Public-Key: \(4096 bit\)/);

    const signed = ca.signCsr(request.csrPem);
    const rekeyed = await h.versions.addVersion(account.name, 'shop', { ...upload({ cert: signed, chain: ca.chainPem }), key: { keyId: request.keyId } });
    expect(rekeyed.version).toMatchObject({ version: 2, source: 'uploaded', keyId: request.keyId, spkiSha256: request.spkiSha256, keyAlgorithm: 'RSA 4096' });
    expect(rekeyed.version.keyId).not.toBe(created.version.keyId);
    expect((await csr.pending()).map((r) => r.keyId)).toEqual([ec.keyId]);
    expect(readFileSync(h.audit.path, 'utf8')).toMatch(new RegExp(`"action":"csr.fulfil","target":"${request.keyId}","outcome":"success","detail":"CN=shop.example.com[^"]*→ shop version 2"`));
    // The template now follows the new version.
    expect(await h.versions.rekeyTemplate(account.name, 'shop')).toMatchObject({ version: 2, keyType: 'rsa-4096', currentKey: 'RSA 4096', keyFamily: 'rsa' });
  });

  keychainIt('a certificate without versions has nothing to re-key', async () => {
    const { h, account } = await setup();
    await expect(h.versions.rekeyTemplate(account.name, 'no-such')).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND/) });
  });

  keychainIt('reads versions it did not make from the provider and reports not-owner answers with status and request id', async () => {
    const { h, s, account } = await setup();
    const shared = await h.inventory.find(account, 'shared-by-another-customer');
    expect(shared.owner).toBe(String(s.otherCustomer.customerId));
    expect(h.inventory.view(account, shared).states).toContain('not-owner');
    const listed = await h.versions.list(account, shared);
    expect(listed).toEqual([expect.objectContaining({ version: 1, source: 'generated', subject: expect.stringContaining('shared.example.net'), spkiSha256: null, keyId: null })]);

    const leaf = ca.issue('shared.example.net');
    const err = await h.versions.addVersion(account.name, 'shared-by-another-customer', upload({ cert: leaf.certPem, chain: ca.chainPem }, { pem: leaf.keyPem, file: 'k.pem' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROVIDER_NOT_OWNER', details: { httpStatus: 403, providerCode: 'AccessDenied' } });
    expect((err as Error).message).toMatch(/not the owner.*request id [0-9a-f]{32}/);
  });

  keychainIt('a dropped answer after the version was created yields exactly one version', async () => {
    const { h, s, account } = await setup();
    const leaf = ca.issue('drop.example.com');
    const created = await h.versions.createCertificate(account.name, 'drop', upload({ cert: leaf.certPem, chain: ca.chainPem }, { pem: leaf.keyPem, file: 'd.key' }));
    const next = ca.issue('drop.example.com');
    s.faults.next(1, { kind: 'drop-after' }, { method: 'PATCH', path: '/cdn/certificates/' });
    const added = await h.versions.addVersion(account.name, 'drop', upload({ cert: next.certPem, chain: ca.chainPem }, { pem: next.keyPem, file: 'n.key' }));
    expect(added.version.version).toBe(2);
    const stored = s.state.data.certificates.find((c) => c.certificateId === created.certificate.id)!;
    expect(stored.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(s.requests.filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual(['dropped']);
  });
});
