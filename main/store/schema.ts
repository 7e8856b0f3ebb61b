/**
 * The shape of the app store (`config.json` in the data directory) and a hand-written validator.
 *
 * The validator stands in for conf's `schema` option: ajv's import and schema compile cost tens of
 * milliseconds on every CLI start (numbers in store.ts). It checks every field Certdesk reads and
 * lets unknown fields through, so a store written by a newer Certdesk still opens.
 */
import { KEY_TYPES, type KeyType, type San } from '../../shared/pki-types.js';

/** The store layout version this code writes (conf's projectVersion is `${STORE_SCHEMA_VERSION}.0.0`). */
export const STORE_SCHEMA_VERSION = 1;

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

/** Everything in the store. Later layouts add accounts, certificates and tasks through migrations. */
export interface StoreData {
  readonly schemaVersion: number;
  readonly keys: readonly KeyRecord[];
  readonly pendingRequests: readonly PendingRequest[];
}

/** Store fields services read and write (`schemaVersion` is managed by migrations). */
export type StoreKey = Exclude<keyof StoreData, 'schemaVersion'>;

/** A fresh store's contents. */
export function emptyStoreData(): StoreData {
  return { schemaVersion: STORE_SCHEMA_VERSION, keys: [], pendingRequests: [] };
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

const storeData = object(
  { schemaVersion: positiveInt, keys: arrayOf(keyRecord), pendingRequests: arrayOf(pendingRequest) },
  (o, p, i) => {
    const keys = Array.isArray(o.keys) ? (o.keys as unknown[]) : [];
    const seen = new Set<unknown>();
    keys.forEach((k, n) => {
      const id = isObject(k) ? k.id : undefined;
      if (seen.has(id)) i.push(`${p}.keys[${n}].id repeats the key id ${String(id)}`);
      seen.add(id);
    });
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
