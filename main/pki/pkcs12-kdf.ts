/**
 * The RFC 7292 appendix B password-based key derivation that PKCS#12 uses for its MAC and its
 * legacy PBE ciphers, shared by the reader (`pkcs12-read.ts`) and the writer (`pkcs12-write.ts`).
 */
import { createHash } from 'node:crypto';

/** A digest's output size `u` and block size `v` in bytes (RFC 7292 B.2), and its Node name. */
export interface HashSpec {
  readonly node: string;
  readonly u: number;
  readonly v: number;
}

/** The digests the KDF accepts, by Node name. */
export const PKCS12_HASHES: Readonly<Record<string, HashSpec>> = {
  md5: { node: 'md5', u: 16, v: 64 },
  sha1: { node: 'sha1', u: 20, v: 64 },
  sha224: { node: 'sha224', u: 28, v: 64 },
  sha256: { node: 'sha256', u: 32, v: 64 },
  sha384: { node: 'sha384', u: 48, v: 128 },
  sha512: { node: 'sha512', u: 64, v: 128 },
  'sha512-224': { node: 'sha512-224', u: 28, v: 128 },
  'sha512-256': { node: 'sha512-256', u: 32, v: 128 },
  'sha3-224': { node: 'sha3-224', u: 28, v: 144 },
  'sha3-256': { node: 'sha3-256', u: 32, v: 136 },
  'sha3-384': { node: 'sha3-384', u: 48, v: 104 },
  'sha3-512': { node: 'sha3-512', u: 64, v: 72 },
};

/** The RFC 7292 B.1 password form: BMPString (UTF-16BE) plus a two-zero-byte terminator. */
export function bmpPassword(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)]);
}

/**
 * The RFC 7292 appendix B.2 key derivation: `id` 1 = key, 2 = IV, 3 = MAC key; `password` is
 * already in BMPString form ({@link bmpPassword}); `n` bytes are returned.
 */
export function pkcs12Kdf(hashName: string, password: Buffer, salt: Buffer, id: 1 | 2 | 3, iterations: number, n: number): Buffer {
  const h = PKCS12_HASHES[hashName];
  if (h === undefined) throw new Error(`no PKCS#12 KDF for ${hashName}`);
  const { u, v, node } = h;
  const D = Buffer.alloc(v, id);
  const fill = (src: Buffer): Buffer => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length] as number;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(password)]);
  const c = Math.ceil(n / u);
  const out = Buffer.alloc(c * u);
  for (let i = 0; i < c; i++) {
    let A = createHash(node).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(node).update(A).digest();
    A.copy(out, i * u);
    if (i + 1 < c) {
      const B = Buffer.alloc(v);
      for (let k = 0; k < v; k++) B[k] = A[k % u] as number;
      // I_j = (I_j + B + 1) mod 2^v for each v-byte block of I.
      for (let j = 0; j < I.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          const sum = (I[j + k] as number) + (B[k] as number) + carry;
          I[j + k] = sum & 0xff;
          carry = sum >> 8;
        }
      }
    }
  }
  return out.subarray(0, n);
}
