/** Gcore material: chain order and text, PKCS#8 conversion, key checks (keys made by openssl). */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeFirstCertificate, gcoreMaterial, orderChain, pkcs8PrivateKeyPem } from '../../../../../main/providers/gcore/material.js';
import { openssl } from '../../../../support/openssl.js';
import { makeChain, opensslNotAfter, opensslSha256 } from '../../../../integration/providers/gcore-fixtures.js';

const rsa = makeChain('m.example.com', 'rsa');
const ec = makeChain('m.example.com', 'ec');

describe('orderChain and the chain text', () => {
  it('puts leaf, intermediate, root in order whatever order they came in, without duplicates', () => {
    const [leaf, int, root] = [rsa.leafPem, rsa.intermediatePem, rsa.rootPem].map((p) => new X509Certificate(p));
    if (leaf === undefined || int === undefined || root === undefined) throw new Error('fixture');
    expect(orderChain(leaf, [root, int, root, leaf]).map((c) => c.subject)).toEqual([leaf.subject, int.subject, root.subject]);
  });

  it('joins the blocks with "\\n", ends in a newline, normalises CRLF and drops stray text', () => {
    const m = gcoreMaterial(
      { certificatePem: `Bag Attributes\r\n${rsa.leafPem.replace(/\n/g, '\r\n')}`, chainPem: `${rsa.rootPem}\n\n${rsa.intermediatePem}`, privateKeyPem: rsa.leafKeyPem },
      { requireKey: true },
    );
    expect(m.chainPem).toBe(`${rsa.leafPem}${rsa.intermediatePem}${rsa.rootPem}`);
    expect(m.chainPem).not.toContain('\r');
    expect(m.leafSha256).toBe(opensslSha256(rsa.leafPem));
    expect(m.leafNotAfter).toBe(opensslNotAfter(rsa.leafPem));
  });
});

describe('keys', () => {
  it.each([
    ['PKCS#1 RSA', rsa],
    ['SEC1 EC', ec],
  ] as const)('converts a %s key to PKCS#8 (same key)', (_label, chain) => {
    expect(chain.leafKeyPem).toMatch(/BEGIN (RSA|EC) PRIVATE KEY/);
    const { pem } = pkcs8PrivateKeyPem(chain.leafKeyPem);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const spki = (k: string): string => createPublicKey(k).export({ type: 'spki', format: 'der' }).toString('hex');
    expect(spki(pem)).toBe(spki(chain.leafKeyPem));
    // openssl reads it back as PKCS#8 too
    expect(openssl(['pkey', '-noout', '-text'], pem).toString()).toMatch(/Private-Key/);
  });

  it('an encrypted key is PASSWORD_REQUIRED, garbage is KEY_INVALID, a foreign key is KEY_MISMATCH; never echoing the key', () => {
    const encrypted = openssl(['pkey', '-aes256', '-passout', 'pass:secret'], rsa.leafKeyPem).toString();
    expect(() => pkcs8PrivateKeyPem(encrypted)).toThrow(expect.objectContaining({ code: 'PASSWORD_REQUIRED' }));
    const legacy = openssl(['rsa', '-traditional', '-aes256', '-passout', 'pass:secret'], rsa.leafKeyPem).toString();
    expect(legacy).toMatch(/Proc-Type: 4,ENCRYPTED/);
    expect(() => pkcs8PrivateKeyPem(legacy)).toThrow(expect.objectContaining({ code: 'PASSWORD_REQUIRED' }));
    expect(() => pkcs8PrivateKeyPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    let message = '';
    try {
      gcoreMaterial({ certificatePem: rsa.leafPem, privateKeyPem: ec.leafKeyPem }, { requireKey: true });
    } catch (error) {
      message = (error as Error).message;
      expect(error).toMatchObject({ code: 'KEY_MISMATCH' });
    }
    expect(message).not.toMatch(/PRIVATE KEY|MII/);
  });

  it('requires a key only when asked', () => {
    expect(() => gcoreMaterial({ certificatePem: rsa.leafPem }, { requireKey: true })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(gcoreMaterial({ certificatePem: rsa.leafPem }, { requireKey: false }).privateKeyPem).toBeUndefined();
  });
});

describe('describeFirstCertificate', () => {
  it('describes the first certificate or returns null', () => {
    const d = describeFirstCertificate(`${ec.leafPem}${ec.intermediatePem}`);
    expect(d?.sha256).toBe(opensslSha256(ec.leafPem));
    expect(d?.notAfter).toBe(opensslNotAfter(ec.leafPem));
    expect(d?.subject).toBe('CN=m.example.com');
    expect(describeFirstCertificate('no pem')).toBeNull();
  });
});
