/**
 * Certificates: every certificate across accounts in one list — search by name, SAN or
 * fingerprint, filter by account, environment and status, sort by expiry — and a new
 * certificate; `#/certificates/<account>/<id>` opens one certificate.
 */
import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { CertificateRow, CertificateState } from '../../../shared/api.js';
import { CERTIFICATE_STATES } from '../../../shared/api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatTime } from '../keys/key-format.js';
import { hashOf } from '../shell/routes.js';
import { useAccounts } from '../accounts/use-accounts.js';
import { CertificateDetailView } from './CertificateDetail.js';
import { CertificateTable } from './CertificateTable.js';
import { environmentChoices, filterCertificates, NO_FILTER, STATE_LABELS, type CertificateFilter } from './filter.js';
import { MaterialForm } from './MaterialForm.js';
import { certificateHash, useSelection } from './selection.js';
import { useCreateCertificate, useInventory, useLiveUpdates, useRefreshInventory } from './use-certificates.js';

function Filters({ rows, filter, onChange }: { rows: readonly CertificateRow[]; filter: CertificateFilter; onChange: (f: CertificateFilter) => void }): React.JSX.Element {
  const ids = { q: useId(), account: useId(), env: useId(), status: useId(), sort: useId() };
  const accounts = useMemo(() => [...new Map(rows.map((r) => [r.accountId, r.account])).entries()].sort((a, b) => a[1].localeCompare(b[1])), [rows]);
  const envs = useMemo(() => environmentChoices(rows), [rows]);
  return (
    <div className="filters" role="search" aria-label="Find certificates">
      <div className="field grow">
        <label htmlFor={ids.q}>Search</label>
        <input id={ids.q} className="input" type="search" value={filter.query} onChange={(e) => onChange({ ...filter, query: e.target.value })} placeholder="Name, SAN or fingerprint" />
      </div>
      <div className="field">
        <label htmlFor={ids.account}>Account</label>
        <select id={ids.account} className="select" value={filter.account} onChange={(e) => onChange({ ...filter, account: e.target.value })}>
          <option value="">All accounts</option>
          {accounts.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.env}>Environment</label>
        <select id={ids.env} className="select" value={filter.env} onChange={(e) => onChange({ ...filter, env: e.target.value })}>
          <option value="">Any</option>
          {envs.map((env) => (
            <option key={env} value={env}>
              {`Deployed in ${env}`}
            </option>
          ))}
          <option value="none">Deployed nowhere</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.status}>Status</label>
        <select id={ids.status} className="select" value={filter.status} onChange={(e) => onChange({ ...filter, status: e.target.value as CertificateState | 'ok' | '' })}>
          <option value="">Any</option>
          {CERTIFICATE_STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_LABELS[s].label}
            </option>
          ))}
          <option value="ok">Needs nothing</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.sort}>Sort</label>
        <select id={ids.sort} className="select" value={filter.sort} onChange={(e) => onChange({ ...filter, sort: e.target.value as CertificateFilter['sort'] })}>
          <option value="expiry">Expiry, soonest first</option>
          <option value="expiry-desc">Expiry, latest first</option>
          <option value="name">Name</option>
        </select>
      </div>
    </div>
  );
}

function NewCertificate({ onDone }: { onDone: () => void }): React.JSX.Element {
  const accounts = useAccounts();
  const create = useCreateCertificate();
  const [account, setAccount] = useState('');
  const [name, setName] = useState('');
  const accountId = useId();
  const nameId = useId();
  const chosen = account || accounts.data?.[0]?.id || '';
  return (
    <section className="panel" aria-labelledby="new-cert-heading">
      <div className="panel-header">
        <h2 id="new-cert-heading">New certificate</h2>
      </div>
      <div className="panel-body">
        <MaterialForm
          mode="create"
          busy={create.isPending}
          error={create.error}
          submitLabel="Create certificate"
          onCancel={onDone}
          onSubmit={({ material, comment }) => {
            if (name.trim() === '' || chosen === '') return;
            create.mutate(
              { account: chosen, name: name.trim(), material, ...(comment !== undefined ? { comment } : {}) },
              {
                onSuccess: (r) => {
                  window.location.hash = certificateHash({ account: r.certificate.accountId, certificate: r.certificate.id });
                },
              },
            );
          }}
          extra={
            <div className="grid-2">
              <div className="field">
                <label htmlFor={accountId}>Account</label>
                <select id={accountId} className="select" value={chosen} onChange={(e) => setAccount(e.target.value)}>
                  {(accounts.data ?? []).map((a) => (
                    <option key={a.id} value={a.id}>
                      {`${a.name} (${a.providerLabel}${a.isSandbox ? ', local sandbox' : ''})`}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={nameId}>Certificate name</label>
                <input id={nameId} className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. www" maxLength={200} aria-describedby={`${nameId}-hint`} />
                <span id={`${nameId}-hint`} className="hint">
                  How the certificate is called in the account; every version keeps it.
                </span>
              </div>
            </div>
          }
        />
      </div>
    </section>
  );
}

function CertificateList(): React.JSX.Element {
  const inventory = useInventory();
  const refresh = useRefreshInventory();
  const [filter, setFilter] = useState<CertificateFilter>(NO_FILTER);
  const [creating, setCreating] = useState(false);
  // Typing stays responsive while 5,000 rows are filtered behind it.
  const deferred = useDeferredValue(filter);
  const rows = inventory.data?.certificates;
  const shown = useMemo(() => (rows ? filterCertificates(rows, deferred) : []), [rows, deferred]);
  const data = inventory.data;
  const failed = data?.accounts.filter((a) => a.error !== null) ?? [];
  const newest = data?.accounts.map((a) => a.refreshedAt).filter((t): t is string => t !== null).sort().pop();
  return (
    <div className="page page-wide">
      <PageHeader
        title="Certificates"
        description="Every certificate of every provider account: what is in staging and production, when it expires, and what needs attention."
        actions={
          <>
            <button type="button" className="btn" onClick={() => refresh.mutate()} disabled={refresh.isPending || inventory.isPending}>
              {refresh.isPending ? 'Refreshing…' : 'Refresh'}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={creating}>
              New certificate
            </button>
          </>
        }
      />
      {creating ? <NewCertificate onDone={() => setCreating(false)} /> : null}
      {inventory.isError ? (
        <Notice tone="danger" title="Certificates could not be read">
          {errorMessage(inventory.error)}
        </Notice>
      ) : null}
      {refresh.isError ? <Notice tone="danger">{errorMessage(refresh.error)}</Notice> : null}
      {failed.map((a) => (
        <Notice key={a.accountId} tone="warning" title={`Account “${a.account}” could not be read${a.refreshedAt ? `; showing what was seen at ${formatTime(a.refreshedAt)}` : ''}`}>
          {a.error?.message}
        </Notice>
      ))}
      {inventory.isPending ? (
        <p className="muted" role="status">
          Reading certificates from your accounts…
        </p>
      ) : data && data.certificates.length === 0 ? (
        <section className="panel" aria-label="No certificates">
          <EmptyState
            title="No certificates yet"
            actions={
              <>
                <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                  New certificate
                </button>
                <a className="btn" href={hashOf('settings')}>
                  Accounts &amp; settings
                </a>
              </>
            }
          >
            {data.accounts.some((a) => a.isSandbox)
              ? 'Your accounts hold no certificates. The Sandbox account is a local CDN Pro simulation where you can try everything safely: create a certificate in it with “New certificate”, or add your own provider account in Accounts & settings.'
              : 'Add a provider account (CDN Pro, Apinizer or Gcore) in Accounts & settings, then its certificates appear here.'}
          </EmptyState>
        </section>
      ) : data ? (
        <section className="panel" aria-labelledby="cert-list-heading">
          <div className="panel-header">
            <h2 id="cert-list-heading" className="visually-hidden">
              Certificate list
            </h2>
            <Filters rows={data.certificates} filter={filter} onChange={setFilter} />
          </div>
          <div className="list-meta muted small" aria-live="polite">
            <span>
              {shown.length === data.certificates.length
                ? `${data.certificates.length} ${data.certificates.length === 1 ? 'certificate' : 'certificates'}`
                : `${shown.length} of ${data.certificates.length} ${data.certificates.length === 1 ? 'certificate' : 'certificates'}`}
              {` · warning ${data.thresholdDays} days before expiry`}
            </span>
            {newest ? <span>{`Read from the providers ${formatTime(newest)}`}</span> : null}
          </div>
          {shown.length === 0 ? (
            <EmptyState
              title="No certificate matches"
              actions={
                <button type="button" className="btn" onClick={() => setFilter(NO_FILTER)}>
                  Clear filters
                </button>
              }
            >
              Nothing matches the search and filters above.
            </EmptyState>
          ) : (
            <CertificateTable rows={shown} threshold={data.thresholdDays} height={640} />
          )}
        </section>
      ) : null}
    </div>
  );
}

/** The Certificates screen: the list, or one certificate. */
export function CertificatesView(): React.JSX.Element {
  const selection = useSelection();
  useLiveUpdates();
  return selection === null ? <CertificateList /> : <CertificateDetailView key={`${selection.account}/${selection.certificate}`} target={selection} />;
}
