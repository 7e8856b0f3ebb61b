#!/usr/bin/env node
// Chain validation benchmark: verifyChain in-process vs `openssl verify` on the same generated
// chains in the same run. Usage: node scripts/bench-chain.mjs [chains=200] [repeats=5]
// Anchors: the Mozilla store bundled with Node (as a real trust store) plus each chain's root.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chains = Number(process.argv[2] ?? 200);
const repeats = Number(process.argv[3] ?? 5);
const work = mkdtempSync(join(tmpdir(), 'certdesk-bench-chain-'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
try {
  mkdirSync(join(root, '.bench'), { recursive: true });
  const entry = join(root, '.bench', 'chain-bench.mjs');
  await build({ absWorkingDir: root, entryPoints: ['scripts/bench/chain-entry.ts'], outfile: entry, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const ours = JSON.parse(execFileSync(process.execPath, [entry, work, String(chains), String(repeats)], { maxBuffer: 64 << 20 }).toString());

  // OpenSSL, one process per chain (what a script calling `openssl verify` pays).
  const perProcess = [];
  let opensslValid = 0;
  for (let i = 0; i < chains; i++) {
    const d = join(work, String(i));
    const t0 = process.hrtime.bigint();
    const r = spawnSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-attime', String(Math.floor(Date.parse('2026-01-15T12:00:00Z') / 1000)), '-verify_hostname', `host${i}.example.com`, '-CAfile', join(d, 'ca.pem'), '-untrusted', join(d, 'untrusted.pem'), join(d, 'leaf.pem')]);
    perProcess.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status === 0) opensslValid++;
  }
  // OpenSSL, one process over all leaves (store loaded once; closest to in-process cost).
  const leaves = Array.from({ length: chains }, (_, i) => join(work, String(i), 'leaf.pem'));
  const t0 = process.hrtime.bigint();
  spawnSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-attime', String(Math.floor(Date.parse('2026-01-15T12:00:00Z') / 1000)), '-CAfile', join(work, 'all-ca.pem'), '-untrusted', join(work, 'all-untrusted.pem'), ...leaves]);
  const batchMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const result = {
    chains,
    verifications: ours.total,
    anchors: ours.anchors,
    certdesk: { medianMsPerChain: median(ours.times), valid: ours.valid },
    opensslPerProcess: { medianMsPerChain: median(perProcess), valid: opensslValid },
    opensslBatch: { msPerChain: batchMs / chains },
  };
  console.log(`chain validation, ${chains} chains × ${repeats} = ${ours.total} verifications, ${ours.anchors} anchors`);
  console.log(`  certdesk verifyChain (in-process)     median ${result.certdesk.medianMsPerChain.toFixed(3)} ms/chain   valid ${ours.valid}/${ours.total}`);
  console.log(`  openssl verify, one process per chain median ${result.opensslPerProcess.medianMsPerChain.toFixed(3)} ms/chain   valid ${opensslValid}/${chains}`);
  console.log(`  openssl verify, one process, all      mean   ${result.opensslBatch.msPerChain.toFixed(3)} ms/chain`);
  console.log(JSON.stringify(result));
} finally {
  rmSync(work, { recursive: true, force: true });
}
