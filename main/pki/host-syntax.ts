/**
 * Syntax of host names and IP literals: parsing and normalising, with no certificate or
 * public-suffix knowledge, so that code which only checks input (CSR and SAN flags) stays light.
 */
import { isIP } from 'node:net';

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
