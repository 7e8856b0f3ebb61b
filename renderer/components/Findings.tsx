/** Lint findings in plain words, most serious first. */
import type { Finding } from '../../shared/pki-types.js';
import { Badge } from './Badge.js';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Capitalises the first letter of a lint message ("the request has no…" → "The request has no…"). */
export function sentence(message: string): string {
  const trimmed = message.trim();
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** A list of findings, or nothing when there are none. */
export function Findings({ findings, emptyText }: { findings: readonly Finding[]; emptyText?: string }): React.JSX.Element | null {
  if (findings.length === 0) {
    return emptyText ? (
      <p className="row">
        <Badge tone="success">Passed</Badge>
        <span>{emptyText}</span>
      </p>
    ) : null;
  }
  const sorted = [...findings].sort((a, b) => ORDER[a.severity ?? 'info'] - ORDER[b.severity ?? 'info']);
  return (
    <ul className="findings">
      {sorted.map((f, i) => (
        <li key={`${f.code}-${i}`}>
          <Badge tone={f.severity === 'error' ? 'danger' : f.severity === 'warning' ? 'warning' : 'info'}>
            {f.severity === 'error' ? 'Problem' : f.severity === 'warning' ? 'Warning' : 'Note'}
          </Badge>
          <span>
            {sentence(f.message)} <span className="muted small">({f.code})</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
