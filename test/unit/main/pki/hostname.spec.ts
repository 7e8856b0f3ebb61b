import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../../../main/pki/cert-model.js';
import { matchDnsName, matchHost, parseIp, wildcardProblem } from '../../../../main/pki/hostname.js';
import { isPublicSuffix } from '../../../../main/pki/public-suffix.js';
import { issue } from './fixtures.js';

describe('matchDnsName', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['Example.COM', 'example.com.', true],
    ['example.com', 'example2.com', false],
    ['abc.example.com', 'def.example.com', false],
    ['example.com', 'abc.example.com', false],
    ['*.example.com', 'foo.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'foo.bar.example.com', false],
    ['f*.example.com', 'foo.example.com', false],
    ['*oo.example.com', 'foo.example.com', false],
    ['foo.*.example.com', 'foo.bar.example.com', false],
    ['xn--*-1b3c148a.example.com', 'xn--bliss-1b3c148a.example.com', false],
    ['*.com', 'example.com', false],
    ['*.co.uk', 'example.co.uk', false],
    ['*.example.co.uk', 'www.example.co.uk', true],
    ['*.appspot.com', 'app.appspot.com', true],
    ['*.intranet', 'host.intranet', false],
    ['😜.example.com', 'xn--628h.example.com', false],
    ['www.example.com', '*.example.com', false],
    ['example.com.', 'example.com', true],
    ['EXAMPLE.COM', 'Example.Com.', true],
    ['*.Example.COM', 'WWW.example.com', true],
    ['*.example.com', 'xn--bcher-kva.example.com', true],
    ['*.xn--bcher-kva.example', 'www.xn--bcher-kva.example', true],
    ['*.example', 'www.example', false],
    ['*', 'example.com', false],
    ['*.', 'example.', false],
    ['**.example.com', 'a.example.com', false],
    ['*.*.example.com', 'a.b.example.com', false],
    ['.example.com', 'a.example.com', false],
    ['example.com', 'example..com', false],
    ['example.com', '', false],
    ['*.example.com', '.example.com', false],
    ['*.github.io', 'user.github.io', true],
    ['*.s3.amazonaws.com', 'bucket.s3.amazonaws.com', true],
  ])('%s vs %s → %s', (presented, reference, expected) => {
    expect(matchDnsName(presented, reference)).toBe(expected);
  });
});

describe('public suffixes and wildcard problems', () => {
  it('knows ICANN suffixes but not private ones', () => {
    expect(isPublicSuffix('com')).toBe(true);
    expect(isPublicSuffix('co.uk')).toBe(true);
    expect(isPublicSuffix('example.com')).toBe(false);
    expect(isPublicSuffix('appspot.com')).toBe(false);
  });
  it('explains wildcard misuse', () => {
    expect(wildcardProblem('*.example.com')).toBeNull();
    expect(wildcardProblem('www.example.com')).toBeNull();
    expect(wildcardProblem('foo.*.example.com')).toMatch(/leftmost/);
    expect(wildcardProblem('f*.example.com')).toMatch(/part of a label/);
    expect(wildcardProblem('*.co.uk')).toMatch(/public suffix "co.uk"/);
  });
});

describe('parseIp', () => {
  it('parses v4 and v6 (compressed, bracketed, v4-mapped)', () => {
    expect(Array.from(parseIp('192.0.2.1') ?? [])).toEqual([192, 0, 2, 1]);
    expect(parseIp('[2001:db8::1]')?.length).toBe(16);
    expect(Buffer.from(parseIp('2001:db8::1') ?? []).toString('hex')).toBe('20010db8000000000000000000000001');
    expect(Buffer.from(parseIp('::ffff:1.2.3.4') ?? []).toString('hex')).toBe('00000000000000000000ffff01020304');
    expect(parseIp('example.com')).toBeNull();
    expect(parseIp('1.2.3')).toBeNull();
  });
});

describe('matchHost', () => {
  const cert = parseCertificate(issue({ cn: 'www.example.com', san: ['DNS:www.example.com', 'DNS:example.com', 'IP:192.0.2.7', 'IP:2001:db8::7'] }).der);
  it('matches SAN DNS names and IPs', () => {
    expect(matchHost(cert, 'example.com').ok).toBe(true);
    expect(matchHost(cert, '192.0.2.7').ok).toBe(true);
    expect(matchHost(cert, '2001:db8:0:0::7').ok).toBe(true);
    expect(matchHost(cert, '192.0.2.8').ok).toBe(false);
  });
  it('says what the certificate is valid for', () => {
    expect(matchHost(cert, 'api.example.com').message).toBe(
      'certificate is valid for www.example.com, example.com, 192.0.2.7 and 2001:db8::7, not for api.example.com',
    );
  });
  it('never falls back to the CN', () => {
    const noSan = parseCertificate(issue({ cn: 'example.com', san: null }).der);
    const m = matchHost(noSan, 'example.com');
    expect(m.ok).toBe(false);
    expect(m.message).toMatch(/no subjectAltName.*common name "example.com"/);
    const withSan = parseCertificate(issue({ cn: 'cn.example.com', san: ['DNS:other.example.com'] }).der);
    expect(matchHost(withSan, 'cn.example.com').ok).toBe(false);
  });
  it('matches IPv6 hosts in any spelling, and never a v4 host against a v4-mapped v6 SAN', () => {
    const c = parseCertificate(issue({ cn: 'x', san: ['IP:2001:db8::1', 'IP:::ffff:c000:201'] }).der);
    expect(matchHost(c, '2001:DB8:0000::0001').ok).toBe(true);
    expect(matchHost(c, '[2001:db8::1]').ok).toBe(true);
    expect(matchHost(c, '::ffff:192.0.2.1').ok).toBe(true);
    expect(matchHost(c, '192.0.2.1').ok).toBe(false);
  });
  it('does not match an IP host against a DNS SAN spelling it', () => {
    const c = parseCertificate(issue({ cn: 'x', san: ['DNS:192.0.2.7'] }).der);
    expect(matchHost(c, '192.0.2.7').ok).toBe(false);
  });
});
