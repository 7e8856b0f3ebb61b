/**
 * Argument parsing for the CLI on top of `node:util` parseArgs, with usage errors as CertdeskErrors.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CertdeskError } from '../../shared/errors.js';
import { KEY_TYPES, type KeyType } from '../../shared/pki-types.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags and positionals of one command. */
export interface Parsed<T> {
  readonly values: T;
  readonly positionals: string[];
}

/** Parses `argv` strictly against `options`; unknown flags and missing values are usage errors (exit 2). */
export function parse<T>(command: string, argv: readonly string[], options: Options): Parsed<T> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as T, positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new CertdeskError('USAGE', `certdesk ${command}: ${message.replace(/^TypeError( \[[A-Z_]+\])?: /, '')}`);
  }
}

/** Throws a usage error naming the command. */
export function usage(command: string, message: string): never {
  throw new CertdeskError('USAGE', `certdesk ${command}: ${message}`);
}

/** Returns the single value of a required flag, or a usage error naming it. */
export function required<V>(command: string, flag: string, value: V | undefined): V {
  if (value === undefined || value === '') usage(command, `--${flag} is required`);
  return value;
}

/** Parses a positive whole number flag. */
export function positiveInt(command: string, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) usage(command, `--${flag} must be a positive whole number, not "${value}"`);
  return Number(value);
}

/** Checks a `--type`/`--new-key`/`--key-type` value. */
export function keyType(command: string, flag: string, value: string | undefined): KeyType {
  const v = required(command, flag, value);
  if (!(KEY_TYPES as readonly string[]).includes(v)) usage(command, `--${flag} must be one of ${KEY_TYPES.join(', ')}, not "${v}"`);
  return v as KeyType;
}
