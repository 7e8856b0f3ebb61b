/**
 * Explicit export of a vault key, always encrypted: PKCS#8 PEM (PBES2, AES-256) or PKCS#12 with
 * the certificate Certdesk holds for the key and its chain (the newest version using it).
 * Returns bytes and a suggested file name; writing and recording the export is the caller's.
 */
import { CertdeskError } from '../../shared/errors.js';
import type { KeyExportFormat } from '../../shared/api.js';
import { encryptedPkcs8Pem } from '../pki/export.js';
import { pkcs12 } from '../pki/pkcs12-write.js';
import { readMaterial } from '../pki/read.js';
import type { VersionRecord } from '../store/schema.js';
import type { KeyService } from './key-service.js';

/** An export, ready to write. */
export interface KeyExport {
  readonly bytes: Uint8Array | string;
  /** A file name without folders, e.g. `www.example.com.p12`. */
  readonly defaultName: string;
}

/** A file-name-safe form of a label. */
function slug(label: string): string {
  const s = label.replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '');
  return s === '' ? 'key' : s.slice(0, 80);
}

function ders(pem: string, what: string): Buffer[] {
  return readMaterial(Buffer.from(pem, 'utf8'), { fileName: what }).flatMap((o) => (o.kind === 'certificate' ? [o.der] : []));
}

/** Builds the encrypted export of key `id`; `versions` are the stored versions (to find its certificate for PKCS#12). */
export async function exportKey(
  keys: KeyService,
  versions: readonly VersionRecord[],
  input: { readonly id: string; readonly format: KeyExportFormat; readonly password: string; readonly legacy?: boolean },
): Promise<KeyExport> {
  const record = await keys.get(input.id);
  if (input.password === '') throw new CertdeskError('INVALID_ARGUMENT', 'An exported key needs a password to protect it.');
  const key = await keys.getPrivateKey(input.id);
  const base = slug(record.label);
  if (input.format === 'pkcs8-encrypted') return { bytes: encryptedPkcs8Pem(key, input.password), defaultName: `${base}.key.pem` };
  const withKey = versions
    .filter((v) => v.leafPem !== null && (v.keyId === record.id || v.spkiSha256 === record.spkiSha256))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version - a.version);
  const version = withKey[0];
  if (version === undefined || version.leafPem === null) {
    throw new CertdeskError(
      'NOT_FOUND',
      `Certdesk holds no certificate for the key "${record.label}", and a PKCS#12 file pairs the key with its certificate. Export it as encrypted PKCS#8 instead.`,
    );
  }
  const [leaf] = ders(version.leafPem, `version ${version.version}`);
  if (leaf === undefined) throw new CertdeskError('CERTIFICATE_INVALID', `The stored certificate of version ${version.version} could not be read.`);
  const chain = version.chainPem !== null && version.chainPem !== '' ? ders(version.chainPem, `the chain of version ${version.version}`) : [];
  const bytes = pkcs12({ key, certificate: leaf, chain, password: input.password, legacy: input.legacy === true, friendlyName: record.label || undefined });
  return { bytes: new Uint8Array(bytes), defaultName: `${base}.p12` };
}
