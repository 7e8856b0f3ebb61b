/**
 * Dropped or pasted files as the material of a new version: every certificate they hold (leaf and
 * chain, any order, the bundle is cleaned later), paired with its private key by
 * SubjectPublicKeyInfo — a key among the files, else a key already in the vault, else none (a
 * CA-signed certificate for the pending CSR keeps the latest version's key).
 */
import { CertdeskError } from '../../shared/errors.js';
import { fixBundle } from '../pki/bundle.js';
import { inspectCertificate } from '../pki/inspect.js';
import { spkiSha256 } from '../pki/keys.js';
import type { PrivateKeyObject } from '../pki/objects.js';
import { readMaterial } from '../pki/read.js';
import type { KeyService } from './key-service.js';
import type { MaterialFile } from './material-service.js';
import type { KeySource, UploadMaterial } from './version-service.js';

/** Where the key of an upload was found. */
export type KeyFound = 'file' | 'vault' | 'none';

/**
 * The upload without its key when the leaf is for `latestSpki` (the latest version's key, whose CSR
 * the CA answered): the version is then a renewal with the key carried over, not a new upload.
 */
export function carryOver(upload: FilesUpload, latestSpki: string | null): FilesUpload {
  if (upload.keyFound !== 'vault' || latestSpki === null || latestSpki !== upload.leafSpki) return upload;
  const { key: _key, ...material } = upload.material;
  return { ...upload, material, keyFound: 'none' };
}

/** The upload the files make, and where its key came from. */
export interface FilesUpload {
  readonly material: UploadMaterial;
  readonly keyFound: KeyFound;
  /** The leaf's subject, for messages. */
  readonly leafSubject: string;
  /** SHA-256 of the leaf's SubjectPublicKeyInfo. */
  readonly leafSpki: string;
}

/**
 * Reads the files (passwords per file; a protected file without one throws PASSWORD_REQUIRED
 * naming it) and pairs the leaf with its key.
 */
export async function uploadFromFiles(files: readonly MaterialFile[], keys: KeyService, anchors?: readonly Uint8Array[]): Promise<FilesUpload> {
  const certificates: { der: Uint8Array; file: string }[] = [];
  const found: { key: PrivateKeyObject; file: string }[] = [];
  for (const file of files) {
    for (const o of readMaterial(file.bytes, { fileName: file.name, password: file.password })) {
      if (o.kind === 'certificate') certificates.push({ der: o.der, file: file.name });
      else if (o.kind === 'private-key') found.push({ key: o, file: file.name });
    }
  }
  if (certificates.length === 0) {
    const names = files.map((f) => f.name).join(', ');
    throw new CertdeskError('NOT_A_CERTIFICATE', `${names}: no certificate found. Drop the certificate file your CA sent (with its chain and, unless it answers a CSR made here, its private key).`, {
      file: files[0]?.name,
    });
  }
  const leaf = fixBundle({ certificates: certificates.map((c) => c.der), ...(anchors ? { anchors } : {}) }).leaf;
  const info = inspectCertificate(leaf);
  let key: KeySource | undefined;
  let keyFound: KeyFound = 'none';
  if (found.length > 0) {
    // The key that belongs to the leaf; any other key is passed on so the check names its file.
    const match = found.find((k) => spkiSha256(k.key.key) === info.spkiSha256) ?? found[0];
    if (match !== undefined) key = { key: match.key.key, file: match.file };
    keyFound = 'file';
  } else {
    const record = await keys.findBySpki(info.spkiSha256);
    if (record !== undefined) {
      key = { keyId: record.id };
      keyFound = 'vault';
    }
  }
  return { material: { kind: 'upload', certificates, ...(key !== undefined ? { key } : {}) }, keyFound, leafSubject: info.subject, leafSpki: info.spkiSha256 };
}
