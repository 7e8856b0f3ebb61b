/** Keys: the private keys sealed in the vault (never shown, only described), generate, delete; pending CSRs. */
import { useId, useState, type FormEvent } from 'react';
import type { KeySummary } from '../../../shared/api.js';
import type { KeyType } from '../../../shared/pki-types.js';
import { errorCode } from '../../../shared/api-client.js';
import { Badge } from '../../components/Badge.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { hashOf } from '../shell/routes.js';
import { ExportKeyDialog } from './ExportKeyDialog.js';
import { formatTime, KEY_TYPE_CHOICES, keyAlgorithm } from './key-format.js';
import { certificateHash } from '../certificates/selection.js';
import { useDeleteKey, useGenerateKey, useKeys, usePendingRequests } from './use-keys.js';

function GenerateForm({ generate }: { generate: ReturnType<typeof useGenerateKey> }): React.JSX.Element {
  const [type, setType] = useState<KeyType>('ec-p256');
  const [label, setLabel] = useState('');
  const typeId = useId();
  const labelId = useId();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    generate.mutate({ type, ...(label.trim() ? { label: label.trim() } : {}) }, { onSuccess: () => setLabel('') });
  };
  return (
    <form className="page-actions nowrap" onSubmit={submit} aria-label="Generate a key">
      <div className="field">
        <label htmlFor={typeId}>Key type</label>
        <select id={typeId} className="select" value={type} onChange={(e) => setType(e.target.value as KeyType)}>
          {KEY_TYPE_CHOICES.map((c) => (
            <option key={c.type} value={c.type}>
              {c.title}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={labelId}>Label (optional)</label>
        <input id={labelId} className="input" value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. shop.example.com 2026" style={{ width: 200 }} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={generate.isPending}>
        {generate.isPending ? 'Generating…' : 'Generate key'}
      </button>
    </form>
  );
}

function DeleteKey({ keyToDelete, onDone }: { keyToDelete: KeySummary | null; onDone: () => void }): React.JSX.Element {
  const del = useDeleteKey();
  const conflict = del.isError && errorCode(del.error) === 'CONFLICT';
  const close = (): void => {
    del.reset();
    onDone();
  };
  return (
    <ConfirmDialog
      open={keyToDelete !== null}
      title={conflict ? 'CSRs are waiting for this key' : `Delete the key “${keyToDelete?.label ?? ''}”?`}
      confirmLabel={conflict ? 'Delete key and its requests' : 'Delete key'}
      danger
      busy={del.isPending}
      onCancel={close}
      onConfirm={() => keyToDelete && del.mutate({ id: keyToDelete.id, force: conflict }, { onSuccess: close })}
    >
      {conflict ? (
        <Notice tone="warning">{errorMessage(del.error)}</Notice>
      ) : (
        <p>
          The private key is removed from the vault for good. Certificates issued for it can no longer be uploaded with it. Export it first if you
          may need it again.
        </p>
      )}
      {keyToDelete ? <Fingerprint hex={keyToDelete.spkiSha256} label="SPKI SHA-256" copy={false} /> : null}
      {del.isError && !conflict ? <Notice tone="danger">{errorMessage(del.error)}</Notice> : null}
    </ConfirmDialog>
  );
}

/** Where a key has been uploaded (key custody), newest first. */
function Custody({ k }: { k: KeySummary }): React.JSX.Element {
  if (k.uploads.length === 0) return <span className="muted">Only in this vault</span>;
  const uploads = [...k.uploads].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <ul className="custody" aria-label={`Where ${k.label} has been uploaded`}>
      {uploads.map((u) => (
        <li key={`${u.provider}/${u.account}/${u.certificate}/${u.version}/${u.at}`}>
          <span>{`${u.account} / ${u.certificate} v${u.version}`}</span>
          <div className="muted small">{`${u.provider}, ${formatTime(u.at)}`}</div>
        </li>
      ))}
    </ul>
  );
}

function KeysTable({ keys, onDelete, onExport }: { keys: readonly KeySummary[]; onDelete: (k: KeySummary) => void; onExport: (k: KeySummary) => void }): React.JSX.Element {
  return (
    <table className="table" aria-label="Keys in the vault">
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">Algorithm</th>
          <th scope="col">SPKI SHA-256</th>
          <th scope="col">Created</th>
          <th scope="col">Source</th>
          <th scope="col">Uploaded to</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k.id}>
            <td className="wrap">
              <div>{k.label}</div>
              <div className="muted small mono">{k.id}</div>
            </td>
            <td>
              <Badge tone="info">{keyAlgorithm(k)}</Badge>
            </td>
            <td>
              <Fingerprint hex={k.spkiSha256} label={`SPKI SHA-256 of ${k.label}`} />
            </td>
            <td>{formatTime(k.createdAt)}</td>
            <td>{k.source === 'generated' ? 'Generated here' : 'Imported'}</td>
            <td className="wrap">
              <Custody k={k} />
            </td>
            <td>
              <div className="row nowrap">
                <button type="button" className="btn btn-small" onClick={() => onExport(k)} aria-label={`Export key ${k.label}`}>
                  Export…
                </button>
                <button type="button" className="btn btn-small btn-danger" onClick={() => onDelete(k)} aria-label={`Delete key ${k.label}`}>
                  Delete
                </button>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PendingRequests(): React.JSX.Element | null {
  const pending = usePendingRequests();
  if (!pending.data || pending.data.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="pending-heading">
      <div className="panel-header">
        <h2 id="pending-heading">Pending certificate requests</h2>
        <span className="muted small">Waiting for the CA to sign them; upload the certificate to complete.</span>
      </div>
      <div className="panel-body flush">
        <table className="table" aria-label="Pending certificate requests">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Names</th>
              <th scope="col">Key</th>
              <th scope="col">For</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {pending.data.map((r) => (
              <tr key={r.id}>
                <td className="wrap">{r.subject}</td>
                <td className="wrap mono">{r.sans.map((s) => s.value).join(', ') || '—'}</td>
                <td className="mono">{r.keyId}</td>
                <td>{r.target !== undefined ? <a href={certificateHash(r.target)}>{r.targetName ?? r.target.certificate}</a> : '—'}</td>
                <td>{formatTime(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The Keys screen. */
export function KeysView(): React.JSX.Element {
  const keys = useKeys();
  const generate = useGenerateKey();
  const [toDelete, setToDelete] = useState<KeySummary | null>(null);
  const [toExport, setToExport] = useState<KeySummary | null>(null);
  return (
    <div className="page">
      <PageHeader
        title="Keys"
        description="Private keys sealed in the vault with a key from your OS keychain. Certdesk shows their fingerprints and where each was uploaded; the keys themselves never leave the vault unless you export them."
        actions={<GenerateForm generate={generate} />}
      />
      {generate.isError ? (
        <Notice tone="danger" title="The key was not generated">
          {errorMessage(generate.error)}
        </Notice>
      ) : null}
      <section className="panel" aria-labelledby="keys-heading">
        <div className="panel-header">
          <h2 id="keys-heading">Vault</h2>
          <span className="muted small" aria-live="polite">
            {keys.data ? `${keys.data.length} ${keys.data.length === 1 ? 'key' : 'keys'}` : ''}
          </span>
        </div>
        <div className="panel-body flush">
          {keys.isPending ? (
            <p className="muted" style={{ padding: 14 }}>
              Loading keys…
            </p>
          ) : keys.isError ? (
            <div style={{ padding: 14 }}>
              <Notice tone="danger" title="The vault could not be read">
                {errorMessage(keys.error)}
              </Notice>
            </div>
          ) : keys.data.length === 0 ? (
            <EmptyState
              title="No keys in the vault yet"
              actions={
                <>
                  <a className="btn btn-primary" href={hashOf('csr')}>
                    Generate key &amp; CSR
                  </a>
                  <a className="btn" href={hashOf('import')}>
                    Import a key file
                  </a>
                </>
              }
            >
              Generate a key with the form above, create one together with a certificate signing request, or import an existing key file.
            </EmptyState>
          ) : (
            <KeysTable keys={keys.data} onDelete={setToDelete} onExport={setToExport} />
          )}
        </div>
      </section>
      <PendingRequests />
      <DeleteKey keyToDelete={toDelete} onDone={() => setToDelete(null)} />
      <ExportKeyDialog keyToExport={toExport} onDone={() => setToExport(null)} />
    </div>
  );
}
