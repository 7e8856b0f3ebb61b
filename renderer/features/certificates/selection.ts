/** Which certificate the screen shows, from the location hash: `#/certificates/<account id>/<certificate id>`. */
import { useSyncExternalStore } from 'react';
import type { CertificateTarget } from './use-certificates.js';

/** The certificate named by a hash, or null for the list. */
export function selectionFromHash(hash: string): CertificateTarget | null {
  const m = /^#\/certificates\/([^/]+)\/([^/?]+)/.exec(hash);
  if (m === null) return null;
  try {
    return { account: decodeURIComponent(m[1] ?? ''), certificate: decodeURIComponent(m[2] ?? '') };
  } catch {
    return null;
  }
}

/** The hash of a certificate's page. */
export function certificateHash(target: CertificateTarget): string {
  return `#/certificates/${encodeURIComponent(target.account)}/${encodeURIComponent(target.certificate)}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

let last: { hash: string; value: CertificateTarget | null } = { hash: '', value: null };

/** The selected certificate (stable between renders while the hash is unchanged). */
export function useSelection(): CertificateTarget | null {
  return useSyncExternalStore(subscribe, () => {
    const hash = window.location.hash;
    if (hash !== last.hash) last = { hash, value: selectionFromHash(hash) };
    return last.value;
  });
}
