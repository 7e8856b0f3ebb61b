import { describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../../shared/errors.js';
import { bytesToText, parsePem } from '../../../../main/pki/pem.js';

const body = Buffer.from('hello PEM world, this is a test body!').toString('base64');
const block = (label: string, b64 = body): string => `-----BEGIN ${label}-----\n${b64.match(/.{1,16}/g)?.join('\n')}\n-----END ${label}-----\n`;

describe('parsePem', () => {
  it('finds blocks in order among arbitrary text', () => {
    const text = `Bag Attributes\n    localKeyID: 01 02\nsubject=CN = x\n${block('CERTIFICATE')}\nnoise\n${block('PRIVATE KEY')}trailer`;
    const blocks = parsePem(text, 'x.pem');
    expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'PRIVATE KEY']);
    expect(blocks[0]?.der.toString()).toBe('hello PEM world, this is a test body!');
    expect(blocks.map((b) => b.index)).toEqual([1, 2]);
    expect(blocks[0]?.line).toBe(4);
  });

  it('accepts CRLF, indentation, trailing whitespace and JSON-escaped newlines', () => {
    const crlf = block('CERTIFICATE').replace(/\n/g, '  \r\n').replace(/^/gm, '    ');
    expect(parsePem(crlf, 'a')[0]?.der.toString()).toContain('hello PEM');
    const json = JSON.stringify(block('CERTIFICATE')).slice(1, -1);
    expect(json).toContain('\\n');
    expect(parsePem(json, 'a')[0]?.der.toString()).toContain('hello PEM');
  });

  it('reads RFC 1421 headers', () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n${body}\n-----END RSA PRIVATE KEY-----\n`;
    const [b] = parsePem(text, 'k.pem');
    expect(b?.headers.get('Proc-Type')).toBe('4,ENCRYPTED');
    expect(b?.headers.get('DEK-Info')).toBe('AES-128-CBC,00112233445566778899AABBCCDDEEFF');
    expect(b?.der.toString()).toContain('hello PEM');
  });

  it('rejects unterminated blocks, mismatched END lines and bad base64, naming the file', () => {
    const cases: Array<[string, RegExp]> = [
      [`-----BEGIN CERTIFICATE-----\n${body}\n`, /cut\.pem: PEM block 1 \(CERTIFICATE, line 1\) is not closed/],
      [`-----BEGIN CERTIFICATE-----\n${body}\n-----END PRIVATE KEY-----\n`, /END line says "PRIVATE KEY"/],
      [`-----BEGIN CERTIFICATE-----\n${body}\n${block('CERTIFICATE')}`, /not closed/],
      [block('CERTIFICATE', `${body.slice(0, 8)}*%${body.slice(10)}`), /not base64/],
      [block('CERTIFICATE', '===='), /not base64|empty/],
    ];
    for (const [text, re] of cases) {
      try {
        parsePem(text, 'cut.pem');
        expect.unreachable();
      } catch (err) {
        expect(isCertdeskError(err) && err.code).toBe('PEM_INVALID');
        expect((err as Error).message).toMatch(re);
      }
    }
  });
});

describe('bytesToText', () => {
  it('decodes UTF-16 with a byte-order mark and leaves other bytes 1:1', () => {
    const s = block('CERTIFICATE');
    expect(bytesToText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]))).toBe(s);
    expect(bytesToText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]))).toBe(s);
    expect(bytesToText(Buffer.from([0xef, 0xbb, 0xbf, 0x41])).length).toBe(4);
  });
});
