#!/usr/bin/env node
// Bundles the `certdesk` CLI (main/cli/entry.ts) into out/cli/ with esbuild: one small entry chunk
// plus lazily loaded chunks per command, so a command loads only what it needs.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

await build({
  absWorkingDir: root,
  entryPoints: { certdesk: 'main/cli/entry.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // keytar is a native addon; electron must never be bundled into (or resolved by) the CLI.
  external: ['keytar', 'electron'],
  define: { 'process.env.CERTDESK_VERSION': JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __cdCreateRequire } from 'node:module'; const require = __cdCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
