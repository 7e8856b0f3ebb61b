import { describe, expect, it } from 'vitest';
import { constants, sign, X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { decodeOid, parseCertificate } from '../../../../main/pki/cert-model.js';
import { verifyChain } from '../../../../main/pki/chain.js';
import { validatePath, validityTooLong } from '../../../../main/pki/validate.js';
import { bitString, ctx, DAY, hierarchy, int, issue, newKey, NOW, oid, OIDS, seq, tlv, type CertSpec, type Issued } from './fixtures.js';

const root = issue({ cn: 'Test Root', ca: true, notBefore: new Date(NOW.getTime() - 3650 * DAY), notAfter: new Date(NOW.getTime() + 3650 * DAY) });

/** Verifies root → [inter] → leaf built from the specs; returns error codes. */
function run(o: { root?: CertSpec; inter?: CertSpec | null; leaf?: CertSpec; at?: Date; host?: string }): { valid: boolean; codes: string[]; messages: string[] } {
  const r = o.root ? issue({ cn: 'Test Root', ca: true, ...o.root }) : root;
  let issuer: Issued = r;
  const pool: Buffer[] = [];
  if (o.inter !== null) {
    issuer = issue({ cn: 'Test Intermediate', ca: { pathLen: 0 }, ...o.inter }, r);
    pool.push(issuer.der);
  }
  const leaf = issue({ cn: 'www.example.com', ...o.leaf }, issuer);
  const res = verifyChain({ leaf: leaf.der, pool, anchors: [r.der], at: o.at ?? NOW, host: o.host });
  return { valid: res.valid, codes: res.errors.map((e) => e.code), messages: res.errors.map((e) => e.message) };
}

describe('validatePath rules', () => {
  it('accepts a good chain', () => {
    expect(run({ host: 'www.example.com' })).toMatchObject({ valid: true, codes: [] });
  });

  it('checks validity of every certificate', () => {
    expect(run({ leaf: { notAfter: new Date(NOW.getTime() - DAY) } }).codes).toContain('EXPIRED');
    expect(run({ inter: { notAfter: new Date(NOW.getTime() - DAY) } }).codes).toContain('EXPIRED');
    expect(run({ leaf: { notBefore: new Date(NOW.getTime() + DAY) } }).codes).toContain('NOT_YET_VALID');
    const r = run({ root: { notAfter: new Date(NOW.getTime() - DAY) } });
    expect(r.codes).toContain('EXPIRED');
    expect(r.messages.join()).toMatch(/root 'Test Root' expired on/);
  });

  it('names the last certificate of a path short of its anchor for what it is, not "root"', () => {
    const inter = issue({ cn: 'Test Intermediate', ca: { pathLen: 0 }, notAfter: new Date(NOW.getTime() - DAY) }, root);
    const leaf = issue({ cn: 'www.example.com' }, inter);
    // The root is not trusted: the path ends at the expired intermediate.
    const res = verifyChain({ leaf: leaf.der, pool: [inter.der], anchors: [], at: NOW });
    const messages = res.errors.map((e) => e.message).join('\n');
    expect(messages).toMatch(/intermediate 'Test Intermediate' expired on/);
    expect(messages).not.toMatch(/root 'Test Intermediate'/);
    // An intermediate the user trusts as an anchor is named as one.
    const anchored = verifyChain({ leaf: leaf.der, pool: [], anchors: [inter.der], at: NOW });
    expect(anchored.errors.map((e) => e.message).join('\n')).toMatch(/trust anchor 'Test Intermediate' expired on/);
  });

  it('requires CA issuers with keyCertSign and respects pathLen', () => {
    expect(run({ inter: { ca: false } }).codes).toContain('NOT_A_CA');
    expect(run({ inter: { ca: null } }).codes).toContain('NOT_A_CA');
    expect(run({ inter: { ca: true, ku: ['digitalSignature'] } }).codes).toContain('KEY_USAGE_NO_CERTSIGN');
    expect(run({ inter: { ca: { critical: false } } }).codes).toContain('BASIC_CONSTRAINTS_NOT_CRITICAL');
    expect(run({ root: { ca: { pathLen: 0 } } }).codes).toContain('PATH_LEN_EXCEEDED');
    expect(run({ root: { ca: { pathLen: 1 } } }).valid).toBe(true);
  });

  it('applies pathLen to a deeper chain and skips self-issued intermediates', () => {
    const i1 = issue({ cn: 'I1', ca: { pathLen: 0 } }, root);
    const i2 = issue({ cn: 'I2', ca: true }, i1);
    const leaf = issue({ cn: 'www.example.com' }, i2);
    const r = verifyChain({ leaf: leaf.der, pool: [i1.der, i2.der], anchors: [root.der], at: NOW });
    expect(r.errors.map((e) => e.code)).toContain('PATH_LEN_EXCEEDED');
  });

  it('chains serverAuth through intermediates with an EKU', () => {
    expect(run({ inter: { eku: [OIDS.clientAuth] } }).codes).toContain('EKU_NO_SERVER_AUTH');
    expect(run({ inter: { eku: [OIDS.serverAuth, OIDS.clientAuth] } }).valid).toBe(true);
    expect(run({ inter: { eku: [OIDS.anyEku] } }).valid).toBe(true);
    expect(run({ leaf: { eku: [OIDS.clientAuth] } }).codes).toContain('EKU_NO_SERVER_AUTH');
    expect(run({ leaf: { eku: null } }).codes).toContain('EKU_MISSING');
    expect(run({ leaf: { eku: [OIDS.serverAuth, OIDS.anyEku] } }).codes).toContain('EKU_FORBIDDEN');
  });

  it('rejects a leaf that is a CA and keyCertSign without cA', () => {
    expect(run({ leaf: { ca: true, ku: ['digitalSignature', 'keyCertSign'], san: ['DNS:www.example.com'], eku: [OIDS.serverAuth] } }).codes).toContain('LEAF_IS_CA');
    expect(run({ leaf: { ku: ['digitalSignature', 'keyCertSign'] } }).codes).toContain('INCONSISTENT_CA_BITS');
  });

  it('rejects unknown critical extensions anywhere and accepts unknown non-critical ones', () => {
    const x = { oid: '1.3.6.1.4.1.55738.666.1', critical: true, value: Buffer.alloc(0) };
    expect(run({ leaf: { extra: [x] } }).codes).toContain('UNKNOWN_CRITICAL_EXTENSION');
    expect(run({ inter: { extra: [x] } }).codes).toContain('UNKNOWN_CRITICAL_EXTENSION');
    expect(run({ root: { extra: [x] } }).codes).toContain('UNKNOWN_CRITICAL_EXTENSION');
    expect(run({ leaf: { extra: [{ ...x, critical: false }] } }).valid).toBe(true);
  });

  it('rejects malformed and duplicate extensions', () => {
    expect(run({ leaf: { extra: [{ oid: '1.3.6.1.5.5.7.1.1', value: Buffer.from('malformed') }], aia: null } }).codes).toContain('MALFORMED_EXTENSION');
    expect(run({ leaf: { extra: [{ oid: '2.5.29.17', value: Buffer.from('3011820f7777772e6578616d706c652e636f6d', 'hex') }] } }).codes).toContain('DUPLICATE_EXTENSION');
  });

  it('rejects MD5 and SHA-1 signatures except on the anchor itself', () => {
    const rsaRoot = issue({ cn: 'RSA Root', ca: true, key: newKey('rsa2048'), sig: 'sha1' });
    const sha1Leaf = issue({ cn: 'www.example.com', sig: 'sha1' }, rsaRoot);
    const md5Leaf = issue({ cn: 'www.example.com', sig: 'md5' }, rsaRoot);
    const goodLeaf = issue({ cn: 'www.example.com' }, rsaRoot);
    const v = (l: Issued) => verifyChain({ leaf: l.der, pool: [], anchors: [rsaRoot.der], at: NOW });
    expect(v(sha1Leaf).errors.map((e) => e.code)).toContain('WEAK_SIGNATURE_ALGORITHM');
    expect(v(md5Leaf).errors.map((e) => e.code)).toContain('WEAK_SIGNATURE_ALGORITHM');
    expect(v(goodLeaf).valid).toBe(true);
  });

  it('verifies RSA-PSS (SHA-256 and SHA-384) and ECDSA P-384/P-521 signatures', () => {
    for (const sig of ['pss-sha256', 'pss-sha384'] as const) {
      const r = issue({ cn: 'PSS Root', ca: true, key: newKey('rsa2048'), sig });
      const l = issue({ cn: 'www.example.com', sig }, r);
      expect(verifyChain({ leaf: l.der, pool: [], anchors: [r.der], at: NOW }).valid).toBe(true);
      const bad = issue({ cn: 'www.example.com', sig, badSignature: true }, r);
      expect(verifyChain({ leaf: bad.der, pool: [], anchors: [r.der], at: NOW }).errors.map((e) => e.code)).toContain('SIGNATURE_INVALID');
    }
    for (const k of ['p384', 'p521'] as const) {
      const r = issue({ cn: `${k} Root`, ca: true, key: newKey(k), sig: k === 'p384' ? 'sha384' : 'sha256' });
      const l = issue({ cn: 'www.example.com' }, r);
      const res = verifyChain({ leaf: l.der, pool: [], anchors: [r.der], at: NOW });
      expect(res.valid).toBe(true);
    }
  });

  it('verifies Ed25519 signatures but refuses them for TLS, as browsers do', () => {
    const r = issue({ cn: 'Ed25519 Root', ca: true, key: newKey('ed25519') });
    const l = issue({ cn: 'www.example.com' }, r);
    const res = verifyChain({ leaf: l.der, pool: [], anchors: [r.der], at: NOW });
    expect(res.errors.map((e) => e.code).sort()).toEqual(['UNSUPPORTED_KEY', 'UNSUPPORTED_SIGNATURE_ALGORITHM']);
    const edLeaf = issue({ cn: 'www.example.com', key: newKey('ed25519') }, root);
    expect(verifyChain({ leaf: edLeaf.der, pool: [], anchors: [root.der], at: NOW }).errors.map((e) => e.code)).toEqual(['UNSUPPORTED_KEY']);
    const forged = issue({ cn: 'www.example.com', badSignature: true }, r);
    expect(verifyChain({ leaf: forged.der, pool: [], anchors: [r.der], at: NOW }).errors.map((e) => e.code)).toContain('SIGNATURE_INVALID');
  });

  it('accepts RSASSA-PSS only with the salt length browsers require', () => {
    const rsaRoot = issue({ cn: 'PSS Root', ca: true, key: newKey('rsa2048') });
    const pssAlg = (saltLen: number, hashOid = '2.16.840.1.101.3.4.2.1'): Buffer => {
      const h = seq(oid(hashOid), Buffer.from([5, 0]));
      return seq(oid('1.2.840.113549.1.1.10'), seq(ctx(0, h), ctx(1, seq(oid('1.2.840.113549.1.1.8'), h)), ctx(2, int(saltLen))));
    };
    // A PSS signature with a 20-byte salt: valid cryptographically, refused by browsers.
    const tbsLeaf = issue({ cn: 'www.example.com', sig: 'pss-sha256' }, rsaRoot);
    expect(verifyChain({ leaf: tbsLeaf.der, pool: [], anchors: [rsaRoot.der], at: NOW }).valid).toBe(true);
    const salt20 = resignPss(tbsLeaf.der, pssAlg(20), rsaRoot, 20);
    expect(verifyChain({ leaf: salt20, pool: [], anchors: [rsaRoot.der], at: NOW }).errors.map((e) => e.code)).toEqual(['UNSUPPORTED_SIGNATURE_ALGORITHM']);
  });

  it('rejects mismatched inner/outer signature algorithms', () => {
    expect(run({ inter: null, leaf: { mismatchedOuterAlg: true } }).codes).toContain('SIGNATURE_ALGORITHM_MISMATCH');
  });

  it('rejects keys browsers refuse', () => {
    expect(run({ leaf: { key: newKey('secp256k1') } }).codes).toContain('UNSUPPORTED_KEY');
    expect(run({ leaf: { key: newKey('rsa512') } }).codes).toContain('WEAK_KEY');
  });

  it('requires v3 and non-empty names', () => {
    expect(run({ leaf: { version: 1 } }).codes).toContain('UNSUPPORTED_VERSION');
    expect(run({ root: { subject: '' }, inter: null }).valid).toBe(false);
  });

  it('checks SAN criticality against the subject', () => {
    expect(run({ leaf: { sanCritical: true } }).codes).toContain('SAN_CRITICAL');
    expect(run({ leaf: { subject: '', sanCritical: true } }).valid).toBe(true);
    expect(run({ leaf: { subject: '' } }).codes).toContain('SAN_NOT_CRITICAL');
  });

  it('matches the host with no CN fallback', () => {
    const r = run({ host: 'api.example.com' });
    expect(r.codes).toEqual(['HOSTNAME_MISMATCH']);
    expect(r.messages[0]).toBe('certificate is valid for www.example.com, not for api.example.com');
    expect(run({ leaf: { san: null }, host: 'www.example.com' }).codes).toContain('HOSTNAME_MISMATCH');
    expect(run({ leaf: { san: ['IP:192.0.2.1', 'IP:2001:db8::1'] }, host: '2001:db8::1' }).valid).toBe(true);
  });

  describe('name constraints', () => {
    it('applies permitted DNS subtrees to SANs', () => {
      expect(run({ inter: { nc: { permitted: ['DNS:example.com'] } } }).valid).toBe(true);
      expect(run({ inter: { nc: { permitted: ['DNS:example.org'] } } }).codes).toContain('NAME_CONSTRAINT_VIOLATION');
      expect(run({ inter: { nc: { permitted: ['DNS:.example.com'] } }, leaf: { san: ['DNS:example.com'] } }).codes).toContain('NAME_CONSTRAINT_VIOLATION');
    });
    it('applies excluded DNS subtrees, including wildcards reaching into them', () => {
      expect(run({ inter: { nc: { excluded: ['DNS:www.example.com'] } } }).codes).toContain('NAME_CONSTRAINT_VIOLATION');
      expect(run({ inter: { nc: { excluded: ['DNS:foo.example.com'] } }, leaf: { san: ['DNS:*.example.com'] } }).codes).toContain('NAME_CONSTRAINT_VIOLATION');
      expect(run({ inter: { nc: { excluded: ['DNS:other.com'] } } }).valid).toBe(true);
    });
    it('applies IP subtrees (v4 and v6) and rejects malformed masks', () => {
      expect(run({ inter: { nc: { permitted: ['IP:192.0.2.0/24'] } }, leaf: { san: ['IP:192.0.2.9'] } }).valid).toBe(true);
      expect(run({ inter: { nc: { permitted: ['IP:192.0.2.0/24'] } }, leaf: { san: ['IP:198.51.100.9'] } }).codes).toContain('NAME_CONSTRAINT_VIOLATION');
      expect(run({ inter: { nc: { excluded: ['IP:2001:db8::/32'] } }, leaf: { san: ['IP:2001:db8::1'] } }).codes).toContain('NAME_CONSTRAINT_VIOLATION');
      // A v4-only permitted set does not cover v6 addresses (RFC 5280: same name type, no match).
      expect(run({ inter: { nc: { permitted: ['IP:192.0.2.0/24'] } }, leaf: { san: ['IP:2001:db8::1'] } }).codes).toContain('NAME_CONSTRAINT_VIOLATION');
      const bad = { oid: '2.5.29.30', critical: true, value: Buffer.from('3010a00e300c870ac0000200ffff00ff0000', 'hex') };
      expect(run({ inter: { extra: [bad] } }).codes).toContain('NAME_CONSTRAINTS_INVALID');
    });
    it('applies DNS constraints to the CN when there is no SAN', () => {
      expect(run({ inter: { nc: { permitted: ['DNS:example.org'] } }, leaf: { san: null } }).codes).toContain('NAME_CONSTRAINT_VIOLATION');
    });
    it('applies constraints from the root too', () => {
      expect(run({ root: { nc: { permitted: ['DNS:example.org'] } } }).codes).toContain('NAME_CONSTRAINT_VIOLATION');
    });
  });

  it('compares issuer and subject names case-insensitively with collapsed whitespace', () => {
    const r = issue({ cn: 'My  Root CA', ca: true });
    const leaf = issue({ cn: 'www.example.com', issuerName: issue({ subject: [['2.5.4.3', 'my root   ca ']] }).subject }, r);
    expect(verifyChain({ leaf: leaf.der, pool: [], anchors: [r.der], at: NOW }).valid).toBe(true);
  });

  it('holds explicit anchors to the CA profile', () => {
    expect(run({ root: { ca: null }, inter: null }).codes).toContain('NOT_A_CA');
    expect(run({ root: { ca: { critical: false } }, inter: null }).codes).toContain('BASIC_CONSTRAINTS_NOT_CRITICAL');
    expect(run({ root: { ku: ['digitalSignature'] }, inter: null }).codes).toContain('KEY_USAGE_NO_CERTSIGN');
    expect(run({ root: { ski: false }, inter: null }).codes).toContain('SKI_MISSING');
  });

  it('decodes the OIDs the fixtures encode', () => {
    expect(decodeOid(oid('1.3.6.1.4.1.55738.666.1').subarray(2))).toBe('1.3.6.1.4.1.55738.666.1');
  });

  it('a self-signed certificate trusted directly is valid for its names', () => {
    const self = issue({ cn: 'self.example.com', san: ['DNS:self.example.com'] });
    expect(verifyChain({ leaf: self.der, pool: [], anchors: [self.der], at: NOW, host: 'self.example.com' }).valid).toBe(true);
    expect(hierarchy().leaf.der.length).toBeGreaterThan(100);
  });
});

/** Re-signs a certificate with RSASSA-PSS under `alg` (same encoded length as its current algorithm). */
function resignPss(der: Buffer, alg: Buffer, signer: Issued, saltLength: number): Buffer {
  const m = parseCertificate(der);
  const oldAlg = Buffer.from(m.tbsSignatureAlgorithm.der);
  if (oldAlg.length !== alg.length) throw new Error('the replacement AlgorithmIdentifier must keep the length');
  const tbs = Buffer.from(Buffer.from(m.tbs).toString('hex').replace(oldAlg.toString('hex'), alg.toString('hex')), 'hex');
  const signature = sign('sha256', tbs, { key: signer.key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
  return seq(tbs, alg, bitString(signature));
}

describe('publicly-trusted validity limits (Chrome)', () => {
  const d = (s: string): Date => new Date(s);
  it('follows the Baseline Requirements transitions', () => {
    expect(validityTooLong(d('2024-01-01T00:00:00Z'), d('2025-02-02T00:00:00Z'))).toBeNull(); // 398 days
    expect(validityTooLong(d('2024-01-01T00:00:00Z'), d('2025-02-02T00:00:01Z'))).toMatch(/398 allowed/);
    expect(validityTooLong(d('2019-01-01T00:00:00Z'), d('2021-04-05T00:00:00Z'))).toBeNull(); // 825 days
    expect(validityTooLong(d('2019-01-01T00:00:00Z'), d('2021-04-06T00:00:00Z'))).toMatch(/825 allowed/);
    expect(validityTooLong(d('2016-01-01T00:00:00Z'), d('2019-04-01T00:00:00Z'))).toBeNull(); // 39 months
    expect(validityTooLong(d('2016-01-01T00:00:00Z'), d('2019-04-02T00:00:00Z'))).toMatch(/40 months, more than the 39/);
    expect(validityTooLong(d('2013-01-01T00:00:00Z'), d('2018-01-01T00:00:00Z'))).toBeNull();
    expect(validityTooLong(d('2010-01-01T00:00:00Z'), d('2020-01-02T00:00:00Z'))).toMatch(/121 months/);
  });

  it('applies only when the path ends at a publicly-trusted root', () => {
    const r = issue({ cn: 'Public-ish Root', ca: true });
    const leaf = issue({ cn: 'www.example.com', notBefore: new Date(NOW.getTime() - 30 * DAY), notAfter: new Date(NOW.getTime() + 400 * DAY) }, r);
    const path = [parseCertificate(leaf.der), parseCertificate(r.der)];
    expect(validatePath(path, { at: NOW, strictAnchor: true }).errors).toEqual([]);
    expect(validatePath(path, { at: NOW, strictAnchor: false, publicRoot: true }).errors.map((e) => e.code)).toEqual(['VALIDITY_TOO_LONG']);
  });

  it('refuses leaves issued after a bundled root was distrusted (Entrust, Chunghwa, NetLock)', () => {
    const entrust = tls.rootCertificates.map((pem) => parseCertificate(new X509Certificate(pem).raw)).find((m) => m.label === 'Entrust Root Certification Authority - G2');
    if (!entrust) throw new Error('Entrust G2 is not in this Node.js root store');
    const codesAt = (notBefore: string): string[] => {
      const nb = new Date(notBefore);
      const leaf = parseCertificate(issue({ cn: 'www.example.com', notBefore: nb, notAfter: new Date(nb.getTime() + 90 * DAY) }, root).der);
      return validatePath([leaf, entrust], { at: new Date(nb.getTime() + DAY), strictAnchor: false, publicRoot: true }).errors.map((e) => e.code);
    };
    expect(codesAt('2024-11-01T00:00:00Z')).toEqual([]);
    expect(codesAt('2024-12-01T00:00:00Z')).toEqual(['DISTRUSTED_ROOT']);
  });
});

describe('certificate policies (RFC 5280 6.1)', () => {
  const P1 = '1.3.6.1.4.1.55738.1';
  const P2 = '1.3.6.1.4.1.55738.2';
  const ANY = '2.5.29.32.0';
  const policies = (...ids: string[]) => ({ oid: '2.5.29.32', value: seq(...ids.map((i) => seq(oid(i)))) });
  const requireExplicit = (n: number) => ({ oid: '2.5.29.36', critical: true, value: seq(tlv(0x80, Buffer.from([n]))) });
  const requireAndInhibitMapping = (r: number, m: number) => ({ oid: '2.5.29.36', critical: true, value: seq(tlv(0x80, Buffer.from([r])), tlv(0x81, Buffer.from([m]))) });
  const mapping = (a: string, b: string) => ({ oid: '2.5.29.33', critical: true, value: seq(seq(oid(a), oid(b))) });
  const inhibitAny = (n: number) => ({ oid: '2.5.29.54', critical: true, value: int(n) });
  const chain = (i1: RawExtList, i2: RawExtList | null, leafExt: RawExtList) => {
    const a = issue({ cn: 'Policy I1', ca: true, extra: i1 }, root);
    const b = i2 ? issue({ cn: 'Policy I2', ca: true, extra: i2 }, a) : null;
    const l = issue({ cn: 'www.example.com', extra: leafExt }, b ?? a);
    const r = verifyChain({ leaf: l.der, pool: [a.der, ...(b ? [b.der] : [])], anchors: [root.der], at: NOW });
    return r.errors.map((e) => e.code);
  };

  it('accepts paths without policies unless a CA requires an explicit one', () => {
    expect(chain([], null, [])).toEqual([]);
    expect(chain([policies(P1)], null, [])).toEqual([]);
    expect(chain([requireExplicit(0)], null, [])).toEqual(['POLICY_REQUIRED']);
    expect(chain([requireExplicit(0), policies(P1)], null, [policies(P1)])).toEqual([]);
    expect(chain([requireExplicit(0), policies(P1)], null, [policies(P2)])).toEqual(['POLICY_REQUIRED']);
    expect(chain([requireExplicit(0), policies(ANY)], null, [policies(P2)])).toEqual([]);
    // requireExplicitPolicy counts the certificates below the CA (RFC 5280 6.1.4 (h)/(i), 6.1.5 (a)):
    // with two below, a skip count of 2 still reaches the leaf, 3 does not.
    expect(chain([requireExplicit(2)], [], [])).toEqual(['POLICY_REQUIRED']);
    expect(chain([requireExplicit(3)], [], [])).toEqual([]);
    expect(chain([requireExplicit(2), policies(P1)], [policies(P1)], [policies(P1)])).toEqual([]);
    // A CA without certificatePolicies empties the policy tree for good.
    expect(chain([requireExplicit(2)], [policies(P1)], [policies(P1)])).toEqual(['POLICY_REQUIRED']);
  });

  it('follows policy mappings, unless mapping is inhibited', () => {
    expect(chain([requireExplicit(0), policies(P1)], [policies(P1), mapping(P1, P2)], [policies(P2)])).toEqual([]);
    expect(chain([requireAndInhibitMapping(0, 0), policies(P1)], [policies(P1), mapping(P1, P2)], [policies(P2)])).toEqual(['POLICY_REQUIRED']);
    expect(chain([requireAndInhibitMapping(0, 1), policies(P1)], [policies(P1), mapping(P1, P2)], [policies(P2)])).toEqual([]);
    expect(chain([policies(ANY)], [policies(ANY), mapping(ANY, P2)], [])).toEqual(['POLICY_MAPPING_INVALID']);
    // A mapping from a policy the tree only holds as anyPolicy (6.1.4 (b)(1), second sentence).
    expect(chain([requireExplicit(0), policies(ANY)], [policies(ANY), mapping(P1, P2)], [policies(P2)])).toEqual([]);
  });

  it('honours inhibitAnyPolicy', () => {
    expect(chain([requireExplicit(0), policies(ANY)], [policies(ANY)], [policies(P1)])).toEqual([]);
    expect(chain([requireExplicit(0), inhibitAny(0), policies(ANY)], [policies(ANY)], [policies(P1)])).toEqual(['POLICY_REQUIRED']);
  });

  it('bounds the policy tree (mappings that multiply it at every level)', () => {
    const ps = [P1, P2, '1.3.6.1.4.1.55738.3', '1.3.6.1.4.1.55738.4', '1.3.6.1.4.1.55738.5'];
    const everyToEvery = { oid: '2.5.29.33', critical: true, value: seq(...ps.flatMap((a) => ps.map((b) => seq(oid(a), oid(b))))) };
    let parent = root;
    const pool: Buffer[] = [];
    for (let i = 0; i < 8; i++) {
      parent = issue({ cn: `Policy Mesh ${i}`, ca: true, extra: [policies(...ps), everyToEvery] }, parent);
      pool.push(parent.der);
    }
    const l = issue({ cn: 'www.example.com', extra: [policies(...ps)] }, parent);
    const t0 = Date.now();
    const r = verifyChain({ leaf: l.der, pool, anchors: [root.der], at: NOW });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.errors.map((e) => e.code)).toEqual(['POLICY_TOO_COMPLEX']);
  });

  it('refuses malformed policy extensions', () => {
    expect(chain([{ oid: '2.5.29.32', value: seq(seq(oid(P1)), seq(oid(P1))) }], null, [])).toEqual(['MALFORMED_EXTENSION']);
    expect(chain([{ oid: '2.5.29.36', critical: true, value: seq() }], null, [])).toEqual(['MALFORMED_EXTENSION']);
  });
});

type RawExtList = { oid: string; critical?: boolean; value: Buffer }[];
