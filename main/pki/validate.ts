/**
 * RFC 5280 path validation with the Web PKI (CA/Browser Forum, Chrome) rules on top.
 *
 * `verifySignature` checks one link; `validatePath` checks a built path leaf → … → trust anchor
 * (signatures already checked by the builder). Choices where RFC 5280 and browsers differ:
 * - Trust anchors: their own signature is never checked and a SHA-1 self-signature is fine, but
 *   their validity period IS enforced (Chrome enforces it for its root store, and OpenSSL does;
 *   RFC 5280 leaves it to the relying party). Anchor constraints (basicConstraints, keyUsage,
 *   pathLen, name constraints, EKU) are enforced like Chrome's "enforce anchor constraints".
 *   Anchors passed explicitly are also held to RFC 5280's CA profile (critical basicConstraints,
 *   SKI, AKI shape, no EKU on a root) unless they are bundled Mozilla roots: a few long-trusted
 *   roots predate the profile (QuoVadis, Certigna, Chunghwa ePKI, TWCA Global).
 * - Leaf: Web PKI server profile: must be v3, not a CA, carry serverAuth in an EKU (no
 *   anyExtendedKeyUsage), and name the host in subjectAltName (no CN fallback).
 * - Only what Chrome verifies is accepted: RSA PKCS#1 v1.5 / RSASSA-PSS / ECDSA with SHA-2, RSA
 *   keys of 2048+ bits, EC keys on P-256/P-384/P-521; under a bundled root also Chrome's leaf
 *   validity limits and its root distrust dates.
 * - Times are compared at one-second granularity (the validation time is floored), as the
 *   encodings in certificates are.
 * main/pki/README-validation.md lists every choice with its rationale.
 */
import { constants, type KeyObject, verify as cryptoVerify } from 'node:crypto';
import type { Finding } from '../../shared/pki-types.js';
import {
  type AlgorithmId,
  type CertModel,
  children,
  decodeOid,
  EKU,
  EXT,
  EXTENSION_NAMES,
  formatIp,
  type GeneralNameModel,
  KU,
  type KeyModel,
  type NameModel,
  OID_EMAIL,
  publicKeyOf,
  readOnly,
  sameBytes,
  type Subtree,
} from './cert-model.js';
import { isValidDnsName, matchHost, normaliseDnsName, parseIp } from './hostname.js';

/** A finding with an error severity. */
export function error(code: string, message: string): Finding {
  return { code, message, severity: 'error' };
}

/** A finding with a warning severity. */
export function warning(code: string, message: string): Finding {
  return { code, message, severity: 'warning' };
}

// ---------------------------------------------------------------------------------------------
// Signature algorithms

/** How a signature algorithm verifies and how strong it is. */
export interface SignatureAlgorithmInfo {
  readonly name: string;
  readonly key: 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'dsa';
  /** Node digest name; null for EdDSA. */
  readonly hash: string | null;
  readonly weak: 'md5' | 'sha1' | null;
  readonly params: 'null-or-absent' | 'absent' | 'pss';
  /** Not accepted by browsers for TLS (but valid in private PKIs). */
  readonly nonWebPki?: boolean;
}

const SIG_ALGS: Readonly<Record<string, SignatureAlgorithmInfo>> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', key: 'rsa', hash: 'md5', weak: 'md5', params: 'null-or-absent' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', key: 'rsa', hash: 'sha1', weak: 'sha1', params: 'null-or-absent' },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', key: 'rsa', hash: 'sha1', weak: 'sha1', params: 'null-or-absent' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', key: 'rsa', hash: 'sha224', weak: null, params: 'null-or-absent', nonWebPki: true },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', key: 'rsa', hash: 'sha256', weak: null, params: 'null-or-absent' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', key: 'rsa', hash: 'sha384', weak: null, params: 'null-or-absent' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', key: 'rsa', hash: 'sha512', weak: null, params: 'null-or-absent' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', key: 'rsa', hash: null, weak: null, params: 'pss' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', key: 'ec', hash: 'sha1', weak: 'sha1', params: 'absent' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', key: 'ec', hash: 'sha224', weak: null, params: 'absent', nonWebPki: true },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', key: 'ec', hash: 'sha256', weak: null, params: 'absent' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', key: 'ec', hash: 'sha384', weak: null, params: 'absent' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', key: 'ec', hash: 'sha512', weak: null, params: 'absent' },
  '1.3.101.112': { name: 'Ed25519', key: 'ed25519', hash: null, weak: null, params: 'absent', nonWebPki: true },
  '1.3.101.113': { name: 'Ed448', key: 'ed448', hash: null, weak: null, params: 'absent', nonWebPki: true },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', key: 'dsa', hash: 'sha1', weak: 'sha1', params: 'absent' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-SHA256', key: 'dsa', hash: 'sha256', weak: null, params: 'absent' },
};

const HASH_OIDS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Describes a signature algorithm, or null when Certdesk does not know it. */
export function signatureAlgorithmInfo(alg: AlgorithmId): SignatureAlgorithmInfo | null {
  return SIG_ALGS[alg.oid] ?? null;
}

/** The human name of a signature algorithm ("sha256WithRSAEncryption", or the OID). */
export function signatureAlgorithmName(alg: AlgorithmId): string {
  const info = SIG_ALGS[alg.oid];
  if (!info) return alg.oid;
  if (info.params === 'pss') {
    const pss = parsePssParams(alg.params);
    return pss ? `RSASSA-PSS (${pss.hash}, salt ${pss.saltLength})` : 'RSASSA-PSS';
  }
  return info.name;
}

/** RSASSA-PSS parameters (RFC 4055), or null when malformed or not what Node can verify. */
export function parsePssParams(params: Uint8Array | null): { hash: string; saltLength: number } | null {
  if (!params) return null;
  try {
    const seq = readOnly(params, 0x30);
    let hash = 'sha1';
    let mgfHash = 'sha1';
    let saltLength = 20;
    for (const f of children(seq.value)) {
      const inner = readOnly(f.value);
      if (f.tag === 0xa0) {
        const [oidT] = children(inner.value);
        if (!oidT) return null;
        hash = HASH_OIDS[decodeOid(oidT.value)] ?? '';
      } else if (f.tag === 0xa1) {
        const [oidT, hashAlg] = children(inner.value);
        if (!oidT || !hashAlg || decodeOid(oidT.value) !== '1.2.840.113549.1.1.8') return null;
        const [hOid] = children(hashAlg.value);
        if (!hOid) return null;
        mgfHash = HASH_OIDS[decodeOid(hOid.value)] ?? '';
      } else if (f.tag === 0xa2) {
        if (inner.tag !== 0x02 || inner.value.length > 2) return null;
        saltLength = Number(BigInt(`0x${Buffer.from(inner.value).toString('hex')}`));
      } else if (f.tag === 0xa3) {
        if (inner.tag !== 0x02 || inner.value.length !== 1 || inner.value[0] !== 1) return null;
      } else return null;
    }
    if (!hash || hash !== mgfHash) return null;
    return { hash, saltLength };
  } catch {
    return null;
  }
}

const DER_NULL = Uint8Array.of(0x05, 0x00);

/** The outcome of checking one certificate's signature with its issuer's key. */
export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * Verifies a signature over `data` made with algorithm `alg` by `key` (RSA PKCS#1 v1.5, RSA-PSS
 * with its parameters honoured, ECDSA, EdDSA). `who` names the signed object in messages.
 */
export function verifySignedData(
  data: Uint8Array,
  alg: AlgorithmId,
  signature: Uint8Array,
  key: KeyObject | null,
  who: string,
  signerLabel: string,
): SignatureCheck {
  const info = SIG_ALGS[alg.oid];
  if (!info || info.key === 'dsa') {
    return {
      ok: false,
      code: 'UNSUPPORTED_SIGNATURE_ALGORITHM',
      message: `${who} is signed with ${info?.name ?? alg.oid}, which browsers do not accept`,
    };
  }
  const badParams = (): SignatureCheck => ({
    ok: false,
    code: 'SIGNATURE_ALGORITHM_INVALID',
    message: `${who} has malformed ${info.name} signature parameters`,
  });
  let pss: { hash: string; saltLength: number } | null = null;
  if (info.params === 'absent' && alg.params !== null) return badParams();
  if (info.params === 'null-or-absent' && alg.params !== null && !sameBytes(alg.params, DER_NULL)) return badParams();
  if (info.params === 'pss') {
    pss = parsePssParams(alg.params);
    if (!pss) return badParams();
  }
  const keyType = key?.asymmetricKeyType;
  const keyFits =
    (info.key === 'rsa' && (keyType === 'rsa' || (keyType === 'rsa-pss' && info.params === 'pss'))) ||
    (info.key === 'ec' && keyType === 'ec') ||
    info.key === keyType;
  if (!key || !keyFits) {
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      message: `${who} is signed with ${info.name}, but the key of ${signerLabel} is not a key of that kind`,
    };
  }
  let ok = false;
  try {
    if (pss) {
      ok = cryptoVerify(pss.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature);
    } else if (info.key === 'rsa') {
      ok = cryptoVerify(info.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    } else if (info.key === 'ec') {
      ok = cryptoVerify(info.hash, data, { key, dsaEncoding: 'der' }, signature);
    } else {
      ok = cryptoVerify(null, data, key, signature);
    }
  } catch {
    ok = false;
  }
  if (ok) return { ok: true };
  return { ok: false, code: 'SIGNATURE_INVALID', message: `the signature on ${who} does not verify with the key of ${signerLabel}` };
}

/** Verifies `child`'s signature with `issuer`'s public key. */
export function verifySignature(child: CertModel, issuer: CertModel): SignatureCheck {
  const who = `certificate '${child.label}'`;
  if (!sameBytes(child.signatureAlgorithm.der, child.tbsSignatureAlgorithm.der)) {
    return {
      ok: false,
      code: 'SIGNATURE_ALGORITHM_MISMATCH',
      message: `${who} names two different signature algorithms (inside and outside the signed part)`,
    };
  }
  return verifySignedData(child.tbs, child.signatureAlgorithm, child.signature, publicKeyOf(issuer), who, `'${issuer.label}'`);
}

// ---------------------------------------------------------------------------------------------
// Name constraints

// Normalised DNS names and their validity, memoised for the duration of one name-constraint check
// (the same few names and subtrees are compared many times).
const normCache = new Map<string, string>();
const validCache = new Map<string, boolean>();
function norm(s: string): string {
  let v = normCache.get(s);
  if (v === undefined) {
    v = normaliseDnsName(s);
    normCache.set(s, v);
  }
  return v;
}

function dnsWithin(name: string, constraint: string): boolean {
  const c = norm(constraint);
  const n = norm(name);
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c);
  return n === c || n.endsWith(`.${c}`);
}

/** For an excluded subtree: could the wildcard name match a host inside the constraint? */
function wildcardMayReach(name: string, constraint: string): boolean {
  const n = norm(name);
  if (!n.startsWith('*.')) return false;
  const base = n.slice(2);
  const c = norm(constraint).replace(/^\./, '');
  if (dnsWithin(base, c) || c === '') return true;
  // *.example.com reaches x.example.com and everything under it.
  const dot = c.indexOf('.');
  return dot > 0 && c.slice(dot + 1) === base;
}

/** A dNSName constraint is a host name, optionally with a leading dot; empty means "all". */
function dnsConstraintValid(constraint: string): boolean {
  const c = normaliseDnsName(constraint).replace(/^\./, '');
  return c === '' || isValidDnsName(c);
}

/**
 * A presented dNSName that name constraints can reason about: a host name, or a wildcard whose
 * only "*" is the whole leftmost label. Anything else (".example.com", "a..b", "f*o.com") can
 * never be shown to lie inside a permitted subtree, so it fails the constraint.
 */
function presentedDnsValid(name: string): boolean {
  const n = normaliseDnsName(name);
  const rest = n.startsWith('*.') ? n.slice(2) : n;
  return isValidDnsName(rest);
}

function ipConstraintValid(bytes: Uint8Array): boolean {
  if (bytes.length !== 8 && bytes.length !== 32) return false;
  const mask = bytes.subarray(bytes.length / 2);
  let seenZero = false;
  for (const b of mask) {
    for (let i = 7; i >= 0; i--) {
      const bit = (b >> i) & 1;
      if (bit === 1 && seenZero) return false;
      if (bit === 0) seenZero = true;
    }
  }
  return true;
}

function ipWithin(ip: Uint8Array, constraint: Uint8Array): boolean {
  if (constraint.length !== ip.length * 2) return false;
  for (let i = 0; i < ip.length; i++) {
    const m = constraint[ip.length + i] as number;
    if (((ip[i] as number) & m) !== ((constraint[i] as number) & m)) return false;
  }
  return true;
}

function emailWithin(email: string, constraint: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  const c = constraint.toLowerCase();
  if (c.includes('@')) {
    const cAt = c.lastIndexOf('@');
    return email.slice(0, at) === constraint.slice(0, cAt) && email.slice(at + 1).toLowerCase() === c.slice(cAt + 1);
  }
  const domain = email.slice(at + 1).toLowerCase();
  if (c.startsWith('.')) return domain.endsWith(c);
  return domain === c;
}

function uriWithin(uri: string, constraint: string): boolean {
  let host: string;
  try {
    host = new URL(uri).hostname;
  } catch {
    return false;
  }
  if (!host || parseIp(host)) return false;
  const c = normaliseDnsName(constraint);
  const h = normaliseDnsName(host);
  if (c.startsWith('.')) return h.endsWith(c);
  return h === c;
}

function dirWithin(name: NameModel, constraint: NameModel): boolean {
  if (constraint.rdns.length > name.rdns.length) return false;
  const key = (r: readonly { oid: string; normalised: string }[]): string => r.map((a) => `${a.oid}=${a.normalised}`).sort().join('+');
  return constraint.rdns.every((r, i) => key(r) === key(name.rdns[i] ?? []));
}

function within(name: GeneralNameModel, base: GeneralNameModel, wildcardAware: boolean): boolean | null {
  if (name.type !== base.type) return null;
  switch (name.type) {
    case 'dns': {
      const c = (base as { value: string }).value;
      // A malformed presented name is outside every permitted subtree and inside every excluded one.
      let valid = validCache.get(name.value);
      if (valid === undefined) {
        valid = presentedDnsValid(name.value);
        validCache.set(name.value, valid);
      }
      if (!valid) return wildcardAware;
      return dnsWithin(name.value, c) || (wildcardAware && wildcardMayReach(name.value, c));
    }
    case 'ip':
      return ipWithin(name.bytes, (base as { bytes: Uint8Array }).bytes);
    case 'email':
      return emailWithin(name.value, (base as { value: string }).value);
    case 'uri':
      return uriWithin(name.value, (base as { value: string }).value);
    case 'dir':
      return dirWithin(name.name, (base as { name: NameModel }).name);
    case 'other':
      // Name forms we do not process: any constraint of the same form is treated as binding.
      return (base as { tag: number }).tag === name.tag ? false : null;
  }
}

function describeName(n: GeneralNameModel): string {
  switch (n.type) {
    case 'dns':
    case 'email':
    case 'uri':
      return n.value;
    case 'ip':
      return formatIp(n.bytes);
    case 'dir':
      return n.name.display || '(empty name)';
    case 'other':
      return `a name of type [${n.tag}]`;
  }
}

function describeSubtree(s: Subtree): string {
  if (s.base.type === 'ip') {
    const b = s.base.bytes;
    const half = b.length / 2;
    const addr = formatIp(b.subarray(0, half));
    let bits = 0;
    for (const x of b.subarray(half)) bits += x.toString(2).replace(/0/g, '').length;
    return `${addr}/${bits}`;
  }
  return describeName(s.base) || '(any)';
}

/** The names of `cert` that name constraints apply to. */
function constrainedNames(cert: CertModel, isLeaf: boolean): GeneralNameModel[] {
  const names: GeneralNameModel[] = [];
  if (cert.subject.rdns.length > 0) names.push({ type: 'dir', name: cert.subject });
  for (const r of cert.subject.rdns) {
    for (const a of r) if (a.oid === OID_EMAIL && a.text) names.push({ type: 'email', value: a.text });
  }
  if (cert.subjectAltName) names.push(...cert.subjectAltName.names);
  else if (isLeaf) {
    // No SAN: apply DNS/IP constraints to CN values that look like host names (Chrome and
    // OpenSSL do this so a CA cannot slip a name past its constraints through the CN).
    for (const cn of cert.subject.commonNames) {
      const ip = parseIp(cn);
      if (ip) names.push({ type: 'ip', bytes: ip });
      else if (isValidDnsName(cn)) names.push({ type: 'dns', value: cn });
    }
  }
  return names;
}

/**
 * Most (name × subtree) comparisons one path may cost. Quadratic name-constraint checks are a
 * known denial-of-service vector (OpenSSL's many-names/many-constraints test); rustls-webpki uses
 * the same budget. Real certificates need a few thousand at most.
 */
export const MAX_NAME_CONSTRAINT_CHECKS = 250_000;

function subtreeProblem(s: Subtree): boolean {
  if (s.hasMinMax) return true;
  if (s.base.type === 'ip') return !ipConstraintValid(s.base.bytes);
  if (s.base.type === 'dns') return !dnsConstraintValid(s.base.value);
  return false;
}

/** Work shared by every path one `verifyChain` call validates, so many candidate paths cannot multiply it. */
export interface WorkBudget {
  /** Name × subtree comparisons left. */
  nameConstraintChecks: number;
}

/** Total name-constraint comparisons one chain build may spend across all the paths it tries. */
export const MAX_NAME_CONSTRAINT_CHECKS_PER_BUILD = 1_000_000;

/** Key grouping a general name with the subtrees of its own form. */
function nameForm(n: GeneralNameModel): string {
  return n.type === 'other' ? `other:${n.tag}` : n.type;
}

/** "a, b, c and 7 more" for messages about long constraint lists. */
function listSubtrees(subtrees: readonly Subtree[], max = 4): string {
  const shown = subtrees.slice(0, max).map(describeSubtree);
  return subtrees.length > max ? `${shown.join(', ')} and ${subtrees.length - max} more` : shown.join(', ');
}

/** Most violations reported per constraining CA and certificate; the rest are summarised. */
const MAX_VIOLATIONS_SHOWN = 3;

function checkNameConstraints(path: readonly CertModel[], errors: Finding[], shared?: WorkBudget): void {
  normCache.clear();
  validCache.clear();
  let budget = Math.min(MAX_NAME_CONSTRAINT_CHECKS, shared?.nameConstraintChecks ?? MAX_NAME_CONSTRAINT_CHECKS);
  const spend = (n: number): boolean => {
    budget -= n;
    if (shared) shared.nameConstraintChecks -= n;
    return budget >= 0;
  };
  for (let j = path.length - 1; j >= 1; j--) {
    const ca = path[j] as CertModel;
    const nc = ca.nameConstraints;
    if (!nc) continue;
    const bad = [...nc.permitted, ...nc.excluded].find(subtreeProblem);
    if (bad) {
      errors.push(error('NAME_CONSTRAINTS_INVALID', `'${ca.label}' has a malformed name constraint (${describeSubtree(bad)})`));
      continue;
    }
    const subtrees = nc.permitted.length + nc.excluded.length;
    const permittedByForm = new Map<string, Subtree[]>();
    for (const st of nc.permitted) {
      const k = nameForm(st.base);
      const list = permittedByForm.get(k);
      if (list) list.push(st);
      else permittedByForm.set(k, [st]);
    }
    for (let i = j - 1; i >= 0; i--) {
      const cert = path[i] as CertModel;
      if (i > 0 && cert.selfIssued) continue;
      const names = constrainedNames(cert, i === 0);
      if (!spend(names.length * subtrees)) {
        errors.push(
          error(
            'NAME_CONSTRAINTS_TOO_COMPLEX',
            `checking the ${subtrees} name constraints of '${ca.label}' against the ${names.length} names of '${cert.label}' is more work than any real chain needs; browsers refuse such chains`,
          ),
        );
        return;
      }
      const violations: Finding[] = [];
      for (const name of names) {
        const permittedOfType = permittedByForm.get(nameForm(name)) ?? [];
        if (permittedOfType.length > 0 && !permittedOfType.some((st) => within(name, st.base, false) === true)) {
          violations.push(
            error('NAME_CONSTRAINT_VIOLATION', `'${ca.label}' may only issue for ${listSubtrees(permittedOfType)}, but '${cert.label}' names ${describeName(name)}`),
          );
        }
        const hit = nc.excluded.find((st) => within(name, st.base, true) === true || (name.type === 'other' && within(name, st.base, true) === false));
        if (hit) {
          violations.push(
            error('NAME_CONSTRAINT_VIOLATION', `'${ca.label}' may not issue for ${describeSubtree(hit)}, but '${cert.label}' names ${describeName(name)}`),
          );
        }
      }
      errors.push(...violations.slice(0, MAX_VIOLATIONS_SHOWN));
      if (violations.length > MAX_VIOLATIONS_SHOWN) {
        errors.push(
          error('NAME_CONSTRAINT_VIOLATION', `'${cert.label}' breaks the name constraints of '${ca.label}' ${violations.length - MAX_VIOLATIONS_SHOWN} more times`),
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Certificate policies (RFC 5280 6.1.2 (a), (d)-(f), 6.1.3 (d)-(f), 6.1.4 (a)-(b), (h)-(j), 6.1.5)
//
// With the inputs a TLS client uses (user-initial-policy-set = anyPolicy, no initial explicit
// policy, mapping or anyPolicy inhibition) a path only fails here when a CA demands an explicit
// policy (requireExplicitPolicy) that the certificates below it do not carry, or maps anyPolicy.

const ANY_POLICY = '2.5.29.32.0';

interface PolicyNode {
  readonly valid: string;
  expected: Set<string>;
  readonly parent: PolicyNode | null;
  children: PolicyNode[];
}

/**
 * Most policy-tree nodes one path may create. Mappings can make the tree grow exponentially with
 * the path length (OpenSSL CVE-2023-0464); real paths need a handful.
 */
export const MAX_POLICY_NODES = 10_000;

function checkPolicies(path: readonly CertModel[], errors: Finding[]): void {
  const k = path.length - 1; // certificates below the trust anchor
  if (k < 1) return;
  let created = 0;
  const tooComplex = (): void => {
    errors.push(error('POLICY_TOO_COMPLEX', `the certificate policies and policy mappings of this chain are too complex to evaluate; browsers refuse such chains`));
  };
  let explicitPolicy = k + 1;
  let policyMapping = k + 1;
  let inhibitAny = k + 1;
  let level: PolicyNode[] | null = [{ valid: ANY_POLICY, expected: new Set([ANY_POLICY]), parent: null, children: [] }];
  let failedAt: CertModel | null = null;

  const prune = (nodes: PolicyNode[]): void => {
    // Remove childless ancestors after a level changed.
    let parents = new Set(nodes.map((n) => n.parent).filter((p): p is PolicyNode => p !== null));
    while (parents.size > 0) {
      const next = new Set<PolicyNode>();
      for (const p of parents) {
        if (p.children.length === 0 && p.parent) {
          p.parent.children = p.parent.children.filter((c) => c !== p);
          next.add(p.parent);
        }
      }
      parents = next;
    }
  };

  for (let d = 1; d <= k; d++) {
    const cert = path[k - d] as CertModel;
    const isLast = d === k;
    const policies = cert.policies;
    if (level && policies) {
      const next: PolicyNode[] = [];
      const add = (parent: PolicyNode, valid: string): void => {
        if (created > MAX_POLICY_NODES) return;
        const node: PolicyNode = { valid, expected: new Set([valid]), parent, children: [] };
        parent.children.push(node);
        next.push(node);
        created++;
      };
      for (const p of policies) {
        if (p === ANY_POLICY) continue;
        const matching = level.filter((n) => n.expected.has(p));
        if (matching.length > 0) for (const n of matching) add(n, p);
        else for (const n of level.filter((x) => x.valid === ANY_POLICY)) add(n, p);
      }
      if (policies.includes(ANY_POLICY) && (inhibitAny > 0 || (!isLast && cert.selfIssued))) {
        for (const n of level) {
          for (const e of n.expected) if (!n.children.some((c) => c.valid === e)) add(n, e);
        }
      }
      if (created > MAX_POLICY_NODES) {
        tooComplex();
        return;
      }
      for (const n of level) if (n.children.length === 0 && n.parent) n.parent.children = n.parent.children.filter((c) => c !== n);
      prune(level.filter((n) => n.children.length === 0));
      level = next.length > 0 ? next : null;
    } else {
      level = null;
    }
    if (explicitPolicy <= 0 && !level && !failedAt) failedAt = cert;

    if (!isLast) {
      const maps = cert.policyMappings ?? [];
      if (maps.some(([a, b]) => a === ANY_POLICY || b === ANY_POLICY)) {
        errors.push(error('POLICY_MAPPING_INVALID', `'${cert.label}' maps anyPolicy, which RFC 5280 forbids`));
        return;
      }
      if (level && maps.length > 0) {
        const byIssuer = new Map<string, Set<string>>();
        for (const [a, b] of maps) byIssuer.set(a, (byIssuer.get(a) ?? new Set()).add(b));
        if (policyMapping > 0) {
          const current: PolicyNode[] = level;
          for (const [idp, sdps] of byIssuer) {
            const nodes = current.filter((n) => n.valid === idp);
            if (nodes.length > 0) for (const n of nodes) n.expected = new Set(sdps);
            else {
              const anyNode = current.find((n) => n.valid === ANY_POLICY);
              if (anyNode?.parent) {
                const node: PolicyNode = { valid: idp, expected: new Set(sdps), parent: anyNode.parent, children: [] };
                anyNode.parent.children.push(node);
                current.push(node);
                created++;
              }
            }
          }
        } else {
          const removed = level.filter((n) => byIssuer.has(n.valid));
          for (const n of removed) if (n.parent) n.parent.children = n.parent.children.filter((c) => c !== n);
          level = level.filter((n) => !byIssuer.has(n.valid));
          prune(removed);
          if (level.length === 0) level = null;
        }
      }
      if (!cert.selfIssued) {
        if (explicitPolicy > 0) explicitPolicy--;
        if (policyMapping > 0) policyMapping--;
        if (inhibitAny > 0) inhibitAny--;
      }
      const pc = cert.policyConstraints;
      if (pc?.requireExplicitPolicy !== null && pc?.requireExplicitPolicy !== undefined) explicitPolicy = Math.min(explicitPolicy, pc.requireExplicitPolicy);
      if (pc?.inhibitPolicyMapping !== null && pc?.inhibitPolicyMapping !== undefined) policyMapping = Math.min(policyMapping, pc.inhibitPolicyMapping);
      if (cert.inhibitAnyPolicy !== null) inhibitAny = Math.min(inhibitAny, cert.inhibitAnyPolicy);
    } else {
      if (explicitPolicy > 0) explicitPolicy--;
      if (cert.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
    }
  }
  if (failedAt || (explicitPolicy <= 0 && !level)) {
    const who = failedAt ?? (path[0] as CertModel);
    errors.push(
      error(
        'POLICY_REQUIRED',
        `a CA in the chain requires an explicit certificate policy, but '${who.label}' and the certificates above it share no acceptable policy`,
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Path validation

/** Extensions whose semantics Certdesk processes (or that are safe to accept when critical). */
const UNDERSTOOD = new Set<string>([
  EXT.basicConstraints,
  EXT.keyUsage,
  EXT.extKeyUsage,
  EXT.subjectAltName,
  EXT.nameConstraints,
  EXT.subjectKeyIdentifier,
  EXT.authorityKeyIdentifier,
  EXT.certificatePolicies,
  EXT.policyConstraints,
  EXT.policyMappings,
  EXT.inhibitAnyPolicy,
  EXT.authorityInfoAccess,
  EXT.crlDistributionPoints,
  EXT.ctSctList,
  EXT.issuerAltName,
  EXT.freshestCrl,
  EXT.subjectInfoAccess,
  EXT.tlsFeature,
  EXT.ocspNoCheck,
]);

/** Extensions RFC 5280 says MUST be non-critical. */
const MUST_NOT_BE_CRITICAL = new Set<string>([
  EXT.subjectKeyIdentifier,
  EXT.authorityKeyIdentifier,
  EXT.authorityInfoAccess,
  EXT.subjectInfoAccess,
]);

const EKU_NAMES: Readonly<Record<string, string>> = {
  [EKU.serverAuth]: 'server authentication',
  [EKU.clientAuth]: 'client authentication',
  [EKU.codeSigning]: 'code signing',
  [EKU.emailProtection]: 'email protection',
  [EKU.timeStamping]: 'time stamping',
  [EKU.ocspSigning]: 'OCSP signing',
  [EKU.any]: 'any purpose',
  [EKU.precertSigning]: 'CT precertificate signing',
};

/** Names EKU OIDs for messages. */
export function ekuName(oid: string): string {
  return EKU_NAMES[oid] ?? oid;
}

/** ISO date-time without milliseconds. */
export function isoTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Options for `validatePath`. */
export interface PathOptions {
  readonly at: Date;
  readonly host?: string;
  /** Hold the anchor to the RFC 5280 CA profile (true for anchors the user supplied). */
  readonly strictAnchor: boolean;
  /** Most intermediates (self-issued ones not counted, as for pathLenConstraint) between leaf and anchor. */
  readonly maxChainDepth?: number;
  /** The anchor is a publicly-trusted root (the bundled Mozilla store): apply browsers' public-CA rules. */
  readonly publicRoot?: boolean;
  /** Work budget shared with the other paths of the same build. */
  readonly budget?: WorkBudget;
  /** False when the path stops short of a trust anchor (its last certificate is then named for what it is, not "root"). */
  readonly anchored?: boolean;
}

/**
 * Publicly-trusted roots browsers still carry but no longer trust for TLS certificates issued
 * after a date (Chrome judges by the earliest SCT; we use the leaf's notBefore): Entrust and
 * AffirmTrust after 2024-11-11, Chunghwa Telecom and NetLock after 2025-07-31.
 */
const DISTRUSTED_AFTER: ReadonlyMap<string, number> = new Map([
  ...[
    'Entrust Root Certification Authority',
    'Entrust Root Certification Authority - G2',
    'Entrust Root Certification Authority - G4',
    'Entrust Root Certification Authority - EC1',
    'Entrust.net Certification Authority (2048)',
    'AffirmTrust Commercial',
    'AffirmTrust Networking',
    'AffirmTrust Premium',
    'AffirmTrust Premium ECC',
  ].map((cn) => [cn, Date.UTC(2024, 10, 11, 23, 59, 59)] as const),
  ...['HiPKI Root CA - G1', 'OU=ePKI Root Certification Authority, O=Chunghwa Telecom Co.\\, Ltd., C=TW', 'NetLock Arany (Class Gold) Főtanúsítvány'].map(
    (cn) => [cn, Date.UTC(2025, 6, 31, 23, 59, 59)] as const,
  ),
]);

/**
 * Chrome's limit on a publicly-trusted leaf's validity, by its notBefore (the Baseline
 * Requirements' transitions): 120, 60 and 39 months, then 825 and 398 days. Null when within.
 */
export function validityTooLong(notBefore: Date, notAfter: Date): string | null {
  const start = notBefore.getTime();
  const days = (notAfter.getTime() - start) / 86_400_000;
  if (start >= Date.UTC(2020, 8, 1)) return days > 398 ? `${Math.floor(days)} days, more than the 398 allowed since 2020-09-01` : null;
  if (start >= Date.UTC(2018, 2, 1)) return days > 825 ? `${Math.floor(days)} days, more than the 825 allowed since 2018-03-01` : null;
  let months = (notAfter.getUTCFullYear() - notBefore.getUTCFullYear()) * 12 + (notAfter.getUTCMonth() - notBefore.getUTCMonth());
  if (notAfter.getUTCDate() > notBefore.getUTCDate()) months++;
  const limit = start >= Date.UTC(2015, 3, 1) ? 39 : start >= Date.UTC(2012, 6, 1) ? 60 : 120;
  return months > limit ? `${months} months, more than the ${limit} allowed then` : null;
}

/** The validation time as compared with certificate times: floored to whole seconds. */
export function comparableTime(at: Date): number {
  return Math.floor(at.getTime() / 1000) * 1000;
}

/** True when a DER INTEGER's contents are negative. */
function negativeInteger(v: Uint8Array): boolean {
  return v.length > 0 && ((v[0] as number) & 0x80) !== 0;
}

/** Serial number problems (RFC 5280 4.1.2.2): positive, at most 20 octets. */
function serialProblem(v: Uint8Array): string | null {
  if (negativeInteger(v)) return 'a negative serial number';
  if (v.every((b) => b === 0)) return 'a serial number of zero';
  // A 20-octet value with its top bit set needs a leading zero octet: 21 octets of DER contents.
  const significant = v[0] === 0 ? v.length - 1 : v.length;
  if (significant > 20) return `a ${significant}-octet serial number (RFC 5280 allows at most 20)`;
  return null;
}

/**
 * The keys browsers accept in a TLS certificate path (CA/Browser Forum 6.1.5, 7.1.3.1; Chrome
 * parses only rsaEncryption and id-ecPublicKey on named P-256/P-384/P-521).
 */
function webPkiKeyErrors(k: KeyModel, who: string): Finding[] {
  switch (k.type) {
    case 'rsa':
      if (k.pss) return [error('UNSUPPORTED_KEY', `${who} has an RSA key labelled RSASSA-PSS-only, which browsers do not accept; use an rsaEncryption key`)];
      if (k.bits < 2048) return [error('WEAK_KEY', `${who} has a ${k.bits}-bit RSA key; publicly-trusted certificates need at least 2048 bits`)];
      if (k.bits % 8 !== 0) return [error('WEAK_KEY', `${who} has a ${k.bits}-bit RSA key; the modulus size must be a multiple of 8 bits`)];
      return [];
    case 'ed25519':
    case 'ed448':
      return [error('UNSUPPORTED_KEY', `${who} has an ${k.type === 'ed25519' ? 'Ed25519' : 'Ed448'} key, which browsers do not accept for TLS certificates`)];
    default:
      return keyFindings(k, who).errors;
  }
}

/** RSASSA-PSS as browsers accept it: SHA-256/384/512, MGF1 with the same hash, salt = hash length. */
function pssProblem(alg: AlgorithmId): string | null {
  const pss = parsePssParams(alg.params);
  if (!pss) return 'malformed RSASSA-PSS parameters';
  const salt: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };
  const want = salt[pss.hash];
  if (want === undefined) return `RSASSA-PSS with ${pss.hash.toUpperCase()}, which browsers do not accept`;
  if (pss.saltLength !== want) return `RSASSA-PSS with a ${pss.saltLength}-byte salt; browsers require ${want} bytes with ${pss.hash.toUpperCase()}`;
  return null;
}

/** Key checks shared by validation and lint: errors for keys browsers refuse, warnings for weak ones. */
export function keyFindings(k: KeyModel, who: string): { errors: Finding[]; warnings: Finding[] } {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  if (k.type === 'rsa') {
    if (k.bits < 1024) errors.push(error('WEAK_KEY', `${who} has a ${k.bits}-bit RSA key; browsers refuse RSA keys under 1024 bits`));
    else if (k.bits < 2048) warnings.push(warning('WEAK_KEY', `${who} has a ${k.bits}-bit RSA key; 2048 bits is the minimum for publicly-trusted certificates`));
  } else if (k.type === 'ec') {
    if (!['P-256', 'P-384', 'P-521'].includes(k.curve)) {
      errors.push(error('UNSUPPORTED_KEY', `${who} has an EC key on curve ${k.curve}; browsers accept only P-256, P-384 and P-521`));
    }
  } else if (k.type === 'dsa') {
    errors.push(error('UNSUPPORTED_KEY', `${who} has a DSA key, which browsers do not accept`));
  } else if (k.type === 'unknown') {
    errors.push(error('UNSUPPORTED_KEY', `${who} has a public key of unknown type (${k.oid})`));
  } else {
    warnings.push(warning('NOT_WEB_PKI_ALGORITHM', `${who} has an ${k.type === 'ed25519' ? 'Ed25519' : 'Ed448'} key, which browsers do not accept for TLS certificates`));
  }
  return { errors, warnings };
}

function roleName(i: number, n: number, cert: CertModel, anchored: boolean): string {
  if (i === 0) return `certificate '${cert.label}'`;
  if (i === n - 1 && cert.selfIssued) return `root '${cert.label}'`;
  if (i === n - 1 && anchored) return `trust anchor '${cert.label}'`;
  return `intermediate '${cert.label}'`;
}

/**
 * Checks a built path (leaf first, trust anchor last) at `at`; signatures are the builder's job.
 *
 * Returns errors (the path is invalid) and warnings (valid but worth knowing).
 */
export function validatePath(path: readonly CertModel[], opts: PathOptions): { errors: Finding[]; warnings: Finding[] } {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const n = path.length;
  const at = comparableTime(opts.at);
  const anchorIndex = n - 1;

  path.forEach((cert, i) => {
    const who = roleName(i, n, cert, opts.anchored !== false);
    const isAnchor = i === anchorIndex;
    const isLeaf = i === 0;
    const strict = !isAnchor || opts.strictAnchor;

    if (at < cert.notBefore.getTime()) {
      errors.push(error('NOT_YET_VALID', `${who} is not valid until ${isoTime(cert.notBefore)}`));
    } else if (at > cert.notAfter.getTime()) {
      errors.push(error('EXPIRED', `${who} expired on ${isoTime(cert.notAfter)}`));
    }
    for (const p of cert.problems) errors.push(error(p.code, `${who}: ${p.message}`));

    for (const ext of cert.extensions) {
      if (ext.critical && !UNDERSTOOD.has(ext.oid)) {
        const name = EXTENSION_NAMES[ext.oid] ?? ext.oid;
        errors.push(error('UNKNOWN_CRITICAL_EXTENSION', `${who} has a critical extension Certdesk and browsers do not understand (${name})`));
      }
      if (ext.critical && MUST_NOT_BE_CRITICAL.has(ext.oid) && strict) {
        errors.push(error('EXTENSION_MUST_NOT_BE_CRITICAL', `${who} marks ${EXTENSION_NAMES[ext.oid] ?? ext.oid} critical, which RFC 5280 forbids`));
      }
      if (!ext.critical && ext.oid === EXT.policyConstraints && strict) {
        errors.push(error('EXTENSION_MUST_BE_CRITICAL', `${who} has a policyConstraints extension that is not marked critical, as RFC 5280 requires`));
      }
    }

    // The signature algorithm is named twice; a mismatch is a malformed certificate even on an
    // anchor (browsers refuse to parse it), whatever its signature.
    if (!sameBytes(cert.signatureAlgorithm.der, cert.tbsSignatureAlgorithm.der)) {
      errors.push(error('SIGNATURE_ALGORITHM_MISMATCH', `${who} names two different signature algorithms (inside and outside the signed part)`));
    }
    if (!isAnchor || isLeaf) {
      const serial = serialProblem(cert.serial);
      if (serial) errors.push(error('INVALID_SERIAL', `${who} has ${serial}`));
    }

    if (!isAnchor) {
      const info = signatureAlgorithmInfo(cert.signatureAlgorithm);
      if (info?.weak) {
        errors.push(
          error('WEAK_SIGNATURE_ALGORITHM', `${who} is signed with ${info.name}; browsers reject ${info.weak.toUpperCase()} signatures`),
        );
      } else if (info?.nonWebPki) {
        errors.push(error('UNSUPPORTED_SIGNATURE_ALGORITHM', `${who} is signed with ${info.name}, which browsers do not accept for TLS`));
      } else if (info?.params === 'pss') {
        const problem = pssProblem(cert.signatureAlgorithm);
        if (problem) errors.push(error('UNSUPPORTED_SIGNATURE_ALGORITHM', `${who} is signed with ${problem}`));
      }
      if (cert.version !== 3) errors.push(error('UNSUPPORTED_VERSION', `${who} is an X.509 v${cert.version} certificate; only v3 is accepted`));
      if (cert.issuer.rdns.length === 0) errors.push(error('EMPTY_ISSUER', `${who} has an empty issuer name`));
      if (!cert.selfIssued || !isLeaf) {
        if (cert.authorityKeyId === null) {
          errors.push(error('AKI_MISSING', `${who} has no authority key identifier, which RFC 5280 requires`));
        }
      }
    } else if (strict && !cert.selfIssued && cert.authorityKeyId === null) {
      // A trusted intermediate (or cross-signed root) is still a certificate a CA issued.
      errors.push(error('AKI_MISSING', `${who} has no authority key identifier, which RFC 5280 requires of certificates a CA issues`));
    }
    errors.push(...webPkiKeyErrors(cert.key, who));

    const bc = cert.basicConstraints;
    const kcs = cert.keyUsage?.has(KU.keyCertSign) ?? false;
    if (kcs && !bc?.ca) {
      errors.push(error('INCONSISTENT_CA_BITS', `${who} asserts keyCertSign but is not a CA (basicConstraints cA is not set)`));
    }

    if (i >= 1) {
      // An issuer: everything that makes it a CA.
      if (!bc || !bc.ca) {
        if (strict || (bc && !bc.ca)) {
          errors.push(error('NOT_A_CA', `${who} is not a CA certificate (basicConstraints cA is not set) but issued '${(path[i - 1] as CertModel).label}'`));
        }
      } else {
        if (!bc.critical && strict) {
          errors.push(error('BASIC_CONSTRAINTS_NOT_CRITICAL', `${who} is a CA whose basicConstraints extension is not marked critical, as RFC 5280 requires`));
        }
        if (bc.pathLen !== null) {
          let below = 0;
          for (let k = 1; k < i; k++) if (!(path[k] as CertModel).selfIssued) below++;
          if (below > bc.pathLen) {
            errors.push(
              error('PATH_LEN_EXCEEDED', `${who} allows at most ${bc.pathLen} intermediate CA${bc.pathLen === 1 ? '' : 's'} below it, but the chain has ${below}`),
            );
          }
        }
      }
      if (cert.keyUsage && !kcs) {
        errors.push(error('KEY_USAGE_NO_CERTSIGN', `${who} has a keyUsage extension without keyCertSign, so it may not sign certificates`));
      }
      if (cert.subject.rdns.length === 0) errors.push(error('CA_EMPTY_SUBJECT', `${who} is a CA with an empty subject name`));
      if (strict && cert.subjectKeyId === null) {
        errors.push(error('SKI_MISSING', `${who} is a CA without a subject key identifier, which RFC 5280 requires`));
      }
      if (isAnchor && strict && cert.selfIssued && (cert.authorityKeyIdHasIssuer || (cert.extensions.some((e) => e.oid === EXT.authorityKeyIdentifier) && (cert.authorityKeyId === null || (cert.subjectKeyId !== null && cert.authorityKeyId !== cert.subjectKeyId))))) {
        errors.push(error('AKI_INVALID', `${who} has an authority key identifier that does not match its own key identifier`));
      }
      const eku = cert.extKeyUsage;
      if (isAnchor && strict && cert.selfIssued && eku) {
        // CA/Browser Forum 7.1.2.1.2: a root CA certificate MUST NOT carry extKeyUsage.
        errors.push(error('ROOT_HAS_EKU', `${who} is a root certificate with an extended key usage extension, which the Baseline Requirements forbid`));
      }
      if (eku && !eku.oids.includes(EKU.serverAuth) && !eku.oids.includes(EKU.any)) {
        errors.push(
          error(
            'EKU_NO_SERVER_AUTH',
            `${who} limits the certificates it issues to ${eku.oids.map(ekuName).join(', ')}; server authentication is not among them, so browsers reject the chain`,
          ),
        );
      }
    }

    if (isLeaf && n > 1) {
      if (bc?.ca) errors.push(error('LEAF_IS_CA', `${who} is a CA certificate (basicConstraints cA=TRUE); a server certificate must not be a CA`));
      if (cert.nameConstraints || cert.extensions.some((e) => e.oid === EXT.nameConstraints)) {
        errors.push(error('NAME_CONSTRAINTS_ON_LEAF', `${who} carries name constraints, which only CA certificates may have`));
      }
      const eku = cert.extKeyUsage;
      if (!eku) {
        errors.push(error('EKU_MISSING', `${who} has no extended key usage; publicly-trusted server certificates must list server authentication`));
      } else {
        if (!eku.oids.includes(EKU.serverAuth)) {
          errors.push(error('EKU_NO_SERVER_AUTH', `${who} is for ${eku.oids.map(ekuName).join(', ')}, not for server authentication`));
        }
        const forbidden = eku.oids.filter((o) => ([EKU.any, EKU.codeSigning, EKU.emailProtection, EKU.timeStamping, EKU.ocspSigning, EKU.precertSigning] as string[]).includes(o));
        if (forbidden.length > 0) {
          errors.push(error('EKU_FORBIDDEN', `${who} also allows ${forbidden.map(ekuName).join(', ')}, which a TLS server certificate must not`));
        }
        if (eku.critical) errors.push(error('EKU_CRITICAL', `${who} marks extended key usage critical, which the Baseline Requirements forbid`));
      }
      const san = cert.subjectAltName;
      if (cert.subject.rdns.length === 0 && (!san || !san.critical)) {
        errors.push(error('SAN_NOT_CRITICAL', `${who} has an empty subject, so its subjectAltName must be present and critical`));
      } else if (san?.critical && cert.subject.rdns.length > 0) {
        errors.push(error('SAN_CRITICAL', `${who} marks subjectAltName critical although it has a subject name, which the Baseline Requirements forbid`));
      }
      if (!san) warnings.push(warning('SAN_MISSING', `${who} has no subjectAltName: browsers will not accept it for any host name`));
      const tooLong = opts.publicRoot ? validityTooLong(cert.notBefore, cert.notAfter) : null;
      if (tooLong) errors.push(error('VALIDITY_TOO_LONG', `${who} is valid for ${tooLong} for publicly-trusted certificates; browsers refuse it`));
      const anchor = path[n - 1] as CertModel;
      const distrustAfter = opts.publicRoot ? DISTRUSTED_AFTER.get(anchor.label) : undefined;
      if (distrustAfter !== undefined && cert.notBefore.getTime() > distrustAfter) {
        errors.push(
          error('DISTRUSTED_ROOT', `root '${anchor.label}' is no longer trusted by browsers for certificates issued after ${isoTime(new Date(distrustAfter))}, and ${who} was issued on ${isoTime(cert.notBefore)}`),
        );
      }
    }
  });

  if (opts.maxChainDepth !== undefined) {
    let depth = 0;
    for (let k = 1; k < n - 1; k++) if (!(path[k] as CertModel).selfIssued) depth++;
    if (depth > opts.maxChainDepth) {
      errors.push(error('CHAIN_TOO_LONG', `the chain has ${depth} intermediate${depth === 1 ? '' : 's'}, more than the ${opts.maxChainDepth} allowed`));
    }
  }

  checkNameConstraints(path, errors, opts.budget);
  checkPolicies(path, errors);

  const leaf = path[0];
  if (opts.host !== undefined && leaf) {
    const m = matchHost(leaf, opts.host);
    if (!m.ok) errors.push(error('HOSTNAME_MISMATCH', m.message));
  }
  return { errors, warnings };
}
