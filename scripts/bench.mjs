#!/usr/bin/env node
// `npm run bench`: PKI benchmarks, in-process and as whole CLI processes beside OpenSSL and bare Node,
// and chain validation of 1,000 chains beside `openssl verify`,
// in one run. Prints a table and writes .bench/results.json. Not part of `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ensureKeyringSession } from './lib/keyring.mjs';

await ensureKeyringSession(import.meta.url, process.argv.slice(2));
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, '.bench'), { recursive: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));

/** Median wall time of a whole process, in ms. */
function timeProcess(cmd, args, runs, env = process.env) {
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  }
  return median(xs);
}

// 1. In-process.
await build({
  absWorkingDir: root,
  entryPoints: ['scripts/bench/pki.ts'],
  outfile: '.bench/pki.mjs',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['keytar', 'electron'],
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  logLevel: 'warning',
});
const inproc = JSON.parse(execFileSync(process.execPath, [join(root, '.bench/pki.mjs')], { encoding: 'utf8', maxBuffer: 1 << 24 }));

// 2. Whole processes.
execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
const dataDir = mkdtempSync(join(tmpdir(), 'certdesk-bench-data-'));
const cli = (type) => [join(root, 'bin/certdesk.mjs'), '--data-dir', dataDir, 'csr', '--new-key', type, '--cn', 'bench.example.com', '--json'];
const OPENSSL_NEWKEY = {
  'rsa-2048': ['-newkey', 'rsa:2048'],
  'rsa-3072': ['-newkey', 'rsa:3072'],
  'rsa-4096': ['-newkey', 'rsa:4096'],
  'ec-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ec-p384': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};
const RUNS = { 'rsa-2048': 15, 'rsa-3072': 8, 'rsa-4096': 5, 'ec-p256': 20, 'ec-p384': 20 };
timeProcess(process.execPath, cli('ec-p256'), 2); // warm the file cache and create the vault key
const nodeBare = timeProcess(process.execPath, ['-e', '0'], 20);
const processes = [];
for (const type of Object.keys(OPENSSL_NEWKEY)) {
  const ours = timeProcess(process.execPath, cli(type), RUNS[type]);
  const openssl = timeProcess('openssl', ['req', '-new', ...OPENSSL_NEWKEY[type], '-nodes', '-keyout', '/dev/null', '-subj', '/CN=bench.example.com', '-out', '/dev/null'], RUNS[type]);
  processes.push({ type, certdeskMs: ours, opensslMs: openssl, ratio: ours / openssl, overNodeMs: ours - nodeBare });
}
rmSync(dataDir, { recursive: true, force: true });

// Chain validation: 1,000 chains in-process beside `openssl verify` on the same chains (scripts/bench-chain.mjs).
const chainLines = execFileSync(process.execPath, [join(root, 'scripts/bench-chain.mjs'), '1000', '3'], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n');
const chain = JSON.parse(chainLines.at(-1));

const results = { date: new Date().toISOString(), node: process.version, nodeBareMs: nodeBare, inProcess: inproc, processes, chain };
writeFileSync(join(root, '.bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

console.log('\nKey generation + CSR, in-process (medians, ms; floor = Node keygen + one native signature)');
console.log('type       keygen    sign   createCsr   floor    ours   ratio | fresh-key floor   ours   ratio  (target ≤ 1.2)');
for (const r of inproc.keygenCsr) {
  console.log(
    `${r.type.padEnd(9)} ${fmt(r.keygenMs).padStart(7)} ${fmt(r.signMs).padStart(7)} ${fmt(r.createCsrMs).padStart(10)} ${fmt(r.floorMs).padStart(7)} ${fmt(r.oursMs).padStart(7)}   ${r.ratio.toFixed(3)} | ${fmt(r.wholeFloorMs).padStart(15)} ${fmt(r.wholeOursMs).padStart(6)}   ${r.wholeRatio.toFixed(3)}`,
  );
}
console.log(`\nWhole processes (medians, ms); bare "node -e 0": ${fmt(nodeBare)}`);
console.log('type       certdesk csr   openssl req   ratio   over node -e 0');
for (const r of processes) {
  console.log(`${r.type.padEnd(9)} ${fmt(r.certdeskMs).padStart(13)} ${fmt(r.opensslMs).padStart(13)} ${r.ratio.toFixed(2).padStart(7)}   ${fmt(r.overNodeMs).padStart(8)}`);
}
const i = inproc.inspect;
console.log(`\ninspect over ${i.certificates} certificate files (median of 7 passes, ms)`);
console.log(`bare X509Certificate ${fmt(i.bareX509Ms)}   inspect ${fmt(i.inspectMs)} (${i.inspectRatio.toFixed(2)}×, target ≤ 2)   inspect+lint ${fmt(i.inspectWithLintMs)} (${i.withLintRatio.toFixed(2)}×)`);
console.log(`\n${chainLines.slice(0, -1).join('\n')}`);
console.log('\nTargets: in-process ratio ≤ 1.2 for every type; rsa-2048 process ratio ≤ 1.5; ec-p256 ≤ 150 ms over node -e 0; inspect ≤ 2×.');
