/**
 * Starts the embedded CDN Pro sandbox for the default "Sandbox" account when the app starts, the
 * way `certdesk sandbox` does: same data directory (state in `cdnpro-sandbox.json`), same API key
 * (the account's secret from the keychain), on the port of the account's endpoint. Plain Node.
 *
 * Nothing is started when the account was removed, or when its endpoint was pointed somewhere that
 * is not this machine. When the port is taken, a sandbox is most likely already running there
 * (`certdesk sandbox` in a terminal, or a second data directory): the account talks to it.
 */
import type { SandboxHandle, SandboxOptions } from '../providers/sandbox/server.js';

/** The default Sandbox account as the account service hands it out. */
export interface SandboxAccount {
  readonly account: { readonly name: string; readonly endpoint: string };
  readonly apiKey: string;
}

/** What the autostart needs. */
export interface SandboxAutostartDeps {
  /** The account service's `sandboxAccount()`: the account and its API key, or null once removed. */
  readonly sandboxAccount: () => Promise<SandboxAccount | null>;
  readonly dataDir: string;
  /** The sandbox's `startSandbox`; loaded on demand by default. */
  readonly start?: (options: SandboxOptions) => Promise<SandboxHandle>;
  /** `CERTDESK_SANDBOX_TASK_SECONDS`: deployment task length in seconds (default: the sandbox's 3 minutes). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
}

/** What the autostart did. */
export type SandboxAutostart =
  | { readonly status: 'started'; readonly handle: SandboxHandle }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'port-in-use'; readonly url: string; readonly reason: string };

const LOOPBACK = new Map([
  ['127.0.0.1', '127.0.0.1'],
  ['localhost', '127.0.0.1'],
  ['[::1]', '::1'],
]);

/** Where the sandbox of an account endpoint listens: a loopback host and an explicit port, or why not. */
export function sandboxBinding(endpoint: string): { readonly host: string; readonly port: number } | { readonly reason: string } {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { reason: `its endpoint "${endpoint}" is not a URL` };
  }
  const host = LOOPBACK.get(url.hostname);
  if (url.protocol !== 'http:' || host === undefined) return { reason: `its endpoint ${url.origin} is not a local http address, so it is not the embedded sandbox` };
  const port = url.port === '' ? 80 : Number(url.port);
  return { host, port };
}

/** The default Sandbox account's endpoint from `CERTDESK_SANDBOX_PORT` (as the CLI reads it), or undefined for the default port. */
export function sandboxUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const raw = env.CERTDESK_SANDBOX_PORT;
  if (raw === undefined || !/^[0-9]{1,5}$/.test(raw)) return undefined;
  const port = Number(raw);
  return port >= 1 && port <= 65535 ? `http://127.0.0.1:${port}` : undefined;
}

/** Deployment task timings from `CERTDESK_SANDBOX_TASK_SECONDS` (as `certdesk sandbox --task-seconds`), or none. */
export function taskTimings(env: Readonly<Record<string, string | undefined>>): Pick<SandboxOptions, 'taskDurationMs' | 'taskWaitingMs'> {
  const raw = env.CERTDESK_SANDBOX_TASK_SECONDS;
  if (raw === undefined || !/^[0-9]{1,4}$/.test(raw) || Number(raw) < 1) return {};
  const seconds = Number(raw);
  return { taskDurationMs: seconds * 1000, taskWaitingMs: Math.min(seconds * 200, 10_000) };
}

/** Starts the sandbox for the default Sandbox account, if there is one to start. */
export async function startSandboxForAccount(deps: SandboxAutostartDeps): Promise<SandboxAutostart> {
  const found = await deps.sandboxAccount();
  if (found === null) return { status: 'skipped', reason: 'there is no Sandbox account (it was removed)' };
  const binding = sandboxBinding(found.account.endpoint);
  if ('reason' in binding) return { status: 'skipped', reason: `the "${found.account.name}" account is not started: ${binding.reason}` };
  const start = deps.start ?? (await import('../providers/sandbox/server.js')).startSandbox;
  try {
    const handle = await start({
      host: binding.host,
      port: binding.port,
      dataDir: deps.dataDir,
      apiKey: found.apiKey,
      ...taskTimings(deps.env ?? {}),
      ...(deps.log ? { log: deps.log } : {}),
    });
    return { status: 'started', handle };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    const url = found.account.endpoint;
    return {
      status: 'port-in-use',
      url,
      reason: `port ${binding.port} is already in use (is \`certdesk sandbox\` running?); the "${found.account.name}" account uses whatever listens at ${url}`,
    };
  }
}
