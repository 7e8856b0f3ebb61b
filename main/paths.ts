/**
 * Where Certdesk keeps its data: `--data-dir`, else `CERTDESK_DATA_DIR`, else the per-user
 * directory the desktop app uses (Electron's `app.getPath('userData')` for the app name "Certdesk"),
 * so the CLI and the app share one store, one vault and one set of keychain entries.
 */
import path from 'node:path';
import { homedir } from 'node:os';
import { CertdeskError } from '../shared/errors.js';

/** The app name Electron derives `userData` from. */
export const APP_NAME = 'Certdesk';

/** Inputs of `resolveDataDir`; everything but `flag` defaults to this process's. */
export interface DataDirInputs {
  /** The `--data-dir` flag's value, if given. */
  readonly flag?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
  /** Base for a relative `--data-dir` / `CERTDESK_DATA_DIR`. */
  readonly cwd?: string;
}

/** The data directory, as an absolute path. */
export function resolveDataDir(inputs: DataDirInputs = {}): string {
  const env = inputs.env ?? process.env;
  const platform = inputs.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const cwd = inputs.cwd ?? process.cwd();

  const explicit = (value: string | undefined, source: string): string | undefined => {
    if (value === undefined) return undefined;
    if (value.trim() === '') {
      throw new CertdeskError('USAGE', `${source} is empty: give the data directory's path, or leave it out to use the default.`);
    }
    return p.resolve(cwd, value);
  };
  const chosen = explicit(inputs.flag, '--data-dir') ?? explicit(nonEmpty(env.CERTDESK_DATA_DIR), 'CERTDESK_DATA_DIR');
  if (chosen !== undefined) return chosen;

  const home = inputs.home ?? homedir();
  switch (platform) {
    case 'darwin':
      return p.join(home, 'Library', 'Application Support', APP_NAME);
    case 'win32':
      return p.join(nonEmpty(env.APPDATA) ?? p.join(home, 'AppData', 'Roaming'), APP_NAME);
    default: {
      // As Chromium's GetXDGDirectory: a non-empty XDG_CONFIG_HOME is used as it is, else ~/.config.
      const xdg = nonEmpty(env.XDG_CONFIG_HOME);
      return p.join(xdg !== undefined ? p.resolve(cwd, xdg) : p.join(home, '.config'), APP_NAME);
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
