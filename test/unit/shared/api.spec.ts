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
  type RekeyTemplate,
  type SanCheck,
  type SaveResult,
  type Settings,
  type Unsubscribe,
  type AccountSummary,
  type CertificateCsr,
  type CertificateDetail,
  type CertificateInventory,
  type ConnectionResult,
  type DeploymentDiff,
  type ExpiryOverview,
  type TaskSummary,
  type VersionCreated,
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
    expectTypeOf<CertdeskApi['keys']['export']>().returns.toEqualTypeOf<Promise<SaveResult>>();
    expectTypeOf<CertdeskApi['accounts']['list']>().toEqualTypeOf<() => Promise<AccountSummary[]>>();
    expectTypeOf<CertdeskApi['accounts']['add']>().returns.toEqualTypeOf<Promise<AccountSummary>>();
    expectTypeOf<CertdeskApi['accounts']['test']>().toEqualTypeOf<(arg: { account: string }) => Promise<ConnectionResult>>();
    expectTypeOf<CertdeskApi['accounts']['remove']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<CertdeskApi['certificates']['list']>().returns.toEqualTypeOf<Promise<CertificateInventory>>();
    expectTypeOf<CertdeskApi['certificates']['show']>().toEqualTypeOf<(arg: { account: string; certificate: string }) => Promise<CertificateDetail>>();
    expectTypeOf<CertdeskApi['certificates']['create']>().returns.toEqualTypeOf<Promise<VersionCreated>>();
    expectTypeOf<CertdeskApi['certificates']['delete']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<CertdeskApi['versions']['add']>().returns.toEqualTypeOf<Promise<VersionCreated>>();
    expectTypeOf<CertdeskApi['versions']['csr']>().returns.toEqualTypeOf<Promise<CertificateCsr>>();
    expectTypeOf<CertdeskApi['versions']['rekeyTemplate']>().toEqualTypeOf<(arg: { account: string; certificate: string }) => Promise<RekeyTemplate>>();
    expectTypeOf<CertdeskApi['deployments']['start']>().returns.toEqualTypeOf<Promise<TaskSummary>>();
    expectTypeOf<CertdeskApi['deployments']['promote']>().returns.toEqualTypeOf<Promise<TaskSummary>>();
    expectTypeOf<CertdeskApi['deployments']['rollback']>().returns.toEqualTypeOf<Promise<TaskSummary>>();
    expectTypeOf<CertdeskApi['deployments']['diff']>().returns.toEqualTypeOf<Promise<DeploymentDiff>>();
    expectTypeOf<CertdeskApi['tasks']['list']>().toEqualTypeOf<() => Promise<TaskSummary[]>>();
    expectTypeOf<CertdeskApi['tasks']['retry']>().toEqualTypeOf<(arg: { id: string }) => Promise<TaskSummary>>();
    expectTypeOf<CertdeskApi['expiry']['overview']>().toEqualTypeOf<() => Promise<ExpiryOverview>>();
  });

  it('certificates.list may be called with no argument; deployments.start takes no key material', () => {
    expectTypeOf<[]>().toExtend<Parameters<CertdeskApi['certificates']['list']>>();
    expectTypeOf<[{ refresh: true }]>().toExtend<Parameters<CertdeskApi['certificates']['list']>>();
    expectTypeOf<{ account: string; certificate: string; env: string; action: 'undeploy' }>().toExtend<Parameters<CertdeskApi['deployments']['start']>[0]>();
    expectTypeOf<Extract<keyof Parameters<CertdeskApi['deployments']['start']>[0], 'privateKeyPem' | 'key' | 'secret'>>().toEqualTypeOf<never>();
  });

  it('account secrets go in, never out: only accounts.add takes one and no result has one', () => {
    expectTypeOf<Parameters<CertdeskApi['accounts']['add']>[0]>().toHaveProperty('secret').toEqualTypeOf<string>();
    expectTypeOf<Extract<keyof AccountSummary, 'secret' | 'apiKey' | 'token' | 'password'>>().toEqualTypeOf<never>();
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
    expect(API.certificates.list.args.safeParse([]).success).toBe(true);
    expect(API.certificates.list.args.safeParse([{ refresh: true }]).success).toBe(true);
    expect(API.certificates.list.args.safeParse([{ refresh: 'yes' }]).success).toBe(false);
    expect(API.accounts.add.args.safeParse([{ provider: 'cdnpro', name: 'P', endpoint: 'https://x', secret: '' }]).success).toBe(false);
    expect(API.accounts.add.args.safeParse([{ provider: 'akamai', name: 'P', endpoint: 'https://x', secret: 's' }]).success).toBe(false);
    expect(API.deployments.start.args.safeParse([{ account: 'A', certificate: 'c', env: 'production', action: 'deploy', version: 0 }]).success).toBe(false);
    expect(API.deployments.start.args.safeParse([{ account: 'A', certificate: 'c', env: 'production', action: 'destroy' }]).success).toBe(false);
    expect(API.deployments.start.args.safeParse([{ account: '  ', certificate: 'c', env: 'production', action: 'undeploy' }]).success).toBe(false);
    expect(API.tasks.retry.args.safeParse([{ id: 'x; rm -rf' }]).success).toBe(false);
    expect(API.keys.export.args.safeParse([{ id: 'k_0123456789abcdef', format: 'pkcs8-encrypted', password: '' }]).success).toBe(false);
    expect(API.keys.export.args.safeParse([{ id: 'k_0123456789abcdef', format: 'pem', password: 'pw' }]).success).toBe(false);
  });

  it('version material is files or a self-signed placeholder, never a key by value', () => {
    const target = { account: 'Sandbox', certificate: 'www' };
    const files = { kind: 'files', files: [{ name: 'a.pem', bytes: new Uint8Array(1) }] };
    expect(API.versions.add.args.safeParse([{ ...target, material: files }]).success).toBe(true);
    expect(API.versions.add.args.safeParse([{ ...target, material: { kind: 'self-signed', commonName: 'www.example.com', sans: ['example.com'], keyType: 'ec-p256' } }]).success).toBe(true);
    expect(API.versions.add.args.safeParse([{ ...target, material: { kind: 'self-signed', commonName: '', sans: [], keyType: 'ec-p256' } }]).success).toBe(false);
    expect(API.versions.add.args.safeParse([{ ...target, material: { kind: 'key', privateKeyPem: '-----BEGIN PRIVATE KEY-----' } }]).success).toBe(false);
    expect(API.versions.add.args.safeParse([{ ...target, material: { ...files, privateKeyPem: 'x' } }]).success).toBe(false);
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
    // A re-key names the certificate the signed result is for: both ids, nothing else.
    const target = { account: 'a_0123456789abcdef', certificate: 'c1' };
    expect(API.csr.create.args.safeParse([{ ...names, newKeyType: 'ec-p256', target }]).success).toBe(true);
    expect(API.csr.create.args.safeParse([{ ...names, keyId: 'k_0123456789abcdef', target }]).success).toBe(true);
    expect(API.csr.create.args.safeParse([{ ...names, newKeyType: 'ec-p256', target: { account: 'a' } }]).success).toBe(false);
    expect(API.csr.create.args.safeParse([{ ...names, newKeyType: 'ec-p256', target: { ...target, keyPem: 'x' } }]).success).toBe(false);
  });
});
