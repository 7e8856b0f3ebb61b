import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CertdeskError } from '../../../../shared/errors.js';
import type { San } from '../../../../shared/pki-types.js';
import { encodeDer } from '../../../../main/pki/asn1-writer.js';
import { readChildren, readWhole, TAG } from '../../../../main/pki/der.js';
import { encodeSans, ipAddressBytes, normaliseSans, parseSanArgument, validateSan } from '../../../../main/pki/san.js';
import { thrownBy as rejection } from '../../../support/certdesk-error.js';

describe('parseSanArgument', () => {
  it.each([
    ['DNS:example.com', { type: 'dns', value: 'example.com' }],
    ['dns:Example.COM', { type: 'dns', value: 'example.com' }],
    ['example.com', { type: 'dns', value: 'example.com' }],
    ['  www.example.com  ', { type: 'dns', value: 'www.example.com' }],
    ['*.example.com', { type: 'dns', value: '*.example.com' }],
    ['localhost', { type: 'dns', value: 'localhost' }],
    ['xn--bcher-kva.example', { type: 'dns', value: 'xn--bcher-kva.example' }],
    ['a-b.c-d.example', { type: 'dns', value: 'a-b.c-d.example' }],
    ['1password.com', { type: 'dns', value: '1password.com' }],
    ['IP:192.0.2.1', { type: 'ip', value: '192.0.2.1' }],
    ['ip:192.0.2.1', { type: 'ip', value: '192.0.2.1' }],
    ['192.0.2.1', { type: 'ip', value: '192.0.2.1' }],
    ['2001:DB8:0:0:0:0:0:1', { type: 'ip', value: '2001:db8::1' }],
    ['IP:2001:db8::1', { type: 'ip', value: '2001:db8::1' }],
    ['::1', { type: 'ip', value: '::1' }],
    ['abcd::1', { type: 'ip', value: 'abcd::1' }],
    ['::ffff:192.0.2.1', { type: 'ip', value: '::ffff:192.0.2.1' }],
    ['2001:db8:0:0:1:0:0:1', { type: 'ip', value: '2001:db8::1:0:0:1' }], // RFC 5952 4.2.3: first longest run
    ['EMAIL:admin@example.com', { type: 'email', value: 'admin@example.com' }],
    ['email:First.Last+tag@Example.COM', { type: 'email', value: 'First.Last+tag@example.com' }],
  ])('parses %s', (input, expected) => {
    expect(parseSanArgument(input)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['DNS:', /nothing follows/],
    ['URI:https://example.com/', /unknown type "URI:"/],
    ['bücher.example', /xn--bcher-kva\.example/],
    ['*.bücher.example', /\*\.xn--bcher-kva\.example/],
    ['exa mple.com', /spaces/],
    ['example..com', /empty label/],
    ['.example.com', /empty label/],
    ['example.com.', /trailing dot/],
    ['-example.com', /hyphen/],
    ['example-.com', /hyphen/],
    ['exa_mple.com', /letters, digits and hyphens/],
    ['ab--cd.example', /reserved/],
    ['xn--zz.example', /punycode/],
    ['www.*.example.com', /leftmost label/],
    ['w*.example.com', /leftmost label/],
    ['*.com', /two labels/],
    ['*', /two labels|wildcard/],
    [`${'a'.repeat(64)}.example`, /longer than 63/],
    [`${'abcdefghi.'.repeat(25)}comx`, /at most 253/],
    ['1.2.3', /IP address/],
    ['256.1.1.1', /IP address/],
    ['IP:256.1.1.1', /not a valid IPv4 or IPv6/],
    ['IP:example.com', /not a valid IPv4 or IPv6/],
    ['IP:fe80::1%eth0', /zone/],
    ['IP:01.2.3.4', /not a valid/],
    ['EMAIL:no-at-sign', /local@domain/],
    ['EMAIL:@example.com', /local@domain/],
    ['EMAIL:a@', /local@domain/],
    ['EMAIL:a b@example.com', /not a valid mailbox/],
    ['EMAIL:.a@example.com', /not a valid mailbox/],
    ['EMAIL:a..b@example.com', /not a valid mailbox/],
    ['EMAIL:jörg@example.com', /ASCII/],
    ['EMAIL:a@*.example.com', /wildcard/],
    ['EMAIL:a@exa_mple.com', /letters, digits/],
    [`EMAIL:${'a'.repeat(65)}@example.com`, /at most 64/],
  ])('rejects %j with INVALID_NAME', (input, why) => {
    const err = rejection(() => parseSanArgument(input));
    expect(err.code).toBe('INVALID_NAME');
    expect(err.message).toMatch(why);
    if (input.trim() !== '') expect(err.message).toContain(input.replace(/^(DNS|IP|EMAIL):/i, '').trim());
  });

  it('accepts DNS names at the length limits', () => {
    const label63 = 'a'.repeat(63);
    expect(parseSanArgument(`${label63}.example`).value).toBe(`${label63}.example`);
    const name253 = `${'abcdefghi.'.repeat(24)}abcdefghijk.com`.slice(0, 249) + '.com';
    expect(name253.length).toBe(253);
    expect(parseSanArgument(name253).value).toBe(name253);
  });
});

describe('validateSan', () => {
  it('checks SANs built in code, including URIs', () => {
    expect(validateSan({ type: 'uri', value: 'https://example.com/a' })).toEqual({ type: 'uri', value: 'https://example.com/a' });
    expect(rejection(() => validateSan({ type: 'uri', value: 'not a uri' })).code).toBe('INVALID_NAME');
    expect(rejection(() => validateSan({ type: 'other', value: 'x' })).code).toBe('INVALID_NAME');
    expect(rejection(() => validateSan({ type: 'dns', value: 'a b' })).code).toBe('INVALID_NAME');
    expect(rejection(() => validateSan({ type: 'ip', value: 'example.com' })).code).toBe('INVALID_NAME');
  });
});

describe('normaliseSans and encodeSans', () => {
  const sans: San[] = [
    { type: 'dns', value: 'Example.com' },
    { type: 'dns', value: 'example.com' },
    { type: 'ip', value: '2001:db8:0::1' },
    { type: 'ip', value: '2001:DB8::1' },
    { type: 'email', value: 'a@example.com' },
    { type: 'uri', value: 'https://example.com/' },
    { type: 'ip', value: '192.0.2.7' },
  ];

  it('normalises and removes duplicates, keeping the first-seen order', () => {
    expect(normaliseSans(sans)).toEqual([
      { type: 'dns', value: 'example.com' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'email', value: 'a@example.com' },
      { type: 'uri', value: 'https://example.com/' },
      { type: 'ip', value: '192.0.2.7' },
    ]);
  });

  it('encodes GeneralNames with the RFC 5280 context tags and raw address bytes', () => {
    const der = encodeDer(encodeSans(sans).generalNames);
    const names = readChildren(der, readWhole(der, TAG.SEQUENCE));
    expect(names.map((n) => n.tag)).toEqual([0x82, 0x87, 0x81, 0x86, 0x87]);
    expect(names[0]?.content.toString('latin1')).toBe('example.com');
    expect(names[1]?.content.toString('hex')).toBe('20010db8000000000000000000000001');
    expect(names[2]?.content.toString('latin1')).toBe('a@example.com');
    expect(names[3]?.content.toString('latin1')).toBe('https://example.com/');
    expect(names[4]?.content.toString('hex')).toBe('c0000207');
  });

  it('throws on the first invalid entry', () => {
    expect(rejection(() => encodeSans([{ type: 'dns', value: 'ok.example' }, { type: 'dns', value: 'bad_name' }])).code).toBe('INVALID_NAME');
  });
});

describe('ipAddressBytes', () => {
  it('parses IPv4, IPv6, compressed and IPv4-embedded forms', () => {
    expect(ipAddressBytes('10.1.2.3')?.toString('hex')).toBe('0a010203');
    expect(ipAddressBytes('::')?.toString('hex')).toBe('0'.repeat(32));
    expect(ipAddressBytes('1::')?.toString('hex')).toBe('0001' + '0'.repeat(28));
    expect(ipAddressBytes('::ffff:1.2.3.4')?.toString('hex')).toBe('00000000000000000000ffff01020304');
    expect(ipAddressBytes('1:2:3:4:5:6:7:8')?.toString('hex')).toBe('00010002000300040005000600070008');
    expect(ipAddressBytes('example.com')).toBeNull();
    expect(ipAddressBytes('fe80::1%eth0')).toBeNull();
  });

  it('round-trips random IPv6 addresses through the canonical text form', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const bytes = ipAddressBytes(address);
        expect(bytes).not.toBeNull();
        const canonical = parseSanArgument(`IP:${address}`).value;
        expect(ipAddressBytes(canonical)?.equals(bytes as Buffer)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

// A plain reference for the DNS rules over an alphabet without "x" (so no punycode is involved);
// the module's fast path and detailed path must both agree with it.
function referenceAccepts(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (labels[0] === '*') {
    labels.shift();
    if (labels.length < 2) return false;
  }
  if (!labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l) && !(l.length >= 4 && l.slice(2, 4) === '--'))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1] ?? '');
}

describe('DNS validation agrees with a reference', () => {
  it('accepts exactly the names the reference accepts', () => {
    const label = fc.stringMatching(/^[a-w0-9-]{0,8}$/);
    const name = fc
      .tuple(fc.boolean(), fc.array(label, { minLength: 1, maxLength: 5 }))
      .map(([wild, labels]) => (wild ? '*.' : '') + labels.join('.'));
    fc.assert(
      fc.property(name, (n) => {
        let accepted: boolean;
        try {
          accepted = parseSanArgument(`DNS:${n}`).value === n;
        } catch (err) {
          if (!(err instanceof CertdeskError) || err.code !== 'INVALID_NAME') throw err;
          accepted = false;
        }
        expect(accepted).toBe(referenceAccepts(n));
      }),
      { numRuns: 2000 },
    );
  });
});
