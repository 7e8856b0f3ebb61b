/**
 * `certdesk version add CERT --account NAME (--cert FILE [--chain FILE] [--key ID | --key-file FILE] | --self-signed --cn NAME …)`
 *
 * Without a key, the latest version's key is kept: that is how the CA-signed certificate for the
 * pending CSR becomes a version (the certificate must be for that key; it is checked first).
 */
import { parse, required, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson } from '../io.js';
import type { CommandContext } from '../main.js';
import { openProviderServices } from '../services.js';
import { withSandboxHint } from './account.js';
import { MATERIAL_OPTIONS, createdJson, materialFrom, printCreated, type MaterialFlags } from './cert.js';

async function add(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const cmd = 'version add';
  const { values, positionals } = parse<MaterialFlags & { account?: string }>(cmd, argv, { ...MATERIAL_OPTIONS, account: { type: 'string' } });
  if (positionals.length !== 1) usage(cmd, 'name exactly one certificate (its name or provider id)');
  const accountRef = required(cmd, 'account', values.account);
  const material = await materialFrom(ctx, cmd, values, { keyRequired: false });
  const services = await openProviderServices(ctx);
  const account = await services.accounts.get(accountRef);
  const result = await services.versions
    .addVersion(account.id, positionals[0] as string, material, values.comment !== undefined ? { comment: values.comment } : {})
    .catch((err: unknown) => {
      throw withSandboxHint(account, err);
    });
  if (values.json) printJson(ctx.io, createdJson(services, result));
  else printCreated(ctx.io, result, 'Added');
  return EXIT.ok;
}

/** Dispatches `version` subcommands. */
export async function versionCommand(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.argv;
  if (sub === 'add') return add(ctx, rest);
  return usage('version', sub === undefined ? 'name a subcommand: add' : `unknown subcommand "${sub}"; use add`);
}
