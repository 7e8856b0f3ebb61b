/** What an empty screen shows: what is missing and what to do about it. */
import type { ReactNode } from 'react';

/** An empty state with a title, an explanation and optional actions. */
export function EmptyState({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }): React.JSX.Element {
  return (
    <div className="empty">
      <div className="empty-title">{title}</div>
      {children ? <p>{children}</p> : null}
      {actions ? <div className="row">{actions}</div> : null}
    </div>
  );
}
