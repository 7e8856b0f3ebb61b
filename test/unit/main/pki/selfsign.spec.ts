import { X509Certificate, createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  GeneralNames,
  KeyUsage,
  KeyUsageFlags,
  SubjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  type Extension,
} from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEY_TYPES, type KeyType, type San } from '../../../../shared/pki-types.js';
import { generateKey } from '../../../../main/pki/keygen.js';
import { createSelfSigned, randomSerial, type SelfSignedInput } from '../../../../main/pki/selfsign.js';
import { thrownCode as code } from '../../../support/certdesk-error.js';

const NOW = new Date('2026-11-23T07:06:05.789Z');
const sans: San[] = [
  { type: 'dns', value: 'app.example.com' },
  { type: 'ip', value: '198.51.100.4' },
];

const keys = new Map<KeyType, KeyObject>();
beforeAll(async () => {
  for (const type of KEY_TYPES) keys.set(type, await generateKey(type));
}, 120_000);

function extensionsOf(der: Buffer): Map<string, Extension> {
  const cert = AsnConvert.parse(der, Certificate);
  return new Map((cert.tbsCertificate.extensions ?? []).map((e) => [e.extnID, e]));
}

describe('createSelfSigned', () => {
  it.each(KEY_TYPES)('makes a self-signed v3 end-entity certificate for %s', (type) => {
    const key = keys.get(type) as KeyObject;
    const { der, pem } = createSelfSigned({ key, subject: { commonName: 'app.example.com', organization: 'Example' }, sans, days: 90, now: NOW });
    const cert = new X509Certificate(der);
    expect(new X509Certificate(pem).raw.equals(der)).toBe(true);
    expect(cert.subject).toBe('O=Example\nCN=app.example.com');
    expect(cert.issuer).toBe(cert.subject);
    // (X509Certificate.checkIssued is false here: OpenSSL also wants keyCertSign, which an end-entity lacks.)
    expect(cert.verify(createPublicKey(key))).toBe(true);
    expect(cert.publicKey.equals(createPublicKey(key))).toBe(true);
    expect(cert.ca).toBe(false);
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-11-23T07:06:05.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2027-02-21T07:06:05.000Z');
    expect(cert.subjectAltName).toBe('DNS:app.example.com, IP Address:198.51.100.4');
    expect(cert.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    expect(cert.checkHost('app.example.com')).toBe('app.example.com');
    expect(cert.checkIP('198.51.100.4')).toBe('198.51.100.4');

    const parsed = AsnConvert.parse(der, Certificate);
    expect(parsed.tbsCertificate.version).toBe(2);
    const signatureOid = parsed.signatureAlgorithm.algorithm;
    expect(parsed.tbsCertificate.signature.algorithm).toBe(signatureOid);
    expect(signatureOid).toBe(
      type.startsWith('rsa') ? '1.2.840.113549.1.1.11' : type === 'ec-p256' ? '1.2.840.10045.4.3.2' : '1.2.840.10045.4.3.3',
    );
  });

  it.each(KEY_TYPES)('writes the expected extensions for %s', (type) => {
    const key = keys.get(type) as KeyObject;
    const ext = extensionsOf(createSelfSigned({ key, subject: { commonName: 'x' }, sans, days: 1, now: NOW }).der);
    expect([...ext.keys()]).toEqual([
      id_ce_basicConstraints,
      id_ce_keyUsage,
      id_ce_extKeyUsage,
      id_ce_subjectAltName,
      id_ce_subjectKeyIdentifier,
      id_ce_authorityKeyIdentifier,
    ]);
    const bc = ext.get(id_ce_basicConstraints) as Extension;
    expect(bc.critical).toBe(true);
    expect(AsnConvert.parse(bc.extnValue, BasicConstraints).cA).toBe(false);
    expect(Buffer.from(bc.extnValue.buffer).toString('hex')).toBe('3000');

    const ku = ext.get(id_ce_keyUsage) as Extension;
    expect(ku.critical).toBe(true);
    const flags = AsnConvert.parse(ku.extnValue, KeyUsage).toNumber();
    const expected = type.startsWith('rsa') ? KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment : KeyUsageFlags.digitalSignature;
    expect(flags).toBe(expected);

    const eku = ext.get(id_ce_extKeyUsage) as Extension;
    expect(eku.critical).toBe(false);
    expect([...AsnConvert.parse(eku.extnValue, ExtendedKeyUsage)]).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);

    const san = ext.get(id_ce_subjectAltName) as Extension;
    expect(san.critical).toBe(false);
    expect(AsnConvert.parse(san.extnValue, GeneralNames).map((n) => n.dNSName ?? n.iPAddress)).toHaveLength(2);

    // SKI = SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1); AKI names the same key.
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    const parsedSpki = AsnConvert.parse(createSelfSigned({ key, subject: { commonName: 'x' }, sans: [], days: 1, now: NOW }).der, Certificate)
      .tbsCertificate.subjectPublicKeyInfo;
    expect(Buffer.from(AsnConvert.serialize(parsedSpki)).equals(spki)).toBe(true);
    const ski = Buffer.from(AsnConvert.parse((ext.get(id_ce_subjectKeyIdentifier) as Extension).extnValue, SubjectKeyIdentifier).buffer);
    expect(ski.toString('hex')).toBe(createHash('sha1').update(Buffer.from(parsedSpki.subjectPublicKey)).digest('hex'));
    const aki = AsnConvert.parse((ext.get(id_ce_authorityKeyIdentifier) as Extension).extnValue, AuthorityKeyIdentifier);
    expect(Buffer.from(aki.keyIdentifier?.buffer as ArrayBuffer).equals(ski)).toBe(true);
    expect(aki.authorityCertIssuer).toBeUndefined();
    expect((ext.get(id_ce_subjectKeyIdentifier) as Extension).critical).toBe(false);
    expect((ext.get(id_ce_authorityKeyIdentifier) as Extension).critical).toBe(false);
  });

  it('leaves out subjectAltName when there are no SANs', () => {
    const ext = extensionsOf(createSelfSigned({ key: keys.get('ec-p256') as KeyObject, subject: { commonName: 'x' }, sans: [], days: 1, now: NOW }).der);
    expect(ext.has(id_ce_subjectAltName)).toBe(false);
    expect(ext.size).toBe(5);
  });

  it('uses UTCTime up to 2049 and GeneralizedTime from 2050', () => {
    const key = keys.get('ec-p256') as KeyObject;
    const der = createSelfSigned({ key, subject: { commonName: 'x' }, sans: [], days: 2, now: new Date('2049-12-30T12:00:00Z') }).der;
    const validity = AsnConvert.parse(der, Certificate).tbsCertificate.validity;
    expect(validity.notBefore.utcTime?.toISOString()).toBe('2049-12-30T12:00:00.000Z');
    expect(validity.notBefore.generalTime).toBeUndefined();
    expect(validity.notAfter.generalTime?.toISOString()).toBe('2050-01-01T12:00:00.000Z');
    expect(validity.notAfter.utcTime).toBeUndefined();
    expect(der.toString('latin1')).toContain('491230120000Z');
    expect(der.toString('latin1')).toContain('20500101120000Z');
    const cert = new X509Certificate(der);
    expect(new Date(cert.validTo).toISOString()).toBe('2050-01-01T12:00:00.000Z');
  });

  it('takes a given serial, encoding it as a positive INTEGER', () => {
    const key = keys.get('ec-p256') as KeyObject;
    const serialOf = (serial: Buffer): string => {
      const der = createSelfSigned({ key, subject: { commonName: 'x' }, sans: [], days: 1, now: NOW, serial }).der;
      return Buffer.from(AsnConvert.parse(der, Certificate).tbsCertificate.serialNumber).toString('hex');
    };
    expect(serialOf(Buffer.from('01', 'hex'))).toBe('01');
    expect(serialOf(Buffer.from('000001', 'hex'))).toBe('01'); // leading zeros trimmed
    expect(serialOf(Buffer.from('ff', 'hex'))).toBe('00ff'); // sign byte added: still positive
    expect(serialOf(Buffer.from('80' + '00'.repeat(18), 'hex'))).toBe('0080' + '00'.repeat(18));
    expect(serialOf(Buffer.from('7f' + 'ff'.repeat(19), 'hex'))).toBe('7f' + 'ff'.repeat(19));
  });

  it('rejects bad serials, validity periods, dates, subjects, SANs and keys', () => {
    const key = keys.get('ec-p256') as KeyObject;
    const base: SelfSignedInput = { key, subject: { commonName: 'x' }, sans: [], days: 1, now: NOW };
    const make = (patch: Partial<SelfSignedInput>) => () => createSelfSigned({ ...base, ...patch });
    expect(code(make({}))).toBe('no error');
    expect(code(make({ serial: Buffer.alloc(4) }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ serial: Buffer.alloc(21, 1) }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ serial: Buffer.alloc(20, 0x80) }))).toBe('INVALID_ARGUMENT'); // 21 octets once encoded
    expect(code(make({ days: 0 }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ days: -5 }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ days: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ days: Number.NaN }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ days: 36_501 }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ days: 36_500 }))).toBe('no error');
    expect(code(make({ now: new Date('invalid') }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ now: new Date('9999-06-01T00:00:00Z'), days: 365 }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ subject: { commonName: '' } }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ sans: [{ type: 'dns', value: '-bad-' }] }))).toBe('INVALID_NAME');
    expect(code(make({ key: createPublicKey(key) }))).toBe('INVALID_ARGUMENT');
    expect(code(make({ key: generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey }))).toBe('UNSUPPORTED_ALGORITHM');
  });
});

describe('randomSerial', () => {
  it('is 16 bytes, positive, never starts with a zero byte, and differs each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const serial = randomSerial();
      expect(serial).toHaveLength(16);
      expect(serial[0]).toBeGreaterThanOrEqual(0x40);
      expect(serial[0]).toBeLessThan(0x80);
      seen.add(serial.toString('hex'));
    }
    expect(seen.size).toBe(200);
  });
});
