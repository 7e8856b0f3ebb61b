/**
 * Matching a host name or IP address against a certificate's names, the way browsers do.
 *
 * Rules (RFC 6125 6.4 as narrowed by the CA/Browser Forum and Chrome):
 * - Only subjectAltName counts. The subject CN is never used, even when there is no SAN: Chrome
 *   removed the CN fallback in Chrome 58 and we do the same.
 * - A wildcard is a whole leftmost label `*` followed by at least two labels (`*.example.com`);
 *   it matches exactly one non-empty label. Partial wildcards (`f*.example.com`), wildcards in
 *   other labels, and wildcards directly over a public suffix (`*.com`, `*.co.uk`) never match.
 * - IP addresses (v4 and v6) match only iPAddress SAN entries, byte for byte.
 */
import { type CertModel, formatIp, type GeneralNameModel } from './cert-model.js';
import { isPublicSuffix } from './public-suffix.js';
import { isValidDnsName, normaliseDnsName, parseIp } from './host-syntax.js';

export { isValidDnsName, normaliseDnsName, parseIp } from './host-syntax.js';

/** Why a presented DNS name with `*` is not a usable wildcard, or null when it is fine (or has none). */
export function wildcardProblem(presented: string): string | null {
  const p = normaliseDnsName(presented);
  if (!p.includes('*')) return null;
  const labels = p.split('.');
  const first = labels[0] ?? '';
  if (labels.slice(1).some((l) => l.includes('*'))) return 'the wildcard is not in the leftmost label';
  if (first !== '*') return 'the wildcard is only part of a label (browsers only accept a whole "*" label)';
  const rest = labels.slice(1).join('.');
  if (labels.length < 3 || isPublicSuffix(rest)) return `the wildcard covers the public suffix "${rest}"`;
  if (!isValidDnsName(rest)) return `"${rest}" is not a valid host name`;
  return null;
}

/** True when the presented SAN dNSName matches the reference host name under the rules above. */
export function matchDnsName(presented: string, reference: string): boolean {
  const p = normaliseDnsName(presented);
  const r = normaliseDnsName(reference);
  // SANs are IA5String: anything non-ASCII is malformed and never matches.
  if (/[^\x21-\x7e]/.test(p) || r.includes('*') || r.length === 0) return false;
  if (!p.includes('*')) return p === r && isValidDnsName(p);
  if (wildcardProblem(p) !== null) return false;
  const dot = r.indexOf('.');
  if (dot <= 0) return false;
  return r.slice(dot + 1) === p.slice(2);
}

/** The DNS and IP names a certificate is valid for, as people write them. */
export function certificateNames(cert: CertModel): string[] {
  const out: string[] = [];
  for (const n of cert.subjectAltName?.names ?? []) {
    if (n.type === 'dns') out.push(n.value);
    else if (n.type === 'ip') out.push(formatIp(n.bytes));
  }
  return out;
}

/** "a", "a and b", "a, b and c", "a, b, c and 4 more". */
export function listNames(names: readonly string[], max = 5): string {
  if (names.length === 0) return 'no names';
  const shown = names.length > max ? [...names.slice(0, max - 1), `${names.length - (max - 1)} more`] : [...names];
  if (shown.length === 1) return shown[0] as string;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1] as string}`;
}

/** Result of checking a host against a certificate. */
export interface HostMatch {
  readonly ok: boolean;
  /** Why not, in a sentence, when `ok` is false. */
  readonly message: string;
}

/** Checks that `host` (a DNS name or an IP literal) is one of the certificate's SAN names. */
export function matchHost(cert: CertModel, host: string): HostMatch {
  const ip = parseIp(host);
  const names: readonly GeneralNameModel[] = cert.subjectAltName?.names ?? [];
  const display = ip ? formatIp(ip) : normaliseDnsName(host);
  if (!cert.subjectAltName) {
    const cn = cert.subject.commonNames[0];
    return {
      ok: false,
      message:
        `the certificate has no subjectAltName, so it is not valid for ${display}` +
        (cn ? ` (browsers ignore the subject common name "${cn}")` : ''),
    };
  }
  const ok = ip
    ? names.some((n) => n.type === 'ip' && n.bytes.length === ip.length && Buffer.compare(n.bytes, ip) === 0)
    : names.some((n) => n.type === 'dns' && matchDnsName(n.value, host));
  if (ok) return { ok: true, message: '' };
  return { ok: false, message: `certificate is valid for ${listNames(certificateNames(cert))}, not for ${display}` };
}
