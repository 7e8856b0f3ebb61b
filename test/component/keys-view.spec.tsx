// @vitest-environment jsdom
// Keys: the empty state says what to do; the table shows algorithm and fingerprint; delete asks first
// and turns a CONFLICT into an explicit second choice.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeySummary } from '../../shared/api.js';
import { KeysView } from '../../renderer/features/keys/KeysView.js';
import { coded, renderWithApi } from './render.js';

afterEach(cleanup);

const KEY: KeySummary = {
  id: 'k_0123456789abcdef',
  algorithm: 'EC',
  curve: 'P-256',
  keyType: 'ec-p256',
  spkiSha256: '0123456789abcdef'.repeat(4),
  label: 'web 2026',
  createdAt: '2026-11-23T10:00:00Z',
  source: 'generated',
  uploads: [{ provider: 'cdnpro', account: 'a_1', certificate: 'c1', version: 2, at: '2026-11-23T11:00:00Z' }],
};

describe('KeysView', () => {
  it('says what to do when the vault is empty', async () => {
    renderWithApi(<KeysView />, { 'keys:list': [], 'csr:pending': [] });
    expect(await screen.findByText('No keys in the vault yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Generate key & CSR' }).getAttribute('href')).toBe('#/csr');
    expect(screen.getByRole('link', { name: 'Import a key file' }).getAttribute('href')).toBe('#/import');
  });

  it('lists keys with algorithm, fingerprint and where each was uploaded', async () => {
    renderWithApi(<KeysView />, { 'keys:list': [KEY], 'csr:pending': [] });
    const table = await screen.findByRole('table', { name: 'Keys in the vault' });
    const row = within(table).getAllByRole('row')[1];
    if (!row) throw new Error('no row');
    expect(within(row).getByText('EC P-256')).toBeTruthy();
    expect(within(row).getByLabelText(`SPKI SHA-256 of web 2026: ${KEY.spkiSha256}`).textContent).toBe('0123 4567 89ab cdef …');
    expect(within(row).getByRole('list', { name: 'Where web 2026 has been uploaded' }).textContent).toMatch(/^a_1 \/ c1 v2cdnpro, /);
  });

  it('says a key that went nowhere is only in this vault, and exports with a password typed twice', async () => {
    const user = userEvent.setup();
    const { calls } = renderWithApi(<KeysView />, { 'keys:list': [{ ...KEY, uploads: [] }], 'csr:pending': [], 'keys:export': { saved: true, path: '/tmp/web.p12' } });
    expect(await screen.findByText('Only in this vault')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Export key web 2026' }));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText('Password', { exact: true }), 'pw-1');
    await user.type(within(dialog).getByLabelText('Password again'), 'pw-2');
    expect(within(dialog).getByText('The passwords differ.')).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Export…' }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(within(dialog).getByLabelText('Password again'));
    await user.type(within(dialog).getByLabelText('Password again'), 'pw-1');
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    expect(await within(dialog).findByText('Saved to /tmp/web.p12')).toBeTruthy();
    expect(calls.list.find((c) => c.channel === 'keys:export')?.args).toEqual([{ id: KEY.id, format: 'pkcs12', password: 'pw-1' }]);
    // The password is not kept once the file is written.
    expect((within(dialog).getByLabelText('Password', { exact: true }) as HTMLInputElement).value).toBe('');
  });

  it('deletes only after confirmation, and asks again when CSRs wait on the key', async () => {
    const user = userEvent.setup();
    const deletes: unknown[] = [];
    const { calls } = renderWithApi(<KeysView />, {
      'keys:list': [KEY],
      'csr:pending': [],
      'keys:delete': (arg: unknown) => {
        deletes.push(arg);
        if (!(arg as { force?: boolean }).force) throw coded('CONFLICT', 'Key k_0123456789abcdef is the key of 1 certificate request(s) still waiting for their CA (CN=example.com).');
        return undefined;
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Delete key web 2026' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(/removed from the vault for good/)).toBeTruthy();
    expect(calls.list.some((c) => c.channel === 'keys:delete')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Delete key' }));
    expect(await within(dialog).findByText(/still waiting for their CA/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Delete key and its requests' }));
    expect(deletes).toEqual([{ id: KEY.id, force: false }, { id: KEY.id, force: true }]);
  });
});
