/**
 * Expiry: a timeline of when each certificate expires in each environment (an SVG chart, with the
 * same data as a table for screen readers and keyboard users), the attention list, and the
 * warning window from the settings.
 */
import type { ExpiryEntry, ExpiryOverview } from '../../../shared/api.js';
import { Badge } from '../../components/Badge.js';
import { EmptyState } from '../../components/EmptyState.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { daysText, daysTone, STATE_LABELS } from '../certificates/filter.js';
import { certificateHash } from '../certificates/selection.js';
import { useLiveUpdates } from '../certificates/use-certificates.js';
import { formatDate } from '../keys/key-format.js';
import { hashOf } from '../shell/routes.js';
import { layoutTimeline } from './timeline.js';
import { useExpiry } from './use-expiry.js';

const WIDTH = 960;
const LABEL = 210;
const ROW = 26;
const TOP = 30;
const DAY_MS = 86_400_000;

function pointClass(e: ExpiryEntry): string {
  return e.expired ? 'pt-expired' : e.expiring ? 'pt-expiring' : 'pt-ok';
}

function Marker({ e, cx, cy }: { e: ExpiryEntry; cx: number; cy: number }): React.JSX.Element {
  const title = `${e.certificate} (${e.account}) ${e.env === 'latest' ? 'latest version, not deployed' : `in ${e.env}`}: expires ${formatDate(e.notAfter)}, ${daysText(e.daysLeft)}`;
  const cls = `marker ${pointClass(e)}`;
  if (e.env === 'staging') {
    return (
      <path className={cls} d={`M${cx} ${cy - 6} L${cx + 6} ${cy} L${cx} ${cy + 6} L${cx - 6} ${cy} Z`}>
        <title>{title}</title>
      </path>
    );
  }
  if (e.env === 'latest') {
    return (
      <rect className={`${cls} hollow`} x={cx - 5} y={cy - 5} width={10} height={10}>
        <title>{title}</title>
      </rect>
    );
  }
  return (
    <circle className={cls} cx={cx} cy={cy} r={6}>
      <title>{title}</title>
    </circle>
  );
}

function Timeline({ data }: { data: ExpiryOverview }): React.JSX.Element {
  const now = Date.parse(data.now);
  const layout = layoutTimeline(data.entries, now, data.thresholdDays);
  const plot = WIDTH - LABEL - 16;
  const px = (t: number): number => LABEL + layout.x(t) * plot;
  const height = TOP + layout.rows.length * ROW + 10;
  const soon = data.entries.filter((e) => e.expiring).length;
  return (
    <figure className="timeline">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby="timeline-title timeline-desc" preserveAspectRatio="xMinYMin meet">
        <title id="timeline-title">Expiry timeline</title>
        <desc id="timeline-desc">{`${layout.rows.length} certificates from ${formatDate(new Date(layout.start).toISOString())} to ${formatDate(new Date(layout.end).toISOString())}; ${soon} expiry dates fall within the ${data.thresholdDays}-day warning window. The table below lists every date.`}</desc>
        <rect className="tl-window" x={px(now)} y={TOP - 8} width={Math.max(0, px(now + data.thresholdDays * DAY_MS) - px(now))} height={height - TOP} />
        {layout.ticks.map((tick) => (
          <g key={tick.t}>
            <line className="tl-grid" x1={px(tick.t)} x2={px(tick.t)} y1={TOP - 8} y2={height} />
            <text className="tl-tick" x={px(tick.t) + 3} y={14}>
              {tick.label}
            </text>
          </g>
        ))}
        <line className="tl-today" x1={px(now)} x2={px(now)} y1={TOP - 12} y2={height} />
        <text className="tl-today-label" x={px(now) + 4} y={TOP - 2}>
          Today
        </text>
        {layout.rows.map((row, i) => {
          const y = TOP + i * ROW + ROW / 2;
          return (
            <g key={row.key}>
              <line className="tl-row" x1={LABEL} x2={WIDTH - 16} y1={y} y2={y} />
              <text className="tl-label" x={LABEL - 10} y={y + 4} textAnchor="end">
                {row.label.length > 26 ? `${row.label.slice(0, 25)}…` : row.label}
              </text>
              {row.points.map((p) => (
                <Marker key={p.key} e={p} cx={px(Date.parse(p.notAfter))} cy={y} />
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="row small muted">
        <span className="legend">
          <svg width="14" height="14" aria-hidden="true">
            <circle className="marker pt-ok" cx="7" cy="7" r="5" />
          </svg>
          Production
        </span>
        <span className="legend">
          <svg width="14" height="14" aria-hidden="true">
            <path className="marker pt-ok" d="M7 1 L13 7 L7 13 L1 7 Z" />
          </svg>
          Staging
        </span>
        <span className="legend">
          <svg width="14" height="14" aria-hidden="true">
            <rect className="marker pt-ok hollow" x="2" y="2" width="10" height="10" />
          </svg>
          Not deployed (latest version)
        </span>
        <span className="legend">
          <span className="swatch window" aria-hidden="true" />
          {`Warning window (${data.thresholdDays} days)`}
        </span>
        <span className="legend">
          <span className="swatch expiring" aria-hidden="true" /> Expiring
        </span>
        <span className="legend">
          <span className="swatch expired" aria-hidden="true" /> Expired
        </span>
        {layout.hidden > 0 ? <span>{`${layout.hidden} more certificates in the table below`}</span> : null}
      </figcaption>
    </figure>
  );
}

function Attention({ data }: { data: ExpiryOverview }): React.JSX.Element {
  return (
    <section className="panel" aria-labelledby="attention-heading">
      <div className="panel-header">
        <h2 id="attention-heading">Needs attention</h2>
        <span className="muted small">{data.attention.length === 0 ? 'Nothing' : `${data.attention.length} certificates`}</span>
      </div>
      {data.attention.length === 0 ? (
        <p className="muted" style={{ padding: 14 }}>
          {`Nothing expires within ${data.thresholdDays} days, and every renewal is deployed.`}
        </p>
      ) : (
        <ul className="attention-list" aria-label="Certificates that need attention">
          {data.attention.map((a) => (
            <li key={`${a.accountId ?? a.account}/${a.certificate}`}>
              <a href={certificateHash({ account: a.accountId ?? a.account, certificate: a.certificate })} className="strong">
                {a.certificateName}
              </a>
              <span className="muted">{` · ${a.account}`}</span>
              <span className="row">
                {a.states.map((s) => (
                  <Badge key={s} tone={STATE_LABELS[s].tone} title={STATE_LABELS[s].hint}>
                    {STATE_LABELS[s].label}
                  </Badge>
                ))}
                {a.daysLeft !== null ? <Badge tone={daysTone(a.daysLeft, data.thresholdDays)}>{a.daysLeft < 0 ? `expired ${daysText(a.daysLeft)}` : `expires ${daysText(a.daysLeft)}`}</Badge> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ExpiryTable({ data }: { data: ExpiryOverview }): React.JSX.Element {
  return (
    <section className="panel" aria-labelledby="dates-heading">
      <div className="panel-header">
        <h2 id="dates-heading">Expiry dates</h2>
        <span className="muted small">Soonest first</span>
      </div>
      <div className="panel-body flush table-scroll" tabIndex={0} role="region" aria-label="Expiry dates, scrollable">
        <table className="table" aria-label="Expiry dates">
          <thead>
            <tr>
              <th scope="col">Certificate</th>
              <th scope="col">Account</th>
              <th scope="col">Environment</th>
              <th scope="col" className="num">
                Version
              </th>
              <th scope="col">Expires</th>
              <th scope="col">In</th>
            </tr>
          </thead>
          <tbody>
            {data.entries.map((e) => (
              <tr key={e.key}>
                <td>
                  <a href={certificateHash({ account: e.accountId, certificate: e.certificateId })}>{e.certificate}</a>
                </td>
                <td>{e.account}</td>
                <td>{e.env === 'latest' ? 'Not deployed' : e.env}</td>
                <td className="num mono">{e.version !== null ? `v${e.version}` : '—'}</td>
                <td>{formatDate(e.notAfter)}</td>
                <td>
                  <Badge tone={daysTone(e.daysLeft, data.thresholdDays)}>{e.expired ? `expired ${daysText(e.daysLeft)}` : daysText(e.daysLeft)}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The Expiry screen. */
export function ExpiryView(): React.JSX.Element {
  useLiveUpdates();
  const expiry = useExpiry();
  return (
    <div className="page">
      <PageHeader
        title="Expiry"
        description={
          <>
            When certificates expire across every account and environment, and which need attention.{' '}
            {expiry.data ? (
              <>
                {`The warning window is ${expiry.data.thresholdDays} days `}(<a href={hashOf('settings')}>change it in Accounts &amp; settings</a>).
              </>
            ) : null}
          </>
        }
      />
      {expiry.isPending ? (
        <p className="muted" role="status">
          Loading expiry dates…
        </p>
      ) : expiry.isError ? (
        <Notice tone="danger" title="Expiry dates could not be read">
          {errorMessage(expiry.error)}
        </Notice>
      ) : expiry.data.entries.length === 0 ? (
        <section className="panel" aria-label="No expiry dates">
          <EmptyState
            title="Nothing to watch yet"
            actions={
              <a className="btn btn-primary" href={hashOf('certificates')}>
                Go to certificates
              </a>
            }
          >
            Expiry dates appear here for the certificates of your provider accounts, including the Sandbox account.
          </EmptyState>
        </section>
      ) : (
        <>
          <section className="panel" aria-labelledby="timeline-heading">
            <div className="panel-header">
              <h2 id="timeline-heading">Timeline</h2>
            </div>
            <div className="panel-body">
              <Timeline data={expiry.data} />
            </div>
          </section>
          <Attention data={expiry.data} />
          <ExpiryTable data={expiry.data} />
        </>
      )}
    </div>
  );
}
