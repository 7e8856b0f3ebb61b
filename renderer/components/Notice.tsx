/** Inline messages: errors (announced), warnings, successes, with what to do next. */
import type { ReactNode } from 'react';

/** A notice; `danger` ones are announced as alerts. */
export function Notice({ tone = 'neutral', title, children }: { tone?: 'neutral' | 'danger' | 'warning' | 'success'; title?: string; children?: ReactNode }): React.JSX.Element {
  return (
    <div className={tone === 'neutral' ? 'notice' : `notice notice-${tone}`} role={tone === 'danger' ? 'alert' : 'status'}>
      <div className="stack" style={{ gap: 2 }}>
        {title ? <div className="notice-title">{title}</div> : null}
        {children ? <div>{children}</div> : null}
      </div>
    </div>
  );
}

/** The message of an error from window.certdesk (or anything thrown). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
