/**
 * `certdesk sandbox [--port N] [--task-seconds S] [--rate-limit PER_MINUTE]`: runs the embedded CDN Pro-compatible sandbox
 * in the foreground until SIGINT or SIGTERM, and prints its URL and credentials.
 *
 * Credentials are shared with the default "Sandbox" account: the sandbox's API user is
 * `sandbox` and its API key is the Sandbox account's secret, read from the OS keychain
 * (`certdesk` / `account:<id>`; the account is created first if this data directory never had
 * one). Its state (certificates, versions, tasks, and its own copy of the key, as a real provider
 * keeps one) persists in `cdnpro-sandbox.json` in the data directory. Without the account (it was
 * removed) or without a keychain, the sandbox keeps the key in its state file and prints it.
 */
import { isCertdeskError } from '../../../shared/errors.js';
import { parse, positiveInt, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import type { CommandContext } from '../main.js';
import { dataDir, openProviderServices, sandboxPort } from '../services.js';

interface Flags {
  port?: string;
  'task-seconds'?: string;
  'rate-limit'?: string;
}

/** Waits for SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** Runs the sandbox until interrupted. */
export async function sandboxCommand(ctx: CommandContext): Promise<number> {
  const cmd = 'sandbox';
  const { values, positionals } = parse<Flags>(cmd, ctx.argv, { port: { type: 'string' }, 'task-seconds': { type: 'string' }, 'rate-limit': { type: 'string' } });
  if (positionals.length > 0) usage(cmd, `unexpected argument "${positionals[0]}"`);
  const defaultPort = sandboxPort(ctx);
  let port = defaultPort;
  if (values.port !== undefined) {
    if (!/^[0-9]+$/.test(values.port) || Number(values.port) > 65535) usage(cmd, `--port must be a port number (0 picks a free one), not "${values.port}"`);
    port = Number(values.port);
  }
  const taskSeconds = values['task-seconds'] !== undefined ? positiveInt(cmd, 'task-seconds', values['task-seconds'], 180) : undefined;
  // CDN Pro's default is 30 requests a minute with bursts of 60; 0 turns the limit off (for scripts and tests).
  const rateText = values['rate-limit'];
  if (rateText !== undefined && !/^[0-9]+$/.test(rateText)) usage(cmd, `--rate-limit must be a number of requests per minute (0 for none), not "${rateText}"`);
  const perMinute = rateText !== undefined ? Number(rateText) : undefined;

  let apiKey: string | undefined;
  let accountNote: string;
  try {
    const found = await (await openProviderServices(ctx)).accounts.sandboxAccount();
    apiKey = found?.apiKey;
    accountNote =
      found === null
        ? 'There is no Sandbox account in this data directory (it was removed); add one with the command below.'
        : `The "${found.account.name}" account uses these credentials${found.account.endpoint.endsWith(`:${port}`) ? '' : ` but points at ${found.account.endpoint}; run the sandbox there (--port ${found.account.endpoint.replace(/^.*:/, '')})`}.`;
  } catch (err) {
    if (!isCertdeskError(err)) throw err;
    accountNote = `The Sandbox account could not be read (${err.message}); the sandbox keeps its own key.`;
  }

  const { startSandbox } = await import('../../providers/sandbox/server.js');
  let handle;
  try {
    handle = await startSandbox({
      port,
      dataDir: dataDir(ctx),
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(taskSeconds !== undefined ? { taskDurationMs: taskSeconds * 1000, taskWaitingMs: Math.min(taskSeconds * 200, 10_000) } : {}),
      ...(perMinute !== undefined ? { rateLimit: perMinute === 0 ? (false as const) : { perMinute, burst: perMinute * 2 } } : {}),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') usage(cmd, `port ${port} is already in use (is a sandbox already running?); choose another with --port N`);
    throw err;
  }
  ctx.io.stdout(
    [
      `CDN Pro sandbox (a local simulation, not a real provider) listening on ${handle.url}`,
      `  API user: ${handle.user}`,
      `  API key:  ${handle.apiKey}`,
      `  Customer: ${handle.customerId}`,
      `  State:    ${handle.stateFile ?? 'in memory'}`,
      `  Tasks take ${taskSeconds ?? 180} s; rate limit ${perMinute === 0 ? 'off' : `${perMinute ?? 30} requests/minute`}.`,
      accountNote,
      `To add it as another account:`,
      `  printf %s "$KEY" | certdesk account add --provider cdnpro --name NAME --endpoint ${handle.url} --user ${handle.user} --customer-id ${handle.customerId} --secret-stdin`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const signal = await untilSignal();
  await handle.close();
  ctx.io.stderr(`certdesk: sandbox stopped (${signal})\n`);
  return EXIT.ok;
}
