/**
 * Crash-safe file writes for the vault: write a temporary file beside the target, fsync it, then
 * rename (or link, for create-only) it into place and fsync the directory.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

async function writeTemp(target: string, data: Uint8Array | string, mode: number): Promise<string> {
  const tmp = tempPath(target);
  const handle = await fsp.open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  return tmp;
}

/** fsyncs a directory so a rename in it survives a crash (a no-op where directories cannot be opened, e.g. Windows). */
export async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a directory; NTFS journals the rename itself.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Atomically replaces `target` with `data` (file mode `mode`, default 0600). */
export async function writeFileAtomic(target: string, data: Uint8Array | string, mode = 0o600): Promise<void> {
  const tmp = await writeTemp(target, data, mode);
  try {
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dirname(target));
}

/**
 * Atomically creates `target` with `data` unless it already exists.
 *
 * Returns false (and leaves the existing file alone) when another writer got there first.
 */
export async function createFileAtomic(target: string, data: Uint8Array | string, mode = 0o600): Promise<boolean> {
  const tmp = await writeTemp(target, data, mode);
  try {
    await fsp.link(tmp, target);
    await syncDir(dirname(target));
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    // Filesystems without hard links (FAT, some network shares): exclusive create, not crash-safe.
    try {
      await fsp.writeFile(target, data, { flag: 'wx', mode });
      return true;
    } catch (err2) {
      if ((err2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err2;
    }
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}
