/**
 * subjectAltName values: parsing the CLI/UI form (`DNS:name`, `IP:address`, `EMAIL:address`, or
 * a bare value), validating them, and their GeneralName encoding (RFC 5280 4.2.1.6).
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { CertdeskError } from '../../shared/errors.js';
import type { San } from '../../shared/pki-types.js';
import { asciiString, implicitPrimitive, sequence, type Der, type DerNode } from './asn1-writer.js';
import { parseIp } from './host-syntax.js';
import { formatIpv6 } from './names.js';

const MAX_DNS_NAME = 253;
const MAX_LABEL = 63;
const MAX_EMAIL = 254;
const MAX_EMAIL_LOCAL = 64;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;

function invalid(value: string, why: string): CertdeskError {
  return new CertdeskError('INVALID_NAME', `Invalid subject alternative name "${value}": ${why}.`, { value });
}

function hasNonAscii(value: string): boolean {
  return /[^\x20-\x7e]/.test(value);
}

// The common case in one test: lowercase LDH labels, optional "*." first, a letter in the last
// label, no "--" anywhere (so no punycode to check). Anything else takes the detailed path.
const SIMPLE_DNS = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]*[a-z][a-z0-9-]*$/;

/** Checks one DNS name (already without any `DNS:` prefix); returns it lowercased. */
function checkDnsName(original: string, name: string, allowWildcard: boolean): string {
  if (
    name.length <= MAX_DNS_NAME &&
    SIMPLE_DNS.test(name) &&
    !name.includes('--') &&
    (allowWildcard || name[0] !== '*') &&
    simpleLastLabelOk(name)
  ) {
    return name;
  }
  if (name.length === 0) throw invalid(original, 'the DNS name is empty');
  if (/[^\x21-\x7e]/.test(name)) {
    if (/\s|\p{Cc}/u.test(name)) throw invalid(original, 'a DNS name cannot contain spaces or control characters');
    const wildcard = name.startsWith('*.');
    const aLabel = domainToASCII(wildcard ? name.slice(2) : name);
    const hint = aLabel ? `; use the ASCII (punycode) form "${wildcard ? '*.' : ''}${aLabel}"` : '';
    throw invalid(original, `internationalised names must be given in their ASCII "xn--" form${hint}`);
  }
  const lower = name.toLowerCase();
  if (lower.endsWith('.')) throw invalid(original, 'remove the trailing dot');
  if (lower.length > MAX_DNS_NAME) throw invalid(original, `a DNS name is at most ${MAX_DNS_NAME} characters`);
  const labels = lower.split('.');
  if (labels[0] === '*') {
    if (!allowWildcard) throw invalid(original, 'a wildcard is not allowed here');
    if (labels.length < 3) throw invalid(original, 'a wildcard needs at least two labels after "*." (e.g. *.example.com)');
    labels.shift();
  }
  for (const label of labels) {
    if (label.length === 0) throw invalid(original, 'it has an empty label (two dots in a row or a leading dot)');
    if (label.includes('*')) throw invalid(original, 'a wildcard "*" is only allowed as the whole leftmost label ("*.example.com")');
    if (label.length > MAX_LABEL) throw invalid(original, `the label "${label}" is longer than ${MAX_LABEL} characters`);
    if (!LDH_LABEL.test(label)) {
      throw invalid(
        original,
        `the label "${label}" may contain only letters, digits and hyphens, and cannot start or end with a hyphen`,
      );
    }
    if (label.startsWith('xn--')) {
      const unicode = domainToUnicode(label);
      if (!unicode || domainToASCII(unicode) !== label) throw invalid(original, `"${label}" is not valid punycode`);
    } else if (label.length >= 4 && label[2] === '-' && label[3] === '-') {
      throw invalid(original, `the label "${label}" has "--" in the third and fourth positions, which is reserved for "xn--"`);
    }
  }
  const last = labels[labels.length - 1] ?? '';
  if (/^[0-9]+$/.test(last)) throw invalid(original, 'it looks like an IP address but is not a valid one');
  return lower;
}

/** The fast path's last label must also be ≤ 63 characters, not start or end with "-", and a wildcard needs two labels after it. */
function simpleLastLabelOk(name: string): boolean {
  const dot = name.lastIndexOf('.');
  const last = name.slice(dot + 1);
  if (last.length > MAX_LABEL || last.startsWith('-') || last.endsWith('-')) return false;
  return name[0] !== '*' || name.indexOf('.', 2) > 0;
}

/** Parses an IPv4 or IPv6 address to its 4 or 16 network-order bytes, or null when it is neither. */
export function ipAddressBytes(address: string): Buffer | null {
  // parseIp also takes "[v6]", spaces around and (as Node does) a zone id ("fe80::1%eth0"); a certificate holds none of them.
  if (isIP(address) === 0 || address.includes('%')) return null;
  const bytes = parseIp(address);
  return bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checkIp(original: string, address: string): { text: string; bytes: Buffer } {
  const bytes = ipAddressBytes(address);
  if (bytes === null) {
    if (address.includes('%')) throw invalid(original, 'an IPv6 zone ("%…") cannot go in a certificate');
    throw invalid(original, 'not a valid IPv4 or IPv6 address');
  }
  return { text: bytes.length === 4 ? address : formatIpv6(bytes, { compatibleAsIpv4: false }), bytes };
}

function checkEmail(original: string, address: string): string {
  if (hasNonAscii(address)) {
    throw invalid(original, 'the email address must be ASCII (internationalised mailboxes are not supported)');
  }
  if (address.length > MAX_EMAIL) throw invalid(original, `an email address is at most ${MAX_EMAIL} characters`);
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) throw invalid(original, 'an email address needs the form local@domain');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > MAX_EMAIL_LOCAL) throw invalid(original, `the part before "@" is at most ${MAX_EMAIL_LOCAL} characters`);
  if (!ATEXT.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    throw invalid(original, `"${local}" is not a valid mailbox name`);
  }
  return `${local}@${checkDnsName(original, domain, false)}`;
}

/** A validated SAN and its DER GeneralName. */
interface CheckedSan {
  readonly san: San;
  readonly generalName: Der;
}

// GeneralName tags (RFC 5280 4.2.1.6): rfc822Name [1], dNSName [2], URI [6], iPAddress [7], all IMPLICIT primitive.
function checkSan(san: San): CheckedSan {
  const shown = `${san.type.toUpperCase()}:${san.value}`;
  switch (san.type) {
    case 'dns': {
      const value = checkDnsName(shown, san.value, true);
      return { san: { type: 'dns', value }, generalName: asciiString(0x82, value) };
    }
    case 'ip': {
      const { text, bytes } = checkIp(shown, san.value);
      return { san: { type: 'ip', value: text }, generalName: implicitPrimitive(7, bytes) };
    }
    case 'email': {
      const value = checkEmail(shown, san.value);
      return { san: { type: 'email', value }, generalName: asciiString(0x81, value) };
    }
    case 'uri':
      if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(san.value) || hasNonAscii(san.value)) {
        throw invalid(shown, 'a URI must be ASCII with a scheme (e.g. https://example.com/)');
      }
      return { san: { type: 'uri', value: san.value }, generalName: asciiString(0x86, san.value) };
    case 'other':
      throw invalid(shown, 'only DNS, IP, EMAIL and URI names can be written');
    default:
      throw invalid(shown, 'unknown name type');
  }
}

/** Validates a San and returns its normalised form (DNS lowercased, IPv6 in RFC 5952 form); INVALID_NAME otherwise. */
export function validateSan(san: San): San {
  return checkSan(san).san;
}

/**
 * Parses one SAN argument: `DNS:name`, `IP:address`, `EMAIL:address` (prefixes in any case), or a
 * bare value (an IP address if it parses as one, otherwise a DNS name).
 */
export function parseSanArgument(value: string): San {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw invalid(value, 'it is empty');
  if (isIPv4(trimmed) || isIPv6(trimmed)) return validateSan({ type: 'ip', value: trimmed });
  const prefix = /^([A-Za-z][A-Za-z0-9]*):(.*)$/s.exec(trimmed);
  if (prefix) {
    const kind = (prefix[1] ?? '').toUpperCase();
    const rest = (prefix[2] ?? '').trim();
    const type = kind === 'DNS' ? 'dns' : kind === 'IP' ? 'ip' : kind === 'EMAIL' ? 'email' : null;
    if (type === null) throw invalid(value, `unknown type "${prefix[1] ?? ''}:"; use DNS:, IP: or EMAIL:`);
    if (rest.length === 0) throw invalid(value, `nothing follows "${prefix[1] ?? ''}:"`);
    return validateSan({ type, value: rest });
  }
  return validateSan({ type: 'dns', value: trimmed });
}

/** Validated, de-duplicated SANs and their DER GeneralNames (the subjectAltName extension value). */
export interface EncodedSans {
  readonly sans: readonly San[];
  /** SEQUENCE OF GeneralName; meaningful only when `sans` is not empty. */
  readonly generalNames: DerNode;
}

/** Validates, normalises, de-duplicates (keeping first-seen order) and encodes SANs; INVALID_NAME on the first bad one. */
export function encodeSans(sans: readonly San[]): EncodedSans {
  const seen = new Set<string>();
  const out: San[] = [];
  const names: Der[] = [];
  for (const san of sans) {
    const checked = checkSan(san);
    const key = `${checked.san.type}:${checked.san.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(checked.san);
    names.push(checked.generalName);
  }
  return { sans: out, generalNames: sequence(...names) };
}

/** Validates, normalises and de-duplicates a list of SANs, keeping the first occurrence's order. */
export function normaliseSans(sans: readonly San[]): San[] {
  return [...encodeSans(sans).sans];
}
