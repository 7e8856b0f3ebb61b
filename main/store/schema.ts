/**
 * The shape of the app store (`config.json` in the data directory) and a hand-written validator.
 *
 * The validator stands in for conf's `schema` option: ajv's import and schema compile cost tens of
 * milliseconds on every CLI start (numbers in store.ts). It checks every field Certdesk reads and
 * lets unknown fields through, so a store written by a newer Certdesk still opens.
 */
import { KEY_TYPES, type KeyType, type San } from '../../shared/pki-types.js';

/** The store layout version this code writes (conf's projectVersion is `${STORE_SCHEMA_VERSION}.0.0`). */
export const STORE_SCHEMA_VERSION = 2;

/** One upload of a key to a provider: the key-custody record. */
export interface KeyUpload {
  readonly provider: string;
  readonly account: string;
  readonly certificate: string;
  readonly version: number;
  /** ISO 8601 UTC. */
  readonly at: string;
}

/** A private key held in the vault, as the store describes it (never the key itself). */
export interface KeyRecord {
  /** Vault key id, `k_` + 16 hex digits. */
  readonly id: string;
  readonly algorithm: 'RSA' | 'EC';
  /** RSA modulus size. */
  readonly bits?: number;
  /** EC curve, NIST name (`P-256`). */
  readonly curve?: string;
  readonly keyType: KeyType;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly spkiSha256: string;
  readonly label: string;
  /** ISO 8601 UTC without milliseconds. */
  readonly createdAt: string;
  readonly source: 'generated' | 'imported';
  readonly uploads: readonly KeyUpload[];
}

/** A CSR waiting for its CA. */
export interface PendingRequest {
  readonly id: string;
  readonly keyId: string;
  /** The subject DN as printed (`CN=example.com, O=Example`). */
  readonly subject: string;
  readonly sans: readonly San[];
  readonly createdAt: string;
  /** The certificate the signed result is meant for, when known. */
  readonly target?: { readonly account: string; readonly certificate: string };
}

/** Providers an account can belong to. */
export const PROVIDER_KINDS = ['cdnpro', 'apinizer', 'gcore'] as const;

/** A provider an account belongs to. */
export type AccountProvider = (typeof PROVIDER_KINDS)[number];

/** A provider account. Its secret (API key, token) lives in the OS keychain only, under `certdesk` / `account:<id>`. */
export interface AccountRecord {
  /** `a_` + 16 hex digits; random, so keychain entries of two data directories never collide. */
  readonly id: string;
  /** Display name, unique per data directory (compared case-insensitively). */
  readonly name: string;
  readonly provider: AccountProvider;
  /** Base URL (https, or http to a loopback address). */
  readonly endpoint: string;
  /** API user (CDN Pro). */
  readonly user?: string;
  /** Project (Apinizer). */
  readonly project?: string;
  /** The provider's id for this account's customer: certificates owned by anyone else are "not-owner". */
  readonly customerId?: string;
  /** Environments to deploy to (Apinizer's are user-defined names). */
  readonly environments?: readonly string[];
  /** Gcore only: CDN certificates (`cdn`, the default) or web security resources (`protection`). */
  readonly mode?: 'cdn' | 'protection';
  /** The embedded CDN Pro sandbox, not a real provider. */
  readonly isSandbox: boolean;
  readonly createdAt: string;
}

/** A certificate as last seen on its provider (the inventory cache). */
export interface CachedCertificate {
  /** The provider's id. */
  readonly id: string;
  readonly name: string;
  /** The owning customer's id, or null when the provider does not say. */
  readonly owner: string | null;
  readonly latestVersion: number | null;
  readonly autoRenew: boolean;
  /** Expiry of the latest version. */
  readonly expiresAt: string | null;
  /** Environment → version deployed there. */
  readonly deployed: Readonly<Record<string, number>>;
  /** Environment → expiry of what is deployed there. */
  readonly deployedExpiresAt: Readonly<Record<string, string>>;
}

/** One account's certificates, as of `refreshedAt`. */
export interface InventoryEntry {
  /** Account id. */
  readonly account: string;
  readonly refreshedAt: string;
  readonly certificates: readonly CachedCertificate[];
}

/** How a version came to be. */
export type VersionSource = 'uploaded' | 'generated' | 'renewed';

/**
 * One immutable version of a certificate. For providers that keep no versions (Apinizer, Gcore)
 * these records ARE the history; for CDN Pro they add what Certdesk knows locally (PEM, key id,
 * SPKI, source) to the provider's own versions, or cache a version's details read from it.
 */
export interface VersionRecord {
  /** Account id. */
  readonly account: string;
  /** The certificate's provider id. */
  readonly certificate: string;
  readonly version: number;
  readonly source: VersionSource;
  readonly createdAt: string;
  /** Leaf PEM, when known locally. */
  readonly leafPem: string | null;
  /** Intermediates PEM (issued-to-issuer order, no root); '' for none; null when unknown. */
  readonly chainPem: string | null;
  /** The vault key of this version, when Certdesk holds it. */
  readonly keyId: string | null;
  /** SHA-256 of the leaf DER (lowercase hex), or the provider's fingerprint. */
  readonly fingerprint: string | null;
  readonly spkiSha256: string | null;
  readonly subject: string;
  readonly sans: readonly San[];
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  /** e.g. `RSA 2048`, `EC P-256`. */
  readonly keyAlgorithm: string | null;
  readonly comment: string;
}

/** A deployment task's state. */
export type TaskRecordStatus = 'waiting' | 'inprogress' | 'succeeded' | 'failed';

/** Why a task failed (never a secret). */
export interface TaskError {
  readonly code: string;
  readonly message: string;
  readonly httpStatus?: number;
  readonly providerCode?: string;
  readonly requestId?: string;
}

/** A deploy or undeploy, persisted before the provider is called and followed to its end. */
export interface TaskRecord {
  /** `t_` + 16 hex digits. */
  readonly id: string;
  /** Account id. */
  readonly account: string;
  /** The certificate's provider id. */
  readonly certificate: string;
  readonly certificateName: string;
  readonly env: string;
  readonly action: 'deploy' | 'undeploy';
  readonly version: number | null;
  readonly status: TaskRecordStatus;
  /** 0–100, estimated. */
  readonly progress: number;
  readonly providerTaskId: string | null;
  readonly submittedAt: string;
  readonly finishedAt: string | null;
  readonly detail: string | null;
  readonly error: TaskError | null;
  readonly updatedAt: string;
}

/** Everything in the store. */
export interface StoreData {
  readonly schemaVersion: number;
  readonly keys: readonly KeyRecord[];
  readonly pendingRequests: readonly PendingRequest[];
  readonly accounts: readonly AccountRecord[];
  readonly inventory: readonly InventoryEntry[];
  readonly versions: readonly VersionRecord[];
  readonly tasks: readonly TaskRecord[];
  /** The default "Sandbox" account was created once (it is not re-created after the user removes it). */
  readonly sandboxProvisioned: boolean;
}

/** Store fields services read and write (`schemaVersion` is managed by migrations). */
export type StoreKey = Exclude<keyof StoreData, 'schemaVersion'>;

/** A fresh store's contents. */
export function emptyStoreData(): StoreData {
  return {
    schemaVersion: STORE_SCHEMA_VERSION,
    keys: [],
    pendingRequests: [],
    accounts: [],
    inventory: [],
    versions: [],
    tasks: [],
    sandboxProvisioned: false,
  };
}

const HEX64 = /^[0-9a-f]{64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const SAN_TYPES = new Set(['dns', 'ip', 'email', 'uri', 'other']);

type Check = (value: unknown, path: string, issues: string[]) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str: Check = (v, p, i) => {
  if (typeof v !== 'string') i.push(`${p} must be a string`);
};
const nonEmpty: Check = (v, p, i) => {
  if (typeof v !== 'string' || v.length === 0) i.push(`${p} must be a non-empty string`);
};
const time: Check = (v, p, i) => {
  if (typeof v !== 'string' || !ISO_TIME.test(v) || Number.isNaN(Date.parse(v))) i.push(`${p} must be an ISO 8601 UTC time`);
};
const positiveInt: Check = (v, p, i) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) i.push(`${p} must be a non-negative integer`);
};
const optional =
  (check: Check): Check =>
  (v, p, i) => {
    if (v !== undefined) check(v, p, i);
  };
const oneOf =
  (values: readonly string[]): Check =>
  (v, p, i) => {
    if (typeof v !== 'string' || !values.includes(v)) i.push(`${p} must be one of ${values.join(', ')}`);
  };
const arrayOf =
  (check: Check): Check =>
  (v, p, i) => {
    if (!Array.isArray(v)) {
      i.push(`${p} must be an array`);
      return;
    }
    v.forEach((item, n) => check(item, `${p}[${n}]`, i));
  };
const object =
  (fields: Readonly<Record<string, Check>>, extra?: (o: Record<string, unknown>, p: string, i: string[]) => void): Check =>
  (v, p, i) => {
    if (!isObject(v)) {
      i.push(`${p} must be an object`);
      return;
    }
    for (const [name, check] of Object.entries(fields)) check(v[name], `${p}.${name}`, i);
    extra?.(v, p, i);
  };

const upload = object({ provider: nonEmpty, account: nonEmpty, certificate: nonEmpty, version: positiveInt, at: time });

const keyRecord = object(
  {
    id: (v, p, i) => {
      if (typeof v !== 'string' || !/^k_[0-9a-f]{16}$/.test(v)) i.push(`${p} must be a vault key id (k_ and 16 hex digits)`);
    },
    algorithm: oneOf(['RSA', 'EC']),
    bits: optional(positiveInt),
    curve: optional(nonEmpty),
    keyType: oneOf(KEY_TYPES),
    spkiSha256: (v, p, i) => {
      if (typeof v !== 'string' || !HEX64.test(v)) i.push(`${p} must be 64 lowercase hex digits`);
    },
    label: str,
    createdAt: time,
    source: oneOf(['generated', 'imported']),
    uploads: arrayOf(upload),
  },
  (o, p, i) => {
    if (o.algorithm === 'RSA' && o.bits === undefined) i.push(`${p}.bits is required for an RSA key`);
    if (o.algorithm === 'EC' && o.curve === undefined) i.push(`${p}.curve is required for an EC key`);
  },
);

const san = object({
  type: (v, p, i) => {
    if (typeof v !== 'string' || !SAN_TYPES.has(v)) i.push(`${p} must be one of ${[...SAN_TYPES].join(', ')}`);
  },
  value: str,
});

const pendingRequest = object({
  id: nonEmpty,
  keyId: nonEmpty,
  subject: str,
  sans: arrayOf(san),
  createdAt: time,
  target: optional(object({ account: nonEmpty, certificate: nonEmpty })),
});

const nullable =
  (check: Check): Check =>
  (v, p, i) => {
    if (v !== null) check(v, p, i);
  };
const bool: Check = (v, p, i) => {
  if (typeof v !== 'boolean') i.push(`${p} must be true or false`);
};
const recordOf =
  (check: Check): Check =>
  (v, p, i) => {
    if (!isObject(v)) {
      i.push(`${p} must be an object`);
      return;
    }
    for (const [k, item] of Object.entries(v)) check(item, `${p}.${k}`, i);
  };
const pattern =
  (re: RegExp, what: string): Check =>
  (v, p, i) => {
    if (typeof v !== 'string' || !re.test(v)) i.push(`${p} must be ${what}`);
  };

const accountRecord = object({
  id: pattern(/^a_[0-9a-f]{16}$/, 'an account id (a_ and 16 hex digits)'),
  name: nonEmpty,
  provider: oneOf(PROVIDER_KINDS),
  endpoint: nonEmpty,
  user: optional(str),
  project: optional(str),
  customerId: optional(str),
  environments: optional(arrayOf(nonEmpty)),
  mode: optional(oneOf(['cdn', 'protection'])),
  isSandbox: bool,
  createdAt: time,
});

const cachedCertificate = object({
  id: nonEmpty,
  name: str,
  owner: nullable(str),
  latestVersion: nullable(positiveInt),
  autoRenew: bool,
  expiresAt: nullable(time),
  deployed: recordOf(positiveInt),
  deployedExpiresAt: recordOf(time),
});

const inventoryEntry = object({ account: nonEmpty, refreshedAt: time, certificates: arrayOf(cachedCertificate) });

const versionRecord = object({
  account: nonEmpty,
  certificate: nonEmpty,
  version: positiveInt,
  source: oneOf(['uploaded', 'generated', 'renewed']),
  createdAt: time,
  leafPem: nullable(str),
  chainPem: nullable(str),
  keyId: nullable(nonEmpty),
  fingerprint: nullable(pattern(/^[0-9a-f]+$/, 'lowercase hex')),
  spkiSha256: nullable(pattern(HEX64, '64 lowercase hex digits')),
  subject: str,
  sans: arrayOf(san),
  notBefore: nullable(time),
  notAfter: nullable(time),
  keyAlgorithm: nullable(str),
  comment: str,
});

const taskError = object({
  code: nonEmpty,
  message: str,
  httpStatus: optional(positiveInt),
  providerCode: optional(str),
  requestId: optional(str),
});

const taskRecord = object(
  {
    id: pattern(/^t_[0-9a-f]{16}$/, 'a task id (t_ and 16 hex digits)'),
    account: nonEmpty,
    certificate: nonEmpty,
    certificateName: str,
    env: nonEmpty,
    action: oneOf(['deploy', 'undeploy']),
    version: nullable(positiveInt),
    status: oneOf(['waiting', 'inprogress', 'succeeded', 'failed']),
    progress: (v, p, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) i.push(`${p} must be a number from 0 to 100`);
    },
    providerTaskId: nullable(nonEmpty),
    submittedAt: time,
    finishedAt: nullable(time),
    detail: nullable(str),
    error: nullable(taskError),
    updatedAt: time,
  },
  (o, p, i) => {
    if (o.action === 'deploy' && o.version === null) i.push(`${p}.version is required for a deploy`);
  },
);

/** Reports repeats of `key(item)` in the array field `field`. */
function unique(o: Record<string, unknown>, p: string, i: string[], field: string, key: (item: Record<string, unknown>) => string, what: string): void {
  const items = Array.isArray(o[field]) ? (o[field] as unknown[]) : [];
  const seen = new Set<string>();
  items.forEach((item, n) => {
    if (!isObject(item)) return;
    const k = key(item);
    if (seen.has(k)) i.push(`${p}.${field}[${n}] repeats the ${what} ${k}`);
    seen.add(k);
  });
}

const storeData = object(
  {
    schemaVersion: positiveInt,
    keys: arrayOf(keyRecord),
    pendingRequests: arrayOf(pendingRequest),
    accounts: arrayOf(accountRecord),
    inventory: arrayOf(inventoryEntry),
    versions: arrayOf(versionRecord),
    tasks: arrayOf(taskRecord),
    sandboxProvisioned: bool,
  },
  (o, p, i) => {
    const keys = Array.isArray(o.keys) ? (o.keys as unknown[]) : [];
    const seen = new Set<unknown>();
    keys.forEach((k, n) => {
      const id = isObject(k) ? k.id : undefined;
      if (seen.has(id)) i.push(`${p}.keys[${n}].id repeats the key id ${String(id)}`);
      seen.add(id);
    });
    unique(o, p, i, 'accounts', (a) => String(a.id), 'account id');
    unique(o, p, i, 'accounts', (a) => String(a.name).toLowerCase(), 'account name');
    unique(o, p, i, 'inventory', (e) => String(e.account), 'inventory of account');
    unique(o, p, i, 'versions', (v) => `${String(v.account)}/${String(v.certificate)}/${String(v.version)}`, 'version');
    unique(o, p, i, 'tasks', (t) => String(t.id), 'task id');
  },
);

/** The problems that stop `data` from being a valid store (empty when it is one), as `path message` lines. */
export function storeIssues(data: unknown): string[] {
  const issues: string[] = [];
  storeData(data, '$', issues);
  return issues.map((issue) => (issue.startsWith('$ ') ? `the store${issue.slice(1)}` : issue.replace(/^\$\./, '')));
}

/** True when `data` is a valid store. */
export function isStoreData(data: unknown): data is StoreData {
  return storeIssues(data).length === 0;
}
