/**
 * Public-suffix checks for wildcard rules, backed by the ICANN section of the Public Suffix List
 * (the `tldts-icann` package ships it; private registrations such as `appspot.com` are left out,
 * as Chrome does for certificate wildcards).
 */
import { getPublicSuffix } from 'tldts-icann';

/**
 * True when `domain` is itself a public suffix (`com`, `co.uk`) or sits under an unknown TLD.
 *
 * The PSL's implicit `*` rule makes every unknown top-level label a suffix, so `*.intranet` is
 * refused like Chrome refuses it. Anything the parser cannot read counts as a suffix: callers use
 * this to refuse wildcards, and refusing is the safe answer.
 */
export function isPublicSuffix(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  if (d === '' || !d.includes('.')) return true;
  const suffix = getPublicSuffix(d, { allowPrivateDomains: false });
  return suffix === null || suffix === d;
}
