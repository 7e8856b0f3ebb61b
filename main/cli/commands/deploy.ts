/**
 * `certdesk deploy CERT --account NAME --version N --env ENV [--wait] [--json]` and
 * `certdesk undeploy CERT --account NAME --env ENV [--wait] [--json]`
 *
 * The task is saved before the provider is called. Without `--wait` the command returns once
 * the provider has accepted it (exit 0; 3 if it was refused or a synchronous provider failed);
 * with `--wait` it follows the task, drawing progress on a terminal, and exits 0 only if it
 * succeeded (3 when it failed or is still running at the poll timeout). Rollback is deploying an
 * earlier version.
 */
import { parse, positiveInt, required, usage } from '../args.js';
import type { CommandContext } from '../main.js';
import { openProviderServices } from '../services.js';
import { withSandboxHint } from './account.js';
import { followTask, reportTask } from './tasks.js';

interface Flags {
  account?: string;
  version?: string;
  env?: string;
  wait?: boolean;
  json?: boolean;
}

async function run(ctx: CommandContext, action: 'deploy' | 'undeploy'): Promise<number> {
  const cmd = action;
  const { values, positionals } = parse<Flags>(cmd, ctx.argv, {
    account: { type: 'string' },
    ...(action === 'deploy' ? { version: { type: 'string' } } : {}),
    env: { type: 'string' },
    wait: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) usage(cmd, 'name exactly one certificate (its name or provider id)');
  const accountRef = required(cmd, 'account', values.account);
  const env = required(cmd, 'env', values.env);
  const version = action === 'deploy' ? positiveInt(cmd, 'version', required(cmd, 'version', values.version), 1) : undefined;
  const services = await openProviderServices(ctx);
  const account = await services.accounts.get(accountRef);
  try {
    let task = await services.deployments.start({
      account: account.id,
      certificate: positionals[0] as string,
      env,
      action,
      ...(version !== undefined ? { version } : {}),
    });
    if (values.wait === true) task = await followTask(ctx.io, services, task);
    return reportTask(ctx.io, task, values.json === true, values.wait === true);
  } catch (err) {
    throw withSandboxHint(account, err);
  }
}

/** `certdesk deploy`. */
export function deployCommand(ctx: CommandContext): Promise<number> {
  return run(ctx, 'deploy');
}

/** `certdesk undeploy`. */
export function undeployCommand(ctx: CommandContext): Promise<number> {
  return run(ctx, 'undeploy');
}
