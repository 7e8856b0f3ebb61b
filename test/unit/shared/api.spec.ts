// Pins the renderer/main contract: method signatures (type tests), channel names, argument schemas,
// and that no method can return key material.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  API,
  CHANNELS,
  EVENT_CHANNELS,
  MAX_FILE_BYTES,
  apiMethods,
  type CertdeskApi,
  type ChainValidation,
  type CsrCreated,
  type CsrPreview,
  type ImportedKeySummary,
  type InspectResult,
  type KeySummary,
  type PendingRequestSummary,
  type SanCheck,
  type SaveResult,
  type Settings,
  type Unsubscribe,
} from '../../../shared/api.js';
import type { KeyType } from '../../../shared/pki-types.js';

type Results = { [N in keyof CertdeskApi]: { [M in keyof CertdeskApi[N]]: CertdeskApi[N][M] extends (...a: never[]) => Promise<infer R> ? R : never } };
type Values<T> = T[keyof T];
type AllResults = Values<{ [N in Exclude<keyof Results, 'events'>]: Values<Results[N]> }>;
/** Every property name anywhere in a type, through arrays and unions. */
type PropertyNames<T, Depth extends unknown[] = []> = Depth['length'] extends 8
  ? never
  : T extends readonly (infer U)[]
    ? PropertyNames<U, [...Depth, 0]>
    : T extends object
      ? { [K in keyof T]-?: K | PropertyNames<T[K], [...Depth, 0]> }[keyof T]
      : never;
/** Every leaf type anywhere in a type. */
type Leaves<T, Depth extends unknown[] = []> = Depth['length'] extends 8
  ? T
  : T extends readonly (infer U)[]
    ? Leaves<U, [...Depth, 0]>
    : T extends Uint8Array
      ? T
      : T extends object
        ? { [K in keyof T]-?: Leaves<T[K], [...Depth, 0]> }[keyof T]
        : T;

describe('CertdeskApi types', () => {
  it('pins each method signature', () => {
    expectTypeOf<CertdeskApi['keys']['list']>().toEqualTypeOf<() => Promise<KeySummary[]>>();
    expectTypeOf<CertdeskApi['keys']['generate']>().parameters.toEqualTypeOf<[{ type: KeyType; label?: string | undefined }]>();
    expectTypeOf<CertdeskApi['keys']['generate']>().returns.toEqualTypeOf<Promise<KeySummary>>();
    expectTypeOf<CertdeskApi['keys']['import']>().returns.toEqualTypeOf<Promise<ImportedKeySummary[]>>();
    expectTypeOf<CertdeskApi['keys']['delete']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<CertdeskApi['pki']['inspect']>().returns.toEqualTypeOf<Promise<InspectResult>>();
    expectTypeOf<CertdeskApi['pki']['inspect']>().parameter(0).toHaveProperty('files').items.toHaveProperty('bytes').toEqualTypeOf<Uint8Array>();
    expectTypeOf<CertdeskApi['pki']['verify']>().returns.toEqualTypeOf<Promise<ChainValidation>>();
    expectTypeOf<CertdeskApi['csr']['create']>().returns.toEqualTypeOf<Promise<CsrCreated>>();
    expectTypeOf<CertdeskApi['csr']['preview']>().returns.toEqualTypeOf<Promise<CsrPreview>>();
    expectTypeOf<CertdeskApi['csr']['checkSans']>().toEqualTypeOf<(values: string[]) => Promise<SanCheck[]>>();
    expectTypeOf<CertdeskApi['csr']['pending']>().toEqualTypeOf<() => Promise<PendingRequestSummary[]>>();
    expectTypeOf<CertdeskApi['settings']['get']>().toEqualTypeOf<() => Promise<Settings>>();
    expectTypeOf<CertdeskApi['dialogs']['saveText']>().returns.toEqualTypeOf<Promise<SaveResult>>();
    expectTypeOf<CertdeskApi['app']['info']>().returns.resolves.toHaveProperty('version').toEqualTypeOf<string>();
  });

  it('csr.create takes either a vault key id or a new key type, not a key', () => {
    expectTypeOf<{ keyId: string; subject: { commonName: string }; sans: string[] }>().toExtend<Parameters<CertdeskApi['csr']['create']>[0]>();
    expectTypeOf<{ newKeyType: 'ec-p256'; subject: { commonName: string }; sans: string[] }>().toExtend<Parameters<CertdeskApi['csr']['create']>[0]>();
    expectTypeOf<{ subject: { commonName: string }; sans: string[] }>().not.toExtend<Parameters<CertdeskApi['csr']['create']>[0]>();
  });

  it('events return unsubscribe functions', () => {
    expectTypeOf<CertdeskApi['events']['onTaskProgress']>().returns.toEqualTypeOf<Unsubscribe>();
    expectTypeOf<CertdeskApi['events']['onTaskFinished']>().returns.toEqualTypeOf<Unsubscribe>();
    expectTypeOf<CertdeskApi['events']['onExpiryAlert']>().returns.toEqualTypeOf<Unsubscribe>();
    expectTypeOf<CertdeskApi['events']['onInventoryChanged']>().returns.toEqualTypeOf<Unsubscribe>();
  });

  it('no method returns key material: no key-ish field, no bytes', () => {
    type Forbidden = 'privateKey' | 'privateKeyPem' | 'keyPem' | 'pkcs8' | 'der' | 'bytes' | 'secret' | 'password' | 'kek';
    expectTypeOf<Extract<PropertyNames<AllResults>, Forbidden>>().toEqualTypeOf<never>();
    expectTypeOf<Extract<Leaves<AllResults>, Uint8Array | ArrayBuffer>>().toEqualTypeOf<never>();
    // The check itself can fail: a result with a privateKeyPem field is caught.
    expectTypeOf<Extract<PropertyNames<{ a: { privateKeyPem: string }[] }>, Forbidden>>().toEqualTypeOf<'privateKeyPem'>();
  });
});

describe('the method table', () => {
  it('has one unique domain:verb channel per method, events included', () => {
    const all = [...CHANNELS, ...Object.values(EVENT_CHANNELS)];
    expect(new Set(all).size).toBe(all.length);
    for (const channel of all) expect(channel).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    expect(apiMethods().map(([ns, name]) => `${ns}.${name}`)).toContain('keys.list');
    expect(API.keys.list.channel).toBe('keys:list');
  });

  it('rejects extra, missing and mistyped arguments', () => {
    expect(API.keys.list.args.safeParse([]).success).toBe(true);
    expect(API.keys.list.args.safeParse([1]).success).toBe(false);
    expect(API.keys.generate.args.safeParse([{ type: 'ec-p256' }]).success).toBe(true);
    expect(API.keys.generate.args.safeParse([{ type: 'dsa-1024' }]).success).toBe(false);
    expect(API.keys.generate.args.safeParse([{ type: 'ec-p256', extra: 1 }]).success).toBe(false);
    expect(API.keys.delete.args.safeParse([{ id: '../../etc/passwd' }]).success).toBe(false);
    expect(API.settings.set.args.safeParse([{ expiryThresholdDays: 0 }]).success).toBe(false);
    expect(API.settings.set.args.safeParse([{ theme: 'dark' }]).success).toBe(true);
    expect(API.dialogs.saveText.args.safeParse([{ defaultName: '../x.csr', content: '' }]).success).toBe(false);
  });

  it('takes file bytes as a Uint8Array of at most 10 MiB', () => {
    const file = (bytes: unknown) => [{ files: [{ name: 'a.pem', bytes }] }];
    expect(API.pki.inspect.args.safeParse(file(new Uint8Array(3))).success).toBe(true);
    expect(API.pki.inspect.args.safeParse(file(new Uint8Array(MAX_FILE_BYTES))).success).toBe(true);
    expect(API.pki.inspect.args.safeParse(file(new Uint8Array(MAX_FILE_BYTES + 1))).success).toBe(false);
    expect(API.pki.inspect.args.safeParse(file('-----BEGIN CERTIFICATE-----')).success).toBe(false);
    expect(API.pki.inspect.args.safeParse(file([1, 2, 3])).success).toBe(false);
    expect(API.pki.inspect.args.safeParse([{ files: [] }]).success).toBe(false);
  });

  it('csr.create needs exactly one key source', () => {
    const names = { subject: { commonName: 'example.com' }, sans: ['www.example.com'] };
    expect(API.csr.create.args.safeParse([{ ...names, keyId: 'k_0123456789abcdef' }]).success).toBe(true);
    expect(API.csr.create.args.safeParse([{ ...names, newKeyType: 'rsa-3072' }]).success).toBe(true);
    expect(API.csr.create.args.safeParse([names]).success).toBe(false);
    expect(API.csr.create.args.safeParse([{ ...names, privateKeyPem: '-----BEGIN PRIVATE KEY-----' }]).success).toBe(false);
  });
});
