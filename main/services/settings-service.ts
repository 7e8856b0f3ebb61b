/**
 * User preferences (theme, expiry threshold) in `settings.json` in the data directory.
 *
 * Kept apart from the store (`config.json`): preferences change often, carry nothing that other
 * records refer to, and a damaged preferences file can fall back to the defaults without putting
 * keys or versions at risk. The file is checked with the same zod schema the IPC boundary uses.
 */
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/api.js';
import { CertdeskError } from '../../shared/errors.js';
import { writeFileAtomic } from '../vault/atomic-file.js';

/** The preferences file's name inside the data directory. */
export const SETTINGS_FILE = 'settings.json';

/** Options for `createSettingsService`. */
export interface SettingsServiceOptions {
  readonly dataDir: string;
  /** Receives problems that do not stop the app (an unreadable file falls back to the defaults). */
  readonly onWarning?: (message: string) => void;
}

/** Reads and changes preferences. */
export interface SettingsService {
  /** The file. */
  readonly path: string;
  /** The current preferences (defaults for anything missing). */
  get(): Promise<Settings>;
  /** Changes some preferences and returns all of them. */
  set(patch: Partial<Settings>): Promise<Settings>;
}

/** The settings service over `<dataDir>/settings.json`. */
export function createSettingsService(options: SettingsServiceOptions): SettingsService {
  const path = join(options.dataDir, SETTINGS_FILE);
  let cached: Settings | undefined;
  // Writes are queued so two quick changes never interleave their read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();

  const load = async (): Promise<Settings> => {
    if (cached) return cached;
    let raw: string;
    try {
      raw = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        options.onWarning?.(`Could not read ${path} (${(err as Error).message}); using the default preferences.`);
      }
      cached = DEFAULT_SETTINGS;
      return cached;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const parsed = SettingsSchema.partial().safeParse(json);
    if (!parsed.success) {
      options.onWarning?.(`${path} is not a valid preferences file; using the default preferences until they are changed.`);
      cached = DEFAULT_SETTINGS;
      return cached;
    }
    cached = { ...DEFAULT_SETTINGS, ...parsed.data };
    return cached;
  };

  return {
    path,
    get: load,
    set(patch) {
      const next = queue.then(async () => {
        const merged = SettingsSchema.safeParse({ ...(await load()), ...patch });
        if (!merged.success) {
          throw new CertdeskError('INVALID_ARGUMENT', `Invalid preferences: ${merged.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        }
        try {
          await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
          await writeFileAtomic(path, `${JSON.stringify(merged.data, null, 2)}\n`, 0o600);
        } catch (err) {
          throw new CertdeskError('STORE_WRITE_FAILED', `Could not save the preferences to ${path}: ${(err as Error).message}`, { file: path });
        }
        cached = merged.data;
        return merged.data;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
