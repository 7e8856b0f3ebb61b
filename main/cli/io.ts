/**
 * Terminal I/O for the CLI: JSON and human output, reading files and secrets, writing files atomically.
 */
import { closeSync, fsyncSync, openSync, renameSync, statSync, writeSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CertdeskError } from '../../shared/errors.js';
import { MAX_INPUT_BYTES } from '../pki/objects.js';

/** Where a command writes; injectable so tests can capture output in-process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly stdinIsTty: boolean;
  readonly stdoutIsTty: boolean;
  /** stderr is a terminal (live progress goes there); absent means no. */
  readonly stderrIsTty?: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Prompts on the terminal without echo; undefined when there is no terminal. */
  readonly promptSecret?: (question: string) => Promise<string>;
}

/** Prints exactly one JSON document. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reads a user-named input file, bounded to 10 MiB, with errors that name the file. */
export function readInputFile(path: string): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CertdeskError('FILE_UNREADABLE', `${path}: is a directory, not a file`, { file: path });
    size = st.size;
  } catch (err) {
    if (err instanceof CertdeskError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CertdeskError('FILE_NOT_FOUND', `${path}: no such file`, { file: path });
    throw new CertdeskError('FILE_UNREADABLE', `${path}: cannot be read (${code ?? 'unknown error'})`, { file: path });
  }
  if (size > MAX_INPUT_BYTES) {
    throw new CertdeskError(
      'FILE_TOO_LARGE',
      `${path}: ${size} bytes is larger than the 10 MiB Certdesk reads; certificate material is never this large`,
      { file: path },
    );
  }
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CertdeskError('FILE_UNREADABLE', `${path}: cannot be read (${code ?? 'unknown error'})`, { file: path });
  }
}

/** Writes a file atomically (temp file, fsync, rename); `mode` 0o600 for anything secret. */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number; overwrite?: boolean } = {}): void {
  const { mode = 0o644, overwrite = true } = options;
  if (!overwrite) {
    let exists = false;
    try {
      statSync(path);
      exists = true;
    } catch {
      exists = false;
    }
    if (exists) {
      throw new CertdeskError('CONFLICT', `${path}: already exists; choose another name or pass --force to replace it`, { file: path });
    }
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file may not exist; nothing to clean up
    }
    const code = (err as NodeJS.ErrnoException).code;
    throw new CertdeskError('FILE_UNREADABLE', `${path}: cannot be written (${code ?? String(err)})`, { file: path });
  }
}

/**
 * Resolves a password from `--password-stdin`, `CERTDESK_PASSWORD`, `--password P` or a prompt.
 *
 * Returns undefined when none was given and no prompt is possible (or wanted).
 */
export async function resolvePassword(
  io: Io,
  opts: { password?: string; passwordStdin?: boolean; prompt?: string },
): Promise<string | undefined> {
  if (opts.passwordStdin) return (await io.readStdin()).replace(/\r?\n$/, '');
  if (io.env.CERTDESK_PASSWORD !== undefined) return io.env.CERTDESK_PASSWORD;
  if (opts.password !== undefined) return opts.password;
  if (opts.prompt && io.promptSecret) return io.promptSecret(opts.prompt);
  return undefined;
}
