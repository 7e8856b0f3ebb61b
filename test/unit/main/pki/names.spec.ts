import { SocketAddress } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readTlv } from '../../../../main/pki/der.js';
import { canonicalName, escapeDnValue, formatGeneralName, formatIpv6, formatName } from '../../../../main/pki/names.js';
import { nameDer, oidDer, printableDer, seqOf, tlv, utf8Der } from './read-test-helpers.js';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const OU = '2.5.4.11';
const C = '2.5.4.6';

function fmt(der: Buffer): string {
  return formatName(der, readTlv(der, 0));
}

describe('formatName', () => {
  it('prints most-specific first with short names, like RFC 4514', () => {
    const der = nameDer([[[C, printableDer('GB')]], [[O, utf8Der('Example')]], [[OU, utf8Der('A')]], [[OU, utf8Der('B')]], [[CN, utf8Der('example.com')]]]);
    expect(fmt(der)).toBe('CN=example.com, OU=B, OU=A, O=Example, C=GB');
  });

  it('names the common attributes and falls back to dotted OIDs', () => {
    const der = nameDer([
      [['0.9.2342.19200300.100.1.25', tlv(0x16, Buffer.from('com'))]],
      [['1.2.840.113549.1.9.1', tlv(0x16, Buffer.from('a@b.c'))]],
      [['2.5.4.5', printableDer('1234')]],
      [['0.9.2342.19200300.100.1.1', utf8Der('jdoe')]],
      [['1.2.3.4.5', utf8Der('custom')]],
      [['1.2.3.4.6', tlv(0x02, Buffer.from([5]))]],
    ]);
    expect(fmt(der)).toBe('1.2.3.4.6=#020105, 1.2.3.4.5=custom, UID=jdoe, SERIALNUMBER=1234, emailAddress=a@b.c, DC=com');
  });

  it('joins multi-valued RDNs with + and decodes every string type', () => {
    const bmp = tlv(0x1e, Buffer.from('Zoë', 'utf16le').swap16());
    const univ = tlv(0x1c, Buffer.from([0, 0, 0, 0x41, 0, 1, 0xf6, 0x00]));
    const t61 = tlv(0x14, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const der = nameDer([[[CN, bmp], [O, univ]], [[OU, t61]], [[CN, utf8Der('日本語')]]]);
    expect(fmt(der)).toBe('CN=日本語, OU=café, CN=Zoë+O=A😀');
  });

  it('escapes RFC 4514 specials', () => {
    expect(escapeDnValue('a,b+c;d<e>f"g\\h')).toBe('a\\,b\\+c\\;d\\<e\\>f\\"g\\\\h');
    expect(escapeDnValue('#x')).toBe('\\#x');
    expect(escapeDnValue(' lead and trail ')).toBe('\\ lead and trail\\ ');
    expect(escapeDnValue('a=b#c')).toBe('a=b#c');
    expect(escapeDnValue('nul\u0000\u0007')).toBe('nul\\00\\07');
    expect(fmt(nameDer([[[O, utf8Der('Example, Ltd.')]]]))).toBe('O=Example\\, Ltd.');
  });

  it('compares names case- and space-insensitively', () => {
    const a = nameDer([[[CN, printableDer('Example  CA')]]]);
    const b = nameDer([[[CN, utf8Der(' example ca')]]]);
    const c = nameDer([[[CN, utf8Der('example cb')]]]);
    expect(canonicalName(a, readTlv(a, 0))).toBe(canonicalName(b, readTlv(b, 0)));
    expect(canonicalName(a, readTlv(a, 0))).not.toBe(canonicalName(c, readTlv(c, 0)));
  });
});

describe('formatGeneralName', () => {
  const gn = (der: Buffer) => formatGeneralName(der, readTlv(der, 0));
  it('formats each GeneralName choice', () => {
    expect(gn(tlv(0x82, Buffer.from('*.example.com')))).toEqual({ type: 'dns', value: '*.example.com' });
    expect(gn(tlv(0x81, Buffer.from('a@example.com')))).toEqual({ type: 'email', value: 'a@example.com' });
    expect(gn(tlv(0x86, Buffer.from('https://x/')))).toEqual({ type: 'uri', value: 'https://x/' });
    expect(gn(tlv(0x87, Buffer.from([192, 0, 2, 1])))).toEqual({ type: 'ip', value: '192.0.2.1' });
    expect(gn(tlv(0x87, Buffer.from('20010db8000000000000000000000001', 'hex')))).toEqual({ type: 'ip', value: '2001:db8::1' });
    expect(gn(tlv(0xa4, nameDer([[[CN, utf8Der('dir')]], [[O, utf8Der('x')]]])))).toEqual({ type: 'other', value: 'dirName:O=x, CN=dir' });
    expect(gn(tlv(0xa0, oidDer('1.3.6.1.4.1.311.20.2.3'), tlv(0xa0, utf8Der('u@x'))))).toEqual({ type: 'other', value: 'otherName:UPN;u@x' });
    expect(gn(tlv(0x88, oidDer('1.2.3.4').subarray(2)))).toEqual({ type: 'other', value: 'registeredID:1.2.3.4' });
    expect(gn(tlv(0x87, Buffer.from([1, 2, 3])))).toEqual({ type: 'other', value: 'ipAddress:010203' });
    expect(seqOf().length).toBe(2);
  });

  it('writes IPv6 exactly as Node does for socket addresses', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let n = 0; n < 3000; n++) {
      const b = Buffer.alloc(16);
      for (let i = 0; i < 16; i++) b[i] = rnd() < 0.55 ? 0 : Math.floor(rnd() * 256);
      if (n % 10 === 0) b.fill(0, 0, 10).fill(0xff, 10, 12);
      const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':');
      expect(formatIpv6(b)).toBe(new SocketAddress({ address: groups, family: 'ipv6' }).address);
    }
  });
});
