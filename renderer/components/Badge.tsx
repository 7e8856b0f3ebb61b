/** Small status labels: a coloured pill with text (colour is never the only signal). */
import type { ReactNode } from 'react';

/** Badge colours, by meaning. */
export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

/** A status badge. */
export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }): React.JSX.Element {
  return (
    <span className={tone === 'neutral' ? 'badge' : `badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
