import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCertificate } from '../../../../main/pki/cert-model.js';
import { isBundledRoot, verifyChain } from '../../../../main/pki/chain.js';
import { sha256Hex } from '../../../../main/pki/keys.js';
import { validatePath } from '../../../../main/pki/validate.js';
import { DAY, hierarchy, issue, newKey, NOW, octet, seq, tlv } from './fixtures.js';

const codes = (r: { errors: readonly { code: string }[] }): string[] => r.errors.map((e) => e.code);

describe('verifyChain path building', () => {
  const h = hierarchy();

  it('builds leaf → intermediate → root from an unordered pool', () => {
    const r = verifyChain({ leaf: h.leaf.der, pool: [h.root.der, h.inter.der], anchors: [h.root.der], at: NOW, host: 'www.example.com' });
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.chain).toEqual([sha256Hex(h.leaf.der), sha256Hex(h.inter.der), sha256Hex(h.root.der)]);
  });

  it('refuses an invalid validation time', () => {
    expect(() => verifyChain({ leaf: h.leaf.der, pool: [], anchors: [h.root.der], at: new Date('nope') })).toThrow(/not a valid date/);
  });

  it('reports the missing intermediate by name', () => {
    const r = verifyChain({ leaf: h.leaf.der, pool: [], anchors: [h.root.der], at: NOW });
    expect(r.valid).toBe(false);
    expect(codes(r)).toContain('CHAIN_INCOMPLETE');
    expect(r.errors[0]?.message).toBe("intermediate 'Test Intermediate' is missing: the bundle ends at the leaf");
    expect(r.chain).toEqual([sha256Hex(h.leaf.der)]);
  });

  it('above an intermediate, says the missing issuer may be an untrusted root', () => {
    const other = issue({ cn: 'Other Root', ca: true });
    const r = verifyChain({ leaf: h.leaf.der, pool: [h.inter.der], anchors: [other.der], at: NOW });
    expect(codes(r)).toContain('CHAIN_INCOMPLETE');
    expect(r.errors[0]?.message).toBe("'Test Root', the issuer of 'Test Intermediate', is missing or is not a trusted root: the bundle ends at 'Test Intermediate'");
  });

  it('does not trust a root that is only in the pool', () => {
    const other = issue({ cn: 'Other Root', ca: true });
    const r = verifyChain({ leaf: h.leaf.der, pool: [h.inter.der, h.root.der], anchors: [other.der], at: NOW });
    expect(r.valid).toBe(false);
    expect(codes(r)).toContain('UNTRUSTED_ROOT');
  });

  it('accepts an intermediate given as the trust anchor', () => {
    const r = verifyChain({ leaf: h.leaf.der, pool: [h.root.der], anchors: [h.inter.der], at: NOW });
    expect(r.valid).toBe(true);
    expect(r.chain).toHaveLength(2);
  });

  it('uses the default Node.js root store when no anchors are given', () => {
    const r = verifyChain({ leaf: h.leaf.der, pool: [h.inter.der, h.root.der], at: NOW });
    expect(r.valid).toBe(false);
    expect(codes(r)).toContain('UNTRUSTED_ROOT');
  });

  it('reports a bad signature instead of a missing intermediate', () => {
    const forged = issue({ cn: 'www.example.com', badSignature: true }, h.inter);
    const r = verifyChain({ leaf: forged.der, pool: [h.inter.der], anchors: [h.root.der], at: NOW });
    expect(codes(r)).toContain('SIGNATURE_INVALID');
  });

  it('prefers a valid cross-signed path over an expired one', () => {
    const oldRoot = issue({ cn: 'Old Root', ca: true, notBefore: new Date(NOW.getTime() - 4000 * DAY), notAfter: new Date(NOW.getTime() + 4000 * DAY) });
    const newRoot = issue({ cn: 'New Root', ca: true, notBefore: new Date(NOW.getTime() - 100 * DAY), notAfter: new Date(NOW.getTime() + 4000 * DAY) });
    // The new root cross-signed by the old root, expired.
    const cross = issue({ cn: 'New Root', key: newRoot.key, ca: true, notBefore: new Date(NOW.getTime() - 900 * DAY), notAfter: new Date(NOW.getTime() - DAY) }, oldRoot);
    const inter = issue({ cn: 'Issuing CA', ca: { pathLen: 0 } }, newRoot);
    const leaf = issue({ cn: 'a.example.com' }, inter);
    const r = verifyChain({ leaf: leaf.der, pool: [cross.der, inter.der], anchors: [oldRoot.der, newRoot.der], at: NOW });
    expect(r.valid).toBe(true);
    expect(r.chain[2]).toBe(sha256Hex(newRoot.der));
    // With only the old root trusted the expired cross-sign is the only way, and it fails.
    const r2 = verifyChain({ leaf: leaf.der, pool: [cross.der, inter.der], anchors: [oldRoot.der], at: NOW });
    expect(r2.valid).toBe(false);
    expect(codes(r2)).toContain('EXPIRED');
  });

  it('survives cycles between cross-signed CAs', () => {
    const root = issue({ cn: 'Anchor', ca: true });
    const ka = newKey();
    const kb = newKey();
    const a = issue({ cn: 'CA A', key: ka, ca: true }, { ...root, key: kb, subject: issue({ cn: 'CA B', key: kb, ca: true }).subject, ski: issue({ cn: 'x', key: kb }).ski, cn: 'CA B' });
    const b = issue({ cn: 'CA B', key: kb, ca: true }, a);
    const leaf = issue({ cn: 'cyc.example.com' }, a);
    const r = verifyChain({ leaf: leaf.der, pool: [a.der, b.der], anchors: [root.der], at: NOW });
    expect(r.valid).toBe(false);
    expect(r.chain.length).toBeLessThan(12);
  });

  it('bounds the work on a hostile pool of many same-name CAs', () => {
    const root = issue({ cn: 'Hostile Root', ca: true });
    const pool: Buffer[] = [];
    for (let i = 0; i < 60; i++) pool.push(issue({ cn: 'Same Name', ca: true }, { ...root, key: newKey(), ski: Buffer.alloc(20, i) }).der);
    const leaf = issue({ cn: 'h.example.com', issuerName: undefined }, { ...root, subject: issue({ cn: 'Same Name' }).subject, key: newKey() });
    const t0 = Date.now();
    const r = verifyChain({ leaf: leaf.der, pool, anchors: [root.der], at: NOW });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.valid).toBe(false);
  });

  it('bounds the work on a full mesh of CAs cross-signing each other', () => {
    const root = issue({ cn: 'Mesh Root', ca: true });
    const keys = Array.from({ length: 12 }, () => newKey());
    const subject = issue({ cn: 'Mesh CA' }).subject;
    const pool: Buffer[] = [];
    for (const k of keys) {
      for (const s of keys) pool.push(issue({ cn: 'Mesh CA', key: k, ca: true }, { ...root, key: s, subject, ski: Buffer.alloc(20, 1), cn: 'Mesh CA' }).der);
    }
    const leaf = issue({ cn: 'mesh.example.com' }, { ...root, key: keys[0]!, subject, ski: Buffer.alloc(20, 1), cn: 'Mesh CA' });
    const t0 = Date.now();
    const r = verifyChain({ leaf: leaf.der, pool, anchors: [root.der], at: NOW });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.valid).toBe(false);
    expect(r.errors.length).toBeGreaterThan(0);
  });

  it('bounds name-constraint work across many candidate paths', () => {
    const root = issue({ cn: 'NC DoS Root', ca: true });
    const permitted = Array.from({ length: 1000 }, (_, i) => `DNS:p${i}.example.com`);
    const key = newKey();
    // 40 copies of one CA (same name and key), each with 1000 constraints; a leaf with 240 names.
    const inters = Array.from({ length: 40 }, (_, i) => issue({ cn: 'Same CA', key, ca: true, nc: { permitted }, serial: Buffer.from([1, i + 1]) }, root));
    const leaf = issue({ cn: 'x', san: Array.from({ length: 240 }, (_, i) => `DNS:h${i}.example.org`) }, inters[0]!);
    const t0 = Date.now();
    const r = verifyChain({ leaf: leaf.der, pool: inters.map((c) => c.der), anchors: [root.der], at: NOW });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.valid).toBe(false);
    expect(codes(r)).toContain('NAME_CONSTRAINTS_TOO_COMPLEX');
  });

  it('reports a few name-constraint violations and summarises the rest', () => {
    const root = issue({ cn: 'NC Root', ca: true, nc: { permitted: ['DNS:example.com'] } });
    const leaf = issue({ cn: 'x', san: Array.from({ length: 10 }, (_, i) => `DNS:h${i}.example.org`) }, root);
    const r = verifyChain({ leaf: leaf.der, pool: [], anchors: [root.der], at: NOW });
    expect(r.errors.map((e) => e.message)).toEqual([
      "'NC Root' may only issue for example.com, but 'x' names h0.example.org",
      "'NC Root' may only issue for example.com, but 'x' names h1.example.org",
      "'NC Root' may only issue for example.com, but 'x' names h2.example.org",
      "'x' breaks the name constraints of 'NC Root' 7 more times",
    ]);
  });

  it('property: the verdict and chain do not depend on pool order or unrelated certificates', () => {
    const unrelated = [issue({ cn: 'Unrelated Root', ca: true }), issue({ cn: 'Other Leaf' }), issue({ cn: 'Test Intermediate', ca: true })].map((c) => c.der);
    const base = verifyChain({ leaf: h.leaf.der, pool: [h.inter.der, h.root.der], anchors: [h.root.der], at: NOW });
    const bad = verifyChain({ leaf: h.leaf.der, pool: [], anchors: [h.root.der], at: NOW });
    fc.assert(
      fc.property(fc.shuffledSubarray(unrelated), fc.integer({ min: 0, max: 1000 }), (extra, seed) => {
        const pool = [h.inter.der, h.root.der, ...extra];
        const shuffled = pool.map((d, i) => ({ d, k: (i * 7919 + seed) % 101 })).sort((x, y) => x.k - y.k).map((x) => x.d);
        const r = verifyChain({ leaf: h.leaf.der, pool: shuffled, anchors: [h.root.der], at: NOW });
        expect(r.valid).toBe(base.valid);
        expect(r.chain).toEqual(base.chain);
        const r2 = verifyChain({ leaf: h.leaf.der, pool: extra, anchors: [h.root.der], at: NOW });
        expect(r2.valid).toBe(bad.valid);
      }),
      { numRuns: 40 },
    );
  });
});

describe('real-world chain shapes', () => {
  const h = hierarchy();
  const mozilla = tls.rootCertificates.map((pem) => new X509Certificate(pem).raw);
  const longAgo = new Date(NOW.getTime() - 3000 * DAY);

  it('explicit anchors that are bundled Mozilla roots get the lenient root profile', () => {
    const models = mozilla.map((d) => parseCertificate(d));
    expect(models.every(isBundledRoot)).toBe(true);
    expect(isBundledRoot(parseCertificate(h.root.der))).toBe(false);
    // Some long-trusted roots predate the RFC 5280 profile (no SKI, non-critical basicConstraints,
    // AKI with issuer and serial): strict checks would refuse chains browsers accept.
    const leaf = parseCertificate(h.leaf.der);
    const at = new Date(Math.min(...models.map((m) => m.notAfter.getTime())) - DAY);
    const strictFailures = models.filter((m) => validatePath([leaf, m], { at, strictAnchor: true }).errors.some((e) => ['SKI_MISSING', 'BASIC_CONSTRAINTS_NOT_CRITICAL', 'AKI_INVALID'].includes(e.code)));
    expect(strictFailures.length).toBeGreaterThan(0);
    for (const m of strictFailures) {
      const codes = validatePath([leaf, m], { at, strictAnchor: false }).errors.map((e) => e.code);
      expect(codes.filter((c) => ['SKI_MISSING', 'BASIC_CONSTRAINTS_NOT_CRITICAL', 'AKI_INVALID'].includes(c))).toEqual([]);
    }
  });

  it('validates against the Mozilla store plus a private root, like a real trust store', () => {
    const r = verifyChain({ leaf: h.leaf.der, pool: [h.inter.der], anchors: [...mozilla, h.root.der], at: NOW, host: 'www.example.com' });
    expect(r.errors).toEqual([]);
    expect(r.chain).toEqual([sha256Hex(h.leaf.der), sha256Hex(h.inter.der), sha256Hex(h.root.der)]);
  });

  it('an expired cross-sign of a trusted root in the bundle does not hide the valid path', () => {
    // ISRG Root X1 / DST Root CA X3 shape: the bundle carries X1 cross-signed by an expired root.
    const oldRoot = issue({ cn: 'Old Root X3', ca: true, key: newKey('rsa2048'), notBefore: longAgo, notAfter: new Date(NOW.getTime() - 60 * DAY) });
    const x1 = issue({ cn: 'New Root X1', ca: true, key: newKey('rsa2048'), notBefore: longAgo, notAfter: new Date(NOW.getTime() + 3000 * DAY) });
    const x1ByOld = issue({ cn: 'New Root X1', ca: true, key: x1.key, notBefore: longAgo, notAfter: new Date(NOW.getTime() - 30 * DAY) }, oldRoot);
    const r3 = issue({ cn: 'R3', ca: { pathLen: 0 } }, x1);
    const leaf = issue({ cn: 'le.example.com' }, r3);
    for (const anchors of [[x1.der], [oldRoot.der, x1.der], [x1.der, oldRoot.der], [...mozilla, x1.der]]) {
      for (const pool of [[r3.der, x1ByOld.der], [x1ByOld.der, r3.der], [leaf.der, r3.der, x1ByOld.der, r3.der]]) {
        const r = verifyChain({ leaf: leaf.der, pool, anchors, at: NOW, host: 'le.example.com' });
        expect(r.errors).toEqual([]);
        expect(r.chain).toEqual([sha256Hex(leaf.der), sha256Hex(r3.der), sha256Hex(x1.der)]);
      }
    }
    // Only the expired root trusted: the cross-sign is the only way, and it is expired.
    const r = verifyChain({ leaf: leaf.der, pool: [r3.der, x1ByOld.der], anchors: [oldRoot.der], at: NOW });
    expect(r.valid).toBe(false);
    expect(codes(r)).toContain('EXPIRED');
  });

  it('a cross-signed intermediate reaches whichever root is trusted', () => {
    const rootA = issue({ cn: 'Root A', ca: true });
    const rootB = issue({ cn: 'Root B', ca: true });
    const interKey = newKey();
    const interByA = issue({ cn: 'Issuing CA', ca: { pathLen: 0 }, key: interKey }, rootA);
    const interByB = issue({ cn: 'Issuing CA', ca: { pathLen: 0 }, key: interKey }, rootB);
    const leaf = issue({ cn: 'x.example.com' }, interByA);
    for (const [anchor, inter] of [
      [rootA, interByA],
      [rootB, interByB],
    ] as const) {
      const r = verifyChain({ leaf: leaf.der, pool: [interByA.der, interByB.der], anchors: [anchor.der], at: NOW, host: 'x.example.com' });
      expect(r.errors).toEqual([]);
      expect(r.chain[1]).toBe(sha256Hex(inter.der));
    }
  });

  it('an AKI/SKI mismatch only orders candidates: it never excludes a valid issuer', () => {
    const root = issue({ cn: 'AKI Root', ca: true });
    const inter = issue({ cn: 'AKI Inter', ca: { pathLen: 0 } }, root);
    // The leaf's AKI names a key the intermediate does not have (a re-keyed CA, a CA bug).
    const leaf = issue({ cn: 'aki.example.com', aki: false, extra: [{ oid: '2.5.29.35', value: seq(tlv(0x80, Buffer.alloc(20, 7))) }] }, inter);
    // A same-name decoy whose SKI does match the AKI but whose key did not sign the leaf.
    const decoy = issue({ cn: 'AKI Inter', ca: true, ski: false, extra: [{ oid: '2.5.29.14', value: octet(Buffer.alloc(20, 7)) }] }, root);
    const r = verifyChain({ leaf: leaf.der, pool: [decoy.der, inter.der], anchors: [root.der], at: NOW, host: 'aki.example.com' });
    expect(r.errors).toEqual([]);
    expect(r.chain[1]).toBe(sha256Hex(inter.der));
  });

  it('leaf-first, reversed, duplicated and padded bundles all give the same chain', () => {
    const unrelated = [issue({ cn: 'Unrelated CA', ca: true }).der, issue({ cn: 'other.example.org' }).der];
    const expected = [sha256Hex(h.leaf.der), sha256Hex(h.inter.der), sha256Hex(h.root.der)];
    for (const pool of [
      [h.leaf.der, h.inter.der, h.root.der],
      [h.root.der, h.inter.der, h.leaf.der],
      [h.inter.der, h.inter.der, h.leaf.der, h.leaf.der],
      [...unrelated, h.inter.der, ...unrelated],
    ]) {
      const r = verifyChain({ leaf: h.leaf.der, pool, anchors: [h.root.der], at: NOW, host: 'example.com' });
      expect(r.errors).toEqual([]);
      expect(r.chain).toEqual(expected);
    }
  });

  it('honours maxChainDepth and refuses a negative or fractional one', () => {
    expect(verifyChain({ leaf: h.leaf.der, pool: [h.inter.der], anchors: [h.root.der], at: NOW, maxChainDepth: 1 }).valid).toBe(true);
    const r = verifyChain({ leaf: h.leaf.der, pool: [h.inter.der], anchors: [h.root.der], at: NOW, maxChainDepth: 0 });
    expect(codes(r)).toEqual(['CHAIN_TOO_LONG']);
    expect(() => verifyChain({ leaf: h.leaf.der, pool: [], anchors: [h.root.der], at: NOW, maxChainDepth: -1 })).toThrow(/maximum chain depth/);
    expect(() => verifyChain({ leaf: h.leaf.der, pool: [], anchors: [h.root.der], at: NOW, maxChainDepth: 1.5 })).toThrow(/maximum chain depth/);
  });
});
