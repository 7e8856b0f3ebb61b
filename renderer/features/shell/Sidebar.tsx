/** The sidebar: screens grouped by purpose; arrow keys move between them, Enter opens one. */
import { useRef, type KeyboardEvent } from 'react';
import { RouteIcon } from '../../components/icons.js';
import { hashOf, ROUTES, type RouteId } from './routes.js';

const GROUPS = ['Inventory', 'Keys & requests', 'App'] as const;

/** The app's navigation. */
export function Sidebar({ current, version }: { current: RouteId; version: string | null }): React.JSX.Element {
  const nav = useRef<HTMLElement>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    const links = [...(nav.current?.querySelectorAll<HTMLAnchorElement>('a.nav-link') ?? [])];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    e.preventDefault();
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? links.length - 1 : (at + (e.key === 'ArrowDown' ? 1 : -1) + links.length) % links.length;
    links[next]?.focus();
  };
  return (
    <aside className="sidebar">
      <div className="brand">
        <div className="brand-mark" aria-hidden="true">
          C
        </div>
        <div>
          <div className="brand-name">Certdesk</div>
          <div className="brand-sub">Certificates, keys, deployments</div>
        </div>
      </div>
      <nav aria-label="Main" ref={nav} onKeyDown={onKeyDown}>
        {GROUPS.map((group) => (
          <div className="nav-section" key={group} style={{ marginBottom: 12 }}>
            <div className="nav-heading" id={`nav-${group.replace(/\W+/g, '-')}`}>
              {group}
            </div>
            <ul className="nav-list" aria-labelledby={`nav-${group.replace(/\W+/g, '-')}`}>
              {ROUTES.filter((r) => r.group === group).map((r) => (
                <li key={r.id}>
                  <a className="nav-link" href={hashOf(r.id)} aria-current={r.id === current ? 'page' : undefined}>
                    <span className="nav-icon">
                      <RouteIcon route={r.id} />
                    </span>
                    {r.label}
                    {r.soon ? <span className="nav-soon">soon</span> : null}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <div className="sidebar-footer">{version ? `Certdesk ${version}` : null}</div>
    </aside>
  );
}
