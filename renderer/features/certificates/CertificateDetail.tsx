/**
 * One certificate: its environments (what staging and production hold, deploy, undeploy, promote,
 * roll back — each confirmed with a field-level diff), its immutable versions newest first with
 * their lint, the deployment history, a new version, the CSR of the latest version, and delete
 * (only once undeployed everywhere, explained otherwise). A certificate another customer owns is
 * shown read-only with the reason.
 */
import { useId, useState } from 'react';
import type { CertificateDetail, ChainCheck, ChainPathEntry, EnvironmentStatus, HistoryEntry, TaskSummary, VersionInfo } from '../../../shared/api.js';
import { Badge, type Tone } from '../../components/Badge.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { CopySaveActions } from '../../components/CopySaveActions.js';
import { Findings } from '../../components/Findings.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate, formatTime } from '../keys/key-format.js';
import { useSettings } from '../settings/use-settings.js';
import { hashOf } from '../shell/routes.js';
import { TaskProgress } from '../tasks/TaskProgress.js';
import { DeployDialog, type PendingAction } from './DeployDialog.js';
import { daysText, daysTone, STATE_LABELS } from './filter.js';
import { MaterialForm } from './MaterialForm.js';
import { rekeyHash } from './selection.js';
import { useAddVersion, useCertificate, useCertificateCsr, useDeleteCertificate, type CertificateTarget } from './use-certificates.js';

const SOURCE_LABELS: Readonly<Record<VersionInfo['source'], { label: string; hint: string }>> = {
  uploaded: { label: 'Uploaded', hint: 'A certificate and its key, uploaded' },
  generated: { label: 'New key, self-signed', hint: 'A key made in the vault with a self-signed placeholder; send its CSR to the CA' },
  renewed: { label: 'CA-signed, key carried over', hint: 'The CA-signed certificate for the previous version’s CSR' },
};

const envTitle = (env: string): string => env.charAt(0).toUpperCase() + env.slice(1);

/** The version a roll back of `env` returns to: the last one deployed there before the current one, else the newest older one. */
export function rollbackTarget(env: EnvironmentStatus, history: readonly HistoryEntry[], versions: readonly VersionInfo[]): number | null {
  const current = env.version;
  if (current === null) return null;
  const previous = history.find((h) => h.env === env.env && h.action === 'deploy' && h.status === 'succeeded' && h.version !== null && h.version < current);
  if (previous?.version != null && versions.some((v) => v.version === previous.version)) return previous.version;
  return versions.map((v) => v.version).filter((n) => n < current).sort((a, b) => b - a)[0] ?? null;
}

function EnvironmentCard({
  env,
  detail,
  running,
  threshold,
  onAction,
}: {
  env: EnvironmentStatus;
  detail: CertificateDetail;
  running: readonly TaskSummary[];
  threshold: number;
  onAction: (a: PendingAction) => void;
}): React.JSX.Element {
  const selectId = useId();
  const latest = detail.versions[0]?.version ?? null;
  const [choice, setChoice] = useState<number | null>(null);
  const version = choice ?? latest;
  const readOnly = detail.certificate.readOnly !== null;
  const busy = running.length > 0;
  const back = rollbackTarget(env, detail.history, detail.versions);
  return (
    <section className="env-card" aria-labelledby={`${selectId}-title`}>
      <div className="env-card-header">
        <h3 id={`${selectId}-title`}>{envTitle(env.env)}</h3>
        {env.deployed ? <Badge tone="info">{env.version !== null ? `Version ${env.version}` : 'A certificate Certdesk does not know'}</Badge> : <Badge>Nothing deployed</Badge>}
      </div>
      {env.deployed ? (
        <p className="row">
          <span>{env.notAfter ? `Expires ${formatDate(env.notAfter)}` : 'Expiry unknown'}</span>
          <Badge tone={daysTone(env.daysLeft, threshold)}>{env.expired ? `expired ${daysText(env.daysLeft)}` : daysText(env.daysLeft)}</Badge>
        </p>
      ) : (
        <p className="muted">No version of this certificate serves traffic in {env.env}.</p>
      )}
      {running.map((t) => (
        <TaskProgress key={t.id} task={t} compact />
      ))}
      {!readOnly && detail.versions.length > 0 ? (
        <div className="env-actions">
          <div className="row" style={{ alignItems: 'flex-end' }}>
            <div className="field">
              <label htmlFor={selectId}>{`Version for ${env.env}`}</label>
              <select id={selectId} className="select" value={version ?? ''} onChange={(e) => setChoice(Number(e.target.value))}>
                {detail.versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {`Version ${v.version}${v.deployedIn.length > 0 ? ` (in ${v.deployedIn.join(', ')})` : ''}${v.selfSigned ? ' · self-signed' : ''}`}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" className="btn btn-primary" disabled={busy || version === null} onClick={() => version !== null && onAction({ kind: 'deploy', env: env.env, version })}>
              {`Deploy to ${env.env}…`}
            </button>
          </div>
          <div className="row">
            {back !== null ? (
              <button type="button" className="btn" disabled={busy} onClick={() => onAction({ kind: 'rollback', env: env.env, version: back })}>
                {`Roll back ${env.env} to version ${back}…`}
              </button>
            ) : null}
            {env.deployed ? (
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => onAction({ kind: 'undeploy', env: env.env, version: env.version })}>
                {`Undeploy from ${env.env}…`}
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}

function Environments({ detail, threshold, onAction }: { detail: CertificateDetail; threshold: number; onAction: (a: PendingAction) => void }): React.JSX.Element {
  const envs = detail.certificate.environments;
  const staging = envs.find((e) => e.env === 'staging');
  const production = envs.find((e) => e.env === 'production');
  const canPromote =
    staging !== undefined && production !== undefined && staging.version !== null && staging.version !== production.version && detail.certificate.readOnly === null;
  const productionBusy = detail.running.some((t) => t.env === 'production');
  return (
    <section className="panel" aria-labelledby="envs-heading">
      <div className="panel-header">
        <h2 id="envs-heading">Environments</h2>
        {staging !== undefined && production !== undefined && detail.certificate.readOnly === null ? (
          <button
            type="button"
            className="btn btn-small"
            disabled={!canPromote || productionBusy}
            onClick={() => staging.version !== null && onAction({ kind: 'promote', version: staging.version })}
            title={canPromote ? undefined : 'Staging must hold a version that production does not'}
          >
            Promote staging → production…
          </button>
        ) : null}
      </div>
      <div className="panel-body env-grid">
        {envs.map((env) => (
          <EnvironmentCard key={env.env} env={env} detail={detail} running={detail.running.filter((t) => t.env === env.env)} threshold={threshold} onAction={onAction} />
        ))}
      </div>
    </section>
  );
}

function sanText(v: VersionInfo): string {
  return v.sans.map((s) => (s.type === 'dns' ? s.value : `${s.type.toUpperCase()}:${s.value}`)).join(', ') || '—';
}

const VERDICTS: Readonly<Record<ChainCheck['verdict'], { label: string; tone: Tone }>> = {
  valid: { label: 'Valid', tone: 'success' },
  incomplete: { label: 'Incomplete', tone: 'warning' },
  untrusted: { label: 'Not trusted', tone: 'danger' },
  invalid: { label: 'Not valid', tone: 'danger' },
  unknown: { label: 'Not checked', tone: 'neutral' },
};

const ROLE_LABELS: Readonly<Record<ChainPathEntry['role'], string>> = { leaf: 'Leaf', intermediate: 'Intermediate', root: 'Root' };

const PATH_SOURCES: Readonly<Record<ChainPathEntry['source'], string>> = {
  version: 'this version',
  chain: 'the chain stored with this version',
  'trust store': 'the trust store',
};

/** The version's chain as validation built it, leaf first, with the verdict and what is wrong. */
function ChainSection({ v, check }: { v: VersionInfo; check: ChainCheck }): React.JSX.Element {
  const verdict = VERDICTS[check.verdict];
  return (
    <section className="version-chain" aria-label={`Chain of version ${v.version}`}>
      <div className="row">
        <span className="label">Chain</span>
        <Badge tone={verdict.tone}>{verdict.label}</Badge>
        <span>{check.summary}</span>
      </div>
      {check.path.length > 0 ? (
        <ol className="chain-list chain-path" aria-label={`Certification path of version ${v.version}, leaf first`}>
          {check.path.map((e) => (
            <li key={e.sha256}>
              <Badge tone={e.role === 'leaf' ? 'info' : 'neutral'}>{ROLE_LABELS[e.role]}</Badge>
              <span className="mono">{e.subject}</span>
              <span className="muted small">
                {e.notAfter === '' ? '' : `${e.expired ? 'Expired' : 'Expires'} ${formatDate(e.notAfter)} · `}
                {`from ${PATH_SOURCES[e.source]}`}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
      <Findings findings={check.problems} />
    </section>
  );
}

function VersionCard({ v }: { v: VersionInfo }): React.JSX.Element {
  const headingId = useId();
  return (
    <article className="version" aria-labelledby={headingId}>
      <div className="version-header">
        <h3 id={headingId}>{`Version ${v.version}`}</h3>
        <Badge tone={v.source === 'generated' ? 'warning' : 'neutral'} title={SOURCE_LABELS[v.source].hint}>
          {SOURCE_LABELS[v.source].label}
        </Badge>
        {v.deployedIn.map((env) => (
          <Badge key={env} tone="info">{`In ${env}`}</Badge>
        ))}
        <span className="muted small">{`Created ${formatTime(v.createdAt)}`}</span>
      </div>
      <dl className="dl">
        <dt>Subject</dt>
        <dd className="mono">{v.subject || '—'}</dd>
        <dt>Names</dt>
        <dd className="mono">{sanText(v)}</dd>
        <dt>Issuer</dt>
        <dd className="mono">{v.issuer ?? 'Not known here (held by the provider)'}{v.selfSigned ? ' (self-signed)' : ''}</dd>
        <dt>Valid</dt>
        <dd>{v.notBefore !== null ? `${formatDate(v.notBefore)} – ${v.notAfter ? formatDate(v.notAfter) : '?'}` : v.notAfter !== null ? `Until ${formatDate(v.notAfter)}` : 'Not known here'}</dd>
        <dt>Key</dt>
        <dd>
          {v.keyAlgorithm ?? 'unknown'}
          {v.keyId !== null ? <span className="muted">{` · vault key ${v.keyId}`}</span> : <span className="muted"> · key not in this vault</span>}
        </dd>
        {v.spkiSha256 ? (
          <>
            <dt>SPKI SHA-256</dt>
            <dd>
              <Fingerprint hex={v.spkiSha256} label={`SPKI SHA-256 of version ${v.version}`} />
            </dd>
          </>
        ) : null}
        {v.fingerprint ? (
          <>
            <dt>SHA-256</dt>
            <dd>
              <Fingerprint hex={v.fingerprint} label={`SHA-256 fingerprint of version ${v.version}`} />
            </dd>
          </>
        ) : null}
        {v.chain !== null && v.chainCheck === null ? (
          <>
            <dt>Chain</dt>
            <dd className="mono">{v.chain.length === 0 ? 'No intermediates' : v.chain.map((c) => c.subject).join(' → ')}</dd>
          </>
        ) : null}
        {v.comment ? (
          <>
            <dt>Comment</dt>
            <dd>{v.comment}</dd>
          </>
        ) : null}
      </dl>
      {v.chainCheck !== null ? <ChainSection v={v} check={v.chainCheck} /> : null}
      <Findings findings={v.findings} />
    </article>
  );
}

const STATUS_TONES = { succeeded: 'success', failed: 'danger', inprogress: 'info', waiting: 'neutral' } as const;

function History({ history }: { history: readonly HistoryEntry[] }): React.JSX.Element {
  return (
    <section className="panel" aria-labelledby="history-heading">
      <div className="panel-header">
        <h2 id="history-heading">Deployment history</h2>
      </div>
      <div className="panel-body flush">
        {history.length === 0 ? (
          <p className="muted" style={{ padding: 14 }}>
            Never deployed.
          </p>
        ) : (
          <table className="table" aria-label="Deployment history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Environment</th>
                <th scope="col">Result</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td>{h.submittedAt ? formatTime(h.submittedAt) : '—'}</td>
                  <td>{h.action === 'deploy' ? `Deploy version ${h.version ?? '?'}` : `Undeploy${h.version !== null ? ` version ${h.version}` : ''}`}</td>
                  <td>{h.env}</td>
                  <td>
                    <Badge tone={STATUS_TONES[h.status]}>{h.status === 'inprogress' ? 'in progress' : h.status}</Badge>
                  </td>
                  <td className="wrap small">{h.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function CsrPanel({ csr, onClose }: { csr: { certificate: string; version: number | null; csrPem: string }; onClose: () => void }): React.JSX.Element {
  const id = useId();
  const fileName = `${csr.certificate.replace(/[^A-Za-z0-9._-]+/g, '_')}${csr.version !== null ? `-v${csr.version}` : ''}.csr`;
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <div className="panel-header">
        <h2 id={`${id}-h`}>{`CSR of version ${csr.version ?? '?'}`}</h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="panel-body">
        <p className="muted">Send this certificate signing request to your CA. Upload the certificate it signs as a new version: the key stays the same.</p>
        <div className="field">
          <label htmlFor={id}>Certificate signing request (PEM)</label>
          <textarea id={id} className="textarea pem" readOnly value={csr.csrPem} spellCheck={false} />
        </div>
        <CopySaveActions text={csr.csrPem} what="CSR" fileName={fileName} />
      </div>
    </section>
  );
}

function DeleteZone({ detail, target }: { detail: CertificateDetail; target: CertificateTarget }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const del = useDeleteCertificate();
  const blocked = detail.deleteBlocked;
  return (
    <section className="panel danger-zone" aria-labelledby="delete-heading">
      <div className="panel-header">
        <h2 id="delete-heading">Delete certificate</h2>
      </div>
      <div className="panel-body">
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <p id="delete-why" className={blocked ? '' : 'muted'}>
            {blocked ?? 'Deployed nowhere: the certificate and all its versions can be deleted from the account. The keys stay in the vault.'}
          </p>
          <button type="button" className="btn btn-danger" disabled={blocked !== null} aria-describedby="delete-why" onClick={() => setOpen(true)}>
            Delete certificate…
          </button>
        </div>
        {del.isError ? <Notice tone="danger">{errorMessage(del.error)}</Notice> : null}
      </div>
      <ConfirmDialog
        open={open}
        title={`Delete “${detail.certificate.name}”?`}
        confirmLabel="Delete certificate"
        danger
        busy={del.isPending}
        onCancel={() => setOpen(false)}
        onConfirm={() =>
          del.mutate(target, {
            onSuccess: () => {
              setOpen(false);
              window.location.hash = hashOf('certificates');
            },
            onError: () => setOpen(false),
          })
        }
      >
        <p>{`The certificate and its ${detail.versions.length} version${detail.versions.length === 1 ? '' : 's'} are deleted from ${detail.certificate.account}. This cannot be undone.`}</p>
      </ConfirmDialog>
    </section>
  );
}

/** The page of one certificate. */
export function CertificateDetailView({ target }: { target: CertificateTarget }): React.JSX.Element {
  const detail = useCertificate(target);
  const settings = useSettings();
  const addVersion = useAddVersion();
  const csr = useCertificateCsr();
  const [action, setAction] = useState<PendingAction | null>(null);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const back = (
    <a className="back-link" href={hashOf('certificates')}>
      ← All certificates
    </a>
  );
  if (detail.isPending) {
    return (
      <div className="page">
        {back}
        <p className="muted" role="status">
          Reading the certificate from its provider…
        </p>
      </div>
    );
  }
  if (detail.isError) {
    return (
      <div className="page">
        {back}
        <PageHeader title="Certificate" />
        <Notice tone="danger" title="The certificate could not be read">
          {errorMessage(detail.error)}
        </Notice>
      </div>
    );
  }
  const d = detail.data;
  const c = d.certificate;
  const threshold = settings.data?.expiryThresholdDays ?? 30;
  const readOnly = c.readOnly !== null;
  return (
    <div className="page">
      {back}
      <PageHeader
        title={c.name}
        description={
          <>
            {`${c.account} · ${c.providerLabel}${c.isSandbox ? ' (local sandbox)' : ''} · id `}
            <span className="mono">{c.id}</span>
            {c.owner !== null ? ` · owner ${c.owner}` : ''}
          </>
        }
        actions={
          readOnly ? undefined : (
            <>
              <button type="button" className="btn" onClick={() => csr.mutate(target)} disabled={csr.isPending || d.versions.length === 0}>
                {csr.isPending ? 'Getting CSR…' : 'CSR of latest version'}
              </button>
              {d.versions.length > 0 ? (
                <a className="btn" href={rekeyHash(target)} title="A new key and CSR for the names of the latest version">
                  Re-key…
                </a>
              ) : null}
              <button type="button" className="btn btn-primary" onClick={() => setAdding(true)} disabled={adding}>
                New version
              </button>
            </>
          )
        }
      />
      {readOnly ? (
        <Notice tone="warning" title="Read-only: this account is not the owner">
          {c.readOnly}
        </Notice>
      ) : null}
      <div className="row" aria-label="Status">
        {c.states.length === 0 ? <Badge tone="success">Nothing needs attention</Badge> : null}
        {c.states.map((s) => (
          <Badge key={s} tone={STATE_LABELS[s].tone} title={STATE_LABELS[s].hint}>
            {STATE_LABELS[s].label}
          </Badge>
        ))}
        <span className="muted small">{`Latest version ${c.latestVersion ?? '—'}${c.latestNotAfter ? `, valid until ${formatDate(c.latestNotAfter)}` : ''}`}</span>
      </div>
      {added ? (
        <Notice tone="success" title="Version added">
          {added}
        </Notice>
      ) : null}
      {csr.isError ? (
        <Notice tone="danger" title="No CSR">
          {errorMessage(csr.error)}
        </Notice>
      ) : null}
      {csr.data ? <CsrPanel csr={csr.data} onClose={() => csr.reset()} /> : null}
      {adding ? (
        <section className="panel" aria-labelledby="new-version-heading">
          <div className="panel-header">
            <h2 id="new-version-heading">New version</h2>
          </div>
          <div className="panel-body">
            <MaterialForm
              mode="add"
              busy={addVersion.isPending}
              error={addVersion.error}
              submitLabel="Upload version"
              onCancel={() => {
                addVersion.reset();
                setAdding(false);
              }}
              onSubmit={({ material, comment }) =>
                addVersion.mutate(
                  { ...target, material, ...(comment !== undefined ? { comment } : {}) },
                  {
                    onSuccess: (r) => {
                      setAdding(false);
                      csr.reset();
                      setAdded(
                        `Version ${r.version.version} (${SOURCE_LABELS[r.version.source].label.toLowerCase()}) is uploaded${r.keyCarriedOver ? '; the key of the previous version was kept' : ''}. It is not deployed anywhere yet.${r.warnings.length > 0 ? ` Notes: ${r.warnings.join('; ')}` : ''}`,
                      );
                    },
                  },
                )
              }
            />
          </div>
        </section>
      ) : null}
      <Environments detail={d} threshold={threshold} onAction={setAction} />
      <section className="panel" aria-labelledby="versions-heading">
        <div className="panel-header">
          <h2 id="versions-heading">Versions</h2>
          <span className="muted small">Immutable, newest first</span>
        </div>
        <div className="panel-body flush">
          {d.versions.length === 0 ? (
            <p className="muted" style={{ padding: 14 }}>
              No versions.
            </p>
          ) : (
            d.versions.map((v) => <VersionCard key={v.version} v={v} />)
          )}
        </div>
      </section>
      <History history={d.history} />
      <DeleteZone detail={d} target={target} />
      <DeployDialog target={target} certificateName={c.name} action={action} versions={d.versions} onClose={() => setAction(null)} />
    </div>
  );
}
