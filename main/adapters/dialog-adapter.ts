/**
 * What main needs from native dialogs, as a plain interface: the Electron implementation lives in
 * `dialogs.ts`; the e2e fixture and tests pass their own.
 */

/** A file-type filter of a save dialog. */
export interface FileFilter {
  readonly name: string;
  readonly extensions: readonly string[];
}

/** Native dialogs main shows on the renderer's behalf. */
export interface DialogAdapter {
  /** Asks the user where to save a file; null when they cancel. */
  chooseSavePath(options: { readonly title: string; readonly defaultName: string; readonly filters: readonly FileFilter[] }): Promise<string | null>;
}

/** Filters for a file name, by its extension (PEM-ish files first). */
export function filtersFor(defaultName: string): FileFilter[] {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(defaultName)?.[1]?.toLowerCase();
  const named: Readonly<Record<string, string>> = { csr: 'Certificate signing request', pem: 'PEM file', crt: 'Certificate', txt: 'Text file' };
  const first = ext ? [{ name: named[ext] ?? `${ext.toUpperCase()} file`, extensions: [ext] }] : [];
  return [...first, { name: 'All files', extensions: ['*'] }];
}
