import { ECDH, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeDer, implicitConstructed, integer, oid, sequence, bitString } from '../../../../main/pki/asn1-writer.js';
import { createCsr } from '../../../../main/pki/csr.js';
import { generateKey } from '../../../../main/pki/keygen.js';
import { spkiSha256 } from '../../../../main/pki/keys.js';
import {
  matchCsrToCertificate,
  matchKeyToCertificate,
  matchKeyToCsr,
  publicKeyBitsOfSpki,
  publicKeyOfCertificate,
  publicKeyOfCsr,
  spkiOfCertificate,
  spkiOfCsr,
  spkiSha256OfCertificate,
  spkiSha256OfCsr,
} from '../../../../main/pki/match.js';
import { createSelfSigned } from '../../../../main/pki/selfsign.js';
import { thrownBy as error } from '../../../support/certdesk-error.js';

const NOW = new Date('2026-01-01T00:00:00Z');
let rsa: KeyObject;
let ec: KeyObject;
let ec2: KeyObject;
let rsaCert: Buffer;
let ecCert: Buffer;
let rsaCsr: Buffer;
let ecCsr: Buffer;

beforeAll(async () => {
  rsa = await generateKey('rsa-2048');
  ec = await generateKey('ec-p256');
  ec2 = await generateKey('ec-p256');
  rsaCert = createSelfSigned({ key: rsa, subject: { commonName: 'rsa' }, sans: [], days: 1, now: NOW }).der;
  ecCert = createSelfSigned({ key: ec, subject: { commonName: 'ec' }, sans: [], days: 1, now: NOW }).der;
  rsaCsr = createCsr({ key: rsa, subject: { commonName: 'rsa' }, sans: [] }).der;
  ecCsr = createCsr({ key: ec, subject: { commonName: 'ec' }, sans: [] }).der;
});

describe('matching', () => {
  it('matches a key to its certificate and CSR, private or public', () => {
    expect(matchKeyToCertificate(rsa, rsaCert)).toBe(true);
    expect(matchKeyToCertificate(createPublicKey(ec), ecCert)).toBe(true);
    expect(matchKeyToCsr(ec, ecCsr)).toBe(true);
    expect(matchKeyToCsr(createPublicKey(rsa), rsaCsr)).toBe(true);
    expect(matchCsrToCertificate(ecCsr, ecCert)).toBe(true);
    expect(matchCsrToCertificate(rsaCsr, rsaCert)).toBe(true);
  });

  it('returns false, not an error, for the wrong pairs — same algorithm or not', () => {
    expect(matchKeyToCertificate(ec2, ecCert)).toBe(false);
    expect(matchKeyToCertificate(rsa, ecCert)).toBe(false);
    expect(matchKeyToCertificate(ec, rsaCert)).toBe(false);
    expect(matchKeyToCsr(ec2, ecCsr)).toBe(false);
    expect(matchKeyToCsr(rsa, ecCsr)).toBe(false);
    expect(matchCsrToCertificate(ecCsr, rsaCert)).toBe(false);
    expect(matchCsrToCertificate(rsaCsr, ecCert)).toBe(false);
    const ed = generateKeyPairSync('ed25519').privateKey;
    expect(matchKeyToCertificate(ed, ecCert)).toBe(false);
  });

  it('treats a compressed EC point as the same key as the uncompressed one', () => {
    const jwk = createPublicKey(ec).export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x as string, 'base64url'), Buffer.from(jwk.y as string, 'base64url')]);
    const compressed = ECDH.convertKey(point, 'prime256v1', undefined, undefined, 'compressed') as Buffer;
    const spki = encodeDer(sequence(sequence(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')), bitString(compressed)));
    // A structurally valid CSR around the compressed key (the signature is not checked by matching).
    const info = sequence(integer(0), sequence(), spki, implicitConstructed(0, []));
    const csr = encodeDer(sequence(info, sequence(oid('1.2.840.10045.4.3.2')), bitString(Buffer.alloc(8))));
    expect(spkiOfCsr(csr).equals(spki)).toBe(true);
    expect(matchKeyToCsr(ec, csr)).toBe(true);
    expect(matchCsrToCertificate(csr, ecCert)).toBe(true);
    expect(matchKeyToCsr(ec2, csr)).toBe(false);
  });
});

describe('public keys and SPKI fingerprints', () => {
  it('extracts the public key and SPKI of certificates and CSRs', () => {
    expect(publicKeyOfCertificate(rsaCert).equals(createPublicKey(rsa))).toBe(true);
    expect(publicKeyOfCsr(ecCsr).equals(createPublicKey(ec))).toBe(true);
    expect(spkiOfCertificate(ecCert).equals(createPublicKey(ec).export({ type: 'spki', format: 'der' }))).toBe(true);
    expect(spkiSha256OfCertificate(rsaCert)).toBe(spkiSha256(rsa));
    expect(spkiSha256OfCsr(rsaCsr)).toBe(spkiSha256(rsa));
    expect(spkiSha256OfCertificate(ecCert)).not.toBe(spkiSha256(ec2));
  });

  it('gives the key bits inside an SPKI', () => {
    const jwk = createPublicKey(ec).export({ format: 'jwk' });
    const bits = publicKeyBitsOfSpki(spkiOfCertificate(ecCert));
    expect(bits[0]).toBe(4);
    expect(bits.subarray(1, 33).toString('base64url')).toBe(jwk.x);
  });
});

describe('malformed input', () => {
  it('throws CERTIFICATE_INVALID naming the file for a bad certificate', () => {
    const err = error(() => matchKeyToCertificate(ec, Buffer.from('not a certificate'), { certificate: 'site.crt' }));
    expect(err.code).toBe('CERTIFICATE_INVALID');
    expect(err.message).toContain('site.crt');
    expect(err.details.file).toBe('site.crt');
    expect(error(() => spkiOfCertificate(ecCert.subarray(0, ecCert.length - 3))).code).toBe('CERTIFICATE_INVALID');
    expect(error(() => spkiOfCertificate(Buffer.concat([ecCert, Buffer.from([0])]))).code).toBe('CERTIFICATE_INVALID');
    expect(error(() => spkiOfCertificate(ecCsr, 'req-as-cert.pem')).code).toBe('CERTIFICATE_INVALID');
    expect(error(() => spkiOfCertificate(Buffer.alloc(0))).code).toBe('CERTIFICATE_INVALID');
  });

  it('throws CSR_INVALID naming the file for a bad CSR', () => {
    const err = error(() => matchKeyToCsr(ec, ecCert, { csr: 'request.csr' }));
    expect(err.code).toBe('CSR_INVALID');
    expect(err.message).toContain('request.csr');
    expect(error(() => matchCsrToCertificate(ecCsr.subarray(1), ecCert)).code).toBe('CSR_INVALID');
    expect(error(() => publicKeyOfCsr(Buffer.from([0x30, 0x00]))).code).toBe('CSR_INVALID');
  });

  it('throws KEY_INVALID for a secret key', async () => {
    const { createSecretKey } = await import('node:crypto');
    expect(error(() => matchKeyToCertificate(createSecretKey(Buffer.alloc(32)), ecCert)).code).toBe('KEY_INVALID');
  });

  it('reports an unreadable public key in a well-formed certificate as UNSUPPORTED_ALGORITHM', () => {
    // Replace the EC curve OID with an unknown one: the structure stays valid, the key does not.
    const tampered = Buffer.from(ecCert);
    const curve = oid('1.2.840.10045.3.1.7');
    const at = tampered.indexOf(curve);
    expect(at).toBeGreaterThan(0);
    curve.copy(tampered, at);
    tampered[at + curve.length - 1] = 0x63;
    expect(error(() => publicKeyOfCertificate(tampered, 'odd.crt')).code).toBe('UNSUPPORTED_ALGORITHM');
    expect(matchKeyToCertificate(ec, tampered)).toBe(false);
  });
});
