/**
 * `certdesk verify LEAF_FILE [--chain FILE]… [--trust FILE]… [--at TIME] [--host NAME_OR_IP] [--json]`
 */
import { X509Certificate } from 'node:crypto';
import { parse, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson } from '../io.js';
import type { CommandContext } from '../main.js';
import { loadCertificates } from '../material.js';
import { verifyChain } from '../../pki/chain.js';
import { sha256Hex } from '../../pki/keys.js';

interface Flags {
  chain?: string[];
  trust?: string[];
  at?: string;
  host?: string;
  json?: boolean;
}

/** Parses `--at`: an ISO 8601 time (a date alone means midnight UTC). */
export function parseAt(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(t)) usage('verify', `--at must be an ISO 8601 time such as 2026-11-23T07:06:00Z, not "${value}"`);
  return new Date(t);
}

/** Validates the leaf's chain; exit 0 when valid, 1 when not. */
export async function verifyCommand({ io, argv }: CommandContext): Promise<number> {
  const { values, positionals } = parse<Flags>('verify', argv, {
    chain: { type: 'string', multiple: true },
    trust: { type: 'string', multiple: true },
    at: { type: 'string' },
    host: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) usage('verify', 'name exactly one LEAF_FILE (add intermediates with --chain FILE)');
  const leafFile = positionals[0] as string;
  const at = parseAt(values.at);
  const [leaf, ...rest] = await loadCertificates(leafFile);
  const pool = [...rest];
  for (const f of values.chain ?? []) pool.push(...(await loadCertificates(f)));
  let anchors: Buffer[] | undefined;
  if (values.trust && values.trust.length > 0) {
    anchors = [];
    for (const f of values.trust) anchors.push(...(await loadCertificates(f)));
  }
  const result = verifyChain({ leaf: leaf as Buffer, pool, anchors, at, host: values.host });
  if (values.json) {
    printJson(io, result);
  } else {
    const subjects = new Map<string, string>();
    for (const der of [leaf as Buffer, ...pool, ...(anchors ?? [])]) {
      try {
        subjects.set(sha256Hex(der), new X509Certificate(der).subject.replace(/\n/g, ', '));
      } catch {
        // a certificate Node cannot parse is still named by its fingerprint
      }
    }
    io.stdout(`${result.valid ? 'valid' : 'NOT valid'}${values.host ? ` for ${values.host}` : ''} at ${at.toISOString().replace(/\.\d{3}Z$/, 'Z')}\n`);
    result.chain.forEach((fp: string, i: number) => io.stdout(`  ${i}  ${subjects.get(fp) ?? '?'}\n     sha256 ${fp}\n`));
    for (const e of result.errors) io.stdout(`  ✗ ${e.code}: ${e.message}\n`);
    for (const w of result.warnings) io.stdout(`  ! ${w.code}: ${w.message}\n`);
  }
  return result.valid ? EXIT.ok : EXIT.no;
}
