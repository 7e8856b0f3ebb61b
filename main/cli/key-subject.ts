/**
 * What `csr` and `selfsign` share: the flags that pick a vault key (`--key ID | --new-key TYPE`)
 * and describe the subject, and the key they sign with.
 */
import type { KeyObject } from 'node:crypto';
import type { KeyType, San, SubjectFields } from '../../shared/pki-types.js';
import type { KeyRecord } from '../store/schema.js';
import type { KeyService } from '../services/key-service.js';
import { generateKey } from '../pki/keygen.js';
import { keyType, parse, required, usage, type Parsed } from './args.js';
import type { CommandContext } from './main.js';
import { openKeyService } from './services.js';
import { SUBJECT_OPTIONS, sansFrom, subjectFrom, type SubjectFlags } from './subject.js';

/** The flags every key-and-subject command takes. */
export interface KeySubjectFlags extends SubjectFlags {
  key?: string;
  'new-key'?: string;
  label?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

type Options = Parameters<typeof parse>[2];

/** Parses a key-and-subject command's flags (its own `extra` ones too); no positionals, exactly one of --key and --new-key. */
export function parseKeySubjectFlags<F extends KeySubjectFlags>(cmd: string, argv: readonly string[], extra: Options = {}): Parsed<F> {
  const parsed = parse<F>(cmd, argv, {
    ...SUBJECT_OPTIONS,
    key: { type: 'string' },
    'new-key': { type: 'string' },
    ...extra,
    label: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const { values, positionals } = parsed;
  if (positionals.length > 0) usage(cmd, `unexpected argument "${positionals[0]}"`);
  if ((values.key === undefined) === (values['new-key'] === undefined)) usage(cmd, 'give exactly one of --key ID or --new-key TYPE');
  return parsed;
}

/** The subject (the CN is required), its SANs and the type of a new key, from parsed flags. */
export function keySubjectFrom(cmd: string, values: KeySubjectFlags): { cn: string; subject: SubjectFields; sans: San[]; newType: KeyType | undefined } {
  const cn = required(cmd, 'cn', values.cn);
  const subject = subjectFrom(values, cn);
  const sans = sansFrom(values, cn);
  const newType = values['new-key'] !== undefined ? keyType(cmd, 'new-key', values['new-key']) : undefined;
  return { cn, subject, sans, newType };
}

/** The key to sign with and the vault around it. */
export interface SigningKey {
  readonly service: KeyService;
  readonly key: KeyObject;
  /** The key's record: a new key is sealed in the vault only now, under `label` (or the --label flag). */
  readonly record: (label: string) => Promise<KeyRecord>;
}

/**
 * Opens the vault and returns the vault key (`--key`) or a new key of `newType` made in memory,
 * so that bad input found while signing leaves no orphan key behind.
 */
export async function openSigningKey(ctx: CommandContext, values: KeySubjectFlags, newType: KeyType | undefined): Promise<SigningKey> {
  // RSA generation runs on the thread pool: start it first, so opening the store and reaching the
  // keychain happen while the primes are found.
  const generating = newType ? generateKey(newType) : undefined;
  generating?.catch(() => undefined);
  const service = await openKeyService(ctx, { unlock: true });
  const key = generating ? await generating : await service.getPrivateKey(values.key as string);
  return {
    service,
    key,
    record: (label) => (newType ? service.adopt(key, values.label ?? label) : service.get(values.key as string)),
  };
}
