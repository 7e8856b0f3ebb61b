/**
 * Keys as a use case: generate or import a private key into the vault, list and delete keys,
 * record where a key was uploaded (key custody), and hand the private key to main-process code.
 *
 * The store holds each key's public description (`KeyRecord`); the vault holds the sealed key.
 * Records are safe to show anywhere; `getPrivateKey` is for main-process code only and its result
 * must never be serialised.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { CertdeskError, isCertdeskError } from '../../shared/errors.js';
import { KEY_TYPES, type KeyType } from '../../shared/pki-types.js';
import { generateKey as generateKeyDefault, keyTypeOf } from '../pki/keygen.js';
import { describePublicKey, spkiSha256 } from '../pki/keys.js';
import type { KeyRecord, KeyUpload, PendingRequest } from '../store/schema.js';
import type { AppStore } from '../store/store.js';
import type { KeyVault } from '../vault/vault.js';
import type { AuditEventInput, AuditLog } from './audit-log.js';

/** What the key service needs. */
export interface KeyServiceDeps {
  readonly vault: KeyVault;
  readonly store: AppStore;
  readonly audit: AuditLog;
  readonly now: () => Date;
  /** Key generation; defaults to `generateKey` from `main/pki/keygen.ts`. */
  readonly generateKey?: (type: KeyType) => Promise<KeyObject>;
  /** Receives problems that do not fail the operation (an audit line that could not be written). */
  readonly onWarning?: (message: string) => void;
}

/** What `import` returns: the record, and whether the key was already in the vault. */
export type ImportedKey = KeyRecord & { readonly existing: boolean };

/** A key as the CLI prints it (`generate`, `import`, `list`). */
export interface KeySummary {
  readonly id: string;
  readonly algorithm: 'RSA' | 'EC';
  readonly bits?: number;
  readonly curve?: string;
  readonly spkiSha256: string;
  readonly label: string;
  readonly createdAt: string;
}

/** What `reconcile` found and did. */
export interface ReconcileResult {
  /** Sealed keys that had no record and now have one. */
  readonly adopted: readonly KeyRecord[];
  /** Records whose sealed file is gone. */
  readonly missing: readonly string[];
  /** Sealed keys left alone, with the reason. */
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
}

/** Key use cases over the vault and the store. */
export interface KeyService {
  /** Generates a key of `type` in the vault and records it. */
  generate(type: KeyType, label?: string): Promise<KeyRecord>;
  /** Puts an existing private key in the vault; a key already there (same SPKI) is not stored twice. */
  import(key: KeyObject, label?: string): Promise<ImportedKey>;
  /** Every key record, oldest first. */
  list(): Promise<KeyRecord[]>;
  /** One record, or `KEY_NOT_FOUND`. */
  get(id: string): Promise<KeyRecord>;
  /** Deletes the sealed key and its record; refuses (`CONFLICT`) while CSRs wait on it unless `force`. */
  delete(id: string, options?: { readonly force?: boolean }): Promise<void>;
  /** The private key itself, for main-process code only (never serialise it). */
  getPrivateKey(id: string): Promise<KeyObject>;
  /** The record of the key with this SPKI SHA-256, if any. */
  findBySpki(spkiSha256: string): Promise<KeyRecord | undefined>;
  /** Seals a key made in main (e.g. for a CSR built before the key is kept) and records it as generated. */
  adopt(key: KeyObject, label?: string): Promise<KeyRecord>;
  /** Records a CSR waiting for its CA. */
  addPendingRequest(request: Omit<PendingRequest, 'id' | 'createdAt'>): Promise<PendingRequest>;
  /** The CSRs waiting for their CA, oldest first. */
  listPendingRequests(): Promise<PendingRequest[]>;
  /** Ends the requests waiting on a key: its signed certificate became `version`. Returns how many ended. */
  fulfilPendingRequests(keyId: string, version: string): Promise<number>;
  /** Audits an explicit export of a key to a file the user named. */
  recordExport(id: string, format: string, file: string): Promise<void>;
  /** Adds a key-custody entry: the key was uploaded to a provider. */
  recordUpload(id: string, upload: Omit<KeyUpload, 'at'>): Promise<KeyRecord>;
  /** Matches sealed files to records: adopts sealed keys without a record (after a store was recovered). */
  reconcile(): Promise<ReconcileResult>;
}

const MAX_LABEL = 200;

/** The CLI's view of a key record. */
export function keySummary(record: KeyRecord): KeySummary {
  return {
    id: record.id,
    algorithm: record.algorithm,
    ...(record.bits !== undefined ? { bits: record.bits } : {}),
    ...(record.curve !== undefined ? { curve: record.curve } : {}),
    spkiSha256: record.spkiSha256,
    label: record.label,
    createdAt: record.createdAt,
  };
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function checkLabel(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const trimmed = label.trim();
  if (trimmed.length > MAX_LABEL) {
    throw new CertdeskError('INVALID_ARGUMENT', `The key label is ${trimmed.length} characters long; the most is ${MAX_LABEL}.`);
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new CertdeskError('INVALID_ARGUMENT', 'The key label contains control characters (such as a newline or tab).');
  }
  return trimmed === '' ? undefined : trimmed;
}

/** The public facts of a private key Certdesk keeps; `UNSUPPORTED_ALGORITHM` for any other key. */
function keyFacts(key: KeyObject): Pick<KeyRecord, 'algorithm' | 'bits' | 'curve' | 'keyType' | 'spkiSha256'> {
  const keyType = keyTypeOf(key);
  const info = describePublicKey(key);
  if (keyType === null || (info.algorithm !== 'RSA' && info.algorithm !== 'EC')) {
    const what =
      info.algorithm === 'RSA' || info.algorithm === 'RSA-PSS'
        ? `${info.algorithm} ${info.bits}`
        : info.algorithm === 'EC'
          ? `EC ${info.curve}`
          : info.algorithm === 'unknown'
            ? info.oid
            : info.algorithm;
    throw new CertdeskError(
      'UNSUPPORTED_ALGORITHM',
      `Certdesk keeps RSA 2048/3072/4096 and ECDSA P-256/P-384 private keys (${KEY_TYPES.join(', ')}); this key is ${what}.`,
    );
  }
  return info.algorithm === 'RSA'
    ? { algorithm: 'RSA', bits: info.bits, keyType, spkiSha256: spkiSha256(key) }
    : { algorithm: 'EC', curve: info.curve, keyType, spkiSha256: spkiSha256(key) };
}

/** The key service. */
export function createKeyService(deps: KeyServiceDeps): KeyService {
  const { vault, store, audit, now } = deps;
  const generateKey = deps.generateKey ?? generateKeyDefault;

  const log = async (event: AuditEventInput): Promise<void> => {
    try {
      await audit.append(event);
    } catch (err) {
      // The action itself happened; failing it now would invite a retry that repeats it.
      const message = `Could not write the audit log ${audit.path}: ${(err as Error).message}`;
      if (deps.onWarning) deps.onWarning(message);
      else process.emitWarning(message, { code: 'CERTDESK_AUDIT' });
    }
  };

  const failure = (err: unknown): string =>
    isCertdeskError(err) ? `${err.code}: ${err.message}` : `INTERNAL: ${(err as Error).message ?? String(err)}`;

  const records = (): KeyRecord[] => [...store.get('keys')];

  const find = (id: string): KeyRecord => {
    const record = records().find((r) => r.id === id);
    if (!record) {
      // The CLI adds its command (main/cli/hints.ts); the app shows the key list itself.
      throw new CertdeskError('KEY_NOT_FOUND', `There is no key ${id}; the key list shows the keys Certdesk holds.`, {
        keyId: id,
        reason: 'key-not-found',
      });
    }
    return record;
  };

  /** Seals `key` and records it; a record is only written once the sealed file exists, and vice versa. */
  const add = async (
    key: KeyObject,
    facts: ReturnType<typeof keyFacts>,
    source: KeyRecord['source'],
    label: string | undefined,
  ): Promise<KeyRecord> => {
    const createdAt = isoSeconds(now());
    const id = await vault.put(key);
    const record: KeyRecord = {
      id,
      ...facts,
      label: label ?? `${facts.keyType} key, ${source} ${createdAt.slice(0, 10)}`,
      createdAt,
      source,
      uploads: [],
    };
    try {
      store.update('keys', (keys) => [...keys, record]);
    } catch (err) {
      await vault.delete(id).catch(() => undefined);
      throw err;
    }
    return record;
  };

  return {
    async generate(type, label) {
      if (!(KEY_TYPES as readonly string[]).includes(type)) {
        throw new CertdeskError('INVALID_ARGUMENT', `Unknown key type "${String(type)}": use one of ${KEY_TYPES.join(', ')}.`);
      }
      const cleanLabel = checkLabel(label);
      try {
        // Generating and reaching the keychain overlap: an RSA key takes a while, so does D-Bus.
        const [key] = await Promise.all([generateKey(type), vault.unlock?.()]);
        const record = await add(key, keyFacts(key), 'generated', cleanLabel);
        await log({ action: 'key.generate', target: record.id, outcome: 'success', detail: `${type} ${record.spkiSha256}` });
        return record;
      } catch (err) {
        await log({ action: 'key.generate', target: type, outcome: 'failure', detail: failure(err) });
        throw err;
      }
    },

    async import(key, label) {
      if (key.type !== 'private') {
        throw new CertdeskError('INVALID_ARGUMENT', `Only a private key can be imported into the vault, not a ${key.type} key.`);
      }
      const cleanLabel = checkLabel(label);
      const facts = keyFacts(key);
      const existing = records().find((r) => r.spkiSha256 === facts.spkiSha256);
      if (existing) {
        await log({
          action: 'key.import',
          target: existing.id,
          outcome: 'success',
          detail: `already in the vault as ${existing.id} (${existing.spkiSha256}); not stored again`,
        });
        return { ...existing, existing: true };
      }
      try {
        const record = await add(key, facts, 'imported', cleanLabel);
        await log({ action: 'key.import', target: record.id, outcome: 'success', detail: `${record.keyType} ${record.spkiSha256}` });
        return { ...record, existing: false };
      } catch (err) {
        await log({ action: 'key.import', target: facts.spkiSha256, outcome: 'failure', detail: failure(err) });
        throw err;
      }
    },

    async adopt(key, label) {
      if (key.type !== 'private') {
        throw new CertdeskError('INVALID_ARGUMENT', `Only a private key goes into the vault, not a ${key.type} key.`);
      }
      const cleanLabel = checkLabel(label);
      const facts = keyFacts(key);
      try {
        const record = await add(key, facts, 'generated', cleanLabel);
        await log({ action: 'key.generate', target: record.id, outcome: 'success', detail: `${record.keyType} ${record.spkiSha256}` });
        return record;
      } catch (err) {
        await log({ action: 'key.generate', target: facts.keyType, outcome: 'failure', detail: failure(err) });
        throw err;
      }
    },

    async addPendingRequest(request) {
      find(request.keyId);
      const pending: PendingRequest = { ...request, id: `r_${randomBytes(8).toString('hex')}`, createdAt: isoSeconds(now()) };
      store.update('pendingRequests', (all) => [...all, pending]);
      await log({ action: 'csr.create', target: request.keyId, outcome: 'success', detail: pending.subject });
      return pending;
    },

    async listPendingRequests() {
      return [...store.get('pendingRequests')];
    },

    async fulfilPendingRequests(keyId, version) {
      const answered = store.get('pendingRequests').filter((r) => r.keyId === keyId);
      if (answered.length === 0) return 0;
      store.update('pendingRequests', (all) => all.filter((r) => r.keyId !== keyId));
      for (const r of answered) await log({ action: 'csr.fulfil', target: keyId, outcome: 'success', detail: `${r.subject} → ${version}` });
      return answered.length;
    },

    async recordExport(id, format, file) {
      find(id);
      await log({ action: 'key.export', target: id, outcome: 'success', detail: `${format} to ${file}` });
    },

    async list() {
      return records();
    },

    async get(id) {
      return find(id);
    },

    async delete(id, options = {}) {
      const record = records().find((r) => r.id === id);
      if (!record) {
        // A sealed file without a record (left by a crash or a recovered store) can still be removed.
        if (await vault.delete(id)) {
          await log({ action: 'key.delete', target: id, outcome: 'success', detail: 'sealed file without a record' });
          return;
        }
        find(id);
        return;
      }
      const waiting = store.get('pendingRequests').filter((r: PendingRequest) => r.keyId === id);
      if (waiting.length > 0 && options.force !== true) {
        // How to delete anyway is the front end's to say: the app asks again, the CLI names --force.
        throw new CertdeskError(
          'CONFLICT',
          `Key ${id} is the key of ${waiting.length} certificate request(s) still waiting for their CA (${waiting
            .map((r) => r.subject)
            .join('; ')}); the certificates they bring back would be useless without it.`,
          { keyId: id },
        );
      }
      if (waiting.length > 0) store.update('pendingRequests', (all) => all.filter((r) => r.keyId !== id));
      store.update('keys', (keys) => keys.filter((r) => r.id !== id));
      try {
        await vault.delete(id);
      } catch (err) {
        await log({ action: 'key.delete', target: id, outcome: 'failure', detail: failure(err) });
        throw err;
      }
      await log({
        action: 'key.delete',
        target: id,
        outcome: 'success',
        detail: `${record.keyType} ${record.spkiSha256}${waiting.length > 0 ? `; dropped ${waiting.length} pending request(s)` : ''}`,
      });
    },

    async getPrivateKey(id) {
      const record = find(id);
      const key = await vault.get(id);
      if (spkiSha256(key) !== record.spkiSha256) {
        throw new CertdeskError(
          'VAULT_KEY_TAMPERED',
          `The sealed key ${id} does not hold the key its record describes (SPKI SHA-256 ${record.spkiSha256}); Certdesk will not use it.`,
          { keyId: id },
        );
      }
      return key;
    },

    async findBySpki(spki) {
      const wanted = spki.toLowerCase();
      return records().find((r) => r.spkiSha256 === wanted);
    },

    async recordUpload(id, upload) {
      find(id);
      const entry: KeyUpload = { ...upload, at: isoSeconds(now()) };
      let updated: KeyRecord | undefined;
      store.update('keys', (keys) =>
        keys.map((r) => {
          if (r.id !== id) return r;
          updated = { ...r, uploads: [...r.uploads, entry] };
          return updated;
        }),
      );
      await log({
        action: 'key.upload',
        target: id,
        outcome: 'success',
        detail: `${upload.provider}/${upload.account}/${upload.certificate} version ${upload.version}`,
      });
      return updated ?? find(id);
    },

    async reconcile() {
      const known = records();
      const sealed = await vault.listIds();
      const adopted: KeyRecord[] = [];
      const skipped: { id: string; reason: string }[] = [];
      for (const id of sealed) {
        if (known.some((r) => r.id === id)) continue;
        try {
          const key = await vault.get(id);
          const facts = keyFacts(key);
          const twin = [...known, ...adopted].find((r) => r.spkiSha256 === facts.spkiSha256);
          if (twin) {
            skipped.push({ id, reason: `the same key is already recorded as ${twin.id}` });
            continue;
          }
          const createdAt = isoSeconds(now());
          adopted.push({ id, ...facts, label: `recovered ${id}`, createdAt, source: 'imported', uploads: [] });
        } catch (err) {
          // A keychain that cannot be reached stops the whole run; a bad file only skips itself.
          if (isCertdeskError(err) && (err.code === 'KEYCHAIN_UNAVAILABLE' || err.code === 'VAULT_KEK_MISMATCH')) throw err;
          skipped.push({ id, reason: failure(err) });
        }
      }
      if (adopted.length > 0) store.update('keys', (keys) => [...keys, ...adopted]);
      for (const record of adopted) {
        await log({ action: 'key.adopt', target: record.id, outcome: 'success', detail: `${record.keyType} ${record.spkiSha256}` });
      }
      const missing: string[] = [];
      for (const record of known) if (!(await vault.has(record.id))) missing.push(record.id);
      return { adopted, missing, skipped };
    },
  };
}
