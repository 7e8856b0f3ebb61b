/**
 * Builders that reproduce x509-limbo's certificate defaults with our fixtures factory, and a
 * runner that maps a limbo-shaped testcase onto verifyChain's inputs (trusted_certs → anchors,
 * untrusted_intermediates → pool, expected_peer_name → host, validation_time → at,
 * max_chain_depth → maxChainDepth).
 */
import { createHash } from 'node:crypto';
import { verifyChain } from '../../../../main/pki/chain.js';
import { ctx, generalName, type Issued, issue, type CertSpec, type KeyPair, octet, OIDS, type RawExt, seq } from './fixtures.js';

export const EPOCH = new Date('1970-01-01T00:00:01Z');
export const TORMENT = new Date('2969-05-03T00:00:01Z');
const SAN_EXAMPLE = ['DNS:example.com'];

/** limbo's root_ca(): self-signed, BC critical cA, KU keyCertSign, SAN example.com, SKI, no AKI. */
export function root(o: CertSpec = {}): Issued {
  return issue({ cn: 'x509-limbo-root', ca: true, ku: ['keyCertSign'], eku: null, san: SAN_EXAMPLE, aia: null, crl: null, notBefore: EPOCH, notAfter: TORMENT, ...o });
}

let icaSerial = 0;
/** limbo's intermediate_ca(): BC critical cA (pathLen), KU keyCertSign, SAN example.com, AKI, SKI. */
export function ica(parent: Issued, pathLen?: number, o: CertSpec = {}): Issued {
  icaSerial++;
  const subject = o.subject ?? [
    ['2.5.4.3', `x509-limbo-intermediate-pathlen-${pathLen ?? 'None'}`],
    ['2.5.4.11', String(icaSerial)],
  ];
  return issue({ ca: pathLen === undefined ? true : { pathLen }, ku: ['keyCertSign'], eku: null, san: SAN_EXAMPLE, aia: null, crl: null, notBefore: EPOCH, notAfter: TORMENT, ...o, subject }, parent);
}

/** limbo's leaf_cert(): CN=example.com, no BC, KU digitalSignature, EKU serverAuth, SAN example.com, AKI, SKI. */
export function leaf(parent: Issued, o: CertSpec = {}): Issued {
  return issue({ cn: 'example.com', ca: null, ku: ['digitalSignature'], eku: [OIDS.serverAuth], san: SAN_EXAMPLE, aia: null, crl: null, notBefore: EPOCH, notAfter: TORMENT, ...o }, parent);
}

/** A testcase in limbo's shape. */
export interface Case {
  readonly trusted: readonly Issued[];
  readonly untrusted?: readonly Issued[];
  readonly peer: Issued;
  /** expected_peer_name; limbo's default is DNS example.com. */
  readonly host?: string;
  /** validation_time; limbo's default is "now". */
  readonly at?: Date;
  readonly maxChainDepth?: number;
}

export type Expect = 'SUCCESS' | 'FAILURE';

export function verdict(c: Case): { result: Expect; codes: string[] } {
  const r = verifyChain({
    leaf: c.peer.der,
    pool: (c.untrusted ?? []).map((x) => x.der),
    anchors: c.trusted.map((x) => x.der),
    at: c.at ?? new Date(),
    host: c.host ?? 'example.com',
    ...(c.maxChainDepth !== undefined ? { maxChainDepth: c.maxChainDepth } : {}),
  });
  return { result: r.valid ? 'SUCCESS' : 'FAILURE', codes: r.errors.map((e) => e.code) };
}

export const ext = (o: string, value: Buffer, critical = false): RawExt => ({ oid: o, value, critical });
export const UNKNOWN_CRITICAL = ext('1.3.6.1.4.1.55738.666.1', Buffer.alloc(0), true);
export const keyId = (k: KeyPair): Buffer => createHash('sha1').update(k.spki).digest();
export const akiExt = (parts: Buffer[], critical = false): RawExt => ext('2.5.29.35', seq(...parts), critical);
export const skiExt = (k: KeyPair, critical = false): RawExt => ext('2.5.29.14', octet(keyId(k)), critical);
export const ncExt = (permitted: readonly string[] | null, excluded: readonly string[] | null, critical = true): RawExt => {
  const sub = (l: readonly string[]): Buffer => Buffer.concat(l.map((g) => seq(generalName(g))));
  const parts: Buffer[] = [];
  if (permitted) parts.push(ctx(0, sub(permitted)));
  if (excluded) parts.push(ctx(1, sub(excluded)));
  return ext('2.5.29.30', seq(...parts), critical);
};
export const rawSanExt = (gns: Buffer[], critical = false): RawExt => ext('2.5.29.17', seq(...gns), critical);

