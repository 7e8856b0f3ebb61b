#!/usr/bin/env node
// Electronegativity (Doyensec's Electron security scanner) over main/, renderer/ and the built out/,
// scanned together so its global checks see main's handlers next to the renderer. Fails on any HIGH
// or MEDIUM finding not waived, with a written reason, in scripts/electronegativity-waivers.json; a
// waiver that matches nothing fails too (it would hide a future finding), as does a file the scanner
// could not parse unless that is waived.
//
// Runs offline: the tool's attempts to fetch translations and Electron's release list fail fast and
// it goes on with its built-in data. Usage: node scripts/electronegativity.mjs [--no-build]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const WAIVERS = join(root, 'scripts', 'electronegativity-waivers.json');
const FAIL_AT = new Set(['HIGH', 'MEDIUM']);
const started = Date.now();

function build() {
  const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(tmpdir(), 'certdesk-no-electron-dist') };
  mkdirSync(env.ELECTRON_OVERRIDE_DIST_PATH, { recursive: true });
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const res = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env });
  if (res.status !== 0) {
    console.error('electronegativity: the build failed; nothing was scanned');
    process.exit(1);
  }
}

/** True when `file` matches `pattern`, where `*` stands for any characters but `/` (hashed bundle names). */
function matches(pattern, file) {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  return re.test(file);
}

/** Waivers: [{ check, file, reason }] for findings, [{ parseError: file, reason }] for unparseable files; `*` matches within a name. */
function loadWaivers() {
  const list = JSON.parse(readFileSync(WAIVERS, 'utf8'));
  if (!Array.isArray(list)) throw new Error(`${WAIVERS} must hold an array`);
  for (const w of list) {
    if (typeof w.reason !== 'string' || w.reason.trim().length < 20) {
      throw new Error(`${WAIVERS}: every waiver needs a written reason (20 characters or more): ${JSON.stringify(w)}`);
    }
    if (!((typeof w.check === 'string' && typeof w.file === 'string') || typeof w.parseError === 'string')) {
      throw new Error(`${WAIVERS}: a waiver names { check, file } or { parseError }: ${JSON.stringify(w)}`);
    }
  }
  return list;
}

if (!process.argv.includes('--no-build') || !existsSync(join(root, 'out', 'main', 'index.js'))) build();

// One directory holding exactly what ships: sources, the built bundles, package.json for versions.
const scan = mkdtempSync(join(tmpdir(), 'certdesk-electronegativity-'));
try {
  for (const dir of ['main', 'renderer', 'out/main', 'out/preload', 'out/renderer']) {
    if (existsSync(join(root, dir))) cpSync(join(root, dir), join(scan, dir), { recursive: true });
  }
  cpSync(join(root, 'package.json'), join(scan, 'package.json'));

  const runModule = require('@doyensec/electronegativity');
  const run = runModule.default ?? runModule;
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  // The tool logs progress through console.log; keep the output to our own summary.
  const log = console.log;
  console.log = () => undefined;
  let result;
  try {
    result = await run({ input: scan, isRelative: true, electronVersionOverride: electronVersion });
  } finally {
    console.log = log;
  }

  const waivers = loadWaivers();
  const used = new Set();
  const failing = [];
  const waived = [];
  for (const issue of result.issues) {
    const severity = issue.severity.name ?? String(issue.severity);
    if (!FAIL_AT.has(severity)) continue;
    const file = issue.file === 'N/A' ? 'N/A' : issue.file;
    const waiver = waivers.find((w) => w.check === issue.id && typeof w.file === 'string' && matches(w.file, file));
    const line = `${severity} ${issue.id} ${file}:${issue.location.line} — ${issue.description}`;
    if (waiver) {
      used.add(waiver);
      waived.push(`${line}\n    waived: ${waiver.reason}`);
    } else failing.push(line);
  }
  for (const err of result.errors) {
    if (err.tolerable) continue;
    const file = relative(scan, err.file);
    const waiver = waivers.find((w) => typeof w.parseError === 'string' && matches(w.parseError, file));
    if (waiver) {
      used.add(waiver);
      waived.push(`could not parse ${file} (${err.message})\n    waived: ${waiver.reason}`);
    } else failing.push(`could not parse ${file}: ${err.message} — its checks did not run`);
  }
  const stale = waivers.filter((w) => !used.has(w));
  for (const w of stale) failing.push(`stale waiver (matches nothing; remove it): ${JSON.stringify(w)}`);

  const low = result.issues.filter((i) => !FAIL_AT.has(i.severity.name ?? String(i.severity))).length;
  console.log(`electronegativity ${require('@doyensec/electronegativity/package.json').version}: ${result.globalChecks + result.atomicChecks} checks, Electron ${electronVersion}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (waived.length > 0) console.log(`waived (${waived.length}):\n  ${waived.join('\n  ')}`);
  if (low > 0) console.log(`${low} LOW/INFORMATIONAL finding(s) not gated`);
  if (failing.length > 0) {
    console.error(`\nelectronegativity: ${failing.length} problem(s):\n  ${failing.join('\n  ')}`);
    process.exitCode = 1;
  } else console.log('electronegativity: no HIGH or MEDIUM finding outside the waivers');
} finally {
  rmSync(scan, { recursive: true, force: true });
}
