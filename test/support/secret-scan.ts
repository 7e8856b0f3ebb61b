/**
 * Walks any value (IPC results, envelopes) looking for private key material: PEM private-key
 * blocks, raw bytes, and the encodings of given keys (PKCS#8/SEC1/PKCS#1 DER, private components,
 * as hex/base64) — see `keyNeedles`.
 */
import type { KeyObject } from 'node:crypto';
import { keyNeedles } from './key-material.js';

const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Where in `value` key material shows up ("path: what"); empty when none. */
export function findSecretsInValue(value: unknown, keys: readonly KeyObject[]): string[] {
  const needles: [string, Buffer][] = [];
  keys.forEach((key, n) => {
    for (const [name, bytes] of keyNeedles(key)) if (bytes.length >= 8) needles.push([`key ${n}: ${name}`, bytes]);
  });
  const findings: string[] = [];
  const checkBytes = (path: string, bytes: Buffer): void => {
    for (const [name, needle] of needles) if (bytes.includes(needle)) findings.push(`${path}: ${name}`);
  };
  const walk = (v: unknown, path: string, depth: number): void => {
    if (depth > 50) return;
    if (typeof v === 'string') {
      if (PEM_PRIVATE.test(v)) findings.push(`${path}: a PEM private key block`);
      checkBytes(path, Buffer.from(v, 'utf8'));
    } else if (v instanceof Uint8Array) {
      findings.push(`${path}: raw bytes (${v.byteLength}) in a result`);
      checkBytes(path, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) walk(item, `${path}.${k}`, depth + 1);
    }
  };
  walk(value, '$', 0);
  return findings;
}
