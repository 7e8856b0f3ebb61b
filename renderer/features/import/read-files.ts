/** Turning dropped, picked or pasted input into files for main: bytes read here, sizes checked before sending. */
import { MAX_FILE_BYTES, MAX_FILES } from '../../../shared/api.js';

/** A file of the import set. */
export interface ImportFile {
  readonly id: number;
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly password?: string;
}

/** A file refused before it was sent, and why. */
export interface RejectedFile {
  readonly name: string;
  readonly reason: string;
}

let nextId = 1;

/** Reads files with File.arrayBuffer(); files over 10 MiB or past the limit are refused with a reason. */
export async function readFiles(files: Iterable<File>, alreadyHave: number): Promise<{ files: ImportFile[]; rejected: RejectedFile[] }> {
  const out: ImportFile[] = [];
  const rejected: RejectedFile[] = [];
  for (const file of files) {
    if (file.size > MAX_FILE_BYTES) {
      rejected.push({ name: file.name, reason: `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MiB; certificate and key files are at most 10 MiB.` });
      continue;
    }
    if (alreadyHave + out.length >= MAX_FILES) {
      rejected.push({ name: file.name, reason: `${file.name} was not added: at most ${MAX_FILES} files can be inspected together.` });
      continue;
    }
    out.push({ id: nextId++, name: file.name || 'unnamed file', bytes: new Uint8Array(await file.arrayBuffer()) });
  }
  return { files: out, rejected };
}

/** Pasted text as a file. */
export function textFile(text: string, name: string): ImportFile {
  return { id: nextId++, name, bytes: new TextEncoder().encode(text) };
}
