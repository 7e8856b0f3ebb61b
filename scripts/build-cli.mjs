#!/usr/bin/env node
// Bundles the `certdesk` CLI (main/cli/entry.ts) into out/cli/ with esbuild: one small entry chunk
// plus lazily loaded chunks per command, so a command loads only what it needs.
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// conf imports ajv eagerly but uses it only with a JSON schema, which the store never passes.
const ajvStub = {
  name: 'ajv-stub',
  setup(b) {
    b.onResolve({ filter: /^ajv(\/dist\/2020\.js)?$|^ajv-formats$/ }, () => ({ path: join(root, 'scripts/stubs/ajv-unused.mjs') }));
  },
};

const result = await build({
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
  plugins: [ajvStub],
  define: { 'process.env.CERTDESK_VERSION': JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __cdCreateRequire } from 'node:module'; const require = __cdCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});

// Chunks of earlier builds would pile up beside the new ones: remove what this build did not write.
const written = new Set(Object.keys(result.metafile.outputs).map((f) => relative('out/cli', f)));
for (const f of readdirSync(join(root, 'out/cli'))) {
  if (!written.has(f)) rmSync(join(root, 'out/cli', f), { force: true });
}
