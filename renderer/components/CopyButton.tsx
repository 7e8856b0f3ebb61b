/** Copies text to the clipboard and says so. */
import { useEffect, useState } from 'react';

/** A button that copies `text`; `label` names what is copied for screen readers. */
export function CopyButton({ text, label, small = false }: { text: string; label: string; small?: boolean }): React.JSX.Element {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return undefined;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = (): void => {
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" className={small ? 'btn btn-small btn-ghost' : 'btn'} onClick={copy} aria-label={small ? `Copy ${label}` : undefined}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : small ? 'Copy' : `Copy ${label}`}
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? `${label} copied to the clipboard` : state === 'failed' ? `Could not copy ${label}` : ''}
      </span>
    </button>
  );
}
