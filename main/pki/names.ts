/**
 * Distinguished names and GeneralNames as people read them.
 *
 * Names print in RFC 4514 order (most specific first: "CN=example.com, O=Example"), with `, `
 * between RDNs, `+` inside a multi-valued RDN, RFC 4514 escaping, and OpenSSL's short names for
 * the common attributes (emailAddress like OpenSSL; SERIALNUMBER, STREET, DC, UID like RFC 4514).
 */
import { DerError, TAG, children, content, decodeString, isStringTag, oid, oidFromContent, raw, type Tlv } from './der.js';
import type { San } from '../../shared/pki-types.js';

/** Short names for DN attribute types; anything else prints as a dotted OID. */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

/** Formats a Name (SEQUENCE OF RDN) as an RFC 4514 string, most specific RDN first. */
export function formatName(buf: Uint8Array, name: Tlv): string {
  if (name.tag !== TAG.SEQUENCE) throw new DerError(`a name at byte ${name.start} is not a SEQUENCE`, false);
  const rdns = children(buf, name);
  const out: string[] = [];
  for (let i = rdns.length - 1; i >= 0; i--) {
    const rdn = rdns[i] as Tlv;
    if (rdn.tag !== TAG.SET) throw new DerError(`a name component at byte ${rdn.start} is not a SET`, false);
    const avas = children(buf, rdn).map((ava) => formatAva(buf, ava));
    out.push(avas.join('+'));
  }
  return out.join(', ');
}

function formatAva(buf: Uint8Array, ava: Tlv): string {
  const [type, value] = children(buf, ava);
  const o = oid(buf, type, 'attribute type');
  if (value === undefined) throw new DerError('an attribute has no value', false);
  const name = ATTRIBUTE_NAMES[o] ?? o;
  if (isStringTag(value.tag)) return `${name}=${escapeDnValue(decodeString(buf, value))}`;
  return `${name}=#${raw(buf, value).toString('hex')}`;
}

/** Escapes an attribute value per RFC 4514 §2.4 (control characters as \XX like OpenSSL). */
export function escapeDnValue(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const code = c.charCodeAt(0);
    if (c === '"' || c === '+' || c === ',' || c === ';' || c === '<' || c === '>' || c === '\\') out += '\\' + c;
    else if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(16).toUpperCase().padStart(2, '0');
    else if ((i === 0 && (c === ' ' || c === '#')) || (i === s.length - 1 && c === ' ')) out += '\\' + c;
    else out += c;
  }
  return out;
}

/**
 * A comparison key for a Name: attribute OIDs plus values trimmed, whitespace-collapsed and
 * case-folded (RFC 5280 §7.1, as OpenSSL's X509_NAME_cmp canonicalises).
 */
export function canonicalName(buf: Uint8Array, name: Tlv): string {
  const parts: string[] = [];
  for (const rdn of children(buf, name)) {
    const avas = children(buf, rdn).map((ava) => {
      const [type, value] = children(buf, ava);
      const o = oid(buf, type, 'attribute type');
      if (value === undefined) return o;
      if (isStringTag(value.tag)) return `${o}=${decodeString(buf, value).trim().replace(/\s+/g, ' ').toLowerCase()}`;
      return `${o}=#${content(buf, value).toString('hex')}`;
    });
    parts.push(avas.sort().join('+'));
  }
  return parts.join('/');
}

/** Formats a GeneralName (RFC 5280 §4.2.1.6) as a SAN entry. */
export function formatGeneralName(buf: Uint8Array, gn: Tlv): San {
  const cls = gn.tag & 0xc0;
  if (cls !== 0x80) return { type: 'other', value: `unknown:${raw(buf, gn).toString('hex')}` };
  const text = (): string => content(buf, gn).toString('latin1');
  switch (gn.tagNumber) {
    case 0:
      return { type: 'other', value: formatOtherName(buf, gn) };
    case 1:
      return { type: 'email', value: text() };
    case 2:
      return { type: 'dns', value: text() };
    case 3:
      return { type: 'other', value: `x400Address:${content(buf, gn).toString('hex')}` };
    case 4: {
      const [inner] = children(buf, gn);
      if (inner === undefined) throw new DerError('an empty directoryName', false);
      return { type: 'other', value: `dirName:${formatName(buf, inner)}` };
    }
    case 5:
      return { type: 'other', value: `ediPartyName:${content(buf, gn).toString('hex')}` };
    case 6:
      return { type: 'uri', value: text() };
    case 7:
      return formatIp(content(buf, gn));
    case 8:
      return { type: 'other', value: `registeredID:${oidFromContent(buf, gn.valueStart, gn.valueEnd)}` };
    default:
      return { type: 'other', value: `unknown:${raw(buf, gn).toString('hex')}` };
  }
}

function formatOtherName(buf: Uint8Array, gn: Tlv): string {
  const [typeId, value] = children(buf, gn);
  const o = oid(buf, typeId, 'otherName type');
  const label = o === '1.3.6.1.4.1.311.20.2.3' ? 'UPN' : o;
  // value is [0] EXPLICIT ANY; show strings as text, anything else as hex.
  const inner = value !== undefined && (value.tag & 0x20) !== 0 ? children(buf, value)[0] : undefined;
  if (inner !== undefined && isStringTag(inner.tag)) return `otherName:${label};${decodeString(buf, inner)}`;
  return `otherName:${label}${inner !== undefined ? `;#${raw(buf, inner).toString('hex')}` : ''}`;
}

/** Formats an iPAddress GeneralName: dotted IPv4, IPv6 compressed the way Node prints socket addresses. */
export function formatIp(bytes: Buffer): San {
  if (bytes.length === 4) return { type: 'ip', value: Array.from(bytes).join('.') };
  if (bytes.length === 16) {
    return { type: 'ip', value: formatIpv6(bytes) };
  }
  return { type: 'other', value: `ipAddress:${bytes.toString('hex')}` };
}

/**
 * RFC 5952-style IPv6 text exactly as inet_ntop (and so Node's net.SocketAddress) writes it:
 * lowercase, the longest run of two or more zero groups as "::", and IPv4-mapped/compatible
 * addresses in dotted form. With `compatibleAsIpv4: false` only IPv4-mapped addresses
 * (::ffff:a.b.c.d) are dotted, as `san.ts` normalises the addresses it writes.
 */
export function formatIpv6(bytes: Buffer, options: { readonly compatibleAsIpv4?: boolean } = {}): string {
  const compatible = options.compatibleAsIpv4 !== false;
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && ((compatible && (bestLen === 6 || (bestLen === 7 && w[7] !== 1))) || (bestLen === 5 && w[5] === 0xffff))) {
      out += Array.from(bytes.subarray(12, 16)).join('.');
      return out;
    }
    out += (w[i] as number).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}
