/**
 * The parsed certificate model the chain, validation and lint modules share.
 *
 * A small strict DER walker checks the structure and keeps the exact bytes that signatures, name
 * comparison and fingerprints need (tbsCertificate, issuer and subject Names, SubjectPublicKeyInfo,
 * raw GeneralNames with their IP octets). It replaced a general ASN.1 schema library here, which
 * cost three quarters of a chain validation.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { CertdeskError } from '../../shared/errors.js';

// ---------------------------------------------------------------------------------------------
// DER walking

/** One DER element: its tag, the bytes of its contents and of the whole element. */
export interface Tlv {
  readonly tag: number;
  readonly constructed: boolean;
  /** Contents octets. */
  readonly value: Uint8Array;
  /** The whole element, header included. */
  readonly raw: Uint8Array;
}

/** Thrown by the DER walker; callers turn it into a finding or a CertdeskError. */
export class DerError extends Error {}

/** Reads one DER element at `offset`; `end` is the end of the enclosing contents. */
export function readTlv(buf: Uint8Array, offset = 0, end = buf.length): Tlv & { readonly next: number } {
  if (offset + 2 > end) throw new DerError('truncated element');
  const first = buf[offset] as number;
  if ((first & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used in certificates');
  let pos = offset + 1;
  const lenByte = buf[pos++] as number;
  let len: number;
  if (lenByte < 0x80) len = lenByte;
  else {
    const n = lenByte & 0x7f;
    if (n === 0 || n > 4) throw new DerError('indefinite or oversized length');
    if (pos + n > end) throw new DerError('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[pos++] as number);
    if (len < 0x80 || (n > 1 && (buf[pos - n] as number) === 0)) throw new DerError('non-minimal length');
  }
  if (pos + len > end) throw new DerError('element runs past its container');
  return {
    tag: first,
    constructed: (first & 0x20) !== 0,
    value: buf.subarray(pos, pos + len),
    raw: buf.subarray(offset, pos + len),
    next: pos + len,
  };
}

/** The elements inside a constructed element's contents. */
export function children(value: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < value.length) {
    const t = readTlv(value, pos);
    out.push(t);
    pos = t.next;
  }
  return out;
}

/** Reads exactly one element filling `buf`, checking its tag when given. */
export function readOnly(buf: Uint8Array, tag?: number): Tlv {
  const t = readTlv(buf);
  if (t.next !== buf.length) throw new DerError('trailing data');
  if (tag !== undefined && t.tag !== tag) throw new DerError(`unexpected tag 0x${t.tag.toString(16)}`);
  return t;
}

/** Decodes DER OBJECT IDENTIFIER contents to dotted form. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) throw new DerError('empty OID');
  const parts: number[] = [];
  let acc = 0;
  for (let i = 0; i < value.length; i++) {
    const b = value[i] as number;
    acc = acc * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(acc);
      acc = 0;
    } else if (i === value.length - 1) throw new DerError('truncated OID');
  }
  const first = parts.shift() ?? 0;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/** Lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

// ---------------------------------------------------------------------------------------------
// Names

const ATTR_SHORT: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '2.5.4.9': 'street',
  '2.5.4.17': 'postalCode',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** OID of the commonName attribute. */
export const OID_CN = '2.5.4.3';
/** OID of the PKCS#9 emailAddress attribute. */
export const OID_EMAIL = '1.2.840.113549.1.9.1';

/** One attribute of a distinguished name. */
export interface Ava {
  readonly oid: string;
  /** Decoded text for string types, null for anything else. */
  readonly text: string | null;
  /** RFC 5280 7.1 comparison form (case-folded, whitespace-collapsed), or hex for non-strings. */
  readonly normalised: string;
}

/** A distinguished name with its comparison key. */
export interface NameModel {
  readonly der: Uint8Array;
  readonly rdns: readonly (readonly Ava[])[];
  /** Equal keys mean equal names under RFC 5280 7.1 matching. */
  readonly key: string;
  /** Human form, most significant RDN last ("CN=R11, O=Let's Encrypt, C=US"). */
  readonly display: string;
  readonly commonNames: readonly string[];
}

function decodeString(t: Tlv): string | null {
  const v = Buffer.from(t.value);
  switch (t.tag) {
    case 0x0c: // UTF8String
      return v.toString('utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x1a: // VisibleString
      return v.toString('latin1');
    case 0x14: // TeletexString: treated as Latin-1, as most implementations do
      return v.toString('latin1');
    case 0x1e: {
      // BMPString, UTF-16BE
      if (v.length % 2 !== 0) return null;
      const swapped = Buffer.from(v);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    case 0x1c: {
      // UniversalString, UTF-32BE
      if (v.length % 4 !== 0) return null;
      let s = '';
      for (let i = 0; i < v.length; i += 4) s += String.fromCodePoint(v.readUInt32BE(i));
      return s;
    }
    default:
      return null;
  }
}

/** RFC 5280 7.1 / RFC 4518 in short: NFKC, case fold, trim and collapse inner whitespace. */
export function normaliseDirectoryString(s: string): string {
  return s.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

function escapeDn(s: string): string {
  return s.replace(/([,+"\\<>;])/g, '\\$1');
}

/** Parses a DER Name (SEQUENCE OF SET OF AttributeTypeAndValue). */
export function parseName(der: Uint8Array): NameModel {
  const seq = readOnly(der, 0x30);
  const rdns: Ava[][] = [];
  for (const set of children(seq.value)) {
    if (set.tag !== 0x31) throw new DerError('RDN is not a SET');
    const avas: Ava[] = [];
    for (const atv of children(set.value)) {
      if (atv.tag !== 0x30) throw new DerError('attribute is not a SEQUENCE');
      const [oidT, valT, extra] = children(atv.value);
      if (!oidT || !valT || extra || oidT.tag !== 0x06) throw new DerError('malformed attribute');
      const oid = decodeOid(oidT.value);
      const text = decodeString(valT);
      avas.push({ oid, text, normalised: text !== null ? normaliseDirectoryString(text) : `#${hex(valT.raw)}` });
    }
    if (avas.length === 0) throw new DerError('empty RDN');
    rdns.push(avas);
  }
  const key = rdns.map((r) => r.map((a) => `${a.oid}=${a.normalised}`).sort().join('+')).join(',');
  const display = [...rdns]
    .reverse()
    .map((r) => r.map((a) => `${ATTR_SHORT[a.oid] ?? a.oid}=${a.text !== null ? escapeDn(a.text) : a.normalised}`).join('+'))
    .join(', ');
  const commonNames = rdns.flatMap((r) => r.filter((a) => a.oid === OID_CN && a.text !== null).map((a) => a.text as string));
  return { der, rdns, key, display, commonNames };
}

// ---------------------------------------------------------------------------------------------
// GeneralNames

/** One GeneralName, with the IP octets kept raw. */
export type GeneralNameModel =
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'ip'; readonly bytes: Uint8Array }
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string }
  | { readonly type: 'dir'; readonly name: NameModel }
  | { readonly type: 'other'; readonly tag: number };

function parseGeneralName(t: Tlv): GeneralNameModel {
  const n = t.tag & 0x1f;
  if ((t.tag & 0xc0) !== 0x80) throw new DerError('GeneralName is not context-tagged');
  switch (n) {
    case 1:
      return { type: 'email', value: Buffer.from(t.value).toString('latin1') };
    case 2:
      return { type: 'dns', value: Buffer.from(t.value).toString('latin1') };
    case 4: {
      // directoryName is EXPLICIT: the contents hold a Name
      return { type: 'dir', name: parseName(readOnly(t.value).raw) };
    }
    case 6:
      return { type: 'uri', value: Buffer.from(t.value).toString('latin1') };
    case 7:
      return { type: 'ip', bytes: t.value };
    default:
      return { type: 'other', tag: n };
  }
}

/** Parses GeneralNames contents (the elements of the SEQUENCE). */
export function parseGeneralNames(seqValue: Uint8Array): GeneralNameModel[] {
  return children(seqValue).map(parseGeneralName);
}

/** Formats IPv4/IPv6 octets the usual way (v6 compressed). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const groups: number[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
    let bestStart = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLen && j - i > 1) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    const h = groups.map((g) => g.toString(16));
    if (bestStart < 0) return h.join(':');
    return `${h.slice(0, bestStart).join(':')}::${h.slice(bestStart + bestLen).join(':')}`;
  }
  return hex(bytes);
}

// ---------------------------------------------------------------------------------------------
// The certificate

/** Well-known extension OIDs. */
export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  tlsFeature: '1.3.6.1.5.5.7.1.24',
  ctSctList: '1.3.6.1.4.1.11129.2.4.2',
  ctPoison: '1.3.6.1.4.1.11129.2.4.3',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  subjectDirectoryAttributes: '2.5.29.9',
} as const;

/** Extended key usage OIDs. */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  any: '2.5.29.37.0',
  precertSigning: '1.3.6.1.4.1.11129.2.4.4',
} as const;

/** KeyUsage bit numbers (RFC 5280 4.2.1.3). */
export const KU = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;

/** One extension as found in the certificate. */
export interface RawExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** A GeneralSubtree of nameConstraints, raw enough to match IP masks exactly. */
export interface Subtree {
  readonly base: GeneralNameModel;
  /** True when minimum/maximum are present (not allowed by RFC 5280). */
  readonly hasMinMax: boolean;
}

/** An AlgorithmIdentifier with its exact DER. */
export interface AlgorithmId {
  readonly oid: string;
  /** DER of the parameters, or null when absent. */
  readonly params: Uint8Array | null;
  readonly der: Uint8Array;
}

/** What the public key is, as far as validation and lint care. */
export type KeyModel =
  | { readonly type: 'rsa'; readonly bits: number; readonly exponent: bigint; readonly pss: boolean }
  | { readonly type: 'ec'; readonly curve: string; readonly bits: number }
  | { readonly type: 'ed25519' | 'ed448' }
  | { readonly type: 'dsa' }
  | { readonly type: 'unknown'; readonly oid: string };

/** Everything the chain, validation and lint modules read from one certificate. */
export interface CertModel {
  readonly der: Uint8Array;
  readonly sha256: string;
  readonly version: number;
  readonly serial: Uint8Array;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmId;
  readonly tbsSignatureAlgorithm: AlgorithmId;
  readonly signature: Uint8Array;
  readonly issuer: NameModel;
  readonly subject: NameModel;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  readonly spkiSha256: string;
  readonly spkiAlgorithm: AlgorithmId;
  readonly key: KeyModel;
  readonly extensions: readonly RawExtension[];
  /** Extension-level problems: duplicates, undecodable known extensions. */
  readonly problems: readonly { readonly code: string; readonly message: string }[];
  readonly basicConstraints: { readonly ca: boolean; readonly pathLen: number | null; readonly critical: boolean } | null;
  /** Asserted bits, or null when the extension is absent. */
  readonly keyUsage: ReadonlySet<number> | null;
  readonly extKeyUsage: { readonly oids: readonly string[]; readonly critical: boolean } | null;
  readonly subjectAltName: { readonly names: readonly GeneralNameModel[]; readonly critical: boolean } | null;
  readonly nameConstraints: { readonly permitted: readonly Subtree[]; readonly excluded: readonly Subtree[] } | null;
  readonly subjectKeyId: string | null;
  readonly authorityKeyId: string | null;
  /** True when the AKI carries authorityCertIssuer or authorityCertSerialNumber. */
  readonly authorityKeyIdHasIssuer: boolean;
  readonly ocsp: readonly string[];
  readonly caIssuers: readonly string[];
  readonly crlDistributionPoints: readonly string[];
  /** certificatePolicies policy OIDs (anyPolicy included), or null when the extension is absent. */
  readonly policies: readonly string[] | null;
  /** policyMappings as [issuerDomainPolicy, subjectDomainPolicy], or null when absent. */
  readonly policyMappings: readonly (readonly [string, string])[] | null;
  /** policyConstraints skip counts, or null when absent. */
  readonly policyConstraints: { readonly requireExplicitPolicy: number | null; readonly inhibitPolicyMapping: number | null } | null;
  /** inhibitAnyPolicy skipCerts, or null when absent. */
  readonly inhibitAnyPolicy: number | null;
  readonly selfIssued: boolean;
  /** A short name for messages: the subject CN, else the whole subject, else the fingerprint. */
  readonly label: string;
}

/** Parses an AlgorithmIdentifier element. */
export function parseAlgorithm(t: Tlv): AlgorithmId {
  if (t.tag !== 0x30) throw new DerError('AlgorithmIdentifier is not a SEQUENCE');
  const [oidT, params, extra] = children(t.value);
  if (!oidT || oidT.tag !== 0x06 || extra) throw new DerError('malformed AlgorithmIdentifier');
  return { oid: decodeOid(oidT.value), params: params ? params.raw : null, der: t.raw };
}

const CURVES: Readonly<Record<string, { name: string; bits: number }>> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512 },
};

function unsignedBytes(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.subarray(i);
}

function bitLength(v: Uint8Array): number {
  const u = unsignedBytes(v);
  if (u.length === 0 || (u.length === 1 && u[0] === 0)) return 0;
  return (u.length - 1) * 8 + (32 - Math.clz32(u[0] as number));
}

/** Describes a SubjectPublicKeyInfo's key from its algorithm and BIT STRING contents. */
export function parseKey(alg: AlgorithmId, bits: Uint8Array): KeyModel {
  switch (alg.oid) {
    case '1.2.840.113549.1.1.1':
    case '1.2.840.113549.1.1.10': {
      if (bits[0] !== 0) throw new DerError('public key BIT STRING has unused bits');
      const rsa = readOnly(bits.subarray(1), 0x30);
      const [n, e] = children(rsa.value);
      if (!n || !e || n.tag !== 0x02 || e.tag !== 0x02) throw new DerError('malformed RSA public key');
      const eBytes = unsignedBytes(e.value);
      return {
        type: 'rsa',
        bits: bitLength(n.value),
        exponent: BigInt(`0x${hex(eBytes) || '0'}`),
        pss: alg.oid.endsWith('.10'),
      };
    }
    case '1.2.840.10045.2.1': {
      if (!alg.params) return { type: 'ec', curve: 'explicit', bits: 0 };
      const p = readOnly(alg.params);
      if (p.tag !== 0x06) return { type: 'ec', curve: 'explicit', bits: 0 };
      const oid = decodeOid(p.value);
      const c = CURVES[oid];
      return { type: 'ec', curve: c?.name ?? oid, bits: c?.bits ?? 0 };
    }
    case '1.3.101.112':
      return { type: 'ed25519' };
    case '1.3.101.113':
      return { type: 'ed448' };
    case '1.2.840.10040.4.1':
      return { type: 'dsa' };
    default:
      return { type: 'unknown', oid: alg.oid };
  }
}

function uriOf(n: GeneralNameModel): string | null {
  return n.type === 'uri' ? n.value : null;
}

interface ExtensionFacts {
  basicConstraints: CertModel['basicConstraints'];
  keyUsage: Set<number> | null;
  extKeyUsage: CertModel['extKeyUsage'];
  subjectAltName: CertModel['subjectAltName'];
  nameConstraints: CertModel['nameConstraints'];
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  authorityKeyIdHasIssuer: boolean;
  ocsp: string[];
  caIssuers: string[];
  crlDistributionPoints: string[];
  policies: string[] | null;
  policyMappings: [string, string][] | null;
  policyConstraints: CertModel['policyConstraints'];
  inhibitAnyPolicy: number | null;
}

/** A small non-negative DER INTEGER (skip counts); larger values saturate. */
function skipCount(value: Uint8Array): number {
  if (value.length === 0 || ((value[0] as number) & 0x80) !== 0) throw new DerError('negative or empty skip count');
  let n = 0;
  for (const b of value) n = Math.min(n * 256 + b, 1_000_000);
  return n;
}

function parseSubtrees(value: Uint8Array): Subtree[] {
  return children(value).map((st) => {
    if (st.tag !== 0x30) throw new DerError('GeneralSubtree is not a SEQUENCE');
    const [base, ...rest] = children(st.value);
    if (!base) throw new DerError('empty GeneralSubtree');
    return { base: parseGeneralName(base), hasMinMax: rest.length > 0 };
  });
}

function decodeExtension(ext: RawExtension, facts: ExtensionFacts): void {
  const v = ext.value;
  switch (ext.oid) {
    case EXT.basicConstraints: {
      const seq = readOnly(v, 0x30);
      let ca = false;
      let pathLen: number | null = null;
      for (const c of children(seq.value)) {
        if (c.tag === 0x01) {
          if (c.value.length !== 1) throw new DerError('bad BOOLEAN');
          ca = c.value[0] !== 0;
        } else if (c.tag === 0x02) {
          if (c.value.length > 4 || ((c.value[0] as number) & 0x80) !== 0) throw new DerError('bad pathLenConstraint');
          pathLen = Number(BigInt(`0x${hex(c.value) || '0'}`));
        } else throw new DerError('unexpected element in basicConstraints');
      }
      facts.basicConstraints = { ca, pathLen, critical: ext.critical };
      return;
    }
    case EXT.keyUsage: {
      const bs = readOnly(v, 0x03);
      const unused = bs.value[0] ?? 0;
      if (bs.value.length < 2 || unused > 7) throw new DerError('empty keyUsage');
      const set = new Set<number>();
      for (let i = 1; i < bs.value.length; i++) {
        const byte = bs.value[i] as number;
        for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) set.add((i - 1) * 8 + b);
      }
      facts.keyUsage = set;
      return;
    }
    case EXT.extKeyUsage: {
      const seq = readOnly(v, 0x30);
      const oids = children(seq.value).map((c) => {
        if (c.tag !== 0x06) throw new DerError('EKU entry is not an OID');
        return decodeOid(c.value);
      });
      if (oids.length === 0) throw new DerError('empty extKeyUsage');
      facts.extKeyUsage = { oids, critical: ext.critical };
      return;
    }
    case EXT.subjectAltName: {
      const seq = readOnly(v, 0x30);
      const names = parseGeneralNames(seq.value);
      if (names.length === 0) throw new DerError('empty subjectAltName');
      facts.subjectAltName = { names, critical: ext.critical };
      return;
    }
    case EXT.nameConstraints: {
      const seq = readOnly(v, 0x30);
      let permitted: Subtree[] = [];
      let excluded: Subtree[] = [];
      for (const c of children(seq.value)) {
        if (c.tag === 0xa0) permitted = parseSubtrees(c.value);
        else if (c.tag === 0xa1) excluded = parseSubtrees(c.value);
        else throw new DerError('unexpected element in nameConstraints');
      }
      if (permitted.length === 0 && excluded.length === 0) throw new DerError('nameConstraints has no subtrees');
      facts.nameConstraints = { permitted, excluded };
      return;
    }
    case EXT.subjectKeyIdentifier:
      facts.subjectKeyId = hex(readOnly(v, 0x04).value);
      return;
    case EXT.authorityKeyIdentifier: {
      const seq = readOnly(v, 0x30);
      for (const c of children(seq.value)) {
        if (c.tag === 0x80) facts.authorityKeyId = hex(c.value);
        else if (c.tag === 0xa1 || c.tag === 0x82) facts.authorityKeyIdHasIssuer = true;
        else throw new DerError('unexpected element in authorityKeyIdentifier');
      }
      return;
    }
    case EXT.authorityInfoAccess: {
      const seq = readOnly(v, 0x30);
      const items = children(seq.value);
      if (items.length === 0) throw new DerError('empty authorityInfoAccess');
      for (const ad of items) {
        if (ad.tag !== 0x30) throw new DerError('AccessDescription is not a SEQUENCE');
        const [m, loc, extra] = children(ad.value);
        if (!m || !loc || extra || m.tag !== 0x06) throw new DerError('malformed AccessDescription');
        const method = decodeOid(m.value);
        const uri = uriOf(parseGeneralName(loc));
        if (uri === null) continue;
        if (method === '1.3.6.1.5.5.7.48.1') facts.ocsp.push(uri);
        else if (method === '1.3.6.1.5.5.7.48.2') facts.caIssuers.push(uri);
      }
      return;
    }
    case EXT.crlDistributionPoints: {
      const seq = readOnly(v, 0x30);
      for (const dp of children(seq.value)) {
        if (dp.tag !== 0x30) throw new DerError('DistributionPoint is not a SEQUENCE');
        for (const f of children(dp.value)) {
          if (f.tag !== 0xa0) continue;
          const dpn = readOnly(f.value);
          if (dpn.tag !== 0xa0) continue;
          for (const n of parseGeneralNames(dpn.value)) {
            const uri = uriOf(n);
            if (uri !== null) facts.crlDistributionPoints.push(uri);
          }
        }
      }
      return;
    }
    case EXT.certificatePolicies: {
      const seq = readOnly(v, 0x30);
      const infos = children(seq.value);
      if (infos.length === 0) throw new DerError('empty certificatePolicies');
      const oids = infos.map((pi) => {
        const [idT, qualifiers, extra] = pi.tag === 0x30 ? children(pi.value) : [];
        if (!idT || idT.tag !== 0x06 || extra || (qualifiers && qualifiers.tag !== 0x30)) throw new DerError('malformed PolicyInformation');
        return decodeOid(idT.value);
      });
      if (new Set(oids).size !== oids.length) throw new DerError('a policy appears more than once');
      facts.policies = oids;
      return;
    }
    case EXT.policyMappings: {
      const seq = readOnly(v, 0x30);
      const maps = children(seq.value).map((m) => {
        const [a, b, extra] = m.tag === 0x30 ? children(m.value) : [];
        if (!a || !b || extra || a.tag !== 0x06 || b.tag !== 0x06) throw new DerError('malformed policy mapping');
        return [decodeOid(a.value), decodeOid(b.value)] as [string, string];
      });
      if (maps.length === 0) throw new DerError('empty policyMappings');
      facts.policyMappings = maps;
      return;
    }
    case EXT.policyConstraints: {
      const seq = readOnly(v, 0x30);
      let requireExplicitPolicy: number | null = null;
      let inhibitPolicyMapping: number | null = null;
      const parts = children(seq.value);
      for (const c of parts) {
        if (c.tag === 0x80 && requireExplicitPolicy === null && inhibitPolicyMapping === null) requireExplicitPolicy = skipCount(c.value);
        else if (c.tag === 0x81 && inhibitPolicyMapping === null) inhibitPolicyMapping = skipCount(c.value);
        else throw new DerError('unexpected element in policyConstraints');
      }
      if (parts.length === 0) throw new DerError('empty policyConstraints');
      facts.policyConstraints = { requireExplicitPolicy, inhibitPolicyMapping };
      return;
    }
    case EXT.inhibitAnyPolicy:
      facts.inhibitAnyPolicy = skipCount(readOnly(v, 0x02).value);
      return;
    default:
      return;
  }
}

/** Names of extensions for messages. */
export const EXTENSION_NAMES: Readonly<Record<string, string>> = {
  [EXT.subjectKeyIdentifier]: 'subjectKeyIdentifier',
  [EXT.keyUsage]: 'keyUsage',
  [EXT.subjectAltName]: 'subjectAltName',
  [EXT.issuerAltName]: 'issuerAltName',
  [EXT.basicConstraints]: 'basicConstraints',
  [EXT.nameConstraints]: 'nameConstraints',
  [EXT.crlDistributionPoints]: 'cRLDistributionPoints',
  [EXT.certificatePolicies]: 'certificatePolicies',
  [EXT.policyMappings]: 'policyMappings',
  [EXT.authorityKeyIdentifier]: 'authorityKeyIdentifier',
  [EXT.policyConstraints]: 'policyConstraints',
  [EXT.extKeyUsage]: 'extKeyUsage',
  [EXT.freshestCrl]: 'freshestCRL',
  [EXT.inhibitAnyPolicy]: 'inhibitAnyPolicy',
  [EXT.authorityInfoAccess]: 'authorityInfoAccess',
  [EXT.subjectInfoAccess]: 'subjectInfoAccess',
  [EXT.tlsFeature]: 'TLS feature (must-staple)',
  [EXT.ctSctList]: 'CT signed certificate timestamps',
  [EXT.ctPoison]: 'CT precertificate poison',
};

function labelFor(subject: NameModel, sha256: string): string {
  const cn = subject.commonNames[0];
  if (cn) return cn;
  if (subject.display) return subject.display;
  return `sha256:${sha256.slice(0, 16)}`;
}

const UTC_TIME_RE = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?()(Z|[+-]\d{4})$/;
const GENERALIZED_TIME_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(\.\d+)?(Z|[+-]\d{4})$/;

/**
 * Decodes a UTCTime (50/49 pivot) or GeneralizedTime. RFC 5280 4.1.2.5 requires seconds, "Z" and
 * no fraction; other forms still decode (so lint can show the certificate) but are reported in
 * `problems`, which makes validation refuse the certificate as browsers do.
 */
export function decodeTime(t: Tlv, problems: { code: string; message: string }[], what: string): Date {
  if (t.tag !== 0x17 && t.tag !== 0x18) throw new DerError(`${what} is not a UTCTime or GeneralizedTime`);
  const text = Buffer.from(t.value).toString('latin1');
  const utc = t.tag === 0x17;
  const m = (utc ? UTC_TIME_RE : GENERALIZED_TIME_RE).exec(text);
  if (!m) throw new DerError(`${what} "${text}" is not a valid time`);
  const [, y, mo, d, h, mi, sec, frac, zone] = m as unknown as [string, string, string, string, string, string, string | undefined, string | undefined, string];
  let year = Number(y);
  if (utc) year += year < 50 ? 2000 : 1900;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 1 : 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw new DerError(`${what} "${text}" is not a valid time`);
  }
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  let ms = date.getTime();
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  if (sec === undefined || (frac !== undefined && frac !== '') || zone !== 'Z') {
    problems.push({ code: 'MALFORMED_TIME', message: `${what} "${text}" is not in the form RFC 5280 requires (seconds, "Z", no fraction)` });
  }
  return new Date(ms);
}

/**
 * Parses one DER certificate; throws CertdeskError CERTIFICATE_INVALID when it is not one.
 *
 * Problems inside individual extensions do not throw: they are reported in `problems` so a
 * validator can name them (a browser rejects the chain; lint explains why).
 */
export function parseCertificate(input: Uint8Array, fileName = 'certificate'): CertModel {
  const der = input instanceof Buffer ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  try {
    const outer = readOnly(der, 0x30);
    const [tbsT, sigAlgT, sigT, extra] = children(outer.value);
    if (!tbsT || !sigAlgT || !sigT || extra || tbsT.tag !== 0x30 || sigT.tag !== 0x03) {
      throw new DerError('not a Certificate SEQUENCE');
    }
    if (sigT.value[0] !== 0) throw new DerError('signature BIT STRING has unused bits');
    const fields = children(tbsT.value);
    let i = 0;
    let version = 1;
    const maybeVersion = fields[i];
    if (maybeVersion && maybeVersion.tag === 0xa0) {
      const vInt = readOnly(maybeVersion.value, 0x02);
      if (vInt.value.length !== 1 || (vInt.value[0] as number) > 2) throw new DerError('unknown certificate version');
      version = Number(vInt.value[0] ?? 0) + 1;
      i++;
    }
    const serialT = fields[i++];
    const tbsAlgT = fields[i++];
    const issuerT = fields[i++];
    const validityT = fields[i++];
    const subjectT = fields[i++];
    const spkiT = fields[i++];
    if (!serialT || !tbsAlgT || !issuerT || !validityT || !subjectT || !spkiT || serialT.tag !== 0x02 || serialT.value.length === 0) {
      throw new DerError('tbsCertificate is missing fields');
    }
    if (tbsAlgT.tag !== 0x30 || issuerT.tag !== 0x30 || validityT.tag !== 0x30 || subjectT.tag !== 0x30 || spkiT.tag !== 0x30 || sigAlgT.tag !== 0x30) {
      throw new DerError('tbsCertificate fields have the wrong types');
    }
    const raw: RawExtension[] = [];
    for (; i < fields.length; i++) {
      const f = fields[i] as Tlv;
      if (f.tag === 0x81 || f.tag === 0x82) continue; // issuer/subject unique IDs
      if (f.tag !== 0xa3) throw new DerError('unexpected element in tbsCertificate');
      const seq = readOnly(f.value, 0x30);
      for (const e of children(seq.value)) {
        const parts = children(e.value);
        const oidT = parts[0];
        const last = parts[parts.length - 1];
        if (e.tag !== 0x30 || !oidT || !last || oidT.tag !== 0x06 || last.tag !== 0x04 || parts.length > 3) {
          throw new DerError('malformed Extension');
        }
        const critT = parts.length === 3 ? parts[1] : undefined;
        if (critT && (critT.tag !== 0x01 || critT.value.length !== 1)) throw new DerError('malformed critical flag');
        raw.push({ oid: decodeOid(oidT.value), critical: critT ? critT.value[0] !== 0 : false, value: last.value });
      }
    }
    const [nbT, naT, moreTimes] = children(validityT.value);
    if (!nbT || !naT || moreTimes) throw new DerError('validity is not two times');
    const problems: { code: string; message: string }[] = [];
    const notBefore = decodeTime(nbT, problems, 'notBefore');
    const notAfter = decodeTime(naT, problems, 'notAfter');

    const spkiParts = children(spkiT.value);
    const spkiAlgT = spkiParts[0];
    const spkiBits = spkiParts[1];
    if (!spkiAlgT || !spkiBits || spkiBits.tag !== 0x03) throw new DerError('malformed SubjectPublicKeyInfo');
    const spkiAlgorithm = parseAlgorithm(spkiAlgT);
    let key: KeyModel;
    try {
      key = parseKey(spkiAlgorithm, spkiBits.value);
    } catch {
      key = { type: 'unknown', oid: spkiAlgorithm.oid };
    }

    const facts: ExtensionFacts = {
      basicConstraints: null,
      keyUsage: null,
      extKeyUsage: null,
      subjectAltName: null,
      nameConstraints: null,
      subjectKeyId: null,
      authorityKeyId: null,
      authorityKeyIdHasIssuer: false,
      ocsp: [],
      caIssuers: [],
      crlDistributionPoints: [],
      policies: null,
      policyMappings: null,
      policyConstraints: null,
      inhibitAnyPolicy: null,
    };
    const seen = new Set<string>();
    for (const ext of raw) {
      const name = EXTENSION_NAMES[ext.oid] ?? ext.oid;
      if (seen.has(ext.oid)) {
        problems.push({ code: 'DUPLICATE_EXTENSION', message: `the ${name} extension appears more than once` });
        continue;
      }
      seen.add(ext.oid);
      try {
        decodeExtension(ext, facts);
      } catch (err) {
        problems.push({
          code: 'MALFORMED_EXTENSION',
          message: `the ${name} extension cannot be decoded (${err instanceof Error ? err.message : String(err)})`,
        });
      }
    }

    const issuer = parseName(issuerT.raw);
    const subject = parseName(subjectT.raw);
    const sha256 = createHash('sha256').update(der).digest('hex');
    return {
      der,
      sha256,
      version,
      serial: serialT.value,
      tbs: tbsT.raw,
      signatureAlgorithm: parseAlgorithm(sigAlgT),
      tbsSignatureAlgorithm: parseAlgorithm(tbsAlgT),
      signature: sigT.value.subarray(1),
      issuer,
      subject,
      notBefore,
      notAfter,
      spki: spkiT.raw,
      spkiSha256: createHash('sha256').update(spkiT.raw).digest('hex'),
      spkiAlgorithm,
      key,
      extensions: raw,
      problems,
      ...facts,
      selfIssued: issuer.key === subject.key,
      label: labelFor(subject, sha256),
    };
  } catch (err) {
    if (err instanceof CertdeskError) throw err;
    throw new CertdeskError(
      'CERTIFICATE_INVALID',
      `${fileName} is not a valid X.509 certificate: ${err instanceof Error ? err.message : String(err)}`,
      { file: fileName },
      { cause: err },
    );
  }
}

// Public keys by SPKI fingerprint, across calls: the same intermediates and roots sign most chains,
// and loading a key costs about as much as verifying a signature with it. Bounded; oldest out first.
const publicKeys = new Map<string, KeyObject | null>();
const MAX_CACHED_KEYS = 1024;

/** The certificate's public key as a Node KeyObject, or null when Node cannot load it. */
export function publicKeyOf(cert: CertModel): KeyObject | null {
  const cached = publicKeys.get(cert.spkiSha256);
  if (cached !== undefined) return cached;
  let key: KeyObject | null = null;
  try {
    key = createPublicKey({ key: Buffer.from(cert.spki), format: 'der', type: 'spki' });
  } catch {
    key = null;
  }
  if (publicKeys.size >= MAX_CACHED_KEYS) {
    const oldest = publicKeys.keys().next();
    if (!oldest.done) publicKeys.delete(oldest.value);
  }
  publicKeys.set(cert.spkiSha256, key);
  return key;
}

/** A per-call cache of parsed certificates keyed by DER bytes. */
export class CertCache {
  private readonly byDer = new Map<string, CertModel>();

  /** Parses `der` once per cache; later calls with the same bytes return the same model. */
  get(der: Uint8Array, fileName?: string): CertModel {
    const k = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
    let m = this.byDer.get(k);
    if (!m) {
      m = parseCertificate(der, fileName);
      this.byDer.set(k, m);
    }
    return m;
  }
}

/** True when both byte arrays are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return bytesEqual(a, b);
}
