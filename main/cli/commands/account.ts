/**
 * `certdesk account add|list|remove|test`
 *
 * The secret never comes from argv: it is read from `--secret-stdin`, else `CERTDESK_SECRET`,
 * else a prompt without echo, and goes to the OS keychain only.
 */
import { CertdeskError } from '../../../shared/errors.js';
import { parse, required, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson } from '../io.js';
import type { CommandContext } from '../main.js';
import { openProviderServices } from '../services.js';
import type { AccountRecord } from '../../store/schema.js';
import { PROVIDER_KINDS, type AccountProvider } from '../../store/schema.js';

/** An account as `account list --json` prints it (never its secret). */
export function accountJson(a: AccountRecord): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    provider: a.provider,
    endpoint: a.endpoint,
    user: a.user ?? null,
    project: a.project ?? null,
    customerId: a.customerId ?? null,
    environments: a.environments ?? null,
    ...(a.mode !== undefined ? { mode: a.mode } : {}),
    isSandbox: a.isSandbox,
    createdAt: a.createdAt,
  };
}

function accountLine(a: AccountRecord): string {
  const who = a.user ?? a.project ?? '';
  return `${a.name.padEnd(16)}  ${a.provider.padEnd(8)}  ${a.endpoint}${who !== '' ? `  (${who})` : ''}${a.isSandbox ? '  [sandbox: a local simulation, not a real provider]' : ''}`;
}

interface AddFlags {
  provider?: string;
  name?: string;
  endpoint?: string;
  user?: string;
  project?: string;
  'customer-id'?: string;
  environments?: string;
  mode?: string;
  'secret-stdin'?: boolean;
  json?: boolean;
}

/** Where `account add` takes the secret from, as its usage errors say. */
const SECRET_SOURCES = 'give the secret in CERTDESK_SECRET, on stdin with --secret-stdin, or at the prompt';

function given(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/** Whether an endpoint URL carries a user name or password (the service refuses it; the CLI says how to give the secret). */
function hasCredentials(endpoint: string): boolean {
  try {
    const url = new URL(endpoint.trim());
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

async function readSecret(ctx: CommandContext, name: string, fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin === true) return (await ctx.io.readStdin()).replace(/\r?\n$/, '');
  const env = ctx.io.env.CERTDESK_SECRET;
  if (env !== undefined && env !== '') return env;
  if (ctx.io.promptSecret) return ctx.io.promptSecret(`Secret (API key or token) for ${name}: `);
  return usage('account add', 'give the account secret in CERTDESK_SECRET, on stdin with --secret-stdin, or at the prompt (a terminal is needed); never on the command line');
}

async function add(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const cmd = 'account add';
  const { values, positionals } = parse<AddFlags>(cmd, argv, {
    provider: { type: 'string' },
    name: { type: 'string' },
    endpoint: { type: 'string' },
    user: { type: 'string' },
    project: { type: 'string' },
    'customer-id': { type: 'string' },
    environments: { type: 'string' },
    mode: { type: 'string' },
    'secret-stdin': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) usage(cmd, `unexpected argument "${positionals[0]}" (the secret is never given on the command line)`);
  const provider = required(cmd, 'provider', values.provider);
  if (!(PROVIDER_KINDS as readonly string[]).includes(provider)) usage(cmd, `--provider must be one of ${PROVIDER_KINDS.join(', ')}, not "${provider}"`);
  const name = required(cmd, 'name', values.name);
  const endpoint = required(cmd, 'endpoint', values.endpoint);
  if (values.mode !== undefined && values.mode !== 'cdn' && values.mode !== 'protection') usage(cmd, `--mode must be cdn or protection, not "${values.mode}"`);
  // The service refuses these too, in words the app can show; the CLI names its flags, before asking for the secret.
  if (provider === 'cdnpro' && !given(values.user)) usage(cmd, 'a CDN Pro account needs its API user: --user USER');
  if (provider === 'apinizer' && !given(values.project)) usage(cmd, 'an Apinizer account needs its project: --project PROJECT');
  if (provider === 'apinizer' && !(values.environments ?? '').split(',').some(given)) {
    usage(cmd, 'an Apinizer account needs the names of its environments: --environments production,staging');
  }
  if (hasCredentials(endpoint)) usage(cmd, `--endpoint must not contain a user name or password: ${SECRET_SOURCES}`);
  const secret = await readSecret(ctx, name, values['secret-stdin']);
  if (!given(secret)) usage(cmd, `the account secret is empty: ${SECRET_SOURCES}`);
  const services = await openProviderServices(ctx);
  const account = await services.accounts.add({
    provider: provider as AccountProvider,
    name,
    endpoint,
    secret,
    ...(values.user !== undefined ? { user: values.user } : {}),
    ...(values.project !== undefined ? { project: values.project } : {}),
    ...(values['customer-id'] !== undefined ? { customerId: values['customer-id'] } : {}),
    ...(values.environments !== undefined ? { environments: values.environments.split(',') } : {}),
    ...(values.mode !== undefined ? { mode: values.mode as 'cdn' | 'protection' } : {}),
  });
  if (values.json) printJson(ctx.io, accountJson(account));
  else {
    ctx.io.stdout(`${accountLine(account)}\n`);
    ctx.io.stderr(`certdesk: added account "${account.name}"; its secret is in the OS keychain. Check it with: certdesk account test ${JSON.stringify(account.name)}\n`);
  }
  return EXIT.ok;
}

async function list(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse<{ json?: boolean }>('account list', argv, { json: { type: 'boolean' } });
  if (positionals.length > 0) usage('account list', `unexpected argument "${positionals[0]}"`);
  const accounts = await (await openProviderServices(ctx)).accounts.list();
  if (values.json) printJson(ctx.io, { accounts: accounts.map(accountJson) });
  else if (accounts.length === 0) ctx.io.stdout('No accounts. Add one with "certdesk account add --provider cdnpro --name NAME --endpoint URL --user USER".\n');
  else for (const a of accounts) ctx.io.stdout(`${accountLine(a)}\n`);
  return EXIT.ok;
}

async function remove(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const { positionals } = parse<object>('account remove', argv, {});
  if (positionals.length !== 1) usage('account remove', 'name exactly one account (see "certdesk account list")');
  const account = await (await openProviderServices(ctx)).accounts.remove(positionals[0] as string);
  ctx.io.stderr(`certdesk: removed account "${account.name}" and its keychain secret\n`);
  return EXIT.ok;
}

async function test(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse<{ json?: boolean }>('account test', argv, { json: { type: 'boolean' } });
  if (positionals.length !== 1) usage('account test', 'name exactly one account (see "certdesk account list")');
  const services = await openProviderServices(ctx);
  const account = await services.accounts.get(positionals[0] as string);
  const check = await services.accounts.test(account.id).catch((err: unknown) => {
    throw withSandboxHint(account, err);
  });
  if (values.json) printJson(ctx.io, { account: account.name, ok: check.ok, message: check.message, certificateCount: check.certificateCount });
  else ctx.io.stdout(`${check.message}\n`);
  return EXIT.ok;
}

/** Adds "start the sandbox" to a connection failure of the Sandbox account. */
export function withSandboxHint(account: AccountRecord, err: unknown): unknown {
  if (!account.isSandbox || !(err instanceof CertdeskError) || err.details.transport !== 'network') return err;
  return new CertdeskError(
    err.code,
    `${err.message}. "${account.name}" is the embedded sandbox: start it with \`certdesk sandbox\` (it listens on ${account.endpoint}) and try again`,
    err.details,
    { cause: err },
  );
}

/** Dispatches `account` subcommands. */
export async function accountCommand(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.argv;
  switch (sub) {
    case 'add':
      return add(ctx, rest);
    case 'list':
      return list(ctx, rest);
    case 'remove':
      return remove(ctx, rest);
    case 'test':
      return test(ctx, rest);
    default:
      return usage('account', sub === undefined ? 'name a subcommand: add, list, remove or test' : `unknown subcommand "${sub}"; use add, list, remove or test`);
  }
}
