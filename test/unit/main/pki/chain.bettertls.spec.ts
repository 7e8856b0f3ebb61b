/**
 * The Netflix BetterTLS suites as x509-limbo imports them (`bettertls::nameconstraints::tcN`,
 * `bettertls::pathbuilding::tcN`), rebuilt with our certificate factory in the shape the BetterTLS
 * generator gives them (Go crypto/x509 defaults: critical basicConstraints and keyUsage, SKI on CA
 * certificates, AKI from the issuer's SKI, no SKI on leaves; validity now-24h .. now+366d; the
 * chain validated one second after the leaf's notBefore). Expected verdicts follow the BetterTLS
 * rules: soft failures count as REJECT and soft passes as ACCEPT, as limbo records them.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../../main/pki/chain.js';
import { type CertSpec, type Issued, issue, type KeyPair, OIDS } from './fixtures.js';

const HOUR = 3_600_000;
const T = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOT_BEFORE = new Date(T.getTime() - 24 * HOUR);
const NOT_AFTER = new Date(T.getTime() + 366 * 24 * HOUR);
const EXPIRED_NOT_AFTER = new Date(T.getTime() - HOUR);
const AT = new Date(NOT_BEFORE.getTime() + 1000);

/** A Go-style subject: CN, O=bettertls.com, serialNumber=<uuid>. */
function subject(cn: string | null): (readonly [string, string])[] {
  return [...(cn !== null ? [['2.5.4.3', cn] as const] : []), ['2.5.4.10', 'bettertls.com'], ['2.5.4.5', randomUUID()]];
}

/** A Go-style CA certificate: critical BC cA=TRUE, critical KU keyCertSign, SKI, AKI when issued. */
function goCa(spec: CertSpec, issuer?: Issued): Issued {
  return issue({ ca: true, ku: ['keyCertSign'], eku: null, san: null, aia: null, crl: null, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ...spec }, issuer);
}

const trustRoot = goCa({ subject: subject('bettertls_trust_root') });

// ---------------------------------------------------------------------------------------------
// nameconstraints

type Tri = 'NONE' | 'VALID' | 'INVALID';
const TRI: readonly Tri[] = ['NONE', 'VALID', 'INVALID'];

interface NcCase {
  readonly client: 'DNS' | 'IP';
  readonly cnType: 'DNS' | 'IP';
  readonly cn: Tri;
  readonly dnsSan: Tri;
  readonly ipSan: Tri;
  readonly dnsWhitelist: Tri;
  readonly ipWhitelist: Tri;
  readonly dnsBlacklist: Tri;
  readonly ipBlacklist: Tri;
}

/** The BetterTLS expectation for a name-constraints case, with soft results mapped as limbo does. */
function ncExpected(n: NcCase): 'ACCEPT' | 'REJECT' {
  let softFail = false;
  // The requested name must be in the SAN; a CN match alone is a (soft) failure: no CN fallback.
  const sanForClient = n.client === 'DNS' ? n.dnsSan : n.ipSan;
  if (sanForClient !== 'VALID') {
    if (n.cnType !== n.client || n.cn !== 'VALID') return 'REJECT';
    softFail = true;
  }
  // A constraint excluding the requested name is a hard failure.
  if (n.client === 'DNS' && (n.dnsWhitelist === 'INVALID' || n.dnsBlacklist === 'VALID')) return 'REJECT';
  if (n.client === 'IP' && (n.ipWhitelist === 'INVALID' || n.ipBlacklist === 'VALID')) return 'REJECT';
  // Any other SAN outside the constraints: soft failure. A CN outside them: soft pass.
  const violates = (san: Tri, white: Tri, black: Tri): boolean =>
    (san === 'VALID' && (white === 'INVALID' || black === 'VALID')) || (san === 'INVALID' && (white === 'VALID' || black === 'INVALID'));
  if (violates(n.dnsSan, n.dnsWhitelist, n.dnsBlacklist) || violates(n.ipSan, n.ipWhitelist, n.ipBlacklist)) softFail = true;
  return softFail ? 'REJECT' : 'ACCEPT';
}

const localRoot = goCa({ subject: subject('local_root') }, trustRoot);
const icaCache = new Map<string, Issued>();
function localIca(n: NcCase): Issued {
  const k = `${n.dnsWhitelist}${n.ipWhitelist}${n.dnsBlacklist}${n.ipBlacklist}`;
  let c = icaCache.get(k);
  if (!c) {
    const permitted: string[] = [];
    const excluded: string[] = [];
    if (n.dnsWhitelist !== 'NONE') permitted.push(n.dnsWhitelist === 'VALID' ? 'DNS:localhost' : 'DNS:example.com');
    if (n.ipWhitelist !== 'NONE') permitted.push(n.ipWhitelist === 'VALID' ? 'IP:127.0.0.0/24' : 'IP:1.1.1.0/24');
    if (n.dnsBlacklist !== 'NONE') excluded.push(n.dnsBlacklist === 'VALID' ? 'DNS:localhost' : 'DNS:bad.example.com');
    if (n.ipBlacklist !== 'NONE') excluded.push(n.ipBlacklist === 'VALID' ? 'IP:127.0.0.0/24' : 'IP:1.1.1.0/24');
    const nc = permitted.length + excluded.length > 0 ? { ...(permitted.length ? { permitted } : {}), ...(excluded.length ? { excluded } : {}) } : undefined;
    c = goCa({ subject: subject('local_ica'), ...(nc ? { nc } : {}) }, localRoot);
    icaCache.set(k, c);
  }
  return c;
}

function ncLeaf(n: NcCase, ica: Issued): Issued {
  const cn = n.cn === 'NONE' ? null : n.cnType === 'DNS' ? (n.cn === 'VALID' ? 'test.localhost' : 'bad.example.com') : n.cn === 'VALID' ? '127.0.0.1' : '1.1.1.1';
  const san: string[] = [];
  if (n.dnsSan !== 'NONE') san.push(n.dnsSan === 'VALID' ? 'DNS:test.localhost' : 'DNS:bad.example.com');
  if (n.ipSan !== 'NONE') san.push(n.ipSan === 'VALID' ? 'IP:127.0.0.1' : 'IP:1.1.1.1');
  return issue(
    { subject: subject(cn), ca: false, ku: ['digitalSignature'], eku: [OIDS.serverAuth], san: san.length ? san : null, ski: false, aia: null, crl: null, notBefore: NOT_BEFORE, notAfter: NOT_AFTER },
    ica,
  );
}

function allNcCases(): NcCase[] {
  const out: NcCase[] = [];
  for (const client of ['DNS', 'IP'] as const)
    for (const cnType of ['DNS', 'IP'] as const)
      for (const cn of TRI)
        for (const dnsSan of TRI)
          for (const ipSan of TRI)
            for (const dnsWhitelist of TRI)
              for (const ipWhitelist of TRI)
                for (const dnsBlacklist of TRI)
                  for (const ipBlacklist of TRI) out.push({ client, cnType, cn, dnsSan, ipSan, dnsWhitelist, ipWhitelist, dnsBlacklist, ipBlacklist });
  return out;
}

describe('bettertls::nameconstraints', () => {
  // The whole matrix (8748 cases) runs with BETTERTLS_FULL=1; by default every 7th case (1250,
  // every constraint combination and every leaf shape still represented).
  const all = allNcCases();
  const cases = process.env.BETTERTLS_FULL ? all : all.filter((_, i) => i % 7 === 0);

  it(`agrees with the expected verdict on ${cases.length} of the ${all.length} cases`, () => {
    const disagreements: string[] = [];
    const leaves = new Map<string, Issued>();
    for (const n of cases) {
      const ica = localIca(n);
      const lk = `${n.cnType}${n.cn}${n.dnsSan}${n.ipSan}|${n.dnsWhitelist}${n.ipWhitelist}${n.dnsBlacklist}${n.ipBlacklist}`;
      let leaf = leaves.get(lk);
      if (!leaf) {
        leaf = ncLeaf(n, ica);
        leaves.set(lk, leaf);
      }
      const r = verifyChain({ leaf: leaf.der, pool: [ica.der, localRoot.der, trustRoot.der], anchors: [trustRoot.der], at: AT, host: n.client === 'DNS' ? 'test.localhost' : '127.0.0.1' });
      const expected = ncExpected(n);
      if ((r.valid ? 'ACCEPT' : 'REJECT') !== expected) disagreements.push(`${JSON.stringify(n)} expected ${expected}: ${r.errors.map((e) => e.code).join(',')}`);
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
  }, 120_000);

  it('the expectation function matches the suite on its feature cases', () => {
    const base: NcCase = { client: 'DNS', cnType: 'DNS', cn: 'VALID', dnsSan: 'VALID', ipSan: 'NONE', dnsWhitelist: 'NONE', ipWhitelist: 'NONE', dnsBlacklist: 'NONE', ipBlacklist: 'NONE' };
    expect(ncExpected(base)).toBe('ACCEPT');
    expect(ncExpected({ ...base, dnsWhitelist: 'VALID' })).toBe('ACCEPT');
    expect(ncExpected({ ...base, cn: 'NONE', dnsSan: 'INVALID' })).toBe('REJECT');
    expect(ncExpected({ ...base, dnsSan: 'NONE' })).toBe('REJECT');
    expect(ncExpected({ ...base, cn: 'INVALID', dnsWhitelist: 'VALID' })).toBe('ACCEPT');
    expect(ncExpected({ ...base, ipSan: 'INVALID', ipWhitelist: 'VALID' })).toBe('REJECT');
  });
});

// ---------------------------------------------------------------------------------------------
// pathbuilding

type Edge = readonly [string, string];
const GRAPHS: Record<string, readonly Edge[]> = {
  LINEAR: [
    ['ICA', 'EE'],
    ['Trust Anchor', 'ICA'],
  ],
  TWO_ROOTS: [
    ['ICA', 'EE'],
    ['Root1', 'ICA'],
    ['Root2', 'ICA'],
  ],
  FIGURE_SEVEN: [
    ['B', 'EE'],
    ['C', 'B'],
    ['A', 'B'],
    ['C', 'A'],
    ['A', 'C'],
    ['Trust Anchor', 'C'],
    ['Trust Anchor', 'A'],
  ],
  BRIDGE: [
    ['F', 'H'], ['F', 'G'], ['G', 'F'], ['H', 'I'], ['I', 'H'], ['G', 'I'], ['TA W', 'F'], ['TA W', 'G'],
    ['J', 'K'], ['N', 'EE'], ['L', 'N'], ['L', 'M'], ['TA X', 'J'], ['TA X', 'L'],
    ['B', 'E'], ['B', 'D'], ['A', 'B'], ['C', 'B'], ['A', 'C'], ['C', 'A'], ['TA Y', 'A'], ['TA Y', 'C'],
    ['R', 'S'], ['O', 'R'], ['O', 'Q'], ['P', 'S'], ['TA Z', 'O'], ['TA Z', 'P'],
    ['TA W', 'Bridge CA'], ['Bridge CA', 'TA W'], ['TA X', 'Bridge CA'], ['Bridge CA', 'TA X'],
    ['TA Y', 'Bridge CA'], ['Bridge CA', 'TA Y'], ['TA Z', 'Bridge CA'], ['Bridge CA', 'TA Z'],
  ],
};

type Reason = 'EXPIRED' | 'NAME_CONSTRAINTS' | 'BAD_EKU' | 'MISSING_BASIC_CONSTRAINTS' | 'NOT_A_CA' | 'DEPRECATED_CRYPTO';
const REASONS: readonly Reason[] = ['EXPIRED', 'NAME_CONSTRAINTS', 'BAD_EKU', 'MISSING_BASIC_CONSTRAINTS', 'NOT_A_CA', 'DEPRECATED_CRYPTO'];

interface PathCase {
  readonly graph: keyof typeof GRAPHS;
  readonly src: string;
  readonly dst: string;
  readonly invalid: readonly Edge[];
}

const PATH_CASES: readonly PathCase[] = [
  { graph: 'LINEAR', src: 'Trust Anchor', dst: 'EE', invalid: [] },
  { graph: 'LINEAR', src: 'Trust Anchor', dst: 'EE', invalid: [['Trust Anchor', 'ICA']] },
  { graph: 'LINEAR', src: 'ICA', dst: 'EE', invalid: [['Trust Anchor', 'ICA']] },
  { graph: 'TWO_ROOTS', src: 'Root1', dst: 'EE', invalid: [] },
  { graph: 'TWO_ROOTS', src: 'Root2', dst: 'EE', invalid: [] },
  { graph: 'TWO_ROOTS', src: 'Root1', dst: 'EE', invalid: [['Root2', 'ICA']] },
  { graph: 'TWO_ROOTS', src: 'Root2', dst: 'EE', invalid: [['Root1', 'ICA']] },
  { graph: 'TWO_ROOTS', src: 'Root1', dst: 'EE', invalid: [['Root1', 'ICA']] },
  { graph: 'TWO_ROOTS', src: 'Root2', dst: 'EE', invalid: [['Root2', 'ICA']] },
  { graph: 'FIGURE_SEVEN', src: 'Trust Anchor', dst: 'EE', invalid: [] },
  { graph: 'FIGURE_SEVEN', src: 'Trust Anchor', dst: 'EE', invalid: [['Trust Anchor', 'C'], ['A', 'B']] },
  { graph: 'FIGURE_SEVEN', src: 'Trust Anchor', dst: 'EE', invalid: [['Trust Anchor', 'A'], ['C', 'B']] },
  { graph: 'BRIDGE', src: 'TA Z', dst: 'D', invalid: [] },
  { graph: 'BRIDGE', src: 'TA Z', dst: 'EE', invalid: [] },
  { graph: 'BRIDGE', src: 'TA Z', dst: 'EE', invalid: [['TA X', 'Bridge CA']] },
  { graph: 'BRIDGE', src: 'TA Z', dst: 'EE', invalid: [['Bridge CA', 'TA X']] },
  { graph: 'BRIDGE', src: 'TA Z', dst: 'EE', invalid: [['TA Z', 'Bridge CA']] },
];

const same = (a: Edge, b: Edge): boolean => a[0] === b[0] && a[1] === b[1];

/** Is there a path src → dst over valid edges (the suite's expectation)? */
function reachable(edges: readonly Edge[], invalid: readonly Edge[], src: string, dst: string, seen: ReadonlySet<string> = new Set()): boolean {
  if (src === dst) return true;
  if (seen.has(src)) return false;
  const next = new Set(seen).add(src);
  return edges.some((e) => e[0] === src && !invalid.some((x) => same(x, e)) && reachable(edges, invalid, e[1], dst, next));
}

/** Generates the suite's certificates: one per edge, the src node being the trust root. */
function generate(pc: PathCase, reason: Reason): { leaves: Issued[]; intermediates: Issued[] } {
  const edges = GRAPHS[pc.graph] as readonly Edge[];
  const nodes = [...new Set(edges.flat())];
  const self = new Map<string, Issued>();
  for (const node of nodes) self.set(node, node === pc.src ? trustRoot : goCa({ subject: subject(node) }));
  const leaves: Issued[] = [];
  const intermediates: Issued[] = [];
  for (const e of edges) {
    const issuer = self.get(e[0]) as Issued;
    const dst = self.get(e[1]) as Issued;
    const isLeaf = e[1] === pc.dst;
    const key: KeyPair = dst.key;
    let spec: CertSpec = isLeaf
      ? { subject: subject(pc.dst), key, ca: false, ku: ['digitalSignature'], eku: [OIDS.serverAuth], san: ['DNS:localhost'], ski: false, aia: null, crl: null, notBefore: NOT_BEFORE, notAfter: NOT_AFTER }
      : { key, ca: true, ku: ['keyCertSign'], eku: null, san: null, aia: null, crl: null, notBefore: NOT_BEFORE, notAfter: NOT_AFTER };
    if (pc.invalid.some((x) => same(x, e))) {
      switch (reason) {
        case 'EXPIRED':
          spec = { ...spec, notAfter: EXPIRED_NOT_AFTER };
          break;
        case 'NAME_CONSTRAINTS':
          spec = { ...spec, nc: { permitted: ['DNS:bad.example.com'] } };
          break;
        case 'BAD_EKU':
          spec = { ...spec, eku: ['1.3.6.1.5.5.7.3.4'] };
          break;
        case 'MISSING_BASIC_CONSTRAINTS':
          spec = { ...spec, ca: null, ...(isLeaf ? {} : { ku: ['keyCertSign'], eku: null }) };
          break;
        case 'NOT_A_CA':
          spec = { ...spec, ca: false, ...(isLeaf ? {} : { ski: false }) };
          break;
        case 'DEPRECATED_CRYPTO':
          spec = { ...spec, sig: 'sha1' };
          break;
      }
    }
    // A CA edge certifies the destination's own name and key (those of its self-signed certificate).
    const cert = issue(isLeaf ? spec : { ...spec, subjectDer: dst.subject }, issuer);
    (isLeaf ? leaves : intermediates).push(cert);
  }
  return { leaves, intermediates };
}

describe('bettertls::pathbuilding', () => {
  const cases: { pc: PathCase; reason: Reason | null }[] = [];
  for (const pc of PATH_CASES) {
    if (pc.invalid.length === 0) cases.push({ pc, reason: null });
    else for (const reason of REASONS) cases.push({ pc, reason });
  }
  // The suite's "feature" cases: the linear chain broken by each invalid reason.
  for (const reason of REASONS) cases.push({ pc: { graph: 'LINEAR', src: 'Trust Anchor', dst: 'EE', invalid: [['Trust Anchor', 'ICA']] }, reason });

  it.each(cases.map((c, i) => [i, c.pc.graph, c.pc.src, c.pc.dst, JSON.stringify(c.pc.invalid), c.reason ?? 'none', c] as const))(
    'tc%i %s %s → %s, invalid %s (%s)',
    (_i, _g, _s, _d, _inv, _r, { pc, reason }) => {
      const edges = GRAPHS[pc.graph] as readonly Edge[];
      const expectAccept = reachable(edges, pc.invalid, pc.src, pc.dst);
      const { leaves, intermediates } = generate(pc, reason ?? 'EXPIRED');
      const [leaf, ...otherLeaves] = leaves;
      if (!leaf) throw new Error('no leaf');
      // limbo: validation just after the leaf's notBefore, or just after its notAfter when the case
      // exercises expiry and must fail.
      const at = reason === 'EXPIRED' && !expectAccept ? new Date(NOT_AFTER.getTime() + 1000) : AT;
      const t0 = Date.now();
      const r = verifyChain({ leaf: leaf.der, pool: [...otherLeaves, ...intermediates].map((c) => c.der), anchors: [trustRoot.der], at, host: 'localhost' });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect({ valid: r.valid }, r.errors.map((e) => e.code).join(',')).toEqual({ valid: expectAccept });
    },
  );
});

