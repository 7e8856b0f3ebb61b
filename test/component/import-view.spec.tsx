// @vitest-environment jsdom
// Import / inspect: rendering what main found, the password prompt and retry, pairing words,
// files refused before sending.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileInspection, InputFile, InspectResult } from '../../shared/api.js';
import type { CertificateInfo } from '../../shared/pki-types.js';
import { ImportView } from '../../renderer/features/import/ImportView.js';
import { daysLeft, filesNeedingPassword, keyLocationText, summarise, validityBadge } from '../../renderer/features/import/describe.js';
import { renderWithApi } from './render.js';

afterEach(cleanup);

const NOW = new Date('2026-11-23T12:00:00Z');
const LEAF: CertificateInfo = {
  kind: 'certificate',
  role: 'leaf',
  subject: 'CN=www.example.test',
  issuer: 'CN=Test Intermediate',
  sans: [
    { type: 'dns', value: 'www.example.test' },
    { type: 'ip', value: '192.0.2.1' },
  ],
  serialNumber: '01',
  notBefore: '2026-11-01T00:00:00Z',
  notAfter: '2027-02-01T00:00:00Z',
  fingerprints: { sha256: 'aa'.repeat(32), sha1: 'bb'.repeat(20) },
  spkiSha256: 'cc'.repeat(32),
  publicKey: { algorithm: 'EC', curve: 'P-256' },
  signatureAlgorithm: 'ecdsa-with-SHA256',
  isCA: false,
  pathLength: null,
  keyUsage: [],
  extendedKeyUsage: [],
  subjectKeyIdentifier: null,
  authorityKeyIdentifier: null,
  ocsp: [],
  caIssuers: [],
  crlDistributionPoints: [],
  selfSigned: false,
  version: 3,
  warnings: [{ code: 'REVOCATION_INFO_MISSING', message: 'the certificate has neither an OCSP URL nor a CRL distribution point', severity: 'warning' }],
};

describe('describe helpers', () => {
  it('words validity against the threshold', () => {
    expect(daysLeft('2026-12-03T12:00:00Z', NOW)).toBe(10);
    expect(validityBadge('2026-01-01T00:00:00Z', '2026-12-03T12:00:00Z', NOW, 30)).toEqual({ tone: 'warning', text: 'Expires in 10 days' });
    expect(validityBadge('2026-01-01T00:00:00Z', '2026-12-03T12:00:00Z', NOW, 7)).toEqual({ tone: 'success', text: 'Valid for 10 days' });
    expect(validityBadge('2026-01-01T00:00:00Z', '2026-11-20T12:00:00Z', NOW, 30)).toEqual({ tone: 'danger', text: 'Expired 3 days ago' });
    expect(validityBadge('2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z', NOW, 30).text).toBe('Not yet valid');
  });

  it('says where a key is, preferring the vault', () => {
    expect(keyLocationText([])).toEqual({ tone: 'warning', text: 'No matching private key' });
    expect(keyLocationText([{ where: 'file', file: 'a.key' }]).text).toBe('Key found in a.key');
    expect(keyLocationText([{ where: 'file', file: 'a.key' }, { where: 'vault', keyId: 'k_1', label: 'web' }]).text).toBe('Key in the vault (web)');
  });

  it('finds files that need a password and counts what was found', () => {
    const files: FileInspection[] = [
      { name: 'a.p12', ok: false, error: { code: 'PASSWORD_REQUIRED', message: 'a.p12 needs a password' } },
      { name: 'b.p12', ok: false, error: { code: 'WRONG_PASSWORD', message: 'wrong' } },
      { name: 'c.txt', ok: false, error: { code: 'UNRECOGNISED_FORMAT', message: 'not PKI' } },
      { name: 'd.pem', ok: true, objects: [LEAF, { ...LEAF, role: 'intermediate' }, { kind: 'private-key', publicKey: { algorithm: 'EC', curve: 'P-256' }, spkiSha256: 'cc'.repeat(32), encrypted: false, format: 'pkcs8' }] },
    ];
    expect(filesNeedingPassword(files).map((f) => [f.name, f.wrong])).toEqual([
      ['a.p12', false],
      ['b.p12', true],
    ]);
    expect(summarise(files)).toBe('1 leaf certificate, 1 CA certificate, 1 private key, 3 files not read');
  });
});

function file(name: string, text = 'x'): File {
  return new File([text], name);
}

describe('ImportView', () => {
  it('renders each file’s objects, the pairing and the bundle in plain words', async () => {
    const result: InspectResult = {
      files: [{ name: 'www.crt', ok: true, objects: [LEAF] }],
      matches: [{ certificateSha256: LEAF.fingerprints.sha256, subject: LEAF.subject, spkiSha256: LEAF.spkiSha256, keys: [] }],
      unmatchedKeys: [],
      bundle: {
        leaf: { sha256: LEAF.fingerprints.sha256, subject: LEAF.subject },
        chain: [],
        removed: [],
        pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        findings: [{ code: 'CHAIN_INCOMPLETE', message: "intermediate 'Test Intermediate' is missing", severity: 'error' }],
        validation: { valid: false, chain: [], errors: [], warnings: [] },
      },
      bundleError: null,
    };
    const { calls } = renderWithApi(<ImportView />, { 'pki:inspect': result, 'settings:get': { theme: 'system', expiryThresholdDays: 30 } });
    const input = document.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) throw new Error('no file input');
    fireEvent.change(input, { target: { files: [file('www.crt', 'cert bytes')] } });
    const card = await screen.findByRole('region', { name: 'www.crt' });
    expect(within(card).getByText('Leaf certificate')).toBeTruthy();
    expect(within(card).getByText('www.example.test, IP:192.0.2.1')).toBeTruthy();
    expect(within(card).getByText(/The certificate has neither an OCSP URL/)).toBeTruthy();
    const pairing = screen.getByRole('region', { name: 'Certificate and key' });
    expect(within(pairing).getByText('No matching private key')).toBeTruthy();
    const bundle = screen.getByRole('region', { name: 'Cleaned bundle' });
    expect(within(bundle).getByText('Chain not trusted')).toBeTruthy();
    expect(within(bundle).getByText(/Intermediate 'Test Intermediate' is missing\./)).toBeTruthy();
    // The bytes went to main as a Uint8Array, named.
    const sent = calls.list.find((c) => c.channel === 'pki:inspect')?.args[0] as { files: InputFile[] };
    expect(sent.files[0]?.name).toBe('www.crt');
    expect(sent.files[0]?.bytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(sent.files[0]?.bytes)).toBe('cert bytes');
  });

  it('asks for a PKCS#12 password, shows a wrong one clearly and retries with the new one', async () => {
    const user = userEvent.setup();
    const passwords: (string | undefined)[] = [];
    renderWithApi(<ImportView />, {
      'settings:get': { theme: 'system', expiryThresholdDays: 30 },
      'pki:inspect': ({ files }: { files: InputFile[] }): InspectResult => {
        const pw = files[0]?.password;
        passwords.push(pw);
        const entry: FileInspection =
          pw === undefined
            ? { name: 'site.p12', ok: false, error: { code: 'PASSWORD_REQUIRED', message: 'site.p12 is protected by a password' } }
            : pw === 'right'
              ? { name: 'site.p12', ok: true, objects: [LEAF] }
              : { name: 'site.p12', ok: false, error: { code: 'WRONG_PASSWORD', message: 'The password for site.p12 is wrong' } };
        return { files: [entry], matches: [], unmatchedKeys: [], bundle: null, bundleError: null };
      },
    });
    const input = document.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) throw new Error('no file input');
    fireEvent.change(input, { target: { files: [file('site.p12')] } });
    const card = await screen.findByRole('region', { name: 'site.p12' });
    expect(await within(card).findByText('This file is protected by a password')).toBeTruthy();
    await user.type(within(card).getByLabelText('Password for site.p12'), 'wrong');
    await user.click(within(card).getByRole('button', { name: 'Unlock' }));
    expect(await within(card).findByText('Wrong password')).toBeTruthy();
    expect(within(card).getByRole('alert').textContent).toContain('The password for site.p12 is wrong');
    await user.clear(within(card).getByLabelText('Password for site.p12'));
    await user.type(within(card).getByLabelText('Password for site.p12'), 'right');
    await user.click(within(card).getByRole('button', { name: 'Try again' }));
    expect(await within(card).findByText('Leaf certificate')).toBeTruthy();
    expect(passwords).toEqual([undefined, 'wrong', 'right']);
  });

  it('refuses a file over 10 MiB before sending anything', async () => {
    const { calls } = renderWithApi(<ImportView />, { 'settings:get': { theme: 'system', expiryThresholdDays: 30 } });
    const big = file('huge.pem');
    Object.defineProperty(big, 'size', { value: 10 * 1024 * 1024 + 1 });
    const input = document.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) throw new Error('no file input');
    fireEvent.change(input, { target: { files: [big] } });
    expect(await screen.findByText(/huge\.pem is 10\.0 MiB; certificate and key files are at most 10 MiB/)).toBeTruthy();
    expect(calls.list.some((c) => c.channel === 'pki:inspect')).toBe(false);
  });
});
