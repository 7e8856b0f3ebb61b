/**
 * `certdesk key generate|import|list|delete|export`
 */
import { X509Certificate } from 'node:crypto';
import { CertdeskError } from '../../../shared/errors.js';
import { keyType, parse, required, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { forceHint } from '../hints.js';
import { printJson, resolvePassword, writeFileAtomic } from '../io.js';
import type { CommandContext } from '../main.js';
import { openKeyService } from '../services.js';
import type { KeyRecord } from '../../store/schema.js';
import { keySummary } from '../../services/key-service.js';

function keyLine(r: KeyRecord): string {
  const size = r.curve ?? (r.bits !== undefined ? String(r.bits) : '');
  return `${r.id}  ${`${r.algorithm} ${size}`.padEnd(9)}  ${r.createdAt}  ${r.spkiSha256}  ${r.label}`;
}

async function generate(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const { values } = parse<{ type?: string; label?: string; json?: boolean }>('key generate', argv, {
    type: { type: 'string' },
    label: { type: 'string' },
    json: { type: 'boolean' },
  });
  const type = keyType('key generate', 'type', values.type);
  const record = await (await openKeyService(ctx, { unlock: true })).generate(type, values.label);
  if (values.json) printJson(ctx.io, keySummary(record));
  else ctx.io.stdout(`${keyLine(record)}\n`);
  return EXIT.ok;
}

async function importKey(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse<{ password?: string; 'password-stdin'?: boolean; label?: string; json?: boolean }>('key import', argv, {
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    label: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) usage('key import', 'name exactly one FILE holding the private key');
  const file = positionals[0] as string;
  const password = await resolvePassword(ctx.io, { password: values.password, passwordStdin: values['password-stdin'] });
  // Reading key files needs the whole format reader; generate and list do not load it.
  const { loadPrivateKey } = await import('../material.js');
  let key;
  try {
    key = await loadPrivateKey(file, password);
  } catch (err) {
    if (err instanceof CertdeskError && err.code === 'PASSWORD_REQUIRED' && password === undefined && ctx.io.promptSecret) {
      key = await loadPrivateKey(file, await ctx.io.promptSecret(`Password for ${file}: `));
    } else {
      throw err;
    }
  }
  const record = await (await openKeyService(ctx, { unlock: true })).import(key.key, values.label ?? file.replace(/^.*[\\/]/, ''));
  if (values.json) printJson(ctx.io, keySummary(record));
  else ctx.io.stdout(`${keyLine(record)}\n`);
  return EXIT.ok;
}

async function list(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const { values } = parse<{ json?: boolean }>('key list', argv, { json: { type: 'boolean' } });
  const keys = await (await openKeyService(ctx)).list();
  if (values.json) printJson(ctx.io, { keys: keys.map(keySummary) });
  else if (keys.length === 0) ctx.io.stdout('No keys yet: "certdesk key generate --type ec-p256" makes one.\n');
  else for (const k of keys) ctx.io.stdout(`${keyLine(k)}\n`);
  return EXIT.ok;
}

async function remove(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse<{ force?: boolean }>('key delete', argv, { force: { type: 'boolean' } });
  if (positionals.length !== 1) usage('key delete', 'name exactly one key ID (see "certdesk key list")');
  await (await openKeyService(ctx)).delete(positionals[0] as string, { force: values.force === true }).catch((err: unknown) => {
    throw forceHint(err);
  });
  ctx.io.stderr(`certdesk: deleted key ${positionals[0]}\n`);
  return EXIT.ok;
}

interface ExportFlags {
  out?: string;
  format?: string;
  cert?: string;
  password?: string;
  'password-stdin'?: boolean;
  legacy?: boolean;
  force?: boolean;
  json?: boolean;
}

async function exportKey(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const cmd = 'key export';
  const { values, positionals } = parse<ExportFlags>(cmd, argv, {
    out: { type: 'string' },
    format: { type: 'string' },
    cert: { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    legacy: { type: 'boolean' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) usage(cmd, 'name exactly one key ID (see "certdesk key list")');
  const id = positionals[0] as string;
  const out = required(cmd, 'out', values.out);
  const format = required(cmd, 'format', values.format);
  if (format !== 'pkcs8-encrypted' && format !== 'pkcs12') usage(cmd, `--format must be pkcs8-encrypted or pkcs12, not "${format}"`);
  if (format === 'pkcs12' && values.cert === undefined) usage(cmd, '--format pkcs12 needs --cert FILE: a PKCS#12 file pairs the key with its certificate');
  if (values.legacy && format !== 'pkcs12') usage(cmd, '--legacy applies to --format pkcs12 only');
  const { loadCertificates } = await import('../material.js');
  const certs = values.cert !== undefined ? await loadCertificates(values.cert) : [];
  const password = await resolvePassword(ctx.io, {
    password: values.password,
    passwordStdin: values['password-stdin'],
    prompt: `Password to protect ${out}: `,
  });
  if (password === undefined) usage(cmd, 'the export is encrypted: give a password with --password-stdin, CERTDESK_PASSWORD or --password');
  if (password.length === 0 && format === 'pkcs8-encrypted') usage(cmd, 'an encrypted PKCS#8 file needs a non-empty password');
  const service = await openKeyService(ctx, { unlock: true });
  const record = await service.get(id);
  const key = await service.getPrivateKey(id);
  const { encryptedPkcs8Pem } = await import('../../pki/export.js');
  let bytes: string | Buffer;
  if (format === 'pkcs12') {
    const [leaf, ...chain] = certs;
    const leafSpki = new X509Certificate(leaf as Buffer).publicKey.export({ type: 'spki', format: 'der' });
    const { sha256Hex } = await import('../../pki/keys.js');
    if (sha256Hex(leafSpki) !== record.spkiSha256) {
      throw new CertdeskError('KEY_MISMATCH', `${values.cert}: its first certificate does not belong to key ${id}; name the certificate issued for this key`, {
        file: values.cert,
      });
    }
    const { pkcs12 } = await import('../../pki/pkcs12-write.js');
    bytes = pkcs12({ key, certificate: leaf as Buffer, chain, password, legacy: values.legacy === true, friendlyName: record.label || undefined });
  } else {
    bytes = encryptedPkcs8Pem(key, password);
  }
  writeFileAtomic(out, bytes, { mode: 0o600, overwrite: values.force === true });
  await service.recordExport(id, format, out);
  if (values.json) printJson(ctx.io, { id, format, out });
  else ctx.io.stderr(`certdesk: wrote ${format === 'pkcs12' ? 'PKCS#12' : 'encrypted PKCS#8'} for ${id} to ${out} (mode 0600)\n`);
  return EXIT.ok;
}

/** Dispatches `key` subcommands. */
export async function keyCommand(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.argv;
  switch (sub) {
    case 'generate':
      return generate(ctx, rest);
    case 'import':
      return importKey(ctx, rest);
    case 'list':
      return list(ctx, rest);
    case 'delete':
      return remove(ctx, rest);
    case 'export':
      return exportKey(ctx, rest);
    default:
      return usage('key', sub === undefined ? 'name a subcommand: generate, import, list, delete or export' : `unknown subcommand "${sub}"; use generate, import, list, delete or export`);
  }
}
