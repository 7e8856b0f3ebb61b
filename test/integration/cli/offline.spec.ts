/**
 * The offline part of the CLI contract (shared/cli.md), run as real processes against a real
 * keychain: inspect, verify, key generate/import/list/delete/export, csr, selfsign, match.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { certdesk } from '../../support/cli.js';
import { openssl, tempDir } from '../../support/openssl.js';
import { skipKeychainTests } from '../../support/keychain.js';

const skip = await skipKeychainTests('cli/offline');
const { dir, cleanup } = tempDir('certdesk-cli-');
const data = join(dir, 'data');
const cd = (args: string[], options?: Parameters<typeof certdesk>[1]) => certdesk(['--data-dir', data, ...args], options);

interface KeyJson {
  id: string;
  algorithm: string;
  bits?: number;
  curve?: string;
  spkiSha256: string;
  label: string;
  createdAt: string;
}

beforeAll(() => {
  // A little PKI from OpenSSL: root → intermediate → leaf, plus an unrelated key.
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'root.key'), '-out', join(dir, 'root.pem'), '-subj', '/CN=Test Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'int.key'), '-out', join(dir, 'int.csr'), '-subj', '/CN=Test Intermediate']);
  writeFileSync(join(dir, 'int.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  openssl(['x509', '-req', '-in', join(dir, 'int.csr'), '-CA', join(dir, 'root.pem'), '-CAkey', join(dir, 'root.key'), '-CAcreateserial', '-out', join(dir, 'int.pem'), '-days', '20', '-extfile', join(dir, 'int.ext')]);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'leaf.key'), '-out', join(dir, 'leaf.csr'), '-subj', '/CN=www.example.com']);
  writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:www.example.com,DNS:example.com\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  openssl(['x509', '-req', '-in', join(dir, 'leaf.csr'), '-CA', join(dir, 'int.pem'), '-CAkey', join(dir, 'int.key'), '-CAcreateserial', '-out', join(dir, 'leaf.pem'), '-days', '10', '-extfile', join(dir, 'leaf.ext')]);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', join(dir, 'other.key')]);
  openssl(['pkcs12', '-export', '-in', join(dir, 'leaf.pem'), '-inkey', join(dir, 'leaf.key'), '-certfile', join(dir, 'int.pem'), '-out', join(dir, 'leaf.p12'), '-passout', 'pass:s3cret']);
});
afterAll(() => cleanup());

describe('inspect', () => {
  it('prints one JSON document with the contract fields for every object in every file', () => {
    const run = certdesk(['inspect', join(dir, 'leaf.pem'), join(dir, 'leaf.key'), join(dir, 'leaf.csr'), '--json']);
    expect(run.status, run.stderr).toBe(0);
    const doc = run.json<{ files: { file: string; objects: Record<string, unknown>[]; error: unknown }[] }>();
    expect(doc.files.map((f) => f.file)).toEqual([join(dir, 'leaf.pem'), join(dir, 'leaf.key'), join(dir, 'leaf.csr')]);
    const cert = doc.files[0]?.objects[0] as Record<string, unknown>;
    const x = new X509Certificate(readFileSync(join(dir, 'leaf.pem')));
    expect(cert).toMatchObject({
      kind: 'certificate',
      subject: 'CN=www.example.com',
      issuer: 'CN=Test Intermediate',
      sans: [{ type: 'dns', value: 'www.example.com' }, { type: 'dns', value: 'example.com' }],
      serialNumber: x.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
      fingerprints: { sha256: x.fingerprint256.replace(/:/g, '').toLowerCase(), sha1: x.fingerprint.replace(/:/g, '').toLowerCase() },
      publicKey: { algorithm: 'RSA', bits: 2048 },
      signatureAlgorithm: 'ecdsa-with-SHA256',
      isCA: false,
      pathLength: null,
      extendedKeyUsage: ['serverAuth'],
      selfSigned: false,
    });
    expect(cert.notAfter).toBe(new Date(x.validTo).toISOString().replace(/\.000Z$/, 'Z'));
    expect(Array.isArray(cert.warnings)).toBe(true);
    expect(doc.files[1]?.objects[0]).toMatchObject({ kind: 'private-key', publicKey: { algorithm: 'RSA', bits: 2048 }, spkiSha256: cert.spkiSha256, encrypted: false });
    expect(doc.files[2]?.objects[0]).toMatchObject({ kind: 'csr', subject: 'CN=www.example.com', spkiSha256: cert.spkiSha256, signatureValid: true });
    expect(doc.files.every((f) => f.error === null)).toBe(true);
  });

  it('reports an unreadable file with an error, still reports the others, and exits 2', () => {
    writeFileSync(join(dir, 'junk.pem'), 'this is not a certificate\n');
    const run = certdesk(['inspect', join(dir, 'junk.pem'), join(dir, 'root.pem'), join(dir, 'missing.pem'), '--json']);
    expect(run.status).toBe(2);
    const doc = run.json<{ files: { objects: unknown[]; error: { code: string; message: string } | null }[] }>();
    expect(doc.files[0]?.objects).toEqual([]);
    expect(doc.files[0]?.error?.message).toContain('junk.pem');
    expect(doc.files[1]?.objects).toHaveLength(1);
    expect(doc.files[2]?.error?.code).toBe('FILE_NOT_FOUND');
  });

  it('reads a PKCS#12 with --password-stdin and refuses a wrong password naming the file', () => {
    const ok = certdesk(['inspect', join(dir, 'leaf.p12'), '--password-stdin', '--json'], { input: 's3cret\n' });
    expect(ok.status, ok.stderr).toBe(0);
    const kinds = ok.json<{ files: { objects: { kind: string }[] }[] }>().files[0]?.objects.map((o) => o.kind);
    expect(kinds?.sort()).toEqual(['certificate', 'certificate', 'private-key']);
    const bad = certdesk(['inspect', join(dir, 'leaf.p12'), '--json'], { env: { CERTDESK_PASSWORD: 'nope' } });
    expect(bad.status).toBe(2);
    const err = bad.json<{ files: { error: { code: string; message: string } }[] }>().files[0]?.error;
    expect(err?.code).toBe('WRONG_PASSWORD');
    expect(err?.message).toContain('leaf.p12');
  });

  it('rejects unknown flags as usage errors (exit 2) without a stack trace', () => {
    const run = certdesk(['inspect', '--bogus', join(dir, 'root.pem')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^certdesk inspect: .*bogus/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('verify', () => {
  it('builds leaf → intermediate → trusted root from an unordered pool and exits 0', () => {
    writeFileSync(join(dir, 'bundle.pem'), readFileSync(join(dir, 'leaf.pem')).toString() + readFileSync(join(dir, 'int.pem')).toString());
    const run = certdesk(['verify', join(dir, 'bundle.pem'), '--trust', join(dir, 'root.pem'), '--host', 'example.com', '--json']);
    expect(run.status, run.stdout).toBe(0);
    const res = run.json<{ valid: boolean; chain: string[]; errors: unknown[] }>();
    const fp = (f: string) => new X509Certificate(readFileSync(join(dir, f))).fingerprint256.replace(/:/g, '').toLowerCase();
    expect(res).toMatchObject({ valid: true, errors: [] });
    expect(res.chain).toEqual([fp('leaf.pem'), fp('int.pem'), fp('root.pem')]);
  });

  it('exits 1 with a plain reason for a missing intermediate, a wrong host and a time after expiry', () => {
    const missing = certdesk(['verify', join(dir, 'leaf.pem'), '--trust', join(dir, 'root.pem'), '--json']);
    expect(missing.status).toBe(1);
    expect(missing.json<{ valid: boolean }>().valid).toBe(false);
    const host = certdesk(['verify', join(dir, 'leaf.pem'), '--chain', join(dir, 'int.pem'), '--trust', join(dir, 'root.pem'), '--host', 'api.example.com', '--json']);
    expect(host.status).toBe(1);
    expect(JSON.stringify(host.json())).toContain('api.example.com');
    const late = certdesk(['verify', join(dir, 'leaf.pem'), '--chain', join(dir, 'int.pem'), '--trust', join(dir, 'root.pem'), '--at', '2030-01-01T00:00:00Z', '--json']);
    expect(late.status).toBe(1);
  });

  it('exits 2 for a bad --at', () => {
    expect(certdesk(['verify', join(dir, 'leaf.pem'), '--at', 'yesterday']).status).toBe(2);
  });
});

describe.skipIf(skip)('keys, CSRs, self-signed certificates and match (real keychain)', () => {
  it('generates every key type with the contract JSON and lists them', () => {
    const types = { 'rsa-2048': { algorithm: 'RSA', bits: 2048 }, 'ec-p256': { algorithm: 'EC', curve: 'P-256' }, 'ec-p384': { algorithm: 'EC', curve: 'P-384' } };
    for (const [type, shape] of Object.entries(types)) {
      const run = cd(['key', 'generate', '--type', type, '--label', `k ${type}`, '--json']);
      expect(run.status, run.stderr).toBe(0);
      const k = run.json<KeyJson>();
      expect(k).toMatchObject({ ...shape, label: `k ${type}` });
      expect(k.id).toMatch(/^k_[0-9a-f]{16}$/);
      expect(k.spkiSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(k.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const list = cd(['key', 'list', '--json']).json<{ keys: KeyJson[] }>();
    expect(list.keys.map((k) => k.label)).toEqual(['k rsa-2048', 'k ec-p256', 'k ec-p384']);
  });

  it('rejects a bad key type with exit 2', () => {
    const run = cd(['key', 'generate', '--type', 'rsa-1024']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('rsa-1024');
  });

  it('makes a CSR OpenSSL verifies, with the CN added as the first SAN, and records it as pending', () => {
    const run = cd(['csr', '--new-key', 'ec-p256', '--cn', 'shop.example.com', '--san', 'DNS:www.shop.example.com', '--san', '192.0.2.7', '--org', 'Example Ltd', '--country', 'GB', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const out = run.json<{ keyId: string; csrPem: string; spkiSha256: string }>();
    writeFileSync(join(dir, 'shop.csr'), out.csrPem);
    const text = openssl(['req', '-in', join(dir, 'shop.csr'), '-verify', '-noout', '-text']).toString();
    expect(text).toMatch(/DNS:shop\.example\.com, DNS:www\.shop\.example\.com, IP Address:192\.0\.2\.7/);
    expect(text).toMatch(/Subject: C\s?=\s?GB, O\s?=\s?Example Ltd, CN\s?=\s?shop\.example\.com/);
    const pubSha = openssl(['dgst', '-sha256', '-r'], openssl(['req', '-in', join(dir, 'shop.csr'), '-pubkey', '-noout']).toString().replace(/^/, '')).toString();
    expect(pubSha.length).toBeGreaterThan(0);
    expect(cd(['key', 'list', '--json']).json<{ keys: KeyJson[] }>().keys.some((k) => k.id === out.keyId && k.spkiSha256 === out.spkiSha256)).toBe(true);
    // The key has a CSR waiting on it: deleting needs --force.
    const refused = cd(['key', 'delete', out.keyId]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/CN=shop\.example\.com.*Delete it anyway with --force\./);
    expect(cd(['key', 'delete', out.keyId, '--force']).status).toBe(0);
  });

  it('writes the CSR PEM to stdout without --out and --json, and to a file with --out', () => {
    const key = cd(['key', 'generate', '--type', 'ec-p256', '--json']).json<KeyJson>();
    const run = cd(['csr', '--key', key.id, '--cn', 'a.example.com']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----\n$/);
    const file = join(dir, 'a.csr');
    expect(cd(['csr', '--key', key.id, '--cn', 'a.example.com', '--out', file]).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('BEGIN CERTIFICATE REQUEST');
    expect(cd(['csr', '--key', key.id, '--cn', 'a.example.com', '--out', file]).status).toBe(2); // no silent overwrite
  });

  it('refuses bad subject input before any key is kept', () => {
    const before = cd(['key', 'list', '--json']).json<{ keys: unknown[] }>().keys.length;
    const run = cd(['csr', '--new-key', 'ec-p256', '--cn', 'x.example.com', '--country', 'Germany']);
    expect(run.status).toBe(2);
    expect(run.stderr.toLowerCase()).toContain('country');
    const bad = cd(['csr', '--new-key', 'ec-p256', '--cn', 'x.example.com', '--san', 'DNS:exa mple.com']);
    expect(bad.status).toBe(2);
    expect(cd(['key', 'list', '--json']).json<{ keys: unknown[] }>().keys.length).toBe(before);
  });

  it('self-signs with a vault key, matches it, and exports PKCS#12 and PKCS#8 that OpenSSL opens', () => {
    const key = cd(['key', 'generate', '--type', 'rsa-2048', '--json']).json<KeyJson>();
    const cert = join(dir, 'self.pem');
    const ss = cd(['selfsign', '--key', key.id, '--cn', 'self.example.com', '--days', '5', '--out', cert]);
    expect(ss.status, ss.stderr).toBe(0);
    const x = new X509Certificate(readFileSync(cert));
    expect(x.subjectAltName).toContain('DNS:self.example.com');
    expect(Date.parse(x.validTo) - Date.parse(x.validFrom)).toBeLessThanOrEqual(5 * 86_400_000 + 120_000);
    expect(cd(['match', cert, '--key', key.id]).status).toBe(0);
    const other = cd(['match', cert, '--key-file', join(dir, 'other.key'), '--json']);
    expect(other.status).toBe(1);
    expect(other.json<{ match: boolean }>().match).toBe(false);

    const p12 = join(dir, 'self.p12');
    const exp = cd(['key', 'export', key.id, '--out', p12, '--format', 'pkcs12', '--cert', cert, '--password-stdin'], { input: 'pw-123\n' });
    expect(exp.status, exp.stderr).toBe(0);
    expect(statSync(p12).mode & 0o777).toBe(0o600);
    const info = openssl(['pkcs12', '-in', p12, '-info', '-nodes', '-passin', 'pass:pw-123'], '').toString();
    expect(info).toContain('BEGIN PRIVATE KEY');
    const p8 = join(dir, 'self.p8');
    expect(cd(['key', 'export', key.id, '--out', p8, '--format', 'pkcs8-encrypted'], { env: { CERTDESK_PASSWORD: 'pw-456' } }).status).toBe(0);
    const pub = openssl(['pkey', '-in', p8, '-passin', 'pass:pw-456', '-pubout']).toString();
    expect(pub).toBe(openssl(['x509', '-in', cert, '-pubkey', '-noout']).toString());
    // PKCS#12 with someone else's certificate is refused.
    const wrong = cd(['key', 'export', key.id, '--out', join(dir, 'wrong.p12'), '--format', 'pkcs12', '--cert', join(dir, 'leaf.pem')], { env: { CERTDESK_PASSWORD: 'x' } });
    expect(wrong.status).toBe(2);
    expect(existsSync(join(dir, 'wrong.p12'))).toBe(false);
  });

  it('imports a key file once; a second import reports the same key', () => {
    const a = cd(['key', 'import', join(dir, 'leaf.key'), '--json']);
    expect(a.status, a.stderr).toBe(0);
    const b = cd(['key', 'import', join(dir, 'leaf.key'), '--json']);
    expect(b.json<KeyJson>().id).toBe(a.json<KeyJson>().id);
    expect(cd(['match', join(dir, 'leaf.pem'), '--key', a.json<KeyJson>().id]).status).toBe(0);
  });

  it('never prints private key material and leaves none in the clear in the data directory', () => {
    const all = cd(['key', 'list', '--json']).stdout + cd(['inspect', join(dir, 'leaf.key'), '--json']).stdout;
    expect(all).not.toMatch(/PRIVATE KEY-----/);
    const leafKeyBody = readFileSync(join(dir, 'leaf.key'), 'utf8').split('\n')[1] ?? '';
    expect(leafKeyBody.length).toBeGreaterThan(20);
    expect(readFileSync(join(data, 'config.json'), 'utf8')).not.toContain(leafKeyBody);
  });
});

describe('keychain unavailable', () => {
  it('exits 4 and says what to install or unlock, writing no key', () => {
    const d = join(dir, 'nokeychain');
    const run = certdesk(['--data-dir', d, 'key', 'generate', '--type', 'ec-p256'], {
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' },
    });
    expect(run.status, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/gnome-keyring|Secret Service/);
    expect(existsSync(join(d, 'vault', 'keys')) ? readFileSync(join(d, 'config.json'), 'utf8') : '').not.toContain('"k_');
  });
});
