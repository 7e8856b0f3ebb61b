/**
 * PKCS#12 reading (RFC 7292) and the password-based decryption it shares with encrypted PKCS#8
 * (RFC 8018 PBES1/PBES2, RFC 7292 Appendix B/C PBEs).
 *
 * node-forge's PKCS#12 reader cannot handle EC keys, so the container layers are parsed with
 * @peculiar/asn1-pfx and the crypto is Node's, except RC2 and single DES (not in OpenSSL 3's
 * default provider), which come from node-forge, and RC4, written out here.
 */
import { createDecipheriv, createHash, createHmac, pbkdf2Sync, scryptSync, timingSafeEqual } from 'node:crypto';
import forge from 'node-forge';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthenticatedSafe, CertBag, PFX, SafeContents, type SafeBag } from '@peculiar/asn1-pfx';
import { CertdeskError } from '../../shared/errors.js';
import {
  DerError,
  TAG,
  algorithm,
  children,
  ctxTag,
  expect,
  octetString,
  readTlv,
  seq,
  smallInt,
  toBuffer,
  type Tlv,
} from './der.js';
import { PKCS12_HASHES, bmpPassword, pkcs12Kdf, type HashSpec } from './pkcs12-kdf.js';

/** Largest PBKDF2 / scrypt-free iteration count accepted (keeps hostile files from hanging us). */
const MAX_PBKDF2_ITERATIONS = 5_000_000;
/** Largest iteration count for the hash-loop KDFs (PKCS#12 Appendix B, PBKDF1), run in JS. */
const MAX_HASH_LOOP_ITERATIONS = 600_000;

/** A password in the encodings the different schemes want. */
export interface PasswordForm {
  /** BMPString with a two-byte terminator (RFC 7292 Appendix B.1); empty for the "no password" form. */
  readonly bmp: Buffer;
  /** The octets PBES1/PBES2/PBMAC1 feed to their KDF (UTF-8). */
  readonly utf8: Buffer;
}

/** A decryption failed the way a wrong password fails (bad padding or garbage plaintext). */
export class BadDecrypt extends Error {
  constructor() {
    super('bad decrypt');
    this.name = 'BadDecrypt';
  }
}

/**
 * The encodings to try for a password, most likely first.
 *
 * No password and the empty password are tried both as an empty BMPString ("\0\0") and as no
 * octets at all, as OpenSSL does; a non-ASCII password is also tried in the pre-3.0 OpenSSL
 * encoding (UTF-8 octets widened one by one).
 */
export function passwordForms(password: string | undefined): PasswordForm[] {
  if (password === undefined || password === '') {
    return [
      { bmp: Buffer.from([0, 0]), utf8: Buffer.alloc(0) },
      { bmp: Buffer.alloc(0), utf8: Buffer.alloc(0) },
    ];
  }
  const utf8 = Buffer.from(password, 'utf8');
  const forms: PasswordForm[] = [{ bmp: bmpPassword(password), utf8 }];
  if (utf8.length !== password.length) {
    const legacy = Buffer.alloc(utf8.length * 2 + 2);
    for (let i = 0; i < utf8.length; i++) legacy.writeUInt16BE(utf8[i] as number, i * 2);
    forms.push({ bmp: legacy, utf8 });
  }
  return forms;
}

// ---------------------------------------------------------------------------------------------
// Algorithms

/** Digest algorithm OIDs (DigestInfo in MacData). */
const DIGEST_OIDS: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.5': 'sha512-224',
  '2.16.840.1.101.3.4.2.6': 'sha512-256',
  '2.16.840.1.101.3.4.2.7': 'sha3-224',
  '2.16.840.1.101.3.4.2.8': 'sha3-256',
  '2.16.840.1.101.3.4.2.9': 'sha3-384',
  '2.16.840.1.101.3.4.2.10': 'sha3-512',
};

/** HMAC PRF OIDs (PBKDF2 prf, PBMAC1 messageAuthScheme). */
const HMAC_OIDS: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
  '1.2.840.113549.2.12': 'sha512-224',
  '1.2.840.113549.2.13': 'sha512-256',
  '2.16.840.1.101.3.4.2.13': 'sha3-224',
  '2.16.840.1.101.3.4.2.14': 'sha3-256',
  '2.16.840.1.101.3.4.2.15': 'sha3-384',
  '2.16.840.1.101.3.4.2.16': 'sha3-512',
};

type CipherKind = 'node' | 'des' | 'rc2' | 'rc4';

interface CipherSpec {
  readonly kind: CipherKind;
  /** Node cipher name for kind 'node'. */
  readonly node?: string;
  readonly keyLen: number;
  readonly ivLen: number;
  /** RC2 effective key bits. */
  readonly rc2Bits?: number;
  readonly name: string;
}

const AES_CAMELLIA: Readonly<Record<string, CipherSpec>> = {
  '2.16.840.1.101.3.4.1.2': { kind: 'node', node: 'aes-128-cbc', keyLen: 16, ivLen: 16, name: 'AES-128-CBC' },
  '2.16.840.1.101.3.4.1.22': { kind: 'node', node: 'aes-192-cbc', keyLen: 24, ivLen: 16, name: 'AES-192-CBC' },
  '2.16.840.1.101.3.4.1.42': { kind: 'node', node: 'aes-256-cbc', keyLen: 32, ivLen: 16, name: 'AES-256-CBC' },
  '1.2.840.113549.3.7': { kind: 'node', node: 'des-ede3-cbc', keyLen: 24, ivLen: 8, name: 'DES-EDE3-CBC' },
  '1.3.14.3.2.7': { kind: 'des', keyLen: 8, ivLen: 8, name: 'DES-CBC' },
  '1.2.392.200011.61.1.1.1.2': { kind: 'node', node: 'camellia-128-cbc', keyLen: 16, ivLen: 16, name: 'CAMELLIA-128-CBC' },
  '1.2.392.200011.61.1.1.1.3': { kind: 'node', node: 'camellia-192-cbc', keyLen: 24, ivLen: 16, name: 'CAMELLIA-192-CBC' },
  '1.2.392.200011.61.1.1.1.4': { kind: 'node', node: 'camellia-256-cbc', keyLen: 32, ivLen: 16, name: 'CAMELLIA-256-CBC' },
};

/** RFC 7292 Appendix C PBE algorithms: cipher and hash (always SHA-1). */
const PKCS12_PBES: Readonly<Record<string, CipherSpec>> = {
  '1.2.840.113549.1.12.1.1': { kind: 'rc4', keyLen: 16, ivLen: 0, name: 'pbeWithSHAAnd128BitRC4' },
  '1.2.840.113549.1.12.1.2': { kind: 'rc4', keyLen: 5, ivLen: 0, name: 'pbeWithSHAAnd40BitRC4' },
  '1.2.840.113549.1.12.1.3': { kind: 'node', node: 'des-ede3-cbc', keyLen: 24, ivLen: 8, name: 'pbeWithSHAAnd3-KeyTripleDES-CBC' },
  '1.2.840.113549.1.12.1.4': { kind: 'node', node: 'des-ede3-cbc', keyLen: 16, ivLen: 8, name: 'pbeWithSHAAnd2-KeyTripleDES-CBC' },
  '1.2.840.113549.1.12.1.5': { kind: 'rc2', keyLen: 16, ivLen: 8, rc2Bits: 128, name: 'pbeWithSHAAnd128BitRC2-CBC' },
  '1.2.840.113549.1.12.1.6': { kind: 'rc2', keyLen: 5, ivLen: 8, rc2Bits: 40, name: 'pbeWithSHAAnd40BitRC2-CBC' },
};

/** RFC 8018 PBES1 algorithms: hash and cipher. */
const PBES1: Readonly<Record<string, { hash: string; cipher: CipherSpec }>> = {
  '1.2.840.113549.1.5.3': { hash: 'md5', cipher: { kind: 'des', keyLen: 8, ivLen: 8, name: 'pbeWithMD5AndDES-CBC' } },
  '1.2.840.113549.1.5.6': { hash: 'md5', cipher: { kind: 'rc2', keyLen: 8, ivLen: 8, rc2Bits: 64, name: 'pbeWithMD5AndRC2-CBC' } },
  '1.2.840.113549.1.5.10': { hash: 'sha1', cipher: { kind: 'des', keyLen: 8, ivLen: 8, name: 'pbeWithSHA1AndDES-CBC' } },
  '1.2.840.113549.1.5.11': { hash: 'sha1', cipher: { kind: 'rc2', keyLen: 8, ivLen: 8, rc2Bits: 64, name: 'pbeWithSHA1AndRC2-CBC' } },
};

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_PBMAC1 = '1.2.840.113549.1.5.14';
const OID_SCRYPT = '1.3.6.1.4.1.11591.4.11';
const OID_RC2_CBC = '1.2.840.113549.3.2';

/** Where decryption is happening, for error messages. */
interface Ctx {
  readonly file: string;
  readonly what: string;
}

function unsupported(ctx: Ctx, detail: string): CertdeskError {
  return new CertdeskError('UNSUPPORTED_ALGORITHM', `${ctx.file}: ${ctx.what} uses ${detail}, which Certdesk cannot decrypt`, { file: ctx.file });
}

function checkIterations(ctx: Ctx, n: number, max: number): void {
  if (n < 1 || n > max) {
    throw new CertdeskError('UNSUPPORTED_ALGORITHM', `${ctx.file}: ${ctx.what} asks for ${n} key-derivation iterations (Certdesk accepts 1 to ${max})`, {
      file: ctx.file,
    });
  }
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const S = new Uint8Array(256);
  for (let i = 0; i < 256; i++) S[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (S[i] as number) + (key[i % key.length] as number)) & 0xff;
    const t = S[i] as number;
    S[i] = S[j] as number;
    S[j] = t;
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (S[i] as number)) & 0xff;
    const t = S[i] as number;
    S[i] = S[j] as number;
    S[j] = t;
    out[n] = (data[n] as number) ^ (S[((S[i] as number) + (S[j] as number)) & 0xff] as number);
  }
  return out;
}

/** Strict PKCS#7 unpadding; a mismatch is what a wrong password looks like. */
function unpad(data: Buffer, block: number): Buffer {
  const n = data[data.length - 1];
  if (n === undefined || n < 1 || n > block || n > data.length) throw new BadDecrypt();
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) throw new BadDecrypt();
  return data.subarray(0, data.length - n);
}

/** Decrypts with a CBC (or RC4) cipher and removes the padding. */
export function decryptWith(spec: CipherSpec, key: Buffer, iv: Buffer, data: Buffer, ctx: Ctx): Buffer {
  if (spec.kind === 'rc4') return rc4(key, data);
  const block = spec.ivLen;
  if (data.length === 0 || data.length % block !== 0) {
    throw new CertdeskError(ctx.what.includes('PKCS#12') ? 'PKCS12_INVALID' : 'KEY_INVALID', `${ctx.file}: ${ctx.what} has encrypted data of an impossible length (${data.length} bytes)`, {
      file: ctx.file,
    });
  }
  let plain: Buffer;
  if (spec.kind === 'node') {
    const k = spec.keyLen === 16 && spec.node === 'des-ede3-cbc' ? Buffer.concat([key, key.subarray(0, 8)]) : key;
    try {
      const d = createDecipheriv(spec.node as string, k, iv);
      d.setAutoPadding(false);
      plain = Buffer.concat([d.update(data), d.final()]);
    } catch {
      throw unsupported(ctx, spec.name);
    }
  } else {
    const bytes = (b: Buffer): forge.util.ByteStringBuffer => forge.util.createBuffer(b.toString('binary'));
    let c: { update(b: forge.util.ByteStringBuffer): void; finish(pad?: () => boolean): boolean; output: forge.util.ByteStringBuffer };
    if (spec.kind === 'des') {
      const d = forge.cipher.createDecipher('DES-CBC', bytes(key));
      d.start({ iv: bytes(iv) });
      c = d as unknown as typeof c;
    } else {
      const r = forge.rc2.createDecryptionCipher(bytes(key), spec.rc2Bits ?? key.length * 8);
      r.start(bytes(iv));
      c = r;
    }
    c.update(bytes(data));
    // Pass a no-op padding function so forge leaves the padding for our strict check.
    c.finish(() => true);
    plain = Buffer.from(c.output.getBytes(), 'binary');
  }
  return unpad(plain, block);
}

function pbeParams(buf: Buffer, params: Tlv | undefined, ctx: Ctx): { salt: Buffer; iterations: number } {
  const [salt, iter] = seq(buf, params, `${ctx.what} PBE parameters`);
  return { salt: octetString(buf, salt, 'PBE salt'), iterations: iter === undefined ? 1 : smallInt(buf, iter, 'PBE iteration count') };
}

interface Pbkdf2 {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly keyLength: number | undefined;
  readonly prf: string;
}

function pbkdf2Params(buf: Buffer, params: Tlv | undefined, ctx: Ctx): Pbkdf2 {
  const c = seq(buf, params, 'PBKDF2 parameters');
  if (c[0]?.tag !== TAG.OCTET_STRING) throw unsupported(ctx, 'PBKDF2 with a non-literal salt');
  const salt = octetString(buf, c[0], 'PBKDF2 salt');
  const iterations = smallInt(buf, c[1], 'PBKDF2 iteration count');
  let i = 2;
  let keyLength: number | undefined;
  if (c[i]?.tag === TAG.INTEGER) keyLength = smallInt(buf, c[i++], 'PBKDF2 key length');
  let prf = 'sha1';
  if (c[i] !== undefined) {
    const p = algorithm(buf, c[i], 'PBKDF2 PRF');
    const h = HMAC_OIDS[p.oid];
    if (h === undefined) throw unsupported(ctx, `PBKDF2 with PRF ${p.oid}`);
    prf = h;
  }
  return { salt, iterations, keyLength, prf };
}

function runPbkdf2(p: Pbkdf2, password: Buffer, keyLen: number, ctx: Ctx): Buffer {
  checkIterations(ctx, p.iterations, MAX_PBKDF2_ITERATIONS);
  return pbkdf2Sync(password, p.salt, p.iterations, keyLen, p.prf);
}

function pbes2(buf: Buffer, params: Tlv | undefined, data: Buffer, pw: PasswordForm, ctx: Ctx): Buffer {
  const [kdfT, encT] = seq(buf, params, 'PBES2 parameters');
  const kdf = algorithm(buf, kdfT, 'PBES2 key derivation function');
  const enc = algorithm(buf, encT, 'PBES2 encryption scheme');
  let spec = AES_CAMELLIA[enc.oid];
  let iv: Buffer;
  if (spec !== undefined) {
    iv = octetString(buf, enc.params, 'cipher IV');
  } else if (enc.oid === OID_RC2_CBC) {
    const c = enc.params?.tag === TAG.SEQUENCE ? children(buf, enc.params) : [];
    const ivT = c.length > 0 ? c[c.length - 1] : enc.params;
    iv = octetString(buf, ivT, 'RC2 IV');
    let bits = 32;
    if (c.length === 2) {
      const version = smallInt(buf, c[0], 'RC2 parameter version');
      bits = version === 160 ? 40 : version === 120 ? 64 : version === 58 ? 128 : version >= 256 ? version : 32;
    }
    spec = { kind: 'rc2', keyLen: 16, ivLen: 8, rc2Bits: bits, name: 'RC2-CBC' };
  } else {
    throw unsupported(ctx, `PBES2 with cipher ${enc.oid}`);
  }
  if (iv.length !== spec.ivLen) throw new CertdeskError('KEY_INVALID', `${ctx.file}: ${ctx.what} has a ${iv.length}-byte IV for ${spec.name}`, { file: ctx.file });
  let key: Buffer;
  if (kdf.oid === OID_PBKDF2) {
    const p = pbkdf2Params(buf, kdf.params, ctx);
    const keyLen = spec.kind === 'rc2' ? (p.keyLength ?? spec.keyLen) : spec.keyLen;
    if (keyLen < 1 || keyLen > 128) throw unsupported(ctx, `a ${keyLen}-byte key`);
    key = runPbkdf2(p, pw.utf8, keyLen, ctx);
  } else if (kdf.oid === OID_SCRYPT) {
    const c = seq(buf, kdf.params, 'scrypt parameters');
    const salt = octetString(buf, c[0], 'scrypt salt');
    const N = smallInt(buf, c[1], 'scrypt cost');
    const r = smallInt(buf, c[2], 'scrypt block size');
    const p = smallInt(buf, c[3], 'scrypt parallelization');
    if (N > 2 ** 20 || r > 32 || p > 16 || 128 * N * r * p > 256 * 1024 * 1024) throw unsupported(ctx, `scrypt with N=${N}, r=${r}, p=${p} (too costly)`);
    try {
      key = scryptSync(pw.utf8, salt, spec.keyLen, { N, r, p, maxmem: 300 * 1024 * 1024 });
    } catch {
      throw unsupported(ctx, `scrypt with N=${N}, r=${r}, p=${p}`);
    }
  } else {
    throw unsupported(ctx, `PBES2 with key derivation ${kdf.oid}`);
  }
  return decryptWith(spec, key, iv, data, ctx);
}

function pbkdf1(hash: string, password: Buffer, salt: Buffer, iterations: number): Buffer {
  let t = createHash(hash).update(password).update(salt).digest();
  for (let i = 1; i < iterations; i++) t = createHash(hash).update(t).digest();
  return t;
}

/**
 * Decrypts `data` encrypted under a password-based AlgorithmIdentifier (PBES2, PBES1 or a
 * PKCS#12 PBE). Throws BadDecrypt when the password does not fit, CertdeskError otherwise.
 */
export function decryptPbe(buf: Buffer, algId: Tlv, data: Buffer, pw: PasswordForm, ctx: Ctx): Buffer {
  const alg = algorithm(buf, algId, 'encryption algorithm');
  if (alg.oid === OID_PBES2) return pbes2(buf, alg.params, data, pw, ctx);
  const p12 = PKCS12_PBES[alg.oid];
  if (p12 !== undefined) {
    const { salt, iterations } = pbeParams(buf, alg.params, ctx);
    checkIterations(ctx, iterations, MAX_HASH_LOOP_ITERATIONS);
    const key = pkcs12Kdf('sha1', pw.bmp, salt, 1, iterations, p12.keyLen);
    const iv = p12.ivLen > 0 ? pkcs12Kdf('sha1', pw.bmp, salt, 2, iterations, p12.ivLen) : Buffer.alloc(0);
    return decryptWith(p12, key, iv, data, ctx);
  }
  const p1 = PBES1[alg.oid];
  if (p1 !== undefined) {
    const { salt, iterations } = pbeParams(buf, alg.params, ctx);
    checkIterations(ctx, iterations, MAX_HASH_LOOP_ITERATIONS);
    const dk = pbkdf1(p1.hash, pw.utf8, salt, iterations);
    return decryptWith(p1.cipher, dk.subarray(0, 8), dk.subarray(8, 16), data, ctx);
  }
  throw unsupported(ctx, `encryption algorithm ${alg.oid}`);
}

/** True when `der` is exactly one DER SEQUENCE (how a correct decryption is recognised). */
function isWholeSequence(der: Buffer): boolean {
  try {
    const t = readTlv(der, 0);
    return t.tag === TAG.SEQUENCE && t.end === der.length;
  } catch {
    return false;
  }
}

/** Why no candidate password worked: PASSWORD_REQUIRED if none was given, else WRONG_PASSWORD. */
function passwordError(file: string, password: string | undefined, what: string): CertdeskError {
  return password === undefined
    ? new CertdeskError('PASSWORD_REQUIRED', `${file}: the ${what === 'PKCS#12' ? 'PKCS#12 file' : what} is protected by a password; give the password to read it`, { file })
    : new CertdeskError('WRONG_PASSWORD', `${file}: the ${what} password is wrong`, { file });
}

/**
 * Decrypts a DER EncryptedPrivateKeyInfo (RFC 5958) to PKCS#8 PrivateKeyInfo DER.
 *
 * Tries each encoding of the password (and the empty password when none is given).
 */
export function decryptEncryptedPrivateKeyInfo(
  der: Buffer,
  password: string | undefined,
  fileName: string,
  what = 'the encrypted private key',
  forms: readonly PasswordForm[] = passwordForms(password),
): Buffer {
  const ctx: Ctx = { file: fileName, what };
  const [algT, dataT] = seq(der, readTlv(der, 0), 'EncryptedPrivateKeyInfo');
  if (algT === undefined) throw new DerError('EncryptedPrivateKeyInfo has no algorithm', false);
  const data = octetString(der, dataT, 'encrypted key data');
  for (const pw of forms) {
    try {
      const plain = decryptPbe(der, algT, data, pw, ctx);
      if (isWholeSequence(plain)) return plain;
    } catch (err) {
      if (!(err instanceof BadDecrypt)) throw err;
    }
  }
  throw passwordError(fileName, password, what === 'the encrypted private key' ? 'private key' : what);
}

const LEGACY_PEM_CIPHERS: Readonly<Record<string, CipherSpec>> = {
  'AES-128-CBC': { kind: 'node', node: 'aes-128-cbc', keyLen: 16, ivLen: 16, name: 'AES-128-CBC' },
  'AES-192-CBC': { kind: 'node', node: 'aes-192-cbc', keyLen: 24, ivLen: 16, name: 'AES-192-CBC' },
  'AES-256-CBC': { kind: 'node', node: 'aes-256-cbc', keyLen: 32, ivLen: 16, name: 'AES-256-CBC' },
  'DES-EDE3-CBC': { kind: 'node', node: 'des-ede3-cbc', keyLen: 24, ivLen: 8, name: 'DES-EDE3-CBC' },
  'DES-EDE-CBC': { kind: 'node', node: 'des-ede3-cbc', keyLen: 16, ivLen: 8, name: 'DES-EDE-CBC' },
  'DES-CBC': { kind: 'des', keyLen: 8, ivLen: 8, name: 'DES-CBC' },
  'CAMELLIA-128-CBC': { kind: 'node', node: 'camellia-128-cbc', keyLen: 16, ivLen: 16, name: 'CAMELLIA-128-CBC' },
  'CAMELLIA-192-CBC': { kind: 'node', node: 'camellia-192-cbc', keyLen: 24, ivLen: 16, name: 'CAMELLIA-192-CBC' },
  'CAMELLIA-256-CBC': { kind: 'node', node: 'camellia-256-cbc', keyLen: 32, ivLen: 16, name: 'CAMELLIA-256-CBC' },
};

/** OpenSSL's EVP_BytesToKey with MD5 and one iteration (legacy PEM encryption). */
function bytesToKey(password: Buffer, salt: Buffer, keyLen: number): Buffer {
  const parts: Buffer[] = [];
  let prev = Buffer.alloc(0);
  let have = 0;
  while (have < keyLen) {
    prev = createHash('md5').update(prev).update(password).update(salt).digest();
    parts.push(prev);
    have += prev.length;
  }
  return Buffer.concat(parts).subarray(0, keyLen);
}

/**
 * Decrypts the body of an OpenSSL "traditional" encrypted PEM key (Proc-Type: 4,ENCRYPTED and
 * DEK-Info: cipher,iv) to PKCS#1/SEC1 DER.
 */
export function decryptLegacyPem(dekInfo: string, body: Buffer, password: string | undefined, file: string): Buffer {
  const ctx: Ctx = { file, what: 'the encrypted private key' };
  const [cipherName = '', ivHex = ''] = dekInfo.split(',').map((s) => s.trim());
  const spec = LEGACY_PEM_CIPHERS[cipherName.toUpperCase()];
  if (spec === undefined) throw unsupported(ctx, `PEM encryption ${cipherName.slice(0, 40)}`);
  if (!/^[0-9a-fA-F]*$/.test(ivHex) || ivHex.length !== spec.ivLen * 2) {
    throw new CertdeskError('PEM_INVALID', `${file}: the DEK-Info header of the encrypted private key has a malformed IV`, { file });
  }
  const iv = Buffer.from(ivHex, 'hex');
  const candidates = password === undefined || password === '' ? [Buffer.alloc(0)] : [Buffer.from(password, 'utf8')];
  for (const pw of candidates) {
    try {
      const plain = decryptWith(spec, bytesToKey(pw, iv.subarray(0, 8), spec.keyLen), iv, body, ctx);
      if (isWholeSequence(plain)) return plain;
    } catch (err) {
      if (!(err instanceof BadDecrypt)) throw err;
    }
  }
  throw passwordError(file, password, 'private key');
}

// ---------------------------------------------------------------------------------------------
// PKCS#12

/** One item found in a PKCS#12 file, in file order. */
export type Pkcs12Item =
  | { readonly kind: 'certificate'; readonly der: Buffer }
  | { readonly kind: 'private-key'; readonly pkcs8: Buffer; readonly encrypted: boolean };

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const OID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const OID_KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const OID_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const OID_CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const OID_SAFE_CONTENTS_BAG = '1.2.840.113549.1.12.10.1.6';
const OID_X509_CERT = '1.2.840.113549.1.9.22.1';

function invalid(file: string, detail: string): CertdeskError {
  return new CertdeskError('PKCS12_INVALID', `${file}: the PKCS#12 file is damaged (${detail})`, { file });
}

/** Runs a library parse step, turning its exceptions into PKCS12_INVALID. */
function parseStep<T>(file: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CertdeskError || err instanceof BadDecrypt) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw invalid(file, `${what}: ${msg.slice(0, 120)}`);
  }
}

/** Verifies the MAC with each password form; returns the forms that verify (best first). */
function verifyMac(pfx: PFX, authSafeContent: Buffer, forms: readonly PasswordForm[], file: string): PasswordForm | undefined {
  const macData = pfx.macData;
  if (macData === undefined) throw invalid(file, 'the MAC data is missing');
  const ctx: Ctx = { file, what: 'the PKCS#12 integrity check' };
  const algOid = macData.mac.digestAlgorithm.algorithm;
  const expected = Buffer.from(macData.mac.digest.buffer);
  if (algOid === OID_PBMAC1) {
    // RFC 9579 PBMAC1: PBKDF2 over the UTF-8 password, then HMAC.
    const paramsRaw = macData.mac.digestAlgorithm.parameters;
    if (paramsRaw == null) throw invalid(file, 'PBMAC1 without parameters');
    const pb = Buffer.from(paramsRaw);
    const [kdfT, macT] = seq(pb, readTlv(pb, 0), 'PBMAC1 parameters');
    const kdf = algorithm(pb, kdfT, 'PBMAC1 key derivation');
    const mac = algorithm(pb, macT, 'PBMAC1 MAC scheme');
    const hash = HMAC_OIDS[mac.oid];
    if (kdf.oid !== OID_PBKDF2 || hash === undefined) throw unsupported(ctx, `PBMAC1 with ${kdf.oid}/${mac.oid}`);
    const p = pbkdf2Params(pb, kdf.params, ctx);
    if (p.keyLength === undefined || p.keyLength < 1 || p.keyLength > 128) throw invalid(file, 'PBMAC1 without a usable key length');
    for (const pw of forms) {
      const key = runPbkdf2(p, pw.utf8, p.keyLength, ctx);
      const got = createHmac(hash, key).update(authSafeContent).digest();
      if (got.length === expected.length && timingSafeEqual(got, expected)) return pw;
    }
    return undefined;
  }
  const hash = DIGEST_OIDS[algOid];
  if (hash === undefined) throw unsupported(ctx, `MAC digest ${algOid}`);
  const iterations = macData.iterations;
  checkIterations(ctx, iterations, MAX_HASH_LOOP_ITERATIONS);
  const salt = Buffer.from(macData.macSalt.buffer);
  const u = (PKCS12_HASHES[hash] as HashSpec).u;
  for (const pw of forms) {
    const key = pkcs12Kdf(hash, pw.bmp, salt, 3, iterations, u);
    const got = createHmac(hash, key).update(authSafeContent).digest();
    if (got.length === expected.length && timingSafeEqual(got, expected)) return pw;
  }
  return undefined;
}

/**
 * Reads a DER PKCS#12 (PFX) file: verifies its MAC, decrypts its safes and key bags, and returns
 * certificates and PKCS#8 private keys in file order.
 */
export function readPkcs12(der: Buffer, password: string | undefined, file: string): Pkcs12Item[] {
  const pfx = parseStep(file, 'PFX', () => AsnConvert.parse(der, PFX));
  // asn1-schema fills in an empty MacData when there is none, so look at the DER itself.
  const hasMac = parseStep(file, 'PFX', () => seq(der, readTlv(der, 0), 'PFX').length >= 3);
  if (pfx.version !== 3) throw invalid(file, `version ${pfx.version}, expected 3`);
  const authSafe = pfx.authSafe;
  if (authSafe.contentType === OID_SIGNED_DATA) {
    throw new CertdeskError('UNSUPPORTED_FORMAT', `${file}: this PKCS#12 file uses public-key integrity mode, which Certdesk does not read`, { file });
  }
  if (authSafe.contentType !== OID_DATA) throw invalid(file, `authSafe content type ${authSafe.contentType}`);
  const authSafeContent = parseStep(file, 'authSafe', () => {
    const b = toBuffer(new Uint8Array(authSafe.content));
    return octetString(b, readTlv(b, 0), 'authSafe content');
  });

  let forms = passwordForms(password);
  let integrityChecked = false;
  if (hasMac) {
    const good = parseStep(file, 'MAC', () => verifyMac(pfx, authSafeContent, forms, file));
    if (good === undefined) throw passwordError(file, password, 'PKCS#12');
    forms = [good, ...forms.filter((f) => f !== good)];
    integrityChecked = true;
  }

  const safes = parseStep(file, 'AuthenticatedSafe', () => AsnConvert.parse(authSafeContent, AuthenticatedSafe));
  const items: Pkcs12Item[] = [];
  for (const ci of safes) {
    const body = toBuffer(new Uint8Array(ci.content));
    if (ci.contentType === OID_DATA) {
      const sc = parseStep(file, 'SafeContents', () => octetString(body, readTlv(body, 0), 'SafeContents'));
      readSafeContents(sc, false, forms, password, file, items, 0);
    } else if (ci.contentType === OID_ENCRYPTED_DATA) {
      const sc = decryptEncryptedData(body, forms, password, file, integrityChecked);
      forms = [sc.form, ...forms.filter((f) => f !== sc.form)];
      readSafeContents(sc.plain, true, forms, password, file, items, 0);
    } else if (ci.contentType === OID_ENVELOPED_DATA) {
      throw new CertdeskError('UNSUPPORTED_FORMAT', `${file}: this PKCS#12 file uses public-key privacy mode, which Certdesk does not read`, { file });
    } else {
      throw invalid(file, `a safe of content type ${ci.contentType}`);
    }
  }
  return items;
}

/** Decrypts a CMS EncryptedData safe (RFC 5652 §8) to SafeContents DER. */
function decryptEncryptedData(
  body: Buffer,
  forms: readonly PasswordForm[],
  password: string | undefined,
  file: string,
  integrityChecked: boolean,
): { plain: Buffer; form: PasswordForm } {
  const { algT, data } = parseStep(file, 'EncryptedData', () => {
    const [, eci] = seq(body, readTlv(body, 0), 'EncryptedData');
    const [, alg, enc] = seq(body, eci, 'EncryptedContentInfo');
    if (alg === undefined) throw new DerError('no content encryption algorithm', false);
    if (enc === undefined) throw new DerError('no encrypted content', false);
    if ((enc.tag & 0xdf) !== ctxTag(0, false)) throw new DerError('encrypted content is not [0]', false);
    return { algT: alg, data: octetString(body, enc, 'encrypted content') };
  });
  const ctx: Ctx = { file, what: 'the PKCS#12 file' };
  for (const pw of forms) {
    try {
      const plain = decryptPbe(body, algT, data, pw, ctx);
      if (isWholeSequence(plain)) return { plain, form: pw };
    } catch (err) {
      if (!(err instanceof BadDecrypt)) throw err;
    }
  }
  // With a verified MAC the password is right, so a failed decryption means damage.
  if (integrityChecked) throw invalid(file, 'an encrypted safe does not decrypt with the verified password');
  throw passwordError(file, password, 'PKCS#12');
}

function readSafeContents(
  der: Buffer,
  inEncryptedSafe: boolean,
  forms: readonly PasswordForm[],
  password: string | undefined,
  file: string,
  items: Pkcs12Item[],
  depth: number,
): void {
  if (depth > 4) throw invalid(file, 'safe contents nested too deeply');
  const bags: SafeBag[] = parseStep(file, 'SafeContents', () => Array.from(AsnConvert.parse(der, SafeContents)));
  for (const bag of bags) {
    const value = toBuffer(new Uint8Array(bag.bagValue));
    switch (bag.bagId) {
      case OID_KEY_BAG:
        parseStep(file, 'key bag', () => expect(value, readTlv(value, 0), TAG.SEQUENCE, 'key bag'));
        items.push({ kind: 'private-key', pkcs8: value, encrypted: inEncryptedSafe });
        break;
      case OID_SHROUDED_KEY_BAG: {
        parseStep(file, 'shrouded key bag', () => expect(value, readTlv(value, 0), TAG.SEQUENCE, 'shrouded key bag'));
        const pkcs8 = parseStep(file, 'shrouded key bag', () =>
          decryptEncryptedPrivateKeyInfo(value, password, file, 'PKCS#12', forms),
        );
        items.push({ kind: 'private-key', pkcs8, encrypted: true });
        break;
      }
      case OID_CERT_BAG: {
        const cert = parseStep(file, 'certificate bag', () => {
          const cb = AsnConvert.parse(value, CertBag);
          if (cb.certId !== OID_X509_CERT) return undefined;
          const v = toBuffer(new Uint8Array(cb.certValue));
          return Buffer.from(octetString(v, readTlv(v, 0), 'certificate bag value'));
        });
        if (cert !== undefined) items.push({ kind: 'certificate', der: cert });
        break;
      }
      case OID_SAFE_CONTENTS_BAG:
        readSafeContents(value, inEncryptedSafe, forms, password, file, items, depth + 1);
        break;
      default:
        // CRL, secret and unknown bags carry nothing Certdesk imports.
        break;
    }
  }
}
