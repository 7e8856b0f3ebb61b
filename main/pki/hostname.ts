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
import { isIP } from 'node:net';
import { type CertModel, formatIp, type GeneralNameModel } from './cert-model.js';
import { isPublicSuffix } from './public-suffix.js';

/** Parses an IPv4 or IPv6 literal (brackets allowed for v6) to its octets, or null. */
export function parseIp(input: string): Uint8Array | null {
  let s = input.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const kind = isIP(s);
  if (kind === 4) return Uint8Array.from(s.split('.').map((p) => Number(p)));
  if (kind !== 6) return null;
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4?.[1]) {
    const b = v4[1].split('.').map((p) => Number(p));
    tail = [((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0)];
    s = s.slice(0, -v4[1].length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const [headStr, restStr] = s.split('::') as [string, string | undefined];
  const parse = (p: string | undefined): number[] => (p ? p.split(':').filter((x) => x !== '').map((x) => parseInt(x, 16)) : []);
  const head = parse(headStr);
  const rest = parse(restStr);
  const fill = 8 - tail.length - head.length - rest.length;
  const groups = restStr === undefined ? [...head, ...tail] : [...head, ...new Array<number>(Math.max(0, fill)).fill(0), ...rest, ...tail];
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** Lowercases a DNS name and drops one trailing dot. */
export function normaliseDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** True for an ASCII host name made of LDH labels (underscores tolerated), 1–253 characters. */
export function isValidDnsName(name: string): boolean {
  const n = normaliseDnsName(name);
  if (n.length === 0 || n.length > 253) return false;
  return n.split('.').every((l) => LABEL.test(l));
}

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
