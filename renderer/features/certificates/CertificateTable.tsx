/**
 * The certificate table: one row per certificate across accounts, virtualised (only the rows in
 * view, plus a few, are in the DOM) so thousands of certificates scroll smoothly. A real <table>:
 * spacer rows stand in for the rows above and below the window.
 */
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CertificateRow, EnvironmentStatus } from '../../../shared/api.js';
import { Badge } from '../../components/Badge.js';
import { daysText, daysTone, STATE_LABELS } from './filter.js';
import { certificateHash } from './selection.js';

/** Height of one row, in CSS pixels (rows are one line; see .cert-table in styles.css). */
export const ROW_HEIGHT = 44;
const COLUMNS = 6;

function EnvCell({ env, threshold }: { env: EnvironmentStatus | undefined; threshold: number }): React.JSX.Element {
  if (env === undefined) return <span className="muted">—</span>;
  if (!env.deployed) return <span className="muted">Not deployed</span>;
  return (
    <span className="env-cell">
      <span className="mono">{env.version !== null ? `v${env.version}` : 'unknown'}</span>
      <Badge tone={daysTone(env.daysLeft, threshold)} title={env.notAfter ?? undefined}>
        {env.expired ? `expired ${daysText(env.daysLeft)}` : daysText(env.daysLeft)}
      </Badge>
    </span>
  );
}

function Row({ row, threshold, index }: { row: CertificateRow; threshold: number; index: number }): React.JSX.Element {
  const staging = row.environments.find((e) => e.env === 'staging');
  const production = row.environments.find((e) => e.env === 'production');
  const others = row.environments.filter((e) => e.env !== 'staging' && e.env !== 'production' && e.deployed);
  return (
    <tr style={{ height: ROW_HEIGHT }} aria-rowindex={index + 2}>
      <td className="cert-name">
        <a href={certificateHash({ account: row.accountId, certificate: row.id })}>{row.name}</a>
        <div className="muted small">
          {row.account} · {row.providerLabel}
          {row.isSandbox ? ' (sandbox)' : ''}
        </div>
      </td>
      <td className="num mono">{row.latestVersion !== null ? `v${row.latestVersion}` : '—'}</td>
      <td>
        <EnvCell env={staging} threshold={threshold} />
      </td>
      <td>
        {production === undefined && others.length > 0 ? (
          <span className="muted small">{others.map((e) => `${e.env}: v${e.version ?? '?'}`).join(', ')}</span>
        ) : (
          <EnvCell env={production} threshold={threshold} />
        )}
      </td>
      <td className="num">
        <Badge tone={daysTone(row.daysLeft, threshold)}>{row.daysLeft === null ? 'unknown' : row.daysLeft < 0 ? 'expired' : `${row.daysLeft} d`}</Badge>
      </td>
      <td>
        <div className="cert-states">
          {row.states.length === 0 ? (
            <Badge tone="success">OK</Badge>
          ) : (
            row.states.map((s) => (
              <Badge key={s} tone={STATE_LABELS[s].tone} title={STATE_LABELS[s].hint}>
                {STATE_LABELS[s].label}
              </Badge>
            ))
          )}
        </div>
      </td>
    </tr>
  );
}

/** The table; `height` is the scroll area's height in pixels. */
export function CertificateTable({ rows, threshold, height }: { rows: readonly CertificateRow[]; threshold: number; height: number }): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  // The React Compiler skips this component (TanStack Virtual returns fresh functions each render); nothing here is memoised by hand either.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => rows[i]?.key ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <div className="cert-scroll" ref={scroller} style={{ maxHeight: height }} tabIndex={0} role="region" aria-label={`Certificates, ${rows.length} rows; scroll for more`}>
      <table className="table cert-table" aria-label="Certificates" aria-rowcount={rows.length + 1}>
        <thead>
          <tr>
            <th scope="col">Certificate</th>
            <th scope="col" className="num">
              Latest
            </th>
            <th scope="col">Staging</th>
            <th scope="col">Production</th>
            <th scope="col" className="num">
              Expires
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {top > 0 ? (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={COLUMNS} style={{ height: top }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = rows[item.index];
            return row === undefined ? null : <Row key={item.key} row={row} threshold={threshold} index={item.index} />;
          })}
          {bottom > 0 ? (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={COLUMNS} style={{ height: bottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
