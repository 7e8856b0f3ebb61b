/**
 * A small DER certificate factory for chain/lint tests: any extension, date, version or signature
 * algorithm, signed with Node's crypto. (OpenSSL is used beside it in the interop tests.)
 */
import { constants, createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

// --- DER encoding -----------------------------------------------------------------------------

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
export function tlv(tag: number, content: Buffer | readonly Buffer[]): Buffer {
  const c = Buffer.isBuffer(content) ? content : Buffer.concat(content as Buffer[]);
  return Buffer.concat([Buffer.from([tag]), len(c.length), c]);
}
export const seq = (...c: Buffer[]): Buffer => tlv(0x30, c);
export const set = (...c: Buffer[]): Buffer => tlv(0x31, c);
export const octet = (b: Buffer): Buffer => tlv(0x04, b);
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
export const nul = (): Buffer => Buffer.from([0x05, 0x00]);
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
export const printable = (s: string): Buffer => tlv(0x13, Buffer.from(s, 'latin1'));
export const ctx = (n: number, c: Buffer, constructed = true): Buffer => tlv((constructed ? 0xa0 : 0x80) | n, c);
export function int(v: number | bigint | Buffer): Buffer {
  if (Buffer.isBuffer(v)) return tlv(0x02, v);
  let h = BigInt(v).toString(16);
  if (h.length % 2) h = `0${h}`;
  let b = Buffer.from(h, 'hex');
  if ((b[0] as number) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}
export function oid(dotted: string): Buffer {
  const p = dotted.split('.').map((x) => BigInt(x));
  const out: number[] = [];
  const enc = (v: bigint): void => {
    const tmp: number[] = [Number(v & 0x7fn)];
    v >>= 7n;
    while (v > 0n) {
      tmp.unshift(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(...tmp);
  };
  enc((p[0] as bigint) * 40n + (p[1] as bigint));
  for (const x of p.slice(2)) enc(x);
  return tlv(0x06, Buffer.from(out));
}
export const bitString = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const p = (n: number): string => String(n).padStart(2, '0');
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(`${p(y % 100)}${body}`));
  return tlv(0x18, Buffer.from(`${y}${body}`));
}

// --- names and extensions ---------------------------------------------------------------------

/** A Name from [oid, value] pairs, most significant first; CN-only when given a string. */
export function name(n: string | readonly (readonly [string, string])[]): Buffer {
  const pairs = typeof n === 'string' ? (n === '' ? [] : [['2.5.4.3', n] as const]) : n;
  return seq(...pairs.map(([o, v]) => set(seq(oid(o), o === '2.5.4.6' ? printable(v) : utf8(v)))));
}

/** GeneralName from "DNS:x", "IP:1.2.3.4", "IP:1.2.3.0/24", "email:x", "URI:x", "DIR:CN=x". */
export function generalName(spec: string): Buffer {
  const i = spec.indexOf(':');
  const type = spec.slice(0, i).toUpperCase();
  const v = spec.slice(i + 1);
  switch (type) {
    case 'DNS':
      return tlv(0x82, Buffer.from(v, 'latin1'));
    case 'EMAIL':
      return tlv(0x81, Buffer.from(v, 'latin1'));
    case 'URI':
      return tlv(0x86, Buffer.from(v, 'latin1'));
    case 'DIR':
      return ctx(4, name(v.replace(/^CN=/, '')));
    case 'IP': {
      const [addr, prefix] = v.split('/') as [string, string | undefined];
      const bytes = ipBytes(addr);
      if (prefix === undefined) return tlv(0x87, bytes);
      const mask = Buffer.alloc(bytes.length);
      for (let b = 0; b < Number(prefix); b++) mask[b >> 3] = (mask[b >> 3] as number) | (0x80 >> (b & 7));
      return tlv(0x87, Buffer.concat([bytes, mask]));
    }
    default:
      throw new Error(`unknown general name ${spec}`);
  }
}
function ipBytes(s: string): Buffer {
  if (s.includes('.') && !s.includes(':')) return Buffer.from(s.split('.').map(Number));
  const [h, t] = s.split('::') as [string, string | undefined];
  const hp = h ? h.split(':') : [];
  const tp = t ? t.split(':') : [];
  const groups = t === undefined ? hp : [...hp, ...new Array<string>(8 - hp.length - tp.length).fill('0'), ...tp];
  return Buffer.concat(groups.map((g) => Buffer.from(parseInt(g, 16).toString(16).padStart(4, '0'), 'hex')));
}

export interface RawExt {
  readonly oid: string;
  readonly critical?: boolean;
  readonly value: Buffer;
}
const ext = (e: RawExt): Buffer => seq(oid(e.oid), ...(e.critical ? [bool(true)] : []), octet(e.value));

export const OIDS = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  anyEku: '2.5.29.37.0',
} as const;

const KU_BITS: Readonly<Record<string, number>> = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
};
function keyUsage(names: readonly string[]): Buffer {
  let v = 0;
  for (const n of names) v |= 1 << (15 - (KU_BITS[n] ?? 0));
  const b = Buffer.from([(v >> 8) & 0xff, v & 0xff]);
  const bytes = b[1] === 0 ? b.subarray(0, 1) : b;
  const last = bytes[bytes.length - 1] as number;
  let unused = 0;
  while (unused < 7 && !(last & (1 << unused))) unused++;
  return bitString(Buffer.from(bytes), last === 0 ? 0 : unused);
}

// --- keys -------------------------------------------------------------------------------------

export type KeySpec = 'p256' | 'p384' | 'p521' | 'secp256k1' | 'p192' | 'p256-explicit' | 'rsa1024' | 'rsa2048' | 'rsa2052' | 'rsa-pss' | 'ed25519' | 'rsa512' | 'dsa';
export interface KeyPair {
  readonly spec: KeySpec;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly spki: Buffer;
}
const rsaPool = new Map<string, KeyPair[]>();
/** A fresh key (RSA keys come from a small pool of 4 per size to keep tests fast). */
export function newKey(spec: KeySpec = 'p256'): KeyPair {
  const make = (): KeyPair => {
    let kp: { privateKey: KeyObject; publicKey: KeyObject };
    switch (spec) {
      case 'p256':
      case 'p384':
      case 'p521':
        kp = generateKeyPairSync('ec', { namedCurve: `P-${spec.slice(1)}` });
        break;
      case 'secp256k1':
        kp = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
        break;
      case 'p192':
        kp = generateKeyPairSync('ec', { namedCurve: 'prime192v1' });
        break;
      case 'p256-explicit':
        kp = generateKeyPairSync('ec', { namedCurve: 'P-256', paramEncoding: 'explicit' });
        break;
      case 'dsa':
        kp = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
        break;
      case 'ed25519':
        kp = generateKeyPairSync('ed25519');
        break;
      case 'rsa-pss':
        kp = generateKeyPairSync('rsa', { modulusLength: 2048 });
        break;
      default:
        kp = generateKeyPairSync('rsa', { modulusLength: Number(spec.slice(3)) });
    }
    return { spec, ...kp, spki: kp.publicKey.export({ type: 'spki', format: 'der' }) };
  };
  if (!spec.startsWith('rsa') && spec !== 'dsa') return make();
  const pool = rsaPool.get(spec) ?? [];
  rsaPool.set(spec, pool);
  if (pool.length < 4) {
    const k = make();
    pool.push(k);
    return k;
  }
  const k = pool.shift() as KeyPair;
  pool.push(k);
  return k;
}

// --- certificates -----------------------------------------------------------------------------

export type SigAlg = 'sha256' | 'sha384' | 'sha1' | 'md5' | 'pss-sha256' | 'pss-sha384';

export interface CertSpec {
  readonly cn?: string;
  /** Full subject when a CN-only subject is not enough; '' or [] is an empty subject. */
  readonly subject?: string | readonly (readonly [string, string])[];
  /** The subject as DER, e.g. another certificate's (wins over `subject`). */
  readonly subjectDer?: Buffer;
  readonly key?: KeyPair;
  /** true → CA (critical BC cA=TRUE); { pathLen } adds a constraint; false → leaf BC cA=FALSE; null → no BC. */
  readonly ca?: boolean | { readonly pathLen?: number; readonly critical?: boolean } | null;
  readonly ku?: readonly string[] | null;
  readonly eku?: readonly string[] | null;
  readonly ekuCritical?: boolean;
  readonly san?: readonly string[] | null;
  readonly sanCritical?: boolean;
  readonly nc?: { readonly permitted?: readonly string[]; readonly excluded?: readonly string[] };
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly sig?: SigAlg;
  readonly extra?: readonly RawExt[];
  readonly version?: 1 | 3;
  readonly serial?: Buffer;
  readonly ski?: boolean;
  readonly aki?: boolean;
  readonly aia?: { readonly ocsp?: string; readonly caIssuers?: string } | null;
  readonly crl?: string | null;
  /** Override the issuer name written in the certificate. */
  readonly issuerName?: Buffer;
  /** The Validity SEQUENCE as DER, for time encodings the factory does not make itself. */
  readonly rawValidity?: Buffer;
  /** Corrupt the signature after signing. */
  readonly badSignature?: boolean;
  /** Use a different outer signatureAlgorithm than the inner one. */
  readonly mismatchedOuterAlg?: boolean;
}

export interface Issued {
  readonly der: Buffer;
  readonly pem: string;
  readonly key: KeyPair;
  readonly subject: Buffer;
  readonly ski: Buffer;
  readonly cn: string;
}

const HASH_OID: Readonly<Record<string, string>> = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
};

function sigAlgFor(key: KeyPair, sig: SigAlg): { alg: Buffer; hash: string | null; pss?: number } {
  if (key.spec === 'ed25519') return { alg: seq(oid('1.3.101.112')), hash: null };
  if (key.spec.startsWith('rsa')) {
    if (sig.startsWith('pss-')) {
      const h = sig.slice(4);
      const salt = h === 'sha256' ? 32 : 48;
      const hashAlg = seq(oid(HASH_OID[h] as string), nul());
      const params = seq(ctx(0, hashAlg), ctx(1, seq(oid('1.2.840.113549.1.1.8'), hashAlg)), ctx(2, int(salt)));
      return { alg: seq(oid('1.2.840.113549.1.1.10'), params), hash: h, pss: salt };
    }
    const o = { sha256: '11', sha384: '12', sha1: '5', md5: '4' }[sig as 'sha256'];
    return { alg: seq(oid(`1.2.840.113549.1.1.${o}`), nul()), hash: sig };
  }
  const o = { sha256: '4.3.2', sha384: '4.3.3', sha1: '4.1', md5: '4.3.2' }[sig as 'sha256'];
  return { alg: seq(oid(`1.2.840.10045.${o}`)), hash: sig === 'md5' ? 'sha256' : sig };
}

function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

const DAY = 86_400_000;
/** A fixed "now" for tests that do not care about the clock. */
export const NOW = new Date('2026-01-15T12:00:00Z');

/** Issues a certificate; without `issuer` it is self-signed. */
export function issue(spec: CertSpec, issuer?: Issued): Issued {
  const key = spec.key ?? newKey('p256');
  const cn = spec.cn ?? 'test';
  const subject = spec.subjectDer ?? (spec.subject !== undefined ? name(spec.subject) : name(cn));
  const signer = issuer?.key ?? key;
  const issuerName = spec.issuerName ?? issuer?.subject ?? subject;
  const { alg, hash, pss } = sigAlgFor(signer, spec.sig ?? 'sha256');
  const ski = createHash('sha1').update(key.spki).digest();
  const exts: RawExt[] = [];
  const isCa = spec.ca !== undefined && spec.ca !== null && spec.ca !== false;
  if (spec.ca !== null) {
    const caObj = typeof spec.ca === 'object' ? spec.ca : {};
    const fields = isCa ? [bool(true), ...(caObj?.pathLen !== undefined ? [int(caObj.pathLen)] : [])] : [];
    if (spec.ca !== undefined || !isCa) exts.push({ oid: '2.5.29.19', critical: caObj?.critical ?? true, value: seq(...fields) });
  }
  const ku = spec.ku === undefined ? (isCa ? ['keyCertSign', 'cRLSign'] : ['digitalSignature']) : spec.ku;
  if (ku) exts.push({ oid: '2.5.29.15', critical: true, value: keyUsage(ku) });
  const eku = spec.eku === undefined ? (isCa ? null : [OIDS.serverAuth]) : spec.eku;
  if (eku) exts.push({ oid: '2.5.29.37', critical: spec.ekuCritical ?? false, value: seq(...eku.map(oid)) });
  const san = spec.san === undefined ? (isCa ? null : [`DNS:${cn}`]) : spec.san;
  if (san) exts.push({ oid: '2.5.29.17', critical: spec.sanCritical ?? false, value: seq(...san.map(generalName)) });
  if (spec.nc) {
    const sub = (l: readonly string[]): Buffer[] => l.map((g) => seq(generalName(g)));
    const parts: Buffer[] = [];
    if (spec.nc.permitted) parts.push(ctx(0, Buffer.concat(sub(spec.nc.permitted))));
    if (spec.nc.excluded) parts.push(ctx(1, Buffer.concat(sub(spec.nc.excluded))));
    exts.push({ oid: '2.5.29.30', critical: true, value: seq(...parts) });
  }
  if (spec.ski ?? true) exts.push({ oid: '2.5.29.14', value: octet(ski) });
  if ((spec.aki ?? true) && (issuer || spec.aki)) {
    exts.push({ oid: '2.5.29.35', value: seq(tlv(0x80, issuer?.ski ?? ski)) });
  }
  const aia = spec.aia === undefined ? (isCa ? null : { ocsp: 'http://ocsp.example.test', caIssuers: 'http://ca.example.test/ca.crt' }) : spec.aia;
  if (aia) {
    const ads: Buffer[] = [];
    if (aia.ocsp) ads.push(seq(oid('1.3.6.1.5.5.7.48.1'), generalName(`URI:${aia.ocsp}`)));
    if (aia.caIssuers) ads.push(seq(oid('1.3.6.1.5.5.7.48.2'), generalName(`URI:${aia.caIssuers}`)));
    exts.push({ oid: '1.3.6.1.5.5.7.1.1', value: seq(...ads) });
  }
  const crl = spec.crl === undefined ? 'http://crl.example.test/ca.crl' : spec.crl;
  if (crl) exts.push({ oid: '2.5.29.31', value: seq(seq(ctx(0, ctx(0, generalName(`URI:${crl}`))))) });
  exts.push(...(spec.extra ?? []));

  const serial = spec.serial ?? Buffer.concat([Buffer.from([0x01]), randomBytes(15)]);
  const notBefore = spec.notBefore ?? new Date(NOW.getTime() - 30 * DAY);
  const notAfter = spec.notAfter ?? new Date(NOW.getTime() + 60 * DAY);
  const version = spec.version ?? 3;
  const tbs = seq(
    ...(version === 3 ? [ctx(0, int(2))] : []),
    int(serial),
    alg,
    issuerName,
    spec.rawValidity ?? seq(time(notBefore), time(notAfter)),
    subject,
    key.spki,
    ...(version === 3 && exts.length > 0 ? [ctx(3, seq(...exts.map(ext)))] : []),
  );
  let signature: Buffer;
  if (signer.spec === 'ed25519') signature = sign(null, tbs, signer.privateKey);
  else if (pss !== undefined) signature = sign(hash, tbs, { key: signer.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss });
  else if (signer.spec.startsWith('rsa')) signature = sign(hash, tbs, signer.privateKey);
  else signature = sign(hash, tbs, { key: signer.privateKey, dsaEncoding: 'der' });
  if (spec.badSignature) signature[signature.length - 5] = (signature[signature.length - 5] as number) ^ 0x55;
  const outerAlg = spec.mismatchedOuterAlg ? sigAlgFor(signer, spec.sig === 'sha384' ? 'sha256' : 'sha384').alg : alg;
  const der = seq(tbs, outerAlg, bitString(signature));
  return { der, pem: toPem(der), key, subject, ski, cn };
}

/** root → intermediate → leaf with sensible defaults; overrides per level. */
export function hierarchy(o: { root?: CertSpec; inter?: CertSpec; leaf?: CertSpec } = {}): { root: Issued; inter: Issued; leaf: Issued } {
  const root = issue({ cn: 'Test Root', ca: true, notBefore: new Date(NOW.getTime() - 3650 * DAY), notAfter: new Date(NOW.getTime() + 3650 * DAY), ...o.root });
  const inter = issue({ cn: 'Test Intermediate', ca: { pathLen: 0 }, notBefore: new Date(NOW.getTime() - 365 * DAY), notAfter: new Date(NOW.getTime() + 365 * DAY), ...o.inter }, root);
  const leaf = issue({ cn: 'www.example.com', san: ['DNS:www.example.com', 'DNS:example.com'], ...o.leaf }, inter);
  return { root, inter, leaf };
}

export { DAY };
