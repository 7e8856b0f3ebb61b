/**
 * Loading certificates and keys from user-named files for commands that need one kind of object.
 */
import { CertdeskError } from '../../shared/errors.js';
import type { CertificateObject, CsrObject, PkiObject, PrivateKeyObject } from '../pki/objects.js';
import { readMaterial } from '../pki/read.js';
import { readInputFile } from './io.js';

/** Every object in a user-named file. */
export async function loadObjects(file: string, password?: string): Promise<PkiObject[]> {
  return readMaterial(readInputFile(file), { fileName: file, password });
}

/** Every certificate in a file; an error naming the file if there is none. */
export async function loadCertificates(file: string, password?: string): Promise<Buffer[]> {
  const certs = (await loadObjects(file, password)).filter((o): o is CertificateObject => o.kind === 'certificate');
  if (certs.length === 0) throw new CertdeskError('NOT_A_CERTIFICATE', `${file}: contains no certificate`, { file });
  return certs.map((c) => c.der);
}

/** The single private key in a file; errors when there is none or more than one. */
export async function loadPrivateKey(file: string, password?: string): Promise<PrivateKeyObject> {
  const keys = (await loadObjects(file, password)).filter((o): o is PrivateKeyObject => o.kind === 'private-key');
  if (keys.length === 0) throw new CertdeskError('KEY_INVALID', `${file}: contains no private key`, { file });
  if (keys.length > 1) {
    throw new CertdeskError('KEY_INVALID', `${file}: contains ${keys.length} private keys; put the one you mean in a file of its own`, { file });
  }
  return keys[0] as PrivateKeyObject;
}

/** The first certificate in a file, or else its first CSR. */
export async function loadCertificateOrCsr(file: string, password?: string): Promise<CertificateObject | CsrObject> {
  const objects = await loadObjects(file, password);
  const found = objects.find((o): o is CertificateObject => o.kind === 'certificate') ?? objects.find((o): o is CsrObject => o.kind === 'csr');
  if (!found) {
    throw new CertdeskError('NOT_A_CERTIFICATE', `${file}: contains no certificate or CSR`, { file });
  }
  return found;
}
