/** buildMultipart, checked by an independent parser (undici's `Response.formData()`). */
import { describe, expect, it } from 'vitest';
import { buildMultipart } from '../../../../../main/providers/apinizer/multipart.js';

async function parse(body: string, contentType: string): Promise<FormData> {
  return new Response(body, { headers: { 'Content-Type': contentType } }).formData();
}

describe('buildMultipart', () => {
  it('encodes text fields and a file part that a standard parser reads back exactly', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const { body, contentType } = buildMultipart([
      { name: 'certificateName', value: 'my-cert' },
      { name: 'environmentList', value: 'production,staging' },
      { name: 'certificateDescription', value: 'Zertifikat für die API ✓' },
      { name: 'pemEncodedFile', filename: 'my-cert.pem', contentType: 'application/x-pem-file', content: pem },
    ]);
    expect(contentType).toMatch(/^multipart\/form-data; boundary=----CertdeskFormBoundary[0-9a-f]+$/);
    const form = await parse(body, contentType);
    expect(form.get('certificateName')).toBe('my-cert');
    expect(form.get('environmentList')).toBe('production,staging');
    expect(form.get('certificateDescription')).toBe('Zertifikat für die API ✓');
    const file = form.get('pemEncodedFile');
    expect(file).toBeInstanceOf(Blob);
    expect((file as File).name).toBe('my-cert.pem');
    expect((file as File).type).toBe('application/x-pem-file');
    expect(await (file as File).text()).toBe(pem);
  });

  it('escapes quotes and line breaks in names and picks a boundary that does not occur in the content', async () => {
    const values = ['aaa', 'bbb'];
    let i = 0;
    const random = (): string => values[i++] ?? 'zzz';
    const { body, contentType } = buildMultipart(
      [
        { name: 'a"b', value: 'text with ----CertdeskFormBoundaryaaa inside' },
        { name: 'f', filename: 'x"\r\ny.pem', contentType: 'text/plain', content: 'c' },
      ],
      random,
    );
    expect(contentType).toBe('multipart/form-data; boundary=----CertdeskFormBoundarybbb');
    expect(body).toContain('name="a%22b"');
    expect(body).toContain('filename="x%22%0D%0Ay.pem"');
    const form = await parse(body, contentType);
    expect(form.get('a%22b') ?? form.get('a"b')).toBe('text with ----CertdeskFormBoundaryaaa inside');
  });

  it('normalises line breaks in text fields to CRLF and ends with the closing delimiter', () => {
    const { body, contentType } = buildMultipart([{ name: 'd', value: 'one\ntwo\rthree' }], () => 'b');
    const boundary = contentType.split('boundary=')[1] ?? '';
    expect(body).toContain('one\r\ntwo\r\nthree');
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });
});
