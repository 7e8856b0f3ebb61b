/**
 * Provider accounts: the list (the Sandbox account labelled as the local simulation it is), test a
 * connection, remove, and add one. The secret is typed once into a password field, goes to the
 * OS keychain through main and is never shown again.
 */
import { useId, useState, type FormEvent } from 'react';
import { PROVIDER_KINDS, type AccountInput, type AccountSummary, type ProviderKind } from '../../../shared/api.js';
import { Badge } from '../../components/Badge.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { useAccounts, useAddAccount, useRemoveAccount, useTestAccount } from './use-accounts.js';

const PROVIDERS: Readonly<Record<ProviderKind, { label: string; endpoint: string; secret: string }>> = {
  cdnpro: { label: 'CDN Pro (CDNetworks)', endpoint: 'https://api.cdnetworks.com', secret: 'API key' },
  apinizer: { label: 'Apinizer', endpoint: 'https://apinizer.example.com', secret: 'Personal access token (or the user’s password)' },
  gcore: { label: 'Gcore', endpoint: 'https://api.gcore.com', secret: 'API token' },
};

function AccountRow({ account, onRemove }: { account: AccountSummary; onRemove: (a: AccountSummary) => void }): React.JSX.Element {
  const test = useTestAccount();
  return (
    <tr>
      <td className="wrap">
        <div className="row">
          <strong>{account.name}</strong>
          {account.isSandbox ? <Badge tone="info" title="The embedded CDN Pro sandbox: a local simulation, not a real provider">Local sandbox</Badge> : null}
        </div>
        {account.isSandbox ? <div className="muted small">A simulation of CDN Pro on this computer, to try every workflow safely.</div> : null}
        {test.isSuccess ? (
          <div className="small test-ok" role="status">
            {test.data.message}
          </div>
        ) : null}
        {test.isError ? (
          <div className="small error-text" role="alert">
            {errorMessage(test.error)}
          </div>
        ) : null}
      </td>
      <td>{account.providerLabel}</td>
      <td className="wrap mono small">{account.endpoint}</td>
      <td className="wrap small">{[account.user, account.project, account.customerId ? `customer ${account.customerId}` : null].filter(Boolean).join(' · ') || '—'}</td>
      <td className="small">{account.environments.join(', ') || '—'}</td>
      <td>
        <div className="row nowrap">
          <button type="button" className="btn btn-small" onClick={() => test.mutate(account.id)} disabled={test.isPending} aria-label={`Test connection of ${account.name}`}>
            {test.isPending ? 'Testing…' : 'Test'}
          </button>
          <button type="button" className="btn btn-small btn-danger" onClick={() => onRemove(account)} aria-label={`Remove account ${account.name}`}>
            Remove
          </button>
        </div>
      </td>
    </tr>
  );
}

function AddAccountForm({ onDone }: { onDone: () => void }): React.JSX.Element {
  const add = useAddAccount();
  const [provider, setProvider] = useState<ProviderKind>('cdnpro');
  const [form, setForm] = useState({ name: '', endpoint: '', user: '', project: '', customerId: '', environments: '', mode: 'cdn', secret: '' });
  const ids = { provider: useId(), name: useId(), endpoint: useId(), user: useId(), project: useId(), customer: useId(), envs: useId(), mode: useId(), secret: useId() };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const input: AccountInput = {
      provider,
      name: form.name,
      endpoint: form.endpoint,
      secret: form.secret,
      ...(form.user.trim() ? { user: form.user.trim() } : {}),
      ...(provider === 'apinizer' && form.project.trim() ? { project: form.project.trim() } : {}),
      ...(form.customerId.trim() ? { customerId: form.customerId.trim() } : {}),
      ...(provider === 'apinizer' ? { environments: form.environments.split(/[\s,]+/).filter((x) => x !== '') } : {}),
      ...(provider === 'gcore' ? { mode: form.mode as 'cdn' | 'protection' } : {}),
    };
    add.mutate(input, {
      onSuccess: () => {
        // The secret leaves the form as soon as main has it.
        setForm((f) => ({ ...f, secret: '' }));
        onDone();
      },
    });
  };
  const info = PROVIDERS[provider];
  return (
    <form className="stack" onSubmit={submit} aria-label="Add a provider account">
      <div className="grid-2">
        <div className="field">
          <label htmlFor={ids.provider}>Provider</label>
          <select id={ids.provider} className="select" value={provider} onChange={(e) => setProvider(e.target.value as ProviderKind)}>
            {PROVIDER_KINDS.map((p) => (
              <option key={p} value={p}>
                {PROVIDERS[p].label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.name}>Account name</label>
          <input id={ids.name} className="input" value={form.name} onChange={set('name')} placeholder="e.g. Production CDN" maxLength={100} required />
        </div>
        <div className="field">
          <label htmlFor={ids.endpoint}>API endpoint</label>
          <input id={ids.endpoint} className="input" type="url" value={form.endpoint} onChange={set('endpoint')} placeholder={info.endpoint} required />
        </div>
        {provider !== 'gcore' ? (
          <div className="field">
            <label htmlFor={ids.user}>{provider === 'cdnpro' ? 'API user' : 'User (optional)'}</label>
            <input id={ids.user} className="input" value={form.user} onChange={set('user')} autoComplete="off" required={provider === 'cdnpro'} />
          </div>
        ) : (
          <div className="field">
            <label htmlFor={ids.mode}>Certificates of</label>
            <select id={ids.mode} className="select" value={form.mode} onChange={set('mode')}>
              <option value="cdn">CDN resources</option>
              <option value="protection">Web security (protection)</option>
            </select>
          </div>
        )}
        {provider === 'apinizer' ? (
          <>
            <div className="field">
              <label htmlFor={ids.project}>Project</label>
              <input id={ids.project} className="input" value={form.project} onChange={set('project')} required />
            </div>
            <div className="field">
              <label htmlFor={ids.envs}>Environments</label>
              <input id={ids.envs} className="input" value={form.environments} onChange={set('environments')} placeholder="staging, production" required />
            </div>
          </>
        ) : null}
        <div className="field">
          <label htmlFor={ids.customer}>Customer id (optional)</label>
          <input id={ids.customer} className="input" value={form.customerId} onChange={set('customerId')} aria-describedby={`${ids.customer}-hint`} />
          <span id={`${ids.customer}-hint`} className="hint">
            Tells your certificates from ones other customers share with you. Learnt from the first certificate you create if left empty.
          </span>
        </div>
        <div className="field">
          <label htmlFor={ids.secret}>{info.secret}</label>
          <input
            id={ids.secret}
            className="input"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={form.secret}
            onChange={set('secret')}
            required
            aria-describedby={`${ids.secret}-hint`}
          />
          <span id={`${ids.secret}-hint`} className="hint">
            Stored in your operating system’s keychain, never in Certdesk’s files. It cannot be shown again: to change it, remove the account and add it anew.
          </span>
        </div>
      </div>
      {add.isError ? (
        <Notice tone="danger" title="The account was not added">
          {errorMessage(add.error)}
        </Notice>
      ) : null}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add account'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The accounts section of Accounts & settings. */
export function AccountsPanel(): React.JSX.Element {
  const accounts = useAccounts();
  const remove = useRemoveAccount();
  const [adding, setAdding] = useState(false);
  const [toRemove, setToRemove] = useState<AccountSummary | null>(null);
  const [added, setAdded] = useState(false);
  return (
    <section className="panel" aria-labelledby="accounts-heading">
      <div className="panel-header">
        <h2 id="accounts-heading">Provider accounts</h2>
        <button type="button" className="btn btn-small" onClick={() => setAdding(true)} disabled={adding}>
          Add account
        </button>
      </div>
      <div className="panel-body">
        {added && !adding ? <Notice tone="success">Account added; its secret is in your keychain. Use “Test” to check the connection.</Notice> : null}
        {adding ? (
          <AddAccountForm
            onDone={() => {
              setAdding(false);
              setAdded(true);
            }}
          />
        ) : null}
        {remove.isError ? (
          <Notice tone="danger" title="The account was not removed">
            {errorMessage(remove.error)}
          </Notice>
        ) : null}
        {accounts.isError ? <Notice tone="danger">{errorMessage(accounts.error)}</Notice> : null}
      </div>
      {accounts.data && accounts.data.length === 0 ? (
        <p className="muted" style={{ padding: '0 14px 14px' }}>
          No provider accounts. Add your CDN Pro, Apinizer or Gcore account to see its certificates.
        </p>
      ) : accounts.data ? (
        <div className="panel-body flush">
          <table className="table" aria-label="Provider accounts">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Provider</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Identity</th>
                <th scope="col">Environments</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts.data.map((a) => (
                <AccountRow key={a.id} account={a} onRemove={setToRemove} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={toRemove !== null}
        title={`Remove the account “${toRemove?.name ?? ''}”?`}
        confirmLabel="Remove account"
        danger
        busy={remove.isPending}
        onCancel={() => setToRemove(null)}
        onConfirm={() => toRemove && remove.mutate(toRemove.id, { onSettled: () => setToRemove(null) })}
      >
        <p>
          Certdesk forgets the account, deletes its secret from your keychain and drops what it cached about its certificates. Nothing changes at the provider.
          {toRemove?.isSandbox ? ' The Sandbox account is not created again.' : ''}
        </p>
      </ConfirmDialog>
    </section>
  );
}
