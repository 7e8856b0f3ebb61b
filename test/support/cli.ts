/** Runs the built `certdesk` CLI as a real process (the bundle is built by the Vitest global setup). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'certdesk.mjs');

/** What one CLI run produced. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (throws when it is not exactly one JSON document). */
  json<T = unknown>(): T;
}

/** Runs `certdesk ARGS…` with optional stdin and extra environment. */
export function certdesk(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const env = { ...process.env, ...options.env };
  delete env.CERTDESK_PASSWORD;
  if (options.env?.CERTDESK_PASSWORD !== undefined) env.CERTDESK_PASSWORD = options.env.CERTDESK_PASSWORD;
  const res = spawnSync(process.execPath, [BIN, ...args], { input: options.input ?? '', env, encoding: 'utf8', timeout: 60_000 });
  const stdout = res.stdout ?? '';
  return {
    status: res.status ?? -1,
    stdout,
    stderr: res.stderr ?? '',
    json<T>() {
      return JSON.parse(stdout) as T;
    },
  };
}
