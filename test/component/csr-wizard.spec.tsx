// @vitest-environment jsdom
// The CSR wizard's view logic: SAN paste parsing, step validation, and the flow over a fake main.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { CsrCreated, SanCheck } from '../../shared/api.js';
import { CsrWizard } from '../../renderer/features/csr/CsrWizard.js';
import { addSanEntries, csrFileName, EMPTY_SUBJECT, splitSanList, stepProblem, subjectErrors, toSubjectFields } from '../../renderer/features/csr/wizard.js';
import { renderWithApi } from './render.js';

afterEach(cleanup);

describe('splitSanList', () => {
  it('takes one per line, commas, semicolons and spaces; drops empties, quotes and repeats', () => {
    expect(splitSanList('a.example.com, b.example.com\n\n  c.example.com;d.example.com e.example.com\r\n')).toEqual([
      'a.example.com',
      'b.example.com',
      'c.example.com',
      'd.example.com',
      'e.example.com',
    ]);
    expect(splitSanList('"www.example.com",\n\'api.example.com\'')).toEqual(['www.example.com', 'api.example.com']);
    expect(splitSanList('WWW.example.com\nwww.EXAMPLE.com')).toEqual(['WWW.example.com']);
    expect(splitSanList(' ,\n; ')).toEqual([]);
    expect(splitSanList('IP:192.0.2.1, EMAIL:ops@example.com, *.example.com')).toEqual(['IP:192.0.2.1', 'EMAIL:ops@example.com', '*.example.com']);
  });
});

describe('addSanEntries', () => {
  const ok = (input: string, value: string): { input: string; check: SanCheck } => ({ input, check: { input, ok: true, san: { type: 'dns', value } } });
  it('drops entries that name what is already listed, after main normalised them', () => {
    const list = addSanEntries([ok('www.example.com', 'www.example.com')], [ok('DNS:WWW.example.com', 'www.example.com'), ok('api.example.com', 'api.example.com')]);
    expect(list.map((e) => e.input)).toEqual(['www.example.com', 'api.example.com']);
  });
});

describe('subject checks', () => {
  it('requires the common name and checks country, email and lengths', () => {
    expect(Object.keys(subjectErrors(EMPTY_SUBJECT))).toEqual(['commonName']);
    const errors = subjectErrors({ ...EMPTY_SUBJECT, commonName: 'x'.repeat(65), country: 'DEU', email: 'nope' });
    expect(Object.keys(errors).sort()).toEqual(['commonName', 'country', 'email']);
    expect(subjectErrors({ ...EMPTY_SUBJECT, commonName: 'example.com', country: 'de', email: 'ops@example.com' })).toEqual({});
  });

  it('sends trimmed fields, leaves out empty ones and upper-cases the country', () => {
    expect(toSubjectFields({ ...EMPTY_SUBJECT, commonName: ' example.com ', country: 'de', organization: '' })).toEqual({ commonName: 'example.com', country: 'DE' });
  });

  it('names the step problem', () => {
    const base = { key: { kind: 'new', type: 'ec-p256' } as const, subject: { ...EMPTY_SUBJECT, commonName: 'example.com' }, sans: [] };
    expect(stepProblem('key', { ...base, key: { kind: 'existing', keyId: null } })).toMatch(/Choose a key/);
    expect(stepProblem('subject', { ...base, subject: EMPTY_SUBJECT })).toMatch(/Fix the field/);
    expect(stepProblem('names', { ...base, sans: [{ input: 'bad..x', check: { input: 'bad..x', ok: false, message: 'bad' } }] })).toMatch(/invalid name/);
    expect(stepProblem('names', { ...base, sans: [{ input: 'x', check: null }] })).toMatch(/Wait/);
    expect(stepProblem('review', base)).toBeNull();
  });

  it('makes safe CSR file names', () => {
    expect(csrFileName('www.example.com')).toBe('www.example.com.csr');
    expect(csrFileName('*.example.com')).toBe('wildcard.example.com.csr');
    expect(csrFileName('../../etc/passwd')).toBe('etc_passwd.csr');
    expect(csrFileName('   ')).toBe('request.csr');
  });
});

const CREATED: CsrCreated = {
  keyId: 'k_0123456789abcdef',
  csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n',
  spkiSha256: 'ab'.repeat(32),
  subject: 'CN=example.com',
  sans: [{ type: 'dns', value: 'example.com' }],
  findings: [],
  pendingRequestId: 'r_1',
};

describe('CsrWizard', () => {
  it('walks key → subject → names → review, with main checking names, and creates the CSR', async () => {
    const user = userEvent.setup();
    const { calls } = renderWithApi(<CsrWizard />, {
      'keys:list': [],
      'csr:check-sans': (values: unknown) =>
        (values as string[]).map((input): SanCheck => (input.includes('..') ? { input, ok: false, message: `"${input}" has an empty label` } : { input, ok: true, san: { type: 'dns', value: input.toLowerCase() } })),
      'csr:preview': { subject: 'CN=example.com', sans: [{ type: 'dns', value: 'example.com' }, { type: 'dns', value: 'www.example.com' }], findings: [{ code: 'SAN_X', message: 'something to note', severity: 'info' }] },
      'csr:create': CREATED,
    });
    await user.click(screen.getByRole('radio', { name: /ECDSA P-384/ }));
    await user.click(screen.getByRole('button', { name: /^Next/ }));
    // The subject step does not move on without a common name, and says why.
    await user.click(screen.getByRole('button', { name: /^Next/ }));
    expect(screen.getByText(/Enter the common name/)).toBeTruthy();
    expect(screen.getByLabelText(/Common name/).getAttribute('aria-invalid')).toBe('true');
    await user.type(screen.getByLabelText(/Common name/), 'example.com');
    await user.click(screen.getByRole('button', { name: /^Next/ }));
    // Paste a list; main's verdicts come back per entry.
    await user.type(screen.getByLabelText('Add subject alternative names'), 'www.example.com, bad..name');
    await user.click(screen.getByRole('button', { name: 'Add names' }));
    const names = await screen.findByRole('list', { name: 'Names' });
    expect(within(names).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByText('1 name is not valid')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: /^Next/ }));
    expect(screen.getByText('Remove or correct the invalid name.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Remove bad..name' }));
    await user.click(screen.getByRole('button', { name: /^Next/ }));
    // Review shows main's preview and lint.
    expect(await screen.findByText(/Something to note/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Create key and CSR' }));
    expect(await screen.findByText('Key and CSR created')).toBeTruthy();
    expect((screen.getByLabelText('Certificate signing request (PEM)') as HTMLTextAreaElement).value).toBe(CREATED.csrPem);
    const create = calls.list.find((c) => c.channel === 'csr:create');
    expect(create?.args).toEqual([{ newKeyType: 'ec-p384', subject: { commonName: 'example.com' }, sans: ['www.example.com'] }]);
    expect(calls.list.find((c) => c.channel === 'csr:check-sans')?.args).toEqual([['www.example.com', 'bad..name']]);
  });

  it('shows main’s refusal on review and does not offer to create', async () => {
    const user = userEvent.setup();
    renderWithApi(<CsrWizard />, {
      'keys:list': [],
      'csr:preview': () => {
        throw Object.assign(new Error('The country must be a two-letter ISO 3166 code such as "US" or "DE", not "XX1".'), { code: 'INVALID_ARGUMENT' });
      },
    });
    await user.click(screen.getByRole('button', { name: /^Next/ }));
    await user.type(screen.getByLabelText(/Common name/), 'example.com');
    await user.click(screen.getByRole('button', { name: /^Next/ }));
    await user.click(screen.getByRole('button', { name: /^Next/ }));
    expect(await screen.findByText('The request cannot be made as it is')).toBeTruthy();
    await waitFor(() => expect((screen.getByRole('button', { name: 'Create key and CSR' }) as HTMLButtonElement).disabled).toBe(true));
  });
});
