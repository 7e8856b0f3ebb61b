/**
 * Runs `certdesk` for end-to-end tests: as a real process (the bundle `bin/certdesk.mjs` loads,
 * from a private copy) when the CLI bundle builds, otherwise in-process through `runCli` with a capturing Io (the same code, minus
 * the bundler and process boundary). The mode is printed so a run says which one it used.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../main/cli/main.js';
import type { Io } from '../../main/cli/io.js';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');

/** What one command did. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs commands one way or the other. */
export interface CliRunner {
  readonly mode: 'process' | 'in-process';
  /** The private copy of the bundle's entry (process mode). */
  readonly entry: string | undefined;
  /** Removes the private copy. */
  cleanup(): void;
  run(args: readonly string[], options?: { env?: Record<string, string>; stdin?: string }): Promise<CliResult>;
}

/**
 * Builds the CLI bundle and copies it to a private directory, both under one lock, so a rebuild
 * by someone else mid-run cannot mix chunks of two builds. The copy lives under node_modules/.cache
 * so the bundle still resolves its external modules (keytar) from the project.
 */
export async function buildCli(): Promise<{ ok: boolean; output: string; entry?: string; cleanup?: () => void }> {
  const copy = join(root, 'node_modules', '.cache', `certdesk-cli-test-${process.pid}-${Date.now()}`);
  const script = `${JSON.stringify(process.execPath)} scripts/build-cli.mjs && rm -rf ${JSON.stringify(copy)} && mkdir -p ${JSON.stringify(dirname(copy))} && cp -r out/cli ${JSON.stringify(copy)}`;
  return new Promise((resolve) => {
    execFile('flock', ['/tmp/certdesk-cli-build.lock', 'sh', '-c', script], { cwd: root }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error !== null) resolve({ ok: false, output });
      else resolve({ ok: true, output, entry: join(copy, 'certdesk.mjs'), cleanup: () => rmSync(copy, { recursive: true, force: true }) });
    });
  });
}

/** A runner for `env` (merged over this process's environment). */
export async function cliRunner(env: Record<string, string>, options: { forceInProcess?: boolean } = {}): Promise<CliRunner> {
  // CERTDESK_TEST_CLI=in-process checks the fallback path on purpose.
  const inProcess = options.forceInProcess === true || process.env.CERTDESK_TEST_CLI === 'in-process';
  const built = inProcess ? { ok: false, output: 'in-process requested (CERTDESK_TEST_CLI)' } : await buildCli();
  if (built.ok && built.entry !== undefined) {
    const entry = built.entry;
    return {
      mode: 'process',
      entry,
      cleanup: built.cleanup ?? (() => undefined),
      run: (args, runOptions = {}) =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, [entry, ...args], {
            cwd: root,
            env: { ...process.env, ...env, ...runOptions.env },
            stdio: ['pipe', 'pipe', 'pipe'],
          });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
          child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
          child.on('error', reject);
          child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
          child.stdin.end(runOptions.stdin ?? '');
        }),
    };
  }
  console.warn(`[cli] the CLI bundle does not build (${built.output.split('\n').find((l) => l.includes('ERROR')) ?? built.output.slice(0, 200)}); running commands in-process`);
  return {
    mode: 'in-process',
    entry: undefined,
    cleanup: () => undefined,
    async run(args, runOptions = {}) {
      let stdout = '';
      let stderr = '';
      const io: Io = {
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
        readStdin: () => Promise.resolve(runOptions.stdin ?? ''),
        stdinIsTty: false,
        stdoutIsTty: false,
        env: { ...process.env, ...env, ...runOptions.env },
      };
      const code = await runCli(args, io);
      return { code, stdout, stderr };
    },
  };
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `certdesk sandbox` as a background process; resolves once it prints its URL. */
export async function spawnSandbox(entry: string, args: readonly string[], env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [entry, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`certdesk sandbox did not start: ${out}`)), 20_000);
    const check = (): void => {
      if (/listening on http/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`certdesk sandbox exited (${String(code)}): ${out}`));
    });
  });
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}
