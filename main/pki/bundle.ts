/**
 * Bundle analysis and fixing: turn a messy upload (any order, duplicates, unrelated certificates,
 * the root included) into what CDNs expect: the leaf, then intermediates in issued-to-issuer
 * order, no root, as normalised LF PEM.
 */
import type { Finding } from '../../shared/pki-types.js';
import { CertdeskError } from '../../shared/errors.js';
import { CertCache, type CertModel } from './cert-model.js';
import { missingIssuerMessage, defaultAnchors } from './chain.js';
import { verifySignature } from './validate.js';

/** Input of `fixBundle` and `lintBundle`. */
export interface BundleInput {
  /** Every certificate of the upload (DER), in the order found. */
  readonly certificates: readonly Uint8Array[];
  /** Trust anchors used to tell whether the chain is complete; default: Node's Mozilla roots. */
  readonly anchors?: readonly Uint8Array[];
}

/** A certificate `fixBundle` left out, and why. */
export interface RemovedCertificate {
  readonly der: Uint8Array;
  readonly reason: string;
}

/** The cleaned bundle. */
export interface FixedBundle {
  readonly leaf: Uint8Array;
  /** Intermediates, issued-to-issuer order, without the root. */
  readonly chain: Uint8Array[];
  readonly removed: RemovedCertificate[];
  /** Leaf then intermediates, LF line endings, no blank lines. */
  readonly pem: string;
  readonly findings: Finding[];
}

interface Analysis {
  readonly leaf: CertModel;
  readonly chain: CertModel[];
  readonly root: CertModel | null;
  readonly duplicates: CertModel[];
  readonly extras: CertModel[];
  readonly findings: Finding[];
}

function f(code: string, severity: 'error' | 'warning' | 'info', message: string): Finding {
  return { code, message, severity };
}

function issues(parent: CertModel, child: CertModel): boolean {
  return parent !== child && child.issuer.key === parent.subject.key && verifySignature(child, parent).ok;
}

function selfSigned(c: CertModel): boolean {
  return c.selfIssued && verifySignature(c, c).ok;
}

/** Orders a PEM block the way every provider accepts it. */
export function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

function analyse(input: BundleInput): Analysis {
  if (input.certificates.length === 0) throw new CertdeskError('CHAIN_INCOMPLETE', 'The bundle holds no certificate');
  const cache = new CertCache();
  const all = input.certificates.map((der, i) => cache.get(der, `certificate #${i + 1} of the bundle`));
  const unique: CertModel[] = [];
  const duplicates: CertModel[] = [];
  for (const c of all) (unique.includes(c) ? duplicates : unique).push(c);

  // The leaf: a non-CA certificate that issues nothing else here; failing that, any bottom certificate.
  const issuesSomething = (c: CertModel): boolean => unique.some((o) => issues(c, o));
  const bottoms = unique.filter((c) => !issuesSomething(c));
  const leaf = bottoms.find((c) => !c.basicConstraints?.ca) ?? bottoms[0] ?? (unique[0] as CertModel);

  // Walk issuer links inside the bundle.
  const chain: CertModel[] = [];
  let root: CertModel | null = null;
  let tip = leaf;
  const used = new Set<CertModel>([leaf]);
  while (!selfSigned(tip)) {
    const candidates = unique
      .filter((c) => !used.has(c) && issues(c, tip))
      .sort((a, b) => {
        const aki = (c: CertModel): number => (tip.authorityKeyId !== null && tip.authorityKeyId === c.subjectKeyId ? 1 : 0);
        return aki(b) - aki(a) || b.notAfter.getTime() - a.notAfter.getTime();
      });
    const next = candidates[0];
    if (!next) break;
    used.add(next);
    if (selfSigned(next)) {
      root = next;
      break;
    }
    chain.push(next);
    tip = next;
  }
  const extras = unique.filter((c) => !used.has(c));

  const findings: Finding[] = [];
  for (const d of duplicates) findings.push(f('DUPLICATE_CERTIFICATE', 'warning', `'${d.label}' appears more than once in the bundle`));
  for (const x of extras) findings.push(f('EXTRA_CERTIFICATE', 'warning', `'${x.label}' is not part of the leaf's chain; providers may reject or mis-serve the bundle`));
  if (root) findings.push(f('ROOT_INCLUDED', 'warning', `the bundle includes the root '${root.label}'; clients already have it, so it only adds bytes (some providers reject it)`));
  const expected = [leaf, ...chain, ...(root ? [root] : [])];
  const actual = all.filter((c, i) => expected.includes(c) && all.indexOf(c) === i);
  if (actual.some((c, i) => c !== expected[i])) {
    findings.push(f('BUNDLE_OUT_OF_ORDER', 'warning', `the certificates are out of order: a bundle must start with the leaf '${leaf.label}' and list each issuer after the certificate it issued`));
  }
  if (!root && !(leaf === tip && selfSigned(leaf))) {
    const anchorDers = input.anchors ?? defaultAnchors();
    const anchored = anchorDers.some((der) => {
      try {
        return issues(cache.get(der), tip);
      } catch {
        return false;
      }
    });
    if (!anchored) {
      const issuerName = tip.issuer.commonNames[0] ?? (tip.issuer.display || 'unknown issuer');
      const endsAt = tip === leaf ? 'the bundle ends at the leaf' : `the bundle ends at '${tip.label}'`;
      findings.push(f('CHAIN_INCOMPLETE', 'error', missingIssuerMessage(issuerName, tip === leaf ? null : tip.label, endsAt)));
    }
  }
  return { leaf, chain, root, duplicates, extras, findings };
}

/** Bundle problems: chain incomplete, out of order, extra or duplicate certificates, root included. */
export function lintBundle(input: BundleInput): Finding[] {
  return analyse(input).findings;
}

/**
 * Produces the clean bundle from a messy upload; tolerates a single-certificate bundle.
 *
 * Throws CertdeskError CERTIFICATE_INVALID for bytes that are not a certificate.
 */
export function fixBundle(input: BundleInput): FixedBundle {
  const a = analyse(input);
  const removed: RemovedCertificate[] = [
    ...a.duplicates.map((c) => ({ der: c.der, reason: `duplicate of '${c.label}'` })),
    ...a.extras.map((c) => ({ der: c.der, reason: `'${c.label}' is not part of the leaf's chain` })),
    ...(a.root ? [{ der: a.root.der, reason: `'${a.root.label}' is the root; clients already have it` }] : []),
  ];
  const chain = a.chain.map((c) => c.der);
  return {
    leaf: a.leaf.der,
    chain,
    removed,
    pem: [a.leaf.der, ...chain].map(toPem).join(''),
    findings: a.findings,
  };
}
