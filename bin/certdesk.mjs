#!/usr/bin/env node
// `certdesk` launcher: runs the bundled CLI built by `npm install` (the `prepare` script).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'cli', 'certdesk.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('certdesk: the CLI is not built yet; run "npm install" or "npm run build:cli" in the Certdesk directory\n');
  process.exit(2);
}
await import(pathToFileURL(bundle).href);
