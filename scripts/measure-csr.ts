/**
 * Quick measurement of CSR creation against the native floor (not a test).
 *
 * For each key type, interleaves three variants and prints medians in milliseconds:
 * keygen alone, floor = keygen + one native `crypto.sign` over 300 bytes, and keygen + createCsr.
 * Also the per-call cost of createCsr vs crypto.sign on one fixed key.
 * Run: npx esbuild scripts/measure-csr.ts --bundle --platform=node --format=esm --packages=external --outfile=.bench/measure-csr.mjs && node .bench/measure-csr.mjs
 */
import { randomBytes, sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { KEY_TYPES, type KeyType } from '../shared/pki-types.js';
import { createCsr } from '../main/pki/csr.js';
import { generateKey } from '../main/pki/keygen.js';
import { parseSanArgument } from '../main/pki/san.js';

const ROUNDS: Record<KeyType, number> = { 'rsa-2048': 30, 'rsa-3072': 12, 'rsa-4096': 6, 'ec-p256': 3000, 'ec-p384': 1500 };
const subject = { commonName: 'www.example.com', organization: 'Example Ltd', country: 'GB' };
const sans = ['www.example.com', 'example.com', 'IP:192.0.2.1'].map(parseSanArgument);
const payload = randomBytes(300);
const digestOf = (type: KeyType): string => (type === 'ec-p384' ? 'sha384' : 'sha256');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

for (const type of KEY_TYPES) {
  const keygen: number[] = [];
  const floor: number[] = [];
  const ours: number[] = [];
  // warm-up
  for (let i = 0; i < 5; i++) createCsr({ key: await generateKey(type), subject, sans });
  for (let i = 0; i < ROUNDS[type]; i++) {
    let t = performance.now();
    await generateKey(type);
    keygen.push(performance.now() - t);

    t = performance.now();
    const k1 = await generateKey(type);
    sign(digestOf(type), payload, k1);
    floor.push(performance.now() - t);

    t = performance.now();
    const k2 = await generateKey(type);
    createCsr({ key: k2, subject, sans });
    ours.push(performance.now() - t);
  }
  const fixed = await generateKey(type);
  const n = type.startsWith('ec') ? 5000 : 200;
  const signOnly: number[] = [];
  const csrOnly: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    sign(digestOf(type), payload, fixed);
    signOnly.push(performance.now() - t);
    t = performance.now();
    createCsr({ key: fixed, subject, sans });
    csrOnly.push(performance.now() - t);
  }
  const f = median(floor);
  const o = median(ours);
  console.log(
    `${type.padEnd(9)} keygen ${fmt(median(keygen)).padStart(9)}  floor ${fmt(f).padStart(9)}  keygen+createCsr ${fmt(o).padStart(9)}  ratio ${(o / f).toFixed(3)}` +
      `   | fixed key: sign ${fmt(median(signOnly))}, createCsr ${fmt(median(csrOnly))} (+${fmt(median(csrOnly) - median(signOnly))})`,
  );
}
