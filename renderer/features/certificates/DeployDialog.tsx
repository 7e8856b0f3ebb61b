/**
 * The confirmation before anything changes in an environment: what is there now against what
 * will be, field by field (names added and removed — names that would disappear called out
 * loudly —, subject, issuer, key, validity), then deploy, roll back, promote or undeploy.
 */
import { useEffect, useId, useRef } from 'react';
import type { DeploymentDiff, VersionInfo } from '../../../shared/api.js';
import { Badge } from '../../components/Badge.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { formatDate } from '../keys/key-format.js';
import { useDeploymentDiff, useStartDeployment, type CertificateTarget, type DeploymentRequest } from './use-certificates.js';

/** What the user is about to do. */
export type PendingAction =
  | { readonly kind: 'deploy' | 'rollback'; readonly env: string; readonly version: number }
  | { readonly kind: 'promote'; readonly version: number }
  | { readonly kind: 'undeploy'; readonly env: string; readonly version: number | null };

function envOf(action: PendingAction): string {
  return action.kind === 'promote' ? 'production' : action.env;
}

/** The dialog's title for an action. */
export function actionTitle(action: PendingAction): string {
  switch (action.kind) {
    case 'deploy':
      return `Deploy version ${action.version} to ${action.env}?`;
    case 'rollback':
      return `Roll ${action.env} back to version ${action.version}?`;
    case 'promote':
      return `Promote version ${action.version} from staging to production?`;
    case 'undeploy':
      return `Undeploy ${action.version !== null ? `version ${action.version}` : 'the certificate'} from ${action.env}?`;
  }
}

/** The confirm button's label for an action. */
export function actionLabel(action: PendingAction): string {
  switch (action.kind) {
    case 'deploy':
      return `Deploy version ${action.version} to ${action.env}`;
    case 'rollback':
      return `Roll back to version ${action.version}`;
    case 'promote':
      return `Promote version ${action.version} to production`;
    case 'undeploy':
      return `Undeploy from ${action.env}`;
  }
}

const day = (iso: string | null): string => (iso === null ? '—' : formatDate(iso));
const keyText = (k: { algorithm: string | null; spkiSha256: string | null } | null): string =>
  k === null ? '—' : `${k.algorithm ?? 'unknown algorithm'}${k.spkiSha256 ? ` · ${k.spkiSha256.slice(0, 16)}…` : ''}`;

function ChangeCell({ changed }: { changed: boolean }): React.JSX.Element | null {
  return changed ? <Badge tone="warning">Changed</Badge> : null;
}

function DiffTable({ diff }: { diff: DeploymentDiff }): React.JSX.Element {
  const fromTitle = diff.from === null ? `Now in ${diff.env}: nothing` : `Now in ${diff.env}: version ${diff.from.version}`;
  const fromNames = diff.from === null ? [] : [...diff.sans.unchanged, ...diff.sans.removed];
  return (
    <table className="table diff-table" aria-label={`Changes in ${diff.env}`}>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{fromTitle}</th>
          <th scope="col">{`After: version ${diff.to.version}`}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">
            Names <ChangeCell changed={diff.sans.added.length + diff.sans.removed.length > 0 && diff.from !== null} />
          </th>
          <td className="wrap">
            <ul className="name-list">
              {fromNames.length === 0 ? <li className="muted">—</li> : null}
              {fromNames.map((n) => (
                <li key={n} className={diff.sans.removed.includes(n) ? 'removed' : undefined}>
                  {diff.sans.removed.includes(n) ? (
                    <>
                      <span aria-hidden="true">− </span>
                      <span className="mono">{n}</span> <Badge tone="danger">removed</Badge>
                    </>
                  ) : (
                    <span className="mono">{n}</span>
                  )}
                </li>
              ))}
            </ul>
          </td>
          <td className="wrap">
            <ul className="name-list">
              {diff.to.sans.length === 0 ? <li className="muted">—</li> : null}
              {[...diff.sans.unchanged, ...diff.sans.added].map((n) => (
                <li key={n} className={diff.sans.added.includes(n) && diff.from !== null ? 'added' : undefined}>
                  {diff.sans.added.includes(n) && diff.from !== null ? (
                    <>
                      <span aria-hidden="true">+ </span>
                      <span className="mono">{n}</span> <Badge tone="success">added</Badge>
                    </>
                  ) : (
                    <span className="mono">{n}</span>
                  )}
                </li>
              ))}
            </ul>
          </td>
        </tr>
        <tr>
          <th scope="row">
            Subject <ChangeCell changed={diff.subject.changed} />
          </th>
          <td className="wrap mono">{diff.subject.from ?? '—'}</td>
          <td className="wrap mono">{diff.subject.to}</td>
        </tr>
        <tr>
          <th scope="row">
            Issuer <ChangeCell changed={diff.issuer.changed} />
          </th>
          <td className="wrap mono">{diff.from === null ? '—' : (diff.issuer.from ?? 'not known here')}</td>
          <td className="wrap mono">{diff.issuer.to ?? 'not known here'}</td>
        </tr>
        <tr>
          <th scope="row">
            Key <ChangeCell changed={diff.key.changed} />
          </th>
          <td className="wrap">{keyText(diff.key.from)}</td>
          <td className="wrap">{keyText(diff.key.to)}</td>
        </tr>
        <tr>
          <th scope="row">
            Valid from <ChangeCell changed={diff.validity.changed && diff.validity.from?.notBefore !== diff.validity.to.notBefore} />
          </th>
          <td>{day(diff.validity.from?.notBefore ?? null)}</td>
          <td>{day(diff.validity.to.notBefore)}</td>
        </tr>
        <tr>
          <th scope="row">
            Valid until <ChangeCell changed={diff.validity.changed && diff.validity.from?.notAfter !== diff.validity.to.notAfter} />
          </th>
          <td>{day(diff.validity.from?.notAfter ?? null)}</td>
          <td>
            {day(diff.validity.to.notAfter)} {diff.expiresSooner ? <Badge tone="danger">sooner</Badge> : null}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function DiffBody({ diff }: { diff: DeploymentDiff }): React.JSX.Element {
  const other = diff.warnings.filter((w) => !w.includes('would no longer be served'));
  return (
    <>
      {diff.sans.removed.length > 0 ? (
        <div className="notice notice-danger loud" role="alert">
          <div className="stack" style={{ gap: 4 }}>
            <div className="notice-title">{`${diff.sans.removed.length === 1 ? 'A name' : `${diff.sans.removed.length} names`} would disappear from ${diff.env}`}</div>
            <ul className="name-list">
              {diff.sans.removed.map((n) => (
                <li key={n} className="mono strong">
                  {n}
                </li>
              ))}
            </ul>
            <div>Clients that reach the service under these names would get certificate errors.</div>
          </div>
        </div>
      ) : null}
      {other.map((w) => (
        <Notice key={w} tone="warning">
          {w}
        </Notice>
      ))}
      <DiffTable diff={diff} />
    </>
  );
}

/** Names of a version as `DNS:host`. */
function names(v: VersionInfo | undefined): string[] {
  return (v?.sans ?? []).map((s) => `${s.type === 'dns' ? 'DNS' : s.type.toUpperCase()}:${s.value}`);
}

/** The confirmation dialog; `action` null closes it. */
export function DeployDialog({
  target,
  certificateName,
  action,
  versions,
  onClose,
}: {
  target: CertificateTarget;
  certificateName: string;
  action: PendingAction | null;
  versions: readonly VersionInfo[];
  onClose: () => void;
}): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const start = useStartDeployment();
  const diffVersion = action !== null && action.kind !== 'undeploy' ? action.version : null;
  const diff = useDeploymentDiff(target, action === null ? '' : envOf(action), diffVersion);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (action !== null && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (action === null && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [action]);
  const close = (): void => {
    start.reset();
    onClose();
  };
  const confirm = (): void => {
    if (action === null) return;
    const request: DeploymentRequest =
      action.kind === 'promote' ? { ...target, kind: 'promote' } : action.kind === 'undeploy' ? { ...target, kind: 'undeploy', env: action.env } : { ...target, kind: action.kind, env: action.env, version: action.version };
    start.mutate(request, { onSuccess: close });
  };
  const undeployed = action?.kind === 'undeploy' ? names(versions.find((v) => v.version === action.version)) : [];
  return (
    <dialog ref={ref} className="confirm wide" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); close(); }}>
      {action !== null ? (
        <>
          <div className="dialog-body">
            <h2 id={titleId}>{actionTitle(action)}</h2>
            <p className="muted">{certificateName}</p>
            {action.kind === 'undeploy' ? (
              <div className="notice notice-danger loud" role="alert">
                <div className="stack" style={{ gap: 4 }}>
                  <div className="notice-title">{`Nothing will serve this certificate in ${action.env}`}</div>
                  {undeployed.length > 0 ? (
                    <>
                      <div>These names lose their certificate there:</div>
                      <ul className="name-list">
                        {undeployed.map((n) => (
                          <li key={n} className="mono strong">
                            {n}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                  <div>Undeploy only what nothing uses any more, or deploy a replacement first.</div>
                </div>
              </div>
            ) : diff.isPending ? (
              <p className="muted" role="status">
                Comparing with what is in {envOf(action)}…
              </p>
            ) : diff.isError ? (
              <Notice tone="danger" title="The versions could not be compared">
                {errorMessage(diff.error)}
              </Notice>
            ) : (
              <DiffBody diff={diff.data} />
            )}
            {start.isError ? (
              <Notice tone="danger" title="Nothing was started">
                {errorMessage(start.error)}
              </Notice>
            ) : null}
          </div>
          <div className="dialog-footer">
            <button type="button" className="btn" onClick={close} autoFocus>
              Cancel
            </button>
            <button
              type="button"
              className={action.kind === 'undeploy' || (diff.data?.sans.removed.length ?? 0) > 0 ? 'btn btn-danger-solid' : 'btn btn-primary'}
              onClick={confirm}
              disabled={start.isPending || (action.kind !== 'undeploy' && !diff.isSuccess)}
            >
              {start.isPending ? 'Starting…' : actionLabel(action)}
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
