/**
 * The app store: `config.json` in the data directory, through conf (plain Node: CLI, tests) or
 * electron-store (the app; it extends conf and takes the same options).
 *
 * conf gives atomic writes (via `atomically`) and semver migrations. Its `schema` option is not
 * used: measured on the 2-core build machine, ajv's schema compile adds ~50 ms to opening the store
 * and zod's import ~28 ms, so the store is checked by the hand-written validator in `schema.ts`
 * (well under 1 ms). conf still imports ajv at load time (~12 ms of its ~30 ms bundled import);
 * a bundle may alias `ajv/dist/2020.js` and `ajv-formats` to a stub, since conf only constructs
 * Ajv when given a schema, which brings conf's import and open to ~10-20 ms.
 *
 * Before conf opens the file, it is checked; a file that is not JSON or fails the schema is moved
 * aside to `config.corrupt-<time>.json` and reported, never silently emptied.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertdeskError } from '../../shared/errors.js';
import { MIGRATIONS, STORE_PROJECT_VERSION, type Migration } from './migrations.js';
import { STORE_SCHEMA_VERSION, storeIssues, type StoreData, type StoreKey } from './schema.js';

/** The store file's name inside the data directory. */
export const STORE_FILE = 'config.json';

/** The options Certdesk passes to conf / electron-store. */
export interface ConfOptions {
  readonly cwd: string;
  readonly configName: string;
  readonly projectName: string;
  readonly projectVersion?: string;
  readonly migrations?: Readonly<Record<string, Migration>>;
  readonly accessPropertiesByDotNotation: false;
  readonly clearInvalidConfig: false;
  readonly configFileMode: number;
  readonly watch: false;
}

/** The part of a conf / electron-store instance the store uses. */
export interface ConfLike {
  readonly path: string;
  readonly store: Record<string, unknown>;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** A conf-compatible class: conf's default export, or electron-store's in the app. */
export type ConfClass = new (options: ConfOptions) => ConfLike;

/** What services need from the store. */
export interface AppStore {
  /** The store file. */
  readonly path: string;
  /** Where a corrupt store file was moved this session, or null. */
  readonly recoveredFrom: string | null;
  /** The whole store, validated. */
  read(): StoreData;
  /** One field of the store. */
  get<K extends StoreKey>(key: K): StoreData[K];
  /** Replaces one field (validated, written atomically). */
  set<K extends StoreKey>(key: K, value: StoreData[K]): void;
  /** Reads, transforms and writes one field; returns the new value. */
  update<K extends StoreKey>(key: K, fn: (current: StoreData[K]) => StoreData[K]): StoreData[K];
}

/** Options for `createStore`. */
export interface CreateStoreOptions {
  /** The data directory (created, mode 0700, if missing). */
  readonly cwd: string;
  /** The conf class; defaults to conf's (the app passes electron-store's). */
  readonly Conf?: ConfClass;
  /** Clock for the name of a moved-aside corrupt file. */
  readonly now?: () => Date;
  /** Receives a warning a person should see (the CLI prints it to stderr). */
  readonly onWarning?: (message: string) => void;
}

function describeIssues(issues: readonly string[]): string {
  const shown = issues.slice(0, 5).join('; ');
  return issues.length > 5 ? `${shown}; and ${issues.length - 5} more` : shown;
}

/** Why the raw bytes of a store file cannot be opened as they are, or null when they can (or need migrating first). */
export function storeFileProblem(raw: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    return `it is not valid JSON (${(err as Error).message})`;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'it does not hold a JSON object';
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  // Older layouts are checked after conf has migrated them.
  if (typeof version === 'number' && version >= STORE_SCHEMA_VERSION) {
    const issues = storeIssues(data);
    if (issues.length > 0) return `it fails the store schema: ${describeIssues(issues)}`;
  }
  return null;
}

function isErrno(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === code;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** Moves (or, when `bytes` is given, copies those bytes) aside to a free `config.corrupt-<time>[-n].json`. */
function setAside(cwd: string, file: string, date: Date, bytes?: Buffer): string {
  for (let n = 0; ; n++) {
    const target = join(cwd, `config.corrupt-${stamp(date)}${n === 0 ? '' : `-${n}`}.json`);
    try {
      writeFileSync(target, bytes ?? readFileSync(file), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if (isErrno(err, 'EEXIST')) continue;
      throw new CertdeskError('STORE_WRITE_FAILED', `Cannot move the corrupt store ${file} aside to ${target}: ${(err as Error).message}`, {
        file,
      });
    }
    // Copy-then-remove, not rename: an exclusive create never overwrites an earlier backup.
    rmSync(file, { force: true });
    return target;
  }
}

/** True when the store's recorded migration version is newer than this Certdesk's layout. */
function isNewerLayout(raw: string): boolean {
  const recorded = (JSON.parse(raw) as { __internal__?: { migrations?: { version?: unknown } } }).__internal__?.migrations?.version;
  if (typeof recorded !== 'string') return false;
  const parse = (v: string): number[] => v.split(/[.+-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [a, b] = [parse(recorded), parse(STORE_PROJECT_VERSION)];
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return false;
}

async function defaultConf(): Promise<ConfClass> {
  const mod = await import('conf');
  return mod.default as unknown as ConfClass;
}

/** Opens (creating, migrating or recovering as needed) the store in `options.cwd`. */
export async function createStore(options: CreateStoreOptions): Promise<AppStore> {
  const { cwd } = options;
  const now = options.now ?? (() => new Date());
  const file = join(cwd, STORE_FILE);
  try {
    mkdirSync(cwd, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new CertdeskError('STORE_WRITE_FAILED', `Cannot create the data directory ${cwd}: ${(err as Error).message}`, {
      file: cwd,
    });
  }
  const ConfImpl = options.Conf ?? (await defaultConf());
  let confOptions: ConfOptions = {
    cwd,
    configName: 'config',
    projectName: 'certdesk',
    projectVersion: STORE_PROJECT_VERSION,
    migrations: MIGRATIONS,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    configFileMode: 0o600,
    watch: false,
  };

  let original: Buffer | undefined;
  try {
    original = readFileSync(file);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) {
      throw new CertdeskError('FILE_UNREADABLE', `Cannot read the store ${file}: ${(err as Error).message}`, { file });
    }
  }

  let recoveredFrom: string | null = null;
  const recover = (why: string, bytes?: Buffer): void => {
    recoveredFrom = setAside(cwd, file, now(), bytes);
    options.onWarning?.(
      `The store ${file} could not be used: ${why}. It was moved to ${recoveredFrom} and Certdesk started with an empty store. ` +
        'Sealed private keys in the vault are untouched; restore the store from a backup, or re-adopt the keys with the key service.',
    );
  };

  const problem = original === undefined ? null : storeFileProblem(original.toString('utf8'));
  if (problem !== null) recover(problem);
  if (problem === null && original !== undefined && isNewerLayout(original.toString('utf8'))) {
    // Written by a newer Certdesk: conf would run no migration but record our (older) version as
    // the migrated one, and the newer Certdesk would then re-run its migrations. Open it as it is.
    const { migrations: _migrations, projectVersion: _projectVersion, ...asIs } = confOptions;
    confOptions = asIs;
  }

  const open = (): { conf: ConfLike; issue: string | null } => {
    let conf: ConfLike;
    try {
      conf = new ConfImpl(confOptions);
    } catch (err) {
      // An I/O failure (permissions, a full disk) is not corruption: report it, leave the file be.
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code === 'string') {
        throw new CertdeskError('STORE_WRITE_FAILED', `Cannot open the store ${file}: ${(err as Error).message}`, { file });
      }
      // Only a failed migration says something about the file; anything else (a broken build, a
      // bug) must leave the user's store exactly where it is.
      const message = (err as Error).message ?? String(err);
      if (/went wrong during the migration/i.test(message)) return { conf: undefined as never, issue: `migrating it failed (${message})` };
      throw new CertdeskError('INTERNAL', `Cannot open the store ${file}: ${message}. The file was left as it is.`, { file });
    }
    const issues = storeIssues(conf.store);
    return { conf, issue: issues.length > 0 ? `after migration it fails the store schema: ${describeIssues(issues)}` : null };
  };

  let opened = open();
  if (opened.issue !== null) {
    if (recoveredFrom !== null || original === undefined) {
      // A fresh store that fails its own schema is a bug in a migration, not a corrupt file.
      throw new CertdeskError('INTERNAL', `A new store at ${file} fails the store schema: ${opened.issue}.`, { file });
    }
    recover(opened.issue, original);
    opened = open();
    if (opened.issue !== null) {
      throw new CertdeskError('INTERNAL', `A new store at ${file} fails the store schema: ${opened.issue}.`, { file });
    }
  }
  return new ConfStore(opened.conf, recoveredFrom);
}

class ConfStore implements AppStore {
  readonly path: string;
  readonly recoveredFrom: string | null;
  readonly #conf: ConfLike;

  constructor(conf: ConfLike, recoveredFrom: string | null) {
    this.#conf = conf;
    this.path = conf.path;
    this.recoveredFrom = recoveredFrom;
  }

  read(): StoreData {
    let data: Record<string, unknown>;
    try {
      data = this.#conf.store;
    } catch (err) {
      throw this.#corrupt(`it cannot be read (${(err as Error).message})`);
    }
    const issues = storeIssues(data);
    if (issues.length > 0) throw this.#corrupt(`it fails the store schema: ${describeIssues(issues)}`);
    return data as unknown as StoreData;
  }

  get<K extends StoreKey>(key: K): StoreData[K] {
    return this.read()[key];
  }

  set<K extends StoreKey>(key: K, value: StoreData[K]): void {
    const next = { ...this.read(), [key]: value };
    const issues = storeIssues(next);
    if (issues.length > 0) {
      throw new CertdeskError('INTERNAL', `Refusing to write an invalid store to ${this.path}: ${describeIssues(issues)}.`, {
        file: this.path,
      });
    }
    try {
      this.#conf.set(key, value);
    } catch (err) {
      throw new CertdeskError('STORE_WRITE_FAILED', `Cannot write the store ${this.path}: ${(err as Error).message}`, {
        file: this.path,
      });
    }
  }

  update<K extends StoreKey>(key: K, fn: (current: StoreData[K]) => StoreData[K]): StoreData[K] {
    const next = fn(this.get(key));
    this.set(key, next);
    return next;
  }

  #corrupt(why: string): CertdeskError {
    return new CertdeskError(
      'STORE_CORRUPT',
      `The store ${this.path} changed under Certdesk and ${why}. Start Certdesk again to move it aside, or restore it from a backup.`,
      { file: this.path },
    );
  }
}
