// Bundled by scripts/bench-chain.mjs: generates chains and times verifyChain in-process.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { verifyChain } from '../../main/pki/chain.js';
import { issue, newKey, NOW } from '../../test/unit/main/pki/fixtures.js';

const [outDir, chainsArg, repeatsArg] = process.argv.slice(2);
const CHAINS = Number(chainsArg ?? 200);
const REPEATS = Number(repeatsArg ?? 5);
mkdirSync(outDir as string, { recursive: true });

const mozilla = tls.rootCertificates.map((pem) => new X509Certificate(pem).raw);
const chains: { leaf: Buffer; pool: Buffer[]; root: Buffer; host: string }[] = [];
const unrelated = [issue({ cn: 'Unrelated CA', ca: true }).der, issue({ cn: 'unrelated.example.net' }).der];
for (let i = 0; i < CHAINS; i++) {
  // Real-world shapes: RSA-2048 root and intermediate with an EC or RSA leaf, or an all-EC chain.
  const rsa = i % 2 === 0;
  const root = issue({ cn: `Bench Root ${i}`, ca: true, key: newKey(rsa ? 'rsa2048' : 'p384'), sig: rsa ? 'sha256' : 'sha384' });
  const inter = issue({ cn: `Bench Issuing CA ${i}`, ca: { pathLen: 0 }, key: newKey(rsa ? 'rsa2048' : 'p256'), sig: rsa ? 'sha256' : 'sha384' }, root);
  const host = `host${i}.example.com`;
  const leaf = issue({ cn: host, san: [`DNS:${host}`, `DNS:www.${host}`], key: newKey(i % 3 === 0 ? 'rsa2048' : 'p256') }, inter);
  const pool = i % 4 === 0 ? [root.der, inter.der, ...unrelated] : [inter.der];
  chains.push({ leaf: leaf.der, pool, root: root.der, host });
  const d = join(outDir as string, String(i));
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'leaf.pem'), leaf.pem);
  writeFileSync(join(d, 'untrusted.pem'), pool.map((x) => new X509Certificate(x).toString()).join(''));
  writeFileSync(join(d, 'ca.pem'), [...mozilla, root.der].map((x) => new X509Certificate(x).toString()).join(''));
}
writeFileSync(join(outDir as string, 'all-ca.pem'), [...mozilla, ...chains.map((c) => c.root)].map((x) => new X509Certificate(x).toString()).join(''));
writeFileSync(join(outDir as string, 'all-untrusted.pem'), [...new Set(chains.flatMap((c) => c.pool.map((x) => new X509Certificate(x).toString())))].join(''));

const anchorSets = chains.map((c) => [...mozilla, c.root]);
const times: number[] = [];
let valid = 0;
for (let r = 0; r < REPEATS; r++) {
  chains.forEach((c, i) => {
    const t0 = process.hrtime.bigint();
    const res = verifyChain({ leaf: c.leaf, pool: c.pool, anchors: anchorSets[i], at: NOW, host: c.host });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.valid) valid++;
  });
}
process.stdout.write(JSON.stringify({ times, valid, total: times.length, anchors: mozilla.length + 1 }));
