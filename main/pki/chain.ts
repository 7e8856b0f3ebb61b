/**
 * Certification path building and the `verifyChain` API behind `certdesk verify`.
 *
 * From the leaf, the builder walks issuer links through an unordered pool (which may hold
 * unrelated certificates, duplicates, cross-signs and cycles) towards a trust anchor, depth
 * first, trying the most promising issuer first (a trust anchor, then an AKI/SKI match, then a
 * certificate valid at the validation time, then the newest). Each complete path is validated;
 * the first valid one wins, otherwise the search goes on and the best failing path is reported.
 * The work is bounded (path depth, signature checks, nodes visited) so a hostile pool cannot
 * make it hang.
 *
 * A certificate is a trust anchor when its subject and SubjectPublicKeyInfo match a certificate
 * in `anchors`; a root that merely appears in the pool is not trusted. Explicit anchors are held to
 * the RFC 5280 CA profile unless they are also in the Mozilla store bundled with Node.js.
 */
import { createHash, X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { CertdeskError } from '../../shared/errors.js';
import type { Finding } from '../../shared/pki-types.js';
import { CertCache, type CertModel } from './cert-model.js';
import { error, MAX_NAME_CONSTRAINT_CHECKS_PER_BUILD, type SignatureCheck, validatePath, verifySignature, type WorkBudget } from './validate.js';

/** Most intermediates the builder will put between the leaf and the anchor. */
export const MAX_INTERMEDIATES = 8;
/** Upper bound on MAX_INTERMEDIATES when a caller asks for a deeper maxChainDepth. */
export const MAX_INTERMEDIATES_HARD = 16;
/** Most signature verifications one `verifyChain` call performs. */
export const MAX_SIGNATURE_CHECKS = 1000;
/** Most path-extension steps one call explores. */
export const MAX_STEPS = 20_000;

/** Input of `verifyChain`. */
export interface VerifyInput {
  /** The end-entity certificate (DER). */
  readonly leaf: Uint8Array;
  /** Untrusted certificates that may help build the path, in any order (DER). */
  readonly pool: readonly Uint8Array[];
  /** Trust anchors (DER); default: the Mozilla root store bundled with Node.js. */
  readonly anchors?: readonly Uint8Array[];
  /** The validation time. */
  readonly at: Date;
  /** A DNS name or IP address the leaf must be valid for. */
  readonly host?: string;
  /**
   * Most intermediates allowed between the leaf and the anchor (self-issued ones not counted);
   * default: no limit beyond the builder's own bound of MAX_INTERMEDIATES.
   */
  readonly maxChainDepth?: number;
}

/** Result of `verifyChain` (the `certdesk verify --json` shape). */
export interface VerifyResult {
  readonly valid: boolean;
  /** SHA-256 fingerprints, leaf first … anchor (or as far as the path got). */
  readonly chain: string[];
  readonly errors: Finding[];
  readonly warnings: Finding[];
}

let defaultAnchorDers: readonly Uint8Array[] | null = null;
let defaultAnchorModels: readonly CertModel[] | null = null;
let bundledFingerprints: ReadonlySet<string> | null = null;

/** The Mozilla root store bundled with Node.js, as DER, parsed once and lazily. */
export function defaultAnchors(): readonly Uint8Array[] {
  if (!defaultAnchorDers) defaultAnchorDers = tls.rootCertificates.map((pem) => new X509Certificate(pem).raw);
  return defaultAnchorDers;
}

function defaultAnchorModelList(): readonly CertModel[] {
  if (!defaultAnchorModels) {
    const cache = new CertCache();
    const out: CertModel[] = [];
    for (const der of defaultAnchors()) {
      try {
        out.push(cache.get(der, 'Node.js root store'));
      } catch {
        // A root Certdesk cannot parse cannot anchor anything.
      }
    }
    defaultAnchorModels = out;
  }
  return defaultAnchorModels;
}

/**
 * SHA-256 fingerprints of the bundled Mozilla roots: explicit anchors among them are not held to
 * the strict profile. Computed from the PEM text alone (no certificate parsing), so a call with
 * explicit anchors never pays for loading the whole store.
 */
function mozillaRootFingerprints(): ReadonlySet<string> {
  if (!bundledFingerprints) {
    bundledFingerprints = new Set(
      tls.rootCertificates.map((pem) => createHash('sha256').update(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64')).digest('hex')),
    );
  }
  return bundledFingerprints;
}

/** True when `cert` is one of the Mozilla roots bundled with Node.js (byte for byte). */
export function isBundledRoot(cert: CertModel): boolean {
  return mozillaRootFingerprints().has(cert.sha256);
}

/** A built path and what validation said about it. */
export interface BuiltPath {
  readonly path: readonly CertModel[];
  /** True when the last certificate is a trust anchor. */
  readonly anchored: boolean;
  readonly errors: Finding[];
  readonly warnings: Finding[];
}

/** What the builder found: the chosen path plus facts for error messages. */
export interface BuildOutcome {
  readonly best: BuiltPath;
  /** True when the work bounds stopped the search. */
  readonly exhausted: boolean;
}

/** Options for `buildPath`. */
export interface BuildOptions {
  readonly at: Date;
  readonly host?: string;
  /** Anchors were given explicitly: hold them to the RFC 5280 CA profile (bundled Mozilla roots excepted). */
  readonly strictAnchors: boolean;
  /** See VerifyInput.maxChainDepth. */
  readonly maxChainDepth?: number;
}

function anchorKey(c: CertModel): string {
  return `${c.subject.key}\u0000${c.spkiSha256}`;
}

function score(p: BuiltPath): number {
  // Higher is better: anchored paths first, then fewer errors, then longer (more complete) paths.
  return (p.anchored ? 1_000_000 : 0) - p.errors.length * 1000 + p.path.length;
}

/**
 * Builds and validates paths from `leaf` through `pool` to one of `anchors`.
 *
 * Returns the first valid path found, else the best failing one (anchored before unanchored).
 */
export function buildPath(leaf: CertModel, pool: readonly CertModel[], anchors: readonly CertModel[], opts: BuildOptions): BuildOutcome {
  const anchorByKey = new Map<string, CertModel>();
  for (const a of anchors) if (!anchorByKey.has(anchorKey(a))) anchorByKey.set(anchorKey(a), a);
  const bySubject = new Map<string, CertModel[]>();
  const seenDer = new Set<string>();
  for (const c of [...anchors, ...pool]) {
    if (seenDer.has(c.sha256)) continue;
    seenDer.add(c.sha256);
    const list = bySubject.get(c.subject.key) ?? [];
    list.push(c);
    bySubject.set(c.subject.key, list);
  }
  const at = opts.at.getTime();
  const sigCache = new Map<string, SignatureCheck>();
  let sigChecks = 0;
  let steps = 0;
  let exhausted = false;
  let best: BuiltPath | null = null;
  const sigFailures: { child: CertModel; check: SignatureCheck }[] = [];

  const checkSig = (child: CertModel, issuer: CertModel): SignatureCheck | null => {
    const k = `${child.sha256}:${issuer.spkiSha256}`;
    const cached = sigCache.get(k);
    if (cached) return cached;
    if (sigChecks >= MAX_SIGNATURE_CHECKS) {
      exhausted = true;
      return null;
    }
    sigChecks++;
    const r = verifySignature(child, issuer);
    sigCache.set(k, r);
    return r;
  };

  const maxIntermediates = Math.min(Math.max(MAX_INTERMEDIATES, opts.maxChainDepth ?? 0), MAX_INTERMEDIATES_HARD);
  const budget: WorkBudget = { nameConstraintChecks: MAX_NAME_CONSTRAINT_CHECKS_PER_BUILD };
  const consider = (path: readonly CertModel[], anchored: boolean): boolean => {
    const tip = path[path.length - 1] as CertModel;
    const publicRoot = anchored && isBundledRoot(tip);
    const strictAnchor = opts.strictAnchors && !publicRoot;
    const { errors, warnings } = validatePath(path, { at: opts.at, host: opts.host, strictAnchor, maxChainDepth: opts.maxChainDepth, publicRoot, budget, anchored });
    const candidate: BuiltPath = { path, anchored, errors, warnings };
    if (!best || score(candidate) > score(best)) best = candidate;
    return anchored && errors.length === 0;
  };

  const candidatesFor = (cert: CertModel, path: readonly CertModel[]): CertModel[] => {
    const list = bySubject.get(cert.issuer.key) ?? [];
    const inPath = new Set(path.map(anchorKey));
    const usable = list.filter((c) => !inPath.has(anchorKey(c)) && c.sha256 !== cert.sha256);
    const rank = (c: CertModel): number => {
      let r = 0;
      if (anchorByKey.has(anchorKey(c))) r += 1000;
      if (cert.authorityKeyId !== null && c.subjectKeyId !== null) r += cert.authorityKeyId === c.subjectKeyId ? 100 : -100;
      if (c.notBefore.getTime() <= at && at <= c.notAfter.getTime()) r += 50;
      if (c.basicConstraints?.ca) r += 20;
      return r;
    };
    return usable
      .map((c) => ({ c, r: rank(c) }))
      .sort((a, b) => b.r - a.r || b.c.notBefore.getTime() - a.c.notBefore.getTime() || (a.c.sha256 < b.c.sha256 ? -1 : 1))
      .map((x) => x.c);
  };

  // Depth-first search; returns true when a valid path was found.
  const extend = (path: CertModel[]): boolean => {
    if (++steps > MAX_STEPS) {
      exhausted = true;
      return false;
    }
    const tip = path[path.length - 1] as CertModel;
    const anchor = anchorByKey.get(anchorKey(tip));
    if (anchor) {
      // Reached a trust anchor: use the anchor's own copy (a pool copy may be a cross-sign).
      const p = [...path.slice(0, -1), anchor];
      if (consider(p, true)) return true;
      if (path.length > 1) return false;
      // A leaf that is itself an anchor is also tried as an ordinary leaf below.
    }
    if (path.length - 1 >= maxIntermediates + 1) {
      consider(path, false);
      return false;
    }
    let extended = false;
    for (const issuer of candidatesFor(tip, path)) {
      const sig = checkSig(tip, issuer);
      if (sig === null) break;
      if (!sig.ok) {
        sigFailures.push({ child: tip, check: sig });
        continue;
      }
      extended = true;
      if (extend([...path, issuer])) return true;
      if (exhausted) break;
    }
    if (!extended && !anchor) consider(path, false);
    return false;
  };

  extend([leaf]);
  const chosen = best as BuiltPath | null;
  const fallback: BuiltPath = chosen ?? { path: [leaf], anchored: false, errors: [], warnings: [] };
  if (!fallback.anchored) {
    const tip = fallback.path[fallback.path.length - 1] as CertModel;
    const sigFail = sigFailures.find((f) => f.child === tip);
    const extra: Finding[] = [];
    if (sigFail && !sigFail.check.ok) extra.push(error(sigFail.check.code, sigFail.check.message));
    else extra.push(incompleteFinding(fallback.path, anchorByKey.size > 0, maxIntermediates));
    if (exhausted) extra.push(error('PATH_SEARCH_LIMIT', 'the search for a chain stopped at its work limit; the bundle holds too many candidate certificates'));
    return { best: { ...fallback, errors: [...extra, ...fallback.errors] }, exhausted };
  }
  return { best: fallback, exhausted };
}

/**
 * Says which certificate is missing. Below the leaf it is an intermediate; above an intermediate
 * it may be another intermediate or a root that is not trusted, so the sentence says both.
 */
export function missingIssuerMessage(issuerName: string, tipLabel: string | null, endsAt: string): string {
  if (tipLabel === null) return `intermediate '${issuerName}' is missing: ${endsAt}`;
  return `'${issuerName}', the issuer of '${tipLabel}', is missing or is not a trusted root: ${endsAt}`;
}

function incompleteFinding(path: readonly CertModel[], haveAnchors: boolean, maxIntermediates: number): Finding {
  const tip = path[path.length - 1] as CertModel;
  const endsAt = path.length === 1 ? 'the bundle ends at the leaf' : `the bundle ends at '${tip.label}'`;
  if (tip.selfIssued && path.length > 1) {
    return error('UNTRUSTED_ROOT', `root '${tip.label}' is not a trusted root${haveAnchors ? '' : ' (no trust anchors were given)'}`);
  }
  if (tip.selfIssued) {
    return error('UNTRUSTED_ROOT', `certificate '${tip.label}' is self-signed and not trusted`);
  }
  if (path.length >= maxIntermediates + 2) {
    return error('CHAIN_TOO_LONG', `the chain is longer than ${maxIntermediates} intermediates without reaching a trusted root`);
  }
  const issuerName = tip.issuer.commonNames[0] ?? (tip.issuer.display || 'unknown issuer');
  return error('CHAIN_INCOMPLETE', missingIssuerMessage(issuerName, path.length === 1 ? null : tip.label, endsAt));
}

/**
 * Builds and validates the chain for `leaf` like a browser would, at `at`, for `host` if given.
 *
 * Throws CertdeskError CERTIFICATE_INVALID when the leaf cannot be parsed; unparseable pool or
 * anchor certificates are skipped with a warning.
 */
export function verifyChain(input: VerifyInput): VerifyResult {
  if (Number.isNaN(input.at.getTime())) throw new CertdeskError('INVALID_ARGUMENT', 'The validation time is not a valid date');
  if (input.maxChainDepth !== undefined && (!Number.isInteger(input.maxChainDepth) || input.maxChainDepth < 0)) {
    throw new CertdeskError('INVALID_ARGUMENT', 'The maximum chain depth must be a whole number of intermediates, 0 or more');
  }
  const cache = new CertCache();
  const leaf = cache.get(input.leaf, 'leaf certificate');
  const warnings: Finding[] = [];
  const parseAll = (ders: readonly Uint8Array[], what: string): CertModel[] => {
    const out: CertModel[] = [];
    ders.forEach((der, i) => {
      try {
        out.push(cache.get(der, `${what} #${i + 1}`));
      } catch (e) {
        warnings.push({ code: 'CERTIFICATE_SKIPPED', message: `${what} #${i + 1} is not a valid certificate and was ignored (${e instanceof Error ? e.message : String(e)})`, severity: 'warning' });
      }
    });
    return out;
  };
  const pool = parseAll(input.pool, 'chain certificate');
  const anchors = input.anchors ? parseAnchors(input.anchors, warnings) : defaultAnchorModelList();
  const { best } = buildPath(leaf, pool, anchors, {
    at: input.at,
    host: input.host,
    strictAnchors: input.anchors !== undefined,
    maxChainDepth: input.maxChainDepth,
  });
  const errors = dedupe(best.errors);
  return {
    valid: best.anchored && errors.length === 0,
    chain: best.path.map((c) => c.sha256),
    errors,
    warnings: dedupe([...warnings, ...best.warnings]),
  };
}

// Anchor sets are usually the same arrays call after call: keep their parsed models per byte array.
const anchorModels = new WeakMap<Uint8Array, CertModel | null>();

function parseAnchors(ders: readonly Uint8Array[], warnings: Finding[]): CertModel[] {
  const out: CertModel[] = [];
  const cache = new CertCache();
  ders.forEach((der, i) => {
    let m = anchorModels.get(der);
    if (m === undefined) {
      try {
        m = cache.get(der, `trust anchor #${i + 1}`);
      } catch {
        m = null;
      }
      anchorModels.set(der, m);
    }
    if (m) out.push(m);
    else warnings.push({ code: 'CERTIFICATE_SKIPPED', message: `trust anchor #${i + 1} is not a valid certificate and was ignored`, severity: 'warning' });
  });
  return out;
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.code}\u0000${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
