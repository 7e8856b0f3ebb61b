/**
 * `certdesk cert list|show|create|csr|delete` — certificates on CDN providers.
 *
 * CERT is a certificate's name or its provider id. Uploaded material is read from the files the
 * user names (any format `inspect` reads), validated before anything reaches the provider, and
 * sent as the cleaned bundle; keys go to the vault, never to stdout or the store.
 */
import { CertdeskError, isCertdeskError } from '../../../shared/errors.js';
import { KEY_TYPES, type KeyType } from '../../../shared/pki-types.js';
import { parse, positiveInt, required, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { undeployHint } from '../hints.js';
import { printJson, resolvePassword, writeFileAtomic, type Io } from '../io.js';
import type { CommandContext } from '../main.js';
import { loadObjects } from '../material.js';
import { openProviderServices, type ProviderServices } from '../services.js';
import { sansFrom } from '../subject.js';
import type { PkiObject, PrivateKeyObject } from '../../pki/objects.js';
import type { CertificateView } from '../../services/inventory-service.js';
import type { KeySource, VersionMaterial, VersionResult, VersionView } from '../../services/version-service.js';
import { withSandboxHint } from './account.js';

/** The flags that describe a version's material (`cert create`, `version add`). */
export const MATERIAL_OPTIONS = {
  cert: { type: 'string' },
  chain: { type: 'string', multiple: true },
  key: { type: 'string' },
  'key-file': { type: 'string' },
  'self-signed': { type: 'boolean' },
  cn: { type: 'string' },
  san: { type: 'string', multiple: true },
  'key-type': { type: 'string' },
  days: { type: 'string' },
  comment: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** Parsed material flags. */
export interface MaterialFlags {
  cert?: string;
  chain?: string[];
  key?: string;
  'key-file'?: string;
  'self-signed'?: boolean;
  cn?: string;
  san?: string[];
  'key-type'?: string;
  days?: string;
  comment?: string;
  password?: string;
  'password-stdin'?: boolean;
  json?: boolean;
}

/** Reads a user-named file, asking for its password on a terminal when it needs one. */
async function readFile(io: Io, file: string, password: string | undefined): Promise<{ objects: PkiObject[]; password: string | undefined }> {
  try {
    return { objects: await loadObjects(file, password), password };
  } catch (err) {
    if (isCertdeskError(err) && err.code === 'PASSWORD_REQUIRED' && password === undefined && io.promptSecret) {
      const asked = await io.promptSecret(`Password for ${file}: `);
      return { objects: await loadObjects(file, asked), password: asked };
    }
    throw err;
  }
}

/**
 * The material the flags describe. With --cert, the key comes from --key (vault id), --key-file,
 * or a single private key inside the --cert file (a PKCS#12 or a combined PEM); none: carried over.
 */
export async function materialFrom(ctx: CommandContext, cmd: string, v: MaterialFlags, options: { keyRequired: boolean }): Promise<VersionMaterial> {
  if (v['self-signed'] === true) {
    for (const flag of ['cert', 'chain', 'key', 'key-file'] as const) {
      if (v[flag] !== undefined) usage(cmd, `--self-signed makes a new key and certificate; it cannot be combined with --${flag}`);
    }
    const cn = required(cmd, 'cn', v.cn);
    const keyType = v['key-type'] ?? 'ec-p256';
    if (!(KEY_TYPES as readonly string[]).includes(keyType)) usage(cmd, `--key-type must be one of ${KEY_TYPES.join(', ')}, not "${keyType}"`);
    const days = positiveInt(cmd, 'days', v.days, 90);
    if (days > 3650) usage(cmd, '--days may be at most 3650');
    return { kind: 'self-signed', commonName: cn, sans: sansFrom({ ...(v.san !== undefined ? { san: v.san } : {}) }, cn), keyType: keyType as KeyType, days };
  }
  for (const flag of ['cn', 'san', 'key-type', 'days'] as const) {
    if (v[flag] !== undefined) usage(cmd, `--${flag} goes with --self-signed`);
  }
  const certFile = v.cert;
  if (certFile === undefined) usage(cmd, 'give the certificate with --cert FILE (and --chain FILE, --key ID or --key-file FILE), or use --self-signed --cn NAME');
  if (v.key !== undefined && v['key-file'] !== undefined) usage(cmd, 'give the key either as --key ID (in the vault) or as --key-file FILE, not both');
  let password = await resolvePassword(ctx.io, { password: v.password, passwordStdin: v['password-stdin'] });
  const certificates: { der: Uint8Array; file: string }[] = [];
  const keysFound: { key: PrivateKeyObject; file: string }[] = [];
  const take = (objects: PkiObject[], file: string): void => {
    for (const o of objects) {
      if (o.kind === 'certificate') certificates.push({ der: o.der, file });
      else if (o.kind === 'private-key') keysFound.push({ key: o, file });
    }
  };
  const read = await readFile(ctx.io, certFile, password);
  password = read.password;
  take(read.objects, certFile);
  if (certificates.length === 0) throw new CertdeskError('NOT_A_CERTIFICATE', `${certFile}: contains no certificate`, { file: certFile });
  for (const chainFile of v.chain ?? []) {
    const before = certificates.length;
    const chain = await readFile(ctx.io, chainFile, password);
    take(chain.objects.filter((o) => o.kind === 'certificate'), chainFile);
    if (certificates.length === before) throw new CertdeskError('NOT_A_CERTIFICATE', `${chainFile}: contains no certificate`, { file: chainFile });
  }
  let key: KeySource | undefined;
  if (v.key !== undefined) key = { keyId: v.key };
  else if (v['key-file'] !== undefined) {
    const keyFile = v['key-file'];
    const found = (await readFile(ctx.io, keyFile, password)).objects.filter((o): o is PrivateKeyObject => o.kind === 'private-key');
    if (found.length === 0) throw new CertdeskError('KEY_INVALID', `${keyFile}: contains no private key`, { file: keyFile });
    if (found.length > 1) throw new CertdeskError('KEY_INVALID', `${keyFile}: contains ${found.length} private keys; put the one you mean in a file of its own`, { file: keyFile });
    key = { key: (found[0] as PrivateKeyObject).key, file: keyFile };
  } else if (keysFound.length === 1) {
    const [only] = keysFound;
    if (only !== undefined) key = { key: only.key.key, file: only.file };
  } else if (keysFound.length > 1) {
    usage(cmd, `${certFile} holds ${keysFound.length} private keys; name the right one with --key-file FILE`);
  }
  if (key === undefined && options.keyRequired) usage(cmd, 'a new certificate needs its private key: --key ID (in the vault) or --key-file FILE');
  return { kind: 'upload', certificates, ...(key !== undefined ? { key } : {}) };
}

/** A version as `cert show --json` prints it. */
export function versionJson(v: VersionView): Record<string, unknown> {
  return {
    version: v.version,
    source: v.source,
    createdAt: v.createdAt,
    subject: v.subject,
    sans: v.sans,
    notBefore: v.notBefore,
    notAfter: v.notAfter,
    fingerprint: v.fingerprint,
    spkiSha256: v.spkiSha256,
    keyId: v.keyId,
    comment: v.comment,
    deployedIn: v.deployedIn,
  };
}

/** The JSON of a created certificate or version. */
export function createdJson(services: ProviderServices, result: VersionResult): Record<string, unknown> {
  const v = result.version;
  const deployedIn = Object.entries(result.certificate.deployed).filter(([, n]) => n === v.version).map(([env]) => env);
  return {
    certificate: services.inventory.view(result.account, result.certificate),
    version: versionJson({ ...v, deployedIn }),
    warnings: result.warnings,
  };
}

/** Prints a created version for people, warnings on stderr. */
export function printCreated(io: Io, result: VersionResult, what: string): void {
  for (const w of result.warnings) io.stderr(`certdesk: note: ${w}\n`);
  const v = result.version;
  io.stdout(
    `${what} "${result.certificate.name}" version ${v.version} (${v.source}) in ${result.account.name}: ${v.subject}, valid until ${v.notAfter ?? 'unknown'}` +
      `${v.keyId !== null ? `, key ${v.keyId}` : ''}\n`,
  );
}

const dash = (value: unknown): string => (value === null || value === undefined ? '-' : String(value));

function certLine(c: CertificateView): string {
  const until = c.notAfter.production ?? c.notAfter.staging ?? '-';
  return `${c.name.padEnd(28)} ${c.account.padEnd(14)} v${dash(c.latestVersion).padEnd(4)} staging ${dash(c.staging).padEnd(4)} production ${dash(c.production).padEnd(4)} ${until.padEnd(20)} ${c.states.join(',')}`;
}

async function list(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const cmd = 'cert list';
  const { values, positionals } = parse<{ account?: string; json?: boolean; cached?: boolean }>(cmd, argv, {
    account: { type: 'string' },
    json: { type: 'boolean' },
    cached: { type: 'boolean' },
  });
  if (positionals.length > 0) usage(cmd, `unexpected argument "${positionals[0]}"`);
  const services = await openProviderServices(ctx);
  const inventory = await services.inventory.list({ ...(values.account !== undefined ? { account: values.account } : {}), refresh: values.cached !== true });
  const views = inventory.flatMap((e) => e.certificates.map((c) => services.inventory.view(e.account, c)));
  let failed = false;
  for (const e of inventory) {
    if (e.error === null) continue;
    failed = true;
    const err = withSandboxHint(e.account, e.error) as CertdeskError;
    ctx.io.stderr(`certdesk: account "${e.account.name}": ${err.message}${e.refreshedAt !== null ? ` (showing what was seen at ${e.refreshedAt})` : ''}\n`);
  }
  if (values.json) printJson(ctx.io, { certificates: views });
  else if (views.length === 0) ctx.io.stdout('No certificates.\n');
  else for (const v of views) ctx.io.stdout(`${certLine(v)}\n`);
  return failed ? EXIT.provider : EXIT.ok;
}

async function show(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const cmd = 'cert show';
  const { values, positionals } = parse<{ account?: string; json?: boolean }>(cmd, argv, { account: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) usage(cmd, 'name exactly one certificate (its name or provider id)');
  const services = await openProviderServices(ctx);
  const account = await services.accounts.get(required(cmd, 'account', values.account));
  try {
    const client = await services.accounts.client(account);
    const found = await services.inventory.find(account, positionals[0] as string);
    const certificate = await services.inventory.refreshOne(account, client, found.id);
    const versions = await services.versions.list(account, certificate, client);
    const history = await services.deployments.history(account, certificate, client);
    const view = services.inventory.view(account, certificate);
    if (values.json) {
      printJson(ctx.io, { ...view, versions: versions.map(versionJson), history });
      return EXIT.ok;
    }
    ctx.io.stdout(`${view.name} (${view.id}) in ${view.account} [${view.provider}]${view.owner !== null ? `, owner ${view.owner}` : ''}${view.states.length > 0 ? ` — ${view.states.join(', ')}` : ''}\n`);
    for (const [env, n] of Object.entries(certificate.deployed).sort()) ctx.io.stdout(`  ${env}: version ${n}, until ${certificate.deployedExpiresAt[env] ?? '?'}\n`);
    ctx.io.stdout('Versions (newest first):\n');
    for (const v of versions) {
      ctx.io.stdout(`  ${String(v.version).padStart(3)}  ${v.source.padEnd(9)} ${dash(v.notAfter).padEnd(20)} ${v.subject}${v.deployedIn.length > 0 ? `  [${v.deployedIn.join(', ')}]` : ''}${v.comment !== '' ? `  "${v.comment}"` : ''}\n`);
    }
    if (history.length > 0) ctx.io.stdout('History (newest first):\n');
    for (const t of history) ctx.io.stdout(`  ${t.submittedAt}  ${t.action} ${t.version !== null ? `v${t.version} ` : ''}${t.env}: ${t.status}${t.detail !== null ? ` — ${t.detail}` : ''}\n`);
    return EXIT.ok;
  } catch (err) {
    throw withSandboxHint(account, err);
  }
}

async function create(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const cmd = 'cert create';
  const { values, positionals } = parse<MaterialFlags & { account?: string; name?: string }>(cmd, argv, {
    ...MATERIAL_OPTIONS,
    account: { type: 'string' },
    name: { type: 'string' },
  });
  if (positionals.length > 0) usage(cmd, `unexpected argument "${positionals[0]}"`);
  const accountRef = required(cmd, 'account', values.account);
  const name = required(cmd, 'name', values.name);
  const material = await materialFrom(ctx, cmd, values, { keyRequired: true });
  const services = await openProviderServices(ctx);
  const account = await services.accounts.get(accountRef);
  const result = await services.versions
    .createCertificate(account.id, name, material, values.comment !== undefined ? { comment: values.comment } : {})
    .catch((err: unknown) => {
      throw withSandboxHint(account, err);
    });
  if (values.json) printJson(ctx.io, createdJson(services, result));
  else printCreated(ctx.io, result, 'Created');
  return EXIT.ok;
}

async function csr(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const cmd = 'cert csr';
  const { values, positionals } = parse<{ account?: string; out?: string; force?: boolean; json?: boolean }>(cmd, argv, {
    account: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) usage(cmd, 'name exactly one certificate (its name or provider id)');
  const services = await openProviderServices(ctx);
  const account = await services.accounts.get(required(cmd, 'account', values.account));
  const result = await services.versions.csr(account.id, positionals[0] as string).catch((err: unknown) => {
    throw withSandboxHint(account, err);
  });
  if (values.out !== undefined) writeFileAtomic(values.out, result.csrPem, { overwrite: values.force === true });
  if (values.json) printJson(ctx.io, { certificate: result.certificate.name, version: result.version, csrPem: result.csrPem });
  else if (values.out === undefined) ctx.io.stdout(result.csrPem);
  else ctx.io.stderr(`certdesk: wrote the CSR of "${result.certificate.name}" version ${result.version ?? '?'} to ${values.out}\n`);
  return EXIT.ok;
}

async function remove(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const cmd = 'cert delete';
  const { values, positionals } = parse<{ account?: string; json?: boolean }>(cmd, argv, { account: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) usage(cmd, 'name exactly one certificate (its name or provider id)');
  const services = await openProviderServices(ctx);
  const account = await services.accounts.get(required(cmd, 'account', values.account));
  const deleted = await services.deployments.deleteCertificate(account.id, positionals[0] as string).catch((err: unknown) => {
    throw undeployHint(withSandboxHint(account, err));
  });
  if (values.json) printJson(ctx.io, { deleted: { id: deleted.id, name: deleted.name, account: account.name } });
  else ctx.io.stderr(`certdesk: deleted certificate "${deleted.name}" (${deleted.id}) from ${account.name}\n`);
  return EXIT.ok;
}

/** Dispatches `cert` subcommands. */
export async function certCommand(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.argv;
  switch (sub) {
    case 'list':
      return list(ctx, rest);
    case 'show':
      return show(ctx, rest);
    case 'create':
      return create(ctx, rest);
    case 'csr':
      return csr(ctx, rest);
    case 'delete':
      return remove(ctx, rest);
    default:
      return usage('cert', sub === undefined ? 'name a subcommand: list, show, create, csr or delete' : `unknown subcommand "${sub}"; use list, show, create, csr or delete`);
  }
}
