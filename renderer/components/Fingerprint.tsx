/** A SHA-256 fingerprint in monospace: shortened in tables, whole on hover, for screen readers and when copied. */
import { CopyButton } from './CopyButton.js';

/** Groups hex in fours for reading aloud and comparing by eye. */
export function groupHex(hex: string): string {
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Shows `hex` (lowercase, no separators); `full` shows every digit instead of the first 16. */
export function Fingerprint({ hex, label, full = false, copy = true }: { hex: string; label: string; full?: boolean; copy?: boolean }): React.JSX.Element {
  const shown = full ? groupHex(hex) : `${groupHex(hex.slice(0, 16))} …`;
  return (
    <span className="fingerprint">
      <span title={hex} aria-label={`${label}: ${hex}`}>
        {shown}
      </span>
      {copy ? <CopyButton text={hex} label={label} small /> : null}
    </span>
  );
}
