import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixBundle, lintBundle } from '../../../../main/pki/bundle.js';
import { hierarchy, issue } from './fixtures.js';

const codes = (fs: readonly { code: string }[]): string[] => fs.map((x) => x.code);

describe('fixBundle', () => {
  const { root, inter, leaf } = hierarchy();
  const inter2 = issue({ cn: 'Second Intermediate', ca: true }, inter);
  const leaf2 = issue({ cn: 'deep.example.com' }, inter2);
  const anchors = [root.der];

  it('orders leaf then intermediates, drops the root, duplicates and strangers', () => {
    const stranger = issue({ cn: 'Stranger CA', ca: true });
    const r = fixBundle({ certificates: [root.der, inter.der, stranger.der, leaf2.der, inter2.der, inter.der], anchors });
    expect(Buffer.compare(r.leaf, leaf2.der)).toBe(0);
    expect(r.chain.map((c) => Buffer.from(c).toString('hex'))).toEqual([inter2.der.toString('hex'), inter.der.toString('hex')]);
    expect(r.removed.map((x) => x.reason)).toEqual([
      "duplicate of 'Test Intermediate'",
      "'Stranger CA' is not part of the leaf's chain",
      "'Test Root' is the root; clients already have it",
    ]);
    expect(r.pem).toBe(leaf2.pem + inter2.pem + inter.pem);
    expect(r.pem).not.toMatch(/\r|\n\n/);
    expect(codes(r.findings).sort()).toEqual(['BUNDLE_OUT_OF_ORDER', 'DUPLICATE_CERTIFICATE', 'EXTRA_CERTIFICATE', 'ROOT_INCLUDED']);
  });

  it('accepts a single-certificate bundle and says the chain is incomplete', () => {
    const r = fixBundle({ certificates: [leaf.der], anchors });
    expect(r.chain).toEqual([]);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'CHAIN_INCOMPLETE', message: "intermediate 'Test Intermediate' is missing: the bundle ends at the leaf" })]);
  });

  it('is clean for a correct bundle', () => {
    expect(lintBundle({ certificates: [leaf.der, inter.der], anchors })).toEqual([]);
  });

  it('notices a leaf that is not first', () => {
    expect(codes(lintBundle({ certificates: [inter.der, leaf.der], anchors }))).toEqual(['BUNDLE_OUT_OF_ORDER']);
  });

  it('property: the fixed bundle does not depend on the upload order', () => {
    const certs = [root.der, inter.der, inter2.der, leaf2.der];
    const expected = fixBundle({ certificates: certs, anchors }).pem;
    fc.assert(
      fc.property(fc.shuffledSubarray(certs, { minLength: certs.length, maxLength: certs.length }), (shuffled) => {
        expect(fixBundle({ certificates: shuffled, anchors }).pem).toBe(expected);
      }),
      { numRuns: 30 },
    );
  });
});
