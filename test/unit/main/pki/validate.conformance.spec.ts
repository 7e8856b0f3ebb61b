/**
 * Conformance with the x509-limbo path-validation suite (RFC 5280 and Web PKI families), SERVER
 * validation. Each case rebuilds a limbo testcase from its description with our certificate
 * factory, using limbo's certificate defaults (EC P-256, 1970..2969 validity, root/ICA with SAN
 * example.com and keyCertSign-only keyUsage, leaf CN=example.com with digitalSignature, serverAuth
 * and SAN example.com, no basicConstraints), and checks our verdict against limbo's expected one.
 * Where limbo has two conflicting cases (RFC 5280 vs Web PKI) we follow the Web PKI one, as Chrome
 * does; those are marked `webpki` in the table. main/pki/README-validation.md explains each choice.
 */
import { describe, expect, it } from 'vitest';
import { ctx, generalName, type Issued, issue, type KeySpec, type KeyPair, name, newKey, oid, OIDS, seq, tlv } from './fixtures.js';
import { akiExt, type Case, EPOCH, type Expect, ext, ica, keyId, leaf, ncExt, rawSanExt, root, skiExt, TORMENT, UNKNOWN_CRITICAL, verdict } from './limbo.js';

/** Each limbo id → the case and limbo's expected result. */
const CASES: Record<string, () => { c: Case; expect: Expect; webpki?: true }> = {
  // --- rfc5280 (top level) -------------------------------------------------------------------
  'rfc5280::ee-empty-issuer': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { issuerName: name('') }) }, expect: 'FAILURE' };
  },
  'rfc5280::ca-empty-subject': () => {
    const r = root({ subject: '' });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::unknown-critical-extension-ee': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { extra: [UNKNOWN_CRITICAL] }) }, expect: 'FAILURE' };
  },
  'rfc5280::unknown-critical-extension-root': () => {
    const r = root({ extra: [UNKNOWN_CRITICAL] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::unknown-critical-extension-intermediate': () => {
    const r = root();
    const i = ica(r, 0, { extra: [UNKNOWN_CRITICAL] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'rfc5280::chain-untrusted-root': () => {
    const r = root();
    const i = ica(r, 0);
    const unrelated = root({ cn: 'x509-limbo-unrelated-root' });
    return { c: { trusted: [unrelated], untrusted: [r, i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'rfc5280::intermediate-ca-without-ca-bit': () => {
    const r = root();
    const i = ica(r, undefined, { ca: false });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'rfc5280::intermediate-ca-missing-basic-constraints': () => {
    const r = root();
    const i = ica(r, undefined, { ca: null });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'rfc5280::root-missing-basic-constraints': () => {
    const r = root({ ca: null });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::root-non-critical-basic-constraints': () => {
    const r = root({ ca: { critical: false } });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::root-inconsistent-ca-extensions': () => {
    // keyUsage present with no bit set (limbo's encoding) on a cA=TRUE root.
    const r = root({ ku: null, extra: [ext('2.5.29.15', tlv(0x03, Buffer.from([0])))] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::root-inconsistent-ca-extensions (keyUsage without keyCertSign)': () => {
    const r = root({ ku: ['digitalSignature'] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::ica-ku-keycertsign': () => {
    const r = root();
    const i = ica(r, 0, { ku: ['cRLSign'] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'rfc5280::leaf-ku-keycertsign': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { ca: false, ku: ['digitalSignature', 'keyCertSign'] }) }, expect: 'FAILURE' };
  },
  'rfc5280::ee-aia': () => {
    const r = root();
    const aia = ext('1.3.6.1.5.5.7.1.1', seq(seq(oid('1.3.6.1.5.5.7.48.2'), generalName('DNS:example.com'))));
    return { c: { trusted: [r], peer: leaf(r, { extra: [aia] }) }, expect: 'SUCCESS' };
  },
  'rfc5280::ee-critical-aia-invalid': () => {
    const r = root();
    const aia = ext('1.3.6.1.5.5.7.1.1', seq(seq(oid('1.3.6.1.5.5.7.48.2'), generalName('DNS:example.com'))), true);
    return { c: { trusted: [r], peer: leaf(r, { extra: [aia] }) }, expect: 'FAILURE' };
  },
  'rfc5280::duplicate-extensions': () => {
    const r = root();
    const san = rawSanExt([generalName('DNS:example.com')]);
    return { c: { trusted: [r], peer: leaf(r, { san: null, extra: [san, san] }) }, expect: 'FAILURE' };
  },
  'rfc5280::no-keyusage': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { ku: null }) }, expect: 'SUCCESS' };
  },
  'rfc5280::no-basicconstraints': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { ca: null }) }, expect: 'SUCCESS' };
  },
  'rfc5280::mismatching-signature-algorithm (on the trusted root)': () => {
    const r = root({ key: newKey('p384'), sig: 'sha384', mismatchedOuterAlg: true });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::ca-as-leaf': () => {
    const r = root();
    return { c: { trusted: [r], peer: ica(r, undefined, { san: ['DNS:ca.example.com'] }), host: 'ca.example.com' }, expect: 'FAILURE', webpki: true };
  },
  'rfc5280::ca-as-leaf-wrong-san': () => {
    const r = root();
    return { c: { trusted: [r], peer: ica(r, undefined, { san: ['DNS:ca.example.com'] }), host: 'some-other-ca.example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::root-and-intermediate-swapped': () => {
    const r = root();
    const i = ica(r);
    return { c: { trusted: [i], untrusted: [r], peer: leaf(i) }, expect: 'SUCCESS' };
  },

  // --- rfc5280::aki / ski ----------------------------------------------------------------------
  'rfc5280::aki::critical-aki': () => {
    const k = newKey();
    const r = root({ key: k, extra: [akiExt([tlv(0x80, keyId(k))], true)] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::aki::leaf-missing-aki': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { aki: false }) }, expect: 'FAILURE' };
  },
  'rfc5280::aki::intermediate-missing-aki': () => {
    const r = root();
    const i = ica(r, 0, { aki: false });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'rfc5280::aki::self-signed-root-missing-aki': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'SUCCESS' };
  },
  'rfc5280::aki::self-signed-root-with-aki': () => {
    const r = root({ aki: true });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'SUCCESS' };
  },
  'rfc5280::aki::cross-signed-root-missing-aki': () => {
    const x = root();
    const r = ica(x, 0, { aki: false });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::ski::critical-ski': () => {
    const k = newKey();
    const r = root({ key: k, ski: false, extra: [skiExt(k, true)] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::ski::root-missing-ski': () => {
    const r = root({ ski: false });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::ski::intermediate-missing-ski': () => {
    const r = root();
    const i = ica(r, undefined, { ski: false });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },

  // --- rfc5280::eku / san / pc / serial --------------------------------------------------------
  'rfc5280::eku::ee-wrong-eku': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { eku: [OIDS.clientAuth] }) }, expect: 'FAILURE' };
  },
  'rfc5280::eku::ee-without-eku': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { eku: null }) }, expect: 'FAILURE', webpki: true };
  },
  'rfc5280::san::malformed': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { san: null, extra: [ext('2.5.29.17', Buffer.from('example.com'))] }) }, expect: 'FAILURE' };
  },
  'rfc5280::san::noncritical-with-empty-subject': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { subject: '', sanCritical: false }) }, expect: 'FAILURE' };
  },
  'rfc5280::san::critical-with-empty-subject (valid)': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { subject: '', sanCritical: true }) }, expect: 'SUCCESS' };
  },
  'rfc5280::pc::ica-noncritical-pc': () => {
    const r = root();
    const i = ica(r, undefined, { extra: [ext('2.5.29.36', seq(tlv(0x80, Buffer.from([3]))))] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'rfc5280::pc::ica-critical-pc (valid)': () => {
    const r = root();
    const i = ica(r, undefined, { extra: [ext('2.5.29.36', seq(tlv(0x80, Buffer.from([3]))), true)] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'SUCCESS' };
  },
  'rfc5280::serial::too-long': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { serial: Buffer.concat([Buffer.from([0x01]), Buffer.alloc(21, 0x5a)]) }) }, expect: 'FAILURE' };
  },
  'rfc5280::serial::zero': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { serial: Buffer.from([0]) }) }, expect: 'FAILURE' };
  },
  'rfc5280::serial::negative': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { serial: Buffer.from([0xff, 0x12, 0x34]) }) }, expect: 'FAILURE' };
  },
  'rfc5280::serial::negative (self-signed leaf trusted directly)': () => {
    const self = issue({ cn: 'gov.us', ca: null, eku: [OIDS.serverAuth], san: ['DNS:gov.us'], serial: Buffer.from([0x80, 0x01]), notBefore: EPOCH, notAfter: TORMENT });
    return { c: { trusted: [self], peer: self, host: 'gov.us' }, expect: 'FAILURE' };
  },
  'rfc5280::serial::twenty octets with the top bit set (valid)': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { serial: Buffer.concat([Buffer.from([0x00, 0xff]), Buffer.alloc(19, 0x11)]) }) }, expect: 'SUCCESS' };
  },

  // --- rfc5280::validity ------------------------------------------------------------------------
  'rfc5280::validity::expired-root': () => {
    const r = root({ notBefore: new Date('2016-01-01T00:00:00Z'), notAfter: new Date('2020-01-01T00:00:00Z') });
    const i = ica(r, undefined, { notBefore: new Date('2016-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
    const l = leaf(i, { notBefore: new Date('2018-01-01T00:00:00Z'), notAfter: new Date('2023-01-01T00:00:00Z') });
    return { c: { trusted: [r], untrusted: [i], peer: l, at: new Date('2022-01-01T00:00:00Z') }, expect: 'FAILURE' };
  },
  'rfc5280::validity::expired-intermediate': () => {
    const r = root({ notBefore: new Date('2016-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
    const i = ica(r, undefined, { notBefore: new Date('2016-01-01T00:00:00Z'), notAfter: new Date('2020-01-01T00:00:00Z') });
    const l = leaf(i, { notBefore: new Date('2018-01-01T00:00:00Z'), notAfter: new Date('2023-01-01T00:00:00Z') });
    return { c: { trusted: [r], untrusted: [i], peer: l, at: new Date('2022-01-01T00:00:00Z') }, expect: 'FAILURE' };
  },
  'rfc5280::validity::expired-leaf': () => {
    const r = root({ notBefore: new Date('2016-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
    const i = ica(r, undefined, { notBefore: new Date('2016-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
    const l = leaf(i, { notBefore: new Date('2018-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    return { c: { trusted: [r], untrusted: [i], peer: l, at: new Date('2022-01-01T00:00:00Z') }, expect: 'FAILURE' };
  },
  ...validityCase('notbefore-exact', '2024-03-01T00:00:00Z', '2024-03-01T00:00:00Z', 'SUCCESS'),
  ...validityCase('notbefore-fractional', '2024-03-01T00:00:01Z', '2024-03-01T00:00:00.999Z', 'FAILURE'),
  ...validityCase('notafter-exact', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z', 'SUCCESS'),
  ...validityCase('notafter-fractional', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00.005Z', 'SUCCESS'),
  ...validityCase('one second after notAfter', '2024-03-01T00:00:00Z', '2024-04-01T00:00:01Z', 'FAILURE'),
};


/** rfc5280::nc, webpki::nc and the name-constraint CVEs. */
const NC_CASES: Record<string, () => { c: Case; expect: Expect; webpki?: true }> = {
  'rfc5280::nc::permitted-dns-mismatch': () => {
    const r = root({ extra: [ncExt(['DNS:example.com'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['DNS:not-example.com'] }), host: 'not-example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::excluded-dns-match': () => {
    const r = root();
    const i = ica(r, undefined, { extra: [ncExt(null, ['DNS:example.com'])] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'rfc5280::nc::permitted-dns-match': () => {
    const r = root({ extra: [ncExt(['DNS:example.com'], null)] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'SUCCESS' };
  },
  'rfc5280::nc::permitted-dns-match-noncritical': () => {
    const r = root({ extra: [ncExt(['DNS:example.com'], null, false)] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'SUCCESS', webpki: true };
  },
  'rfc5280::nc::permitted-dns-match-more': () => {
    const r = root({ extra: [ncExt(['DNS:example.com'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['DNS:foo.bar.example.com'] }), host: 'foo.bar.example.com' }, expect: 'SUCCESS' };
  },
  'rfc5280::nc::permitted-dns-label-boundary': () => {
    const r = root({ extra: [ncExt(['DNS:host.example.com'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['DNS:host1.example.com'] }), host: 'host1.example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::excluded-dns-match-second': () => {
    const r = root({ extra: [ncExt(null, ['DNS:not-allowed.example.com'])] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['DNS:example.com', 'DNS:not-allowed.example.com'] }) }, expect: 'FAILURE' };
  },
  'rfc5280::nc::permitted-ip-mismatch': () => {
    const r = root({ extra: [ncExt(['IP:192.0.2.0/24'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['IP:192.0.3.1'] }), host: '192.0.3.1' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::excluded-ipv4-match': () => {
    const r = root({ extra: [ncExt(null, ['IP:192.0.2.0/24'])] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['IP:192.0.2.1'] }), host: '192.0.2.1' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::excluded-ipv6-match': () => {
    const r = root({ extra: [ncExt(null, ['IP:::1/128'])] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['IP:::1'] }), host: '::1' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::permitted-ipv4-match': () => {
    const r = root({ extra: [ncExt(['IP:192.0.2.0/24'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['IP:192.0.2.1'] }), host: '192.0.2.1' }, expect: 'SUCCESS' };
  },
  'rfc5280::nc::permitted-ipv6-match': () => {
    const r = root({ extra: [ncExt(['IP:::1/128'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['IP:::1'] }), host: '::1' }, expect: 'SUCCESS' };
  },
  'rfc5280::nc::permitted-dn-mismatch': () => {
    const r = root({ extra: [ncExt(['DIR:CN=foo'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { subject: [['2.5.4.3', 'not-foo']], san: ['DIR:CN=not-foo', 'DNS:example.com'] }) }, expect: 'FAILURE' };
  },
  'rfc5280::nc::excluded-dn-match': () => {
    const r = root({ extra: [ncExt(null, ['DIR:CN=foo'])] });
    return { c: { trusted: [r], peer: leaf(r, { subject: [['2.5.4.3', 'foo']], san: ['DIR:CN=foo', 'DNS:example.com'] }) }, expect: 'FAILURE' };
  },
  'rfc5280::nc::permitted-dn-match': () => {
    const r = root({ extra: [ncExt(['DIR:CN=foo'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { subject: [['2.5.4.3', 'foo']], san: ['DIR:CN=foo', 'DNS:example.com'] }) }, expect: 'SUCCESS' };
  },
  'rfc5280::nc::permitted-dn-match-subject-san-mismatch': () => {
    const r = root({ extra: [ncExt(['DIR:CN=foo'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { subject: [['2.5.4.3', 'not-foo']], san: ['DIR:CN=foo', 'DNS:example.com'] }) }, expect: 'FAILURE' };
  },
  'rfc5280::nc::excluded-dn-match-sub-mismatch': () => {
    const r = root({ extra: [ncExt(null, ['DIR:CN=foo'])] });
    return { c: { trusted: [r], peer: leaf(r, { subject: [['2.5.4.3', 'foo']], san: ['DIR:CN=not-foo', 'DNS:example.com'] }) }, expect: 'FAILURE' };
  },
  'rfc5280::nc::permitted-self-issued': () => {
    const r = root({ cn: 'not-example.com', san: ['DNS:not-example.com'], extra: [ncExt(['DNS:example.com'], null)] });
    const i = ica(r, undefined, { subject: [['2.5.4.3', 'not-example.com']], san: ['DNS:not-example.com'] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'SUCCESS' };
  },
  'rfc5280::nc::excluded-self-issued-leaf': () => {
    const r = root({ extra: [ncExt(['DNS:example.com'], null)] });
    const i = ica(r, undefined, { subject: [['2.5.4.3', 'not-example.com']], san: ['DNS:not-example.com'] });
    const l = leaf(i, { cn: 'not-example.com', san: ['DNS:not-example.com'] });
    return { c: { trusted: [r], untrusted: [i], peer: l, host: 'not-example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::excluded-match-permitted-and-excluded': () => {
    const r = root({ extra: [ncExt(['DNS:example.com'], ['DNS:example.com'])] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'rfc5280::nc::permitted-different-constraint-type': () => {
    const r = root({ extra: [ncExt(['IP:192.0.2.0/24'], null)] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'SUCCESS' };
  },
  'rfc5280::nc::excluded-different-constraint-type': () => {
    const r = root({ extra: [ncExt(null, ['IP:192.0.2.0/24'])] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'SUCCESS' };
  },
  'rfc5280::nc::invalid-dnsname': () => {
    const r = root({ extra: [ncExt(['DNS:*.example.com'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['DNS:foo.example.com'] }), host: 'foo.example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::invalid-ipv4-address': () => {
    const r = root({ extra: [ncExt(['IP:127.0.0.1'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['IP:127.0.0.1'] }), host: '127.0.0.1' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::invalid-ipv6-address': () => {
    const r = root({ extra: [ncExt(['IP:::1'], null)] });
    return { c: { trusted: [r], peer: leaf(r, { san: ['IP:::1'] }), host: '::1' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::not-allowed-in-ee-noncritical': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { extra: [ncExt(['DNS:example.com'], null, false)] }) }, expect: 'FAILURE' };
  },
  'rfc5280::nc::not-allowed-in-ee-critical': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { extra: [ncExt(['DNS:example.com'], null, true)] }) }, expect: 'FAILURE' };
  },
  'rfc5280::nc::intermediate-with-san-rejected-by-intermediate-nc': () => {
    const r = root();
    const i1 = ica(r, undefined, { extra: [ncExt(['DNS:permitted.example.com'], ['DNS:forbidden.example.com'])] });
    const i2 = ica(i1, undefined, { san: ['DNS:forbidden.example.com'] });
    return { c: { trusted: [r], untrusted: [i1, i2], peer: leaf(i2, { san: ['DNS:permitted.example.com'] }), host: 'permitted.example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::intermediate-with-san-rejected-by-root-nc': () => {
    const r = root({ extra: [ncExt(['DNS:permitted.example.com'], ['DNS:forbidden.example.com'])] });
    const i1 = ica(r, undefined, { san: null });
    const i2 = ica(i1, undefined, { san: ['DNS:forbidden.example.com'] });
    return { c: { trusted: [r], untrusted: [i1, i2], peer: leaf(i2, { san: ['DNS:permitted.example.com'] }), host: 'permitted.example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::restrictive-permits-in-intermediates-narrows': () => {
    const r = root();
    const i1 = ica(r, undefined, { san: null, extra: [ncExt(['DNS:foo.example.com', 'DNS:bar.example.com'], null)] });
    const i2 = ica(i1, undefined, { san: null, extra: [ncExt(['DNS:bar.example.com'], null)] });
    return { c: { trusted: [r], untrusted: [i1, i2], peer: leaf(i2, { san: ['DNS:foo.example.com'] }), host: 'foo.example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::restrictive-permits-in-intermediates-widens': () => {
    const r = root();
    const i1 = ica(r, undefined, { san: null, extra: [ncExt(['DNS:bar.example.com'], null)] });
    const i2 = ica(i1, undefined, { san: null, extra: [ncExt(['DNS:foo.example.com', 'DNS:bar.example.com'], null)] });
    return { c: { trusted: [r], untrusted: [i1, i2], peer: leaf(i2, { san: ['DNS:foo.example.com'] }), host: 'foo.example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::nc-permits-invalid-dns-san': () => {
    const r = root();
    const i = ica(r, undefined, { san: null, extra: [ncExt(['DNS:example.com'], null)] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i, { san: ['DNS:.example.com', 'DNS:foo.example.com'] }), host: 'foo.example.com' }, expect: 'FAILURE' };
  },
  'rfc5280::nc::nc-permits-invalid-ip-san': () => {
    const r = root();
    const i = ica(r, undefined, { san: null, extra: [ncExt(['IP:192.0.2.0/24'], null)] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i, { san: ['IP:192.0.2.0/24', 'IP:192.0.2.1'] }), host: '192.0.2.1' }, expect: 'FAILURE' };
  },
  'webpki::nc::permitted-dns-match-noncritical': () => {
    const r = root({ extra: [ncExt(['DNS:example.com'], null, false)] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'SUCCESS' };
  },
  'webpki::nc::intermediate-permitted-excluded-subtrees-both-null': () => {
    const r = root();
    const i = ica(r, undefined, { extra: [ext('2.5.29.30', seq(), true)] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'webpki::nc::intermediate-permitted-excluded-subtrees-both-empty-sequences': () => {
    const r = root();
    const i = ica(r, undefined, { extra: [ncExt([], [])] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'cve::cve-2025-61727 (wildcard SAN reaches an excluded name)': () => {
    const r = root();
    const i = ica(r, undefined, { san: null, extra: [ncExt(['DNS:example.com'], ['DNS:bar.example.com'])] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i, { san: ['DNS:*.example.com'] }), host: 'bar.example.com' }, expect: 'FAILURE' };
  },
  'cve::cve-2025-61727-nc-permits-variant': () => {
    const r = root();
    const i = ica(r, undefined, { san: null, extra: [ncExt(['DNS:foo.example.com'], null)] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i, { san: ['DNS:*.example.com'] }), host: 'foo.example.com' }, expect: 'FAILURE' };
  },
  'wildcard SAN inside a permitted subtree (valid)': () => {
    const r = root();
    const i = ica(r, undefined, { san: null, extra: [ncExt(['DNS:example.com'], ['DNS:other.example.org'])] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i, { san: ['DNS:*.example.com'] }), host: 'foo.example.com' }, expect: 'SUCCESS' };
  },
  'pathological::nc-dos-1 (1027 constraints × 514 names)': () => {
    const permitted = [...Array.from({ length: 513 }, (_, k) => `DNS:t${k}.test`), 'DNS:.test'];
    const excluded = Array.from({ length: 513 }, (_, k) => `DNS:x${k}.test`);
    const r = root({ extra: [ncExt(permitted, excluded)] });
    return { c: { trusted: [r], peer: leaf(r, { subject: '', sanCritical: true, san: permitted }), host: 't0.test' }, expect: 'FAILURE' };
  },
};


/** webpki (CA/Browser Forum profile) families. */
const WEBPKI_CASES: Record<string, () => { c: Case; expect: Expect; why?: string }> = {
  ...sanCase('webpki::san::exact-dns-san', ['DNS:example.com'], 'example.com', 'SUCCESS'),
  ...sanCase('webpki::san::exact-localhost-ip-san', ['IP:127.0.0.1'], '127.0.0.1', 'SUCCESS'),
  ...sanCase('webpki::san::exact-ipv6-san', ['IP:2001:db8::1'], '2001:db8:0::1', 'SUCCESS'),
  ...sanCase('webpki::san::ip-host-vs-dns-san', ['DNS:127.0.0.1'], '127.0.0.1', 'FAILURE'),
  ...sanCase('webpki::san::mismatch-domain-san', ['DNS:example.com'], 'example2.com', 'FAILURE'),
  ...sanCase('webpki::san::mismatch-subdomain-san', ['DNS:abc.example.com'], 'def.example.com', 'FAILURE'),
  ...sanCase('webpki::san::mismatch-subdomain-apex-san', ['DNS:example.com'], 'abc.example.com', 'FAILURE'),
  ...sanCase('webpki::san::mismatch-apex-subdomain-san', ['DNS:abc.example.com'], 'example.com', 'FAILURE'),
  ...sanCase('webpki::san::public-suffix-wildcard-san', ['DNS:*.com'], 'example.com', 'FAILURE'),
  ...sanCase('webpki::san::public-suffix-wildcard-san (co.uk)', ['DNS:*.co.uk'], 'example.co.uk', 'FAILURE'),
  ...sanCase('webpki::san::leftmost-wildcard-san', ['DNS:*.example.com'], 'foo.example.com', 'SUCCESS'),
  ...sanCase('webpki::san::wildcard-embedded-leftmost-san', ['DNS:ba*.example.com'], 'baz.example.com', 'FAILURE'),
  ...sanCase('webpki::san::wildcard-not-in-leftmost-san', ['DNS:foo.*.example.com'], 'foo.bar.example.com', 'FAILURE'),
  ...sanCase('webpki::san::wildcard-match-across-labels-san', ['DNS:*.example.com'], 'foo.bar.example.com', 'FAILURE'),
  ...sanCase('webpki::san::wildcard-does-not-match-apex', ['DNS:*.example.com'], 'example.com', 'FAILURE'),
  ...sanCase('webpki::san::wildcard-embedded-ulabel-san', ['DNS:xn--*-1b3c148a.example.com'], 'xn--bliss-1b3c148a.example.com', 'FAILURE'),
  ...sanCase('webpki::san::wildcard-matches-alabel', ['DNS:*.example.com'], 'xn--bliss-1b3c148a.example.com', 'SUCCESS'),
  ...sanCase('webpki::san::unicode-emoji-san', ['DNS:\u00f0\u009f\u0098\u009c.example.com'], 'xn--628h.example.com', 'FAILURE'),
  ...sanCase('webpki::san::san-wildcard-only', ['DNS:*'], 'example.com', 'FAILURE'),
  ...sanCase('webpki::san::san-wildcard-only-tld', ['DNS:*'], 'com', 'FAILURE'),
  ...sanCase('webpki::san::case-insensitive', ['DNS:ExAmPlE.CoM'], 'EXAMPLE.com', 'SUCCESS'),
  ...sanCase('webpki::san::trailing-dot-reference', ['DNS:example.com'], 'example.com.', 'SUCCESS'),
  ...sanCase('webpki::san::trailing-dot-presented', ['DNS:example.com.'], 'example.com', 'SUCCESS'),
  ...sanCase('webpki::san::empty-reference-label', ['DNS:example.com'], 'example..com', 'FAILURE'),
  'webpki::san::no-san': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { san: null }) }, expect: 'FAILURE' };
  },
  'webpki::san::san-critical-with-nonempty-subject': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { cn: 'something-else', sanCritical: true }) }, expect: 'FAILURE' };
  },
  'webpki::malformed-aia': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { extra: [ext('1.3.6.1.5.5.7.1.1', Buffer.from('malformed'))] }) }, expect: 'FAILURE' };
  },
  'webpki::v1-cert': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { version: 1 }) }, expect: 'FAILURE' };
  },
  'webpki::ee-basicconstraints-ca': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { ca: true, ku: ['digitalSignature'] }) }, expect: 'FAILURE' };
  },
  'webpki::ca-as-leaf': () => {
    const r = root();
    return { c: { trusted: [r], peer: ica(r, undefined, { san: ['DNS:ca.example.com'] }), host: 'ca.example.com' }, expect: 'FAILURE' };
  },
  ...keyCase('webpki::forbidden-p192-root', 'root', 'p192'),
  ...keyCase('webpki::forbidden-p192-leaf', 'leaf', 'p192'),
  ...keyCase('webpki::forbidden-dsa-leaf', 'leaf', 'dsa'),
  ...keyCase('webpki::forbidden-weak-rsa-key-in-root', 'root', 'rsa1024'),
  ...keyCase('webpki::forbidden-weak-rsa-in-leaf', 'leaf', 'rsa1024'),
  ...keyCase('webpki::forbidden-rsa-not-divisable-by-8-in-root', 'root', 'rsa2052'),
  ...keyCase('webpki::forbidden-rsa-key-not-divisable-by-8-in-leaf', 'leaf', 'rsa2052'),
  ...keyCase('webpki::explicit-curve (leaf)', 'leaf', 'p256-explicit'),
  ...keyCase('webpki::secp256k1-leaf', 'leaf', 'secp256k1'),
  ...keyCase('webpki::rsa-2048-root-and-leaf (valid)', 'both', 'rsa2048', 'SUCCESS'),
  ...keyCase('webpki::p384-root-and-leaf (valid)', 'both', 'p384', 'SUCCESS'),
  'webpki::sha1-signed-leaf': () => {
    const r = root({ key: newKey('rsa2048') });
    return { c: { trusted: [r], peer: leaf(r, { sig: 'sha1' }) }, expect: 'FAILURE' };
  },
  'webpki::sha1-self-signature-on-root (valid)': () => {
    const r = root({ key: newKey('rsa2048'), sig: 'sha1' });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'SUCCESS' };
  },
  'webpki::sha1-signed-intermediate': () => {
    const r = root({ key: newKey('rsa2048') });
    const i = ica(r, 0, { sig: 'sha1' });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  ...ekuCase('webpki::eku::ee-anyeku', [OIDS.serverAuth, OIDS.anyEku], 'FAILURE'),
  ...ekuCase('webpki::eku::ee-clientauth-only', [OIDS.clientAuth], 'FAILURE'),
  ...ekuCase('webpki::eku::ee-precertificate-only', ['1.3.6.1.4.1.11129.2.4.4'], 'FAILURE'),
  ...ekuCase('webpki::eku::ee-precertificate-with-serverauth', [OIDS.serverAuth, '1.3.6.1.4.1.11129.2.4.4'], 'FAILURE'),
  ...ekuCase('webpki::eku::ee-serverauth-with-additional', [OIDS.serverAuth, OIDS.clientAuth], 'SUCCESS'),
  ...ekuCase('webpki::eku::ee-codesigning-with-serverauth', [OIDS.serverAuth, OIDS.codeSigning], 'FAILURE'),
  ...ekuCase('webpki::eku::ee-emailprotection-with-serverauth', [OIDS.serverAuth, '1.3.6.1.5.5.7.3.4'], 'FAILURE'),
  ...ekuCase('webpki::eku::ee-timestamping-with-serverauth', [OIDS.serverAuth, '1.3.6.1.5.5.7.3.8'], 'FAILURE'),
  ...ekuCase('webpki::eku::ee-ocspsigning-with-serverauth', [OIDS.serverAuth, '1.3.6.1.5.5.7.3.9'], 'FAILURE'),
  ...ekuCase('webpki::eku::ee-without-eku', null, 'FAILURE'),
  'webpki::eku::ee-critical-eku': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { ekuCritical: true }) }, expect: 'FAILURE' };
  },
  'webpki::eku::root-has-eku': () => {
    const r = root({ eku: [OIDS.serverAuth] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE', why: 'ROOT_HAS_EKU' };
  },
  'webpki::eku::intermediate-eku-serverauth (valid)': () => {
    const r = root();
    const i = ica(r, 0, { eku: [OIDS.serverAuth, OIDS.clientAuth] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'SUCCESS' };
  },
  'webpki::eku::intermediate-eku-clientauth-only': () => {
    const r = root();
    const i = ica(r, 0, { eku: [OIDS.clientAuth] });
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'FAILURE' };
  },
  'webpki::ku::ee-rsa-without-any-usages': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r, { key: newKey('rsa2048'), ku: null, extra: [ext('2.5.29.15', tlv(0x03, Buffer.from([0])), true)] }) }, expect: 'FAILURE' };
  },
  'webpki::aki::root-with-aki-missing-keyidentifier': () => {
    const r = root({ extra: [akiExt([])] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'webpki::aki::root-with-aki-authoritycertissuer': () => {
    const k = newKey();
    const r = root({ key: k, extra: [akiExt([tlv(0x80, keyId(k)), ctx(1, generalName('DIR:CN=myCN'))])] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'webpki::aki::root-with-aki-authoritycertserialnumber': () => {
    const k = newKey();
    const r = root({ key: k, extra: [akiExt([tlv(0x80, keyId(k)), tlv(0x82, Buffer.from([0x04, 0xd2]))])] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'webpki::aki::root-with-aki-ski-mismatch': () => {
    const r = root({ extra: [akiExt([tlv(0x80, keyId(newKey()))])] });
    return { c: { trusted: [r], peer: leaf(r) }, expect: 'FAILURE' };
  },
  'webpki::cryptographydotio-chain-missing-intermediate': () => {
    const r = root();
    const i = ica(r, 0);
    return { c: { trusted: [r], peer: leaf(i) }, expect: 'FAILURE', why: 'CHAIN_INCOMPLETE' };
  },
};

function sanCase(id: string, san: readonly string[], host: string, expect: Expect): Record<string, () => { c: Case; expect: Expect }> {
  return {
    [id]: () => {
      const r = root();
      return { c: { trusted: [r], peer: leaf(r, { san }), host }, expect };
    },
  };
}

function keyCase(id: string, where: 'root' | 'leaf' | 'both', spec: KeySpec, expect: Expect = 'FAILURE'): Record<string, () => { c: Case; expect: Expect }> {
  return {
    [id]: () => {
      const r = where === 'leaf' ? root() : root({ key: newKey(spec), sig: spec === 'p384' ? 'sha384' : 'sha256' });
      return { c: { trusted: [r], peer: leaf(r, where === 'root' ? {} : { key: newKey(spec) }) }, expect };
    },
  };
}

function ekuCase(id: string, eku: readonly string[] | null, expect: Expect): Record<string, () => { c: Case; expect: Expect }> {
  return {
    [id]: () => {
      const r = root();
      return { c: { trusted: [r], peer: leaf(r, { eku }) }, expect };
    },
  };
}

/** pathlen, max_chain_depth, pathological path building, CVEs, invalid. */
const PATH_CASES: Record<string, () => { c: Case; expect: Expect; why?: string }> = {
  ...[0, 1, 2].reduce<Record<string, () => { c: Case; expect: Expect }>>((acc, n) => {
    acc[`pathlen::ee-with-intermediate-pathlen-${n}`] = () => {
      const r = root();
      const i = ica(r, n);
      return { c: { trusted: [r], untrusted: [i], peer: leaf(i) }, expect: 'SUCCESS' };
    };
    return acc;
  }, {}),
  'pathlen::validation-ignores-pathlen-in-leaf (CA leaf: Web PKI refuses)': () => {
    const r = root();
    const i1 = ica(r, 0);
    return { c: { trusted: [r], untrusted: [i1], peer: ica(i1, 0) }, expect: 'FAILURE', why: 'LEAF_IS_CA' };
  },
  'pathlen::intermediate-violates-pathlen-0': () => {
    const r = root();
    const i1 = ica(r, 0);
    const i2 = ica(i1, 0);
    return { c: { trusted: [r], untrusted: [i1, i2], peer: leaf(i2) }, expect: 'FAILURE', why: 'PATH_LEN_EXCEEDED' };
  },
  'pathlen::intermediate-pathlen-may-increase': () => {
    const r = root();
    const i1 = ica(r, 1);
    const i2 = ica(i1, 2);
    return { c: { trusted: [r], untrusted: [i1, i2], peer: leaf(i2) }, expect: 'SUCCESS' };
  },
  'pathlen::intermediate-pathlen-too-long': () => {
    const r = root();
    const i1 = ica(r, 1);
    const i2 = ica(i1, 0);
    const i3 = ica(i2, 0);
    return { c: { trusted: [r], untrusted: [i1, i2, i3], peer: leaf(i3) }, expect: 'FAILURE' };
  },
  'pathlen::self-issued-certs-pathlen': () => {
    const r = root();
    const subject = [['2.5.4.3', 'x509-limbo-intermediate-pathlen-1'], ['2.5.4.11', 'key rollover']] as const;
    const i1 = ica(r, 1, { subject });
    const rolled = ica(i1, 1, { subject });
    const i3 = ica(rolled, 0);
    return { c: { trusted: [r], untrusted: [i1, rolled, i3], peer: leaf(i3) }, expect: 'SUCCESS' };
  },
  'pathlen::self-issued-certs-pathlen (without the self-issued exemption it would exceed)': () => {
    const r = root();
    const i1 = ica(r, 1);
    const i2 = ica(i1, 1);
    const i3 = ica(i2, 0);
    return { c: { trusted: [r], untrusted: [i1, i2, i3], peer: leaf(i3) }, expect: 'FAILURE', why: 'PATH_LEN_EXCEEDED' };
  },
  'pathlen::max-chain-depth-0': () => {
    const r = root();
    const i = ica(r);
    return { c: { trusted: [r], untrusted: [i], peer: leaf(i), maxChainDepth: 0 }, expect: 'FAILURE', why: 'CHAIN_TOO_LONG' };
  },
  'pathlen::max-chain-depth-0-direct (valid)': () => {
    const r = root();
    return { c: { trusted: [r], peer: leaf(r), maxChainDepth: 0 }, expect: 'SUCCESS' };
  },
  'pathlen::max-chain-depth-1': () => {
    const r = root();
    const i1 = ica(r);
    const i2 = ica(i1);
    return { c: { trusted: [r], untrusted: [i1, i2], peer: leaf(i2), maxChainDepth: 1 }, expect: 'FAILURE', why: 'CHAIN_TOO_LONG' };
  },
  'pathlen::max-chain-depth-2 (valid)': () => {
    const r = root();
    const i1 = ica(r);
    const i2 = ica(i1);
    return { c: { trusted: [r], untrusted: [i1, i2], peer: leaf(i2), maxChainDepth: 2 }, expect: 'SUCCESS' };
  },
  'pathlen::max-chain-depth-1-self-issued': () => {
    const r = root();
    const i1 = ica(r, undefined, { subject: [['2.5.4.3', 'rollover CA']] });
    const rolled = ica(i1, undefined, { subject: [['2.5.4.3', 'rollover CA']] });
    return { c: { trusted: [r], untrusted: [i1, rolled], peer: leaf(rolled), maxChainDepth: 1 }, expect: 'SUCCESS' };
  },
  'pathlen::deep chain of 12 intermediates within maxChainDepth 12 (valid)': () => {
    const r = root();
    const chain: Issued[] = [];
    let parent = r;
    for (let k = 0; k < 12; k++) {
      parent = ica(parent);
      chain.push(parent);
    }
    return { c: { trusted: [r], untrusted: chain, peer: leaf(parent), maxChainDepth: 12 }, expect: 'SUCCESS' };
  },
  'pathological::multiple-chains-expired-intermediate': () => {
    const r = root();
    const r2 = root({ cn: 'x509-limbo-root-2' });
    const expired = ica(r2, 1, { subject: [['2.5.4.3', 'x509-limbo-root']], key: r.key, notAfter: new Date('1988-11-25T00:00:00Z') });
    return { c: { trusted: [r, r2], untrusted: [expired], peer: leaf(r) }, expect: 'SUCCESS' };
  },
  'pathological::intermediate-cycle-distinct-cas': () => cycle(false),
  'pathological::intermediate-cycle-distinct-cas-max-depth': () => cycle(false, 255),
  'pathological::intermediate-cycle-same-logical-ca': () => cycle(true),
  'cve::cve-2024-0567 (cross-signed cycle resolved by a trusted root)': () => {
    const a = root({ cn: 'Root A' });
    const kb = newKey();
    const kc = newKey();
    const fakeIssuer = (cn: string, key: KeyPair): Issued => ({ ...a, key, subject: name(cn), ski: keyId(key), cn });
    const bc = { ca: true, ku: ['keyCertSign'], san: null } as const;
    const a1 = ica(a, undefined, { ...bc, subject: [['2.5.4.3', 'Intermediate A1']] });
    const aByB = ica(fakeIssuer('Root B', kb), undefined, { ...bc, subject: [['2.5.4.3', 'Root A']], key: a.key });
    const aByC = ica(fakeIssuer('Root C', kc), undefined, { ...bc, subject: [['2.5.4.3', 'Root A']], key: a.key });
    const b1 = ica(fakeIssuer('Root B', kb), undefined, { ...bc, subject: [['2.5.4.3', 'Intermediate B1']] });
    const bByA = ica(a, undefined, { ...bc, subject: [['2.5.4.3', 'Root B']], key: kb });
    const bByC = ica(fakeIssuer('Root C', kc), undefined, { ...bc, subject: [['2.5.4.3', 'Root B']], key: kb });
    const c1 = ica(fakeIssuer('Root C', kc), undefined, { ...bc, subject: [['2.5.4.3', 'Intermediate C1']] });
    const cByA = ica(a, undefined, { ...bc, subject: [['2.5.4.3', 'Root C']], key: kc });
    const cByB = ica(fakeIssuer('Root B', kb), undefined, { ...bc, subject: [['2.5.4.3', 'Root C']], key: kc });
    const l = leaf(a1, { subject: '', sanCritical: true, san: ['DNS:cve-2024-0567.example.com'] });
    return { c: { trusted: [a], untrusted: [a1, aByB, aByC, b1, bByA, bByC, c1, cByA, cByB], peer: l, host: 'cve-2024-0567.example.com' }, expect: 'SUCCESS' };
  },
  'invalid::invalid-issuer-key': () => {
    const r1 = root();
    const r2 = root();
    const bad = { ...newKey(), spki: Buffer.from('30123000d06092a864886f70d01010105000301' + '00', 'hex') };
    const i = ica(r2, undefined, { key: bad });
    return { c: { trusted: [r1], untrusted: [i], peer: leaf({ ...i, key: newKey() }) }, expect: 'FAILURE' };
  },
};

function cycle(sameName: boolean, maxChainDepth?: number): { c: Case; expect: Expect } {
  const r = root();
  const k1 = newKey();
  const k2 = newKey();
  const n1 = sameName ? 'intermediate-cycle-same-logical-ca' : 'intermediate-cycle-distinct-ca1';
  const n2 = sameName ? 'intermediate-cycle-same-logical-ca' : 'intermediate-cycle-distinct-ca2';
  const as = (cn: string, key: KeyPair): Issued => ({ ...r, key, subject: name(cn), ski: keyId(key), cn });
  const i1 = issue({ cn: n1, key: k1, ca: true, ku: sameName ? null : ['keyCertSign'], notBefore: EPOCH, notAfter: TORMENT }, as(n2, k2));
  const i2 = issue({ cn: n2, key: k2, ca: true, ku: sameName ? null : ['keyCertSign'], notBefore: EPOCH, notAfter: TORMENT }, as(n1, k1));
  return { c: { trusted: [r], untrusted: [i1, i2], peer: leaf(i1), ...(maxChainDepth !== undefined ? { maxChainDepth } : {}) }, expect: 'FAILURE' };
}

function validityCase(id: string, notBefore: string, at: string, expect: Expect): Record<string, () => { c: Case; expect: Expect }> {
  return {
    [`rfc5280::validity::${id}`]: () => {
      const t = { notBefore: new Date(notBefore), notAfter: new Date('2024-04-01T00:00:00Z') };
      const r = root(t);
      const i = ica(r, undefined, t);
      return { c: { trusted: [r], untrusted: [i], peer: leaf(i, t), at: new Date(at) }, expect };
    },
  };
}

function runTable(table: Record<string, () => { c: Case; expect: Expect; why?: string }>): void {
  it.each(Object.keys(table))('%s', (id) => {
    const make = table[id];
    if (!make) throw new Error(id);
    const { c, expect: expected, why } = make();
    const t0 = Date.now();
    const got = verdict(c);
    expect({ id, result: got.result }, `errors: ${got.codes.join(', ')}`).toEqual({ id, result: expected });
    if (why) expect(got.codes).toContain(why);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
}

describe('x509-limbo conformance: webpki profile', () => {
  runTable(WEBPKI_CASES);
});

describe('x509-limbo conformance: path length, depth, path building, CVEs', () => {
  runTable(PATH_CASES);
});

describe('x509-limbo conformance: name constraints', () => {
  it.each(Object.keys(NC_CASES))('%s', (id) => {
    const make = NC_CASES[id];
    if (!make) throw new Error(id);
    const { c, expect: expected } = make();
    const t0 = Date.now();
    const got = verdict(c);
    expect({ id, result: got.result }, `errors: ${got.codes.join(', ')}`).toEqual({ id, result: expected });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('x509-limbo conformance: rfc5280 profile', () => {
  it.each(Object.keys(CASES))('%s', (id) => {
    const make = CASES[id];
    if (!make) throw new Error(id);
    const { c, expect: expected } = make();
    const got = verdict(c);
    expect({ id, result: got.result }, `errors: ${got.codes.join(', ')}`).toEqual({ id, result: expected });
  });
});

