/** Which certificate the screen shows, from the location hash: `#/certificates/<account id>/<certificate id>`. */
import { useSyncExternalStore } from 'react';
import type { CertificateTarget } from './use-certificates.js';

/** The account and certificate ids after `prefix` in a hash, or null. */
function targetAfter(hash: string, prefix: string): CertificateTarget | null {
  if (!hash.startsWith(prefix)) return null;
  const m = /^([^/?]+)\/([^/?]+)/.exec(hash.slice(prefix.length));
  if (m === null) return null;
  try {
    return { account: decodeURIComponent(m[1] ?? ''), certificate: decodeURIComponent(m[2] ?? '') };
  } catch {
    return null;
  }
}

const CERTIFICATE_PREFIX = '#/certificates/';
const REKEY_PREFIX = '#/csr/rekey/';
const hashFor = (prefix: string, target: CertificateTarget): string => `${prefix}${encodeURIComponent(target.account)}/${encodeURIComponent(target.certificate)}`;

/** The certificate named by a hash, or null for the list. */
export function selectionFromHash(hash: string): CertificateTarget | null {
  return targetAfter(hash, CERTIFICATE_PREFIX);
}

/** The hash of a certificate's page. */
export function certificateHash(target: CertificateTarget): string {
  return hashFor(CERTIFICATE_PREFIX, target);
}

/** The certificate a CSR wizard hash re-keys (`#/csr/rekey/<account id>/<certificate id>`), or null. */
export function rekeyFromHash(hash: string): CertificateTarget | null {
  return targetAfter(hash, REKEY_PREFIX);
}

/** The hash of the wizard re-keying a certificate. */
export function rekeyHash(target: CertificateTarget): string {
  return hashFor(REKEY_PREFIX, target);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

let last: { hash: string; value: CertificateTarget | null } = { hash: '', value: null };

/** The location hash, followed. */
export function useLocationHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

/** The selected certificate (stable between renders while the hash is unchanged). */
export function useSelection(): CertificateTarget | null {
  return useSyncExternalStore(subscribe, () => {
    const hash = window.location.hash;
    if (hash !== last.hash) last = { hash, value: selectionFromHash(hash) };
    return last.value;
  });
}
