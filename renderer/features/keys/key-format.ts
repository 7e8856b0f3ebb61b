/** How keys are named on screen. */
import type { KeySummary } from '../../../shared/api.js';
import type { KeyType } from '../../../shared/pki-types.js';

/** Key types with what people call them and when to pick them. */
export const KEY_TYPE_CHOICES: readonly { readonly type: KeyType; readonly title: string; readonly hint: string }[] = [
  { type: 'ec-p256', title: 'ECDSA P-256', hint: 'Recommended: fast, small, accepted everywhere' },
  { type: 'ec-p384', title: 'ECDSA P-384', hint: 'Stronger curve, slightly slower' },
  { type: 'rsa-2048', title: 'RSA 2048', hint: 'Widest compatibility with old clients' },
  { type: 'rsa-3072', title: 'RSA 3072', hint: 'RSA for keys used past 2030' },
  { type: 'rsa-4096', title: 'RSA 4096', hint: 'Largest RSA; slow to generate' },
];

/** "RSA 2048" or "EC P-256". */
export function keyAlgorithm(key: Pick<KeySummary, 'algorithm' | 'bits' | 'curve'>): string {
  return key.algorithm === 'RSA' ? `RSA ${key.bits ?? ''}`.trim() : `EC ${key.curve ?? ''}`.trim();
}

/** "23 Nov 2026, 10:04" in the user's locale, from an ISO time. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "23 Nov 2026" from an ISO time. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}
