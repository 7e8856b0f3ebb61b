import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verifyChain } from '../../../../main/pki/chain.js';
import { sha256Hex } from '../../../../main/pki/keys.js';
import { DAY, hierarchy, issue, newKey, NOW } from './fixtures.js';

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
