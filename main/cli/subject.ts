/**
 * Subject and SAN flags shared by `csr` and `selfsign`.
 */
import { isIP } from 'node:net';
import type { San, SubjectFields } from '../../shared/pki-types.js';
import { parseSanArgument } from '../pki/san.js';
import { isValidDnsName } from '../pki/host-syntax.js';

/** The flags that describe a subject. */
export interface SubjectFlags {
  cn?: string;
  san?: string[];
  org?: string;
  ou?: string;
  locality?: string;
  state?: string;
  country?: string;
  email?: string;
}

/** parseArgs option specs for the subject flags. */
export const SUBJECT_OPTIONS = {
  cn: { type: 'string' },
  san: { type: 'string', multiple: true },
  org: { type: 'string' },
  ou: { type: 'string' },
  locality: { type: 'string' },
  state: { type: 'string' },
  country: { type: 'string' },
  email: { type: 'string' },
} as const;

/** The subject fields from flags (the CN is required by the caller). */
export function subjectFrom(flags: SubjectFlags, commonName: string): SubjectFields {
  return {
    commonName,
    ...(flags.org !== undefined ? { organization: flags.org } : {}),
    ...(flags.ou !== undefined ? { organizationalUnit: flags.ou } : {}),
    ...(flags.locality !== undefined ? { locality: flags.locality } : {}),
    ...(flags.state !== undefined ? { state: flags.state } : {}),
    ...(flags.country !== undefined ? { country: flags.country } : {}),
    ...(flags.email !== undefined ? { email: flags.email } : {}),
  };
}

/**
 * The SANs from `--san` flags, with the CN first when it is a host name or IP address not already
 * listed: CAs and browsers ignore the CN, so a certificate for a CN-only request would name nothing.
 */
export function sansFrom(flags: SubjectFlags, commonName: string): San[] {
  const sans = (flags.san ?? []).map(parseSanArgument);
  const cn = commonName.trim().toLowerCase();
  const cnSan: San | null = isIP(cn) ? { type: 'ip', value: cn } : isValidDnsName(cn) ? { type: 'dns', value: cn } : null;
  if (cnSan && !sans.some((s) => s.type === cnSan.type && s.value.toLowerCase() === cnSan.value)) sans.unshift(cnSan);
  return sans;
}

/** The subject as people read it, most specific first: "CN=example.com, O=Example, C=DE". */
export function formatSubjectFields(s: SubjectFields): string {
  const parts: [string, string | undefined][] = [
    ['CN', s.commonName],
    ['OU', s.organizationalUnit],
    ['O', s.organization],
    ['L', s.locality],
    ['ST', s.state],
    ['C', s.country],
    ['emailAddress', s.email],
  ];
  return parts
    .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '')
    .map(([k, v]) => `${k}=${v.replace(/([,+"\\<>;=])/g, '\\$1')}`)
    .join(', ');
}
