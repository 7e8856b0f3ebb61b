/**
 * In-process PKI benchmarks (bundled and run by scripts/bench.mjs): key generation + CSR against the
 * native floor, and inspect over 1,000 certificate files against bare X509Certificate parsing.
 */
import { X509Certificate, generateKeyPair, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_TYPES, type KeyType } from '../../shared/pki-types.js';
import { generateKey } from '../../main/pki/keygen.js';
import { createCsr } from '../../main/pki/csr.js';
import { createSelfSigned } from '../../main/pki/selfsign.js';
import { readMaterial } from '../../main/pki/read.js';
import { inspectObject } from '../../main/pki/inspect.js';
import { describeMaterial } from '../../main/pki/describe.js';

const RUNS: Record<KeyType, number> = { 'rsa-2048': 40, 'rsa-3072': 16, 'rsa-4096': 8, 'ec-p256': 400, 'ec-p384': 300 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Median time of `fn` over `n` runs, in ms. */
async function timeIt(n: number, fn: () => unknown): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    xs.push(ms(t0));
  }
  return median(xs);
}

const TBS = Buffer.alloc(300, 7);
const generateKeyPairAsync = promisify(generateKeyPair);

/** Node's own key generation, in its fastest form for the type (sync for EC, thread pool for RSA). */
async function nodeKeygen(type: KeyType): Promise<KeyObject> {
  if (type.startsWith('ec-')) return generateKeyPairSync('ec', { namedCurve: type === 'ec-p256' ? 'P-256' : 'P-384' }).privateKey;
  return (await generateKeyPairAsync('rsa', { modulusLength: Number(type.slice(4)), publicExponent: 65537 })).privateKey;
}

async function keygenCsr(): Promise<object[]> {
  const rows = [];
  for (const type of KEY_TYPES) {
    const n = RUNS[type];
    const keys: KeyObject[] = [];
    const keygen = await timeIt(n, async () => keys.push(await nodeKeygen(type)));
    const key = keys[0] as KeyObject;
    const hash = type === 'ec-p384' ? 'sha384' : 'sha256';
    const signOnly = await timeIt(Math.max(n, 200), () => sign(hash, TBS, key));
    const csrOnly = await timeIt(Math.max(n, 200), () =>
      createCsr({ key, subject: { commonName: 'bench.example.com', organization: 'Bench' }, sans: [{ type: 'dns', value: 'bench.example.com' }] }),
    );
    // Whole operations on fresh keys, interleaved: this counts the first use of a new key (OpenSSL
    // derives an EC public key lazily), which the component sums above do not. Noisy for RSA,
    // where prime search dominates and varies, so the component ratio is the one to read there.
    const wholeFloor: number[] = [];
    const wholeOurs: number[] = [];
    for (let i = 0; i < n; i++) {
      let t0 = process.hrtime.bigint();
      sign(hash, TBS, await nodeKeygen(type));
      wholeFloor.push(ms(t0));
      t0 = process.hrtime.bigint();
      createCsr({ key: await generateKey(type), subject: { commonName: 'bench.example.com' }, sans: [{ type: 'dns', value: 'bench.example.com' }] });
      wholeOurs.push(ms(t0));
    }
    const floor = keygen + signOnly;
    const ours = keygen + csrOnly;
    rows.push({
      type,
      runs: n,
      keygenMs: keygen,
      signMs: signOnly,
      createCsrMs: csrOnly,
      floorMs: floor,
      oursMs: ours,
      ratio: ours / floor,
      wholeFloorMs: median(wholeFloor),
      wholeOursMs: median(wholeOurs),
      wholeRatio: median(wholeOurs) / median(wholeFloor),
    });
  }
  return rows;
}

async function inspectBench(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
  try {
    const files: string[] = [];
    rootCertificates.forEach((pem, i) => {
      const f = join(dir, `root-${i}.pem`);
      writeFileSync(f, pem);
      files.push(f);
    });
    const keys = [generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey];
    const now = new Date();
    for (let i = files.length; i < 1000; i++) {
      const { pem } = createSelfSigned({
        key: keys[i % 2] as KeyObject,
        subject: { commonName: `host${i}.example.com`, organization: 'Bench' },
        sans: [{ type: 'dns', value: `host${i}.example.com` }, { type: 'dns', value: `www.host${i}.example.com` }],
        days: 90,
        now,
      });
      const f = join(dir, `leaf-${i}.pem`);
      writeFileSync(f, pem);
      files.push(f);
    }
    let sink = 0;
    const bare = () => {
      for (const f of files) sink += new X509Certificate(readFileSync(f)).raw.length;
    };
    const inspect = async () => {
      for (const f of files) for (const o of await readMaterial(readFileSync(f), { fileName: f })) inspectObject(o);
    };
    const describe = async () => {
      for (const f of files) await describeMaterial(readFileSync(f), { fileName: f }, now);
    };
    await inspect(); // warm-up
    bare();
    const bareMs = await timeIt(7, bare);
    const inspectMs = await timeIt(7, inspect);
    const describeMs = await timeIt(7, describe);
    if (sink === 0) throw new Error('nothing parsed');
    return { certificates: files.length, bareX509Ms: bareMs, inspectMs, inspectRatio: inspectMs / bareMs, inspectWithLintMs: describeMs, withLintRatio: describeMs / bareMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const out = { keygenCsr: await keygenCsr(), inspect: await inspectBench() };
process.stdout.write(`${JSON.stringify(out)}\n`);
