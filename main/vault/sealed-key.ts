/**
 * The on-disk format of one sealed private key: AES-256-GCM over its PKCS#8 DER.
 *
 * Layout (version 1): `"CDKV"` (4 bytes) · version (1 byte, 0x01) · IV (12 bytes) · GCM tag
 * (16 bytes) · ciphertext. The associated data is the 5-byte magic+version prefix followed by the
 * key id in UTF-8, so a file renamed to another id, a file whose header was edited, or a file
 * sealed by another installation's key-encryption key fails authentication.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CertdeskError } from '../../shared/errors.js';

/** The 4-byte magic that starts every sealed key file. */
export const SEALED_KEY_MAGIC = Buffer.from('CDKV', 'latin1');
/** The format version this code writes. */
export const SEALED_KEY_VERSION = 1;
/** Bytes in a key-encryption key (AES-256). */
export const KEK_BYTES = 32;

const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX_BYTES = SEALED_KEY_MAGIC.length + 1;
/** Bytes before the ciphertext. */
export const SEALED_KEY_HEADER_BYTES = PREFIX_BYTES + IV_BYTES + TAG_BYTES;

function prefix(): Buffer {
  return Buffer.concat([SEALED_KEY_MAGIC, Buffer.from([SEALED_KEY_VERSION])]);
}

function associatedData(keyId: string): Buffer {
  return Buffer.concat([prefix(), Buffer.from(keyId, 'utf8')]);
}

function checkKek(kek: Buffer): void {
  if (kek.length !== KEK_BYTES) {
    throw new CertdeskError('INTERNAL', `The key-encryption key must be ${KEK_BYTES} bytes, not ${kek.length}.`);
  }
}

/** Seals `pkcs8Der` for `keyId` under `kek`; returns the whole file's bytes. */
export function sealKey(kek: Buffer, keyId: string, pkcs8Der: Uint8Array): Buffer {
  checkKek(kek);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(keyId));
  const ciphertext = Buffer.concat([cipher.update(pkcs8Der), cipher.final()]);
  return Buffer.concat([prefix(), iv, cipher.getAuthTag(), ciphertext]);
}

function tampered(keyId: string, fileName: string, why: string): CertdeskError {
  return new CertdeskError(
    'VAULT_KEY_TAMPERED',
    `The sealed private key ${keyId} in ${fileName} cannot be opened: ${why}. ` +
      'The file was modified, renamed from another key, or copied from another Certdesk installation; ' +
      'Certdesk will not use it. Restore the file from a backup of this data directory, or delete the key.',
    { file: fileName, keyId },
  );
}

/** Opens a sealed key file; returns the PKCS#8 DER or throws `VAULT_KEY_TAMPERED` naming the key and file. */
export function openSealedKey(kek: Buffer, keyId: string, file: Uint8Array, fileName: string): Buffer {
  checkKek(kek);
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (bytes.length <= SEALED_KEY_HEADER_BYTES) {
    throw tampered(keyId, fileName, `the file is too short (${bytes.length} bytes)`);
  }
  if (!bytes.subarray(0, SEALED_KEY_MAGIC.length).equals(SEALED_KEY_MAGIC)) {
    throw tampered(keyId, fileName, 'it does not start with the Certdesk vault header "CDKV"');
  }
  const version = bytes[SEALED_KEY_MAGIC.length];
  if (version !== SEALED_KEY_VERSION) {
    throw tampered(keyId, fileName, `its format version ${String(version)} is not one this Certdesk reads`);
  }
  const iv = bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + IV_BYTES);
  const tag = bytes.subarray(PREFIX_BYTES + IV_BYTES, SEALED_KEY_HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(keyId));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(SEALED_KEY_HEADER_BYTES)), decipher.final()]);
  } catch {
    throw tampered(keyId, fileName, 'it fails authentication');
  }
}
