/**
 * Certificates and their immutable versions: create a certificate or a new version from
 * uploaded material, from a locally generated key with a self-signed placeholder, or from a
 * CA-signed certificate for the pending CSR (key carried over); the CSR of the latest version;
 * the version list of a certificate.
 *
 * Uploads are validated before anything reaches a provider: the leaf's public key must be the
 * given key's (KEY_MISMATCH naming the files), the chain must reach a root (CHAIN_INCOMPLETE
 * naming the file and the missing issuer), the leaf must not have expired; the provider gets the
 * cleaned bundle (leaf, then intermediates in issued-to-issuer order, no root, LF PEM).
 *
 * Keys stay in the vault: a key file is imported, a self-signed placeholder's key is generated
 * there, and every upload of a key to a provider is recorded (key custody). For CDN Pro
 * (`versions: true`) the provider keeps the versions and carries a key over server-side; for
 * providers that keep none (Apinizer, Gcore) the versions live here and reach the provider
 * when deployed. Every action is audited with its outcome.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import type { RekeyTemplate } from '../../shared/api.js';
import { CertdeskError, isCertdeskError } from '../../shared/errors.js';
import type { KeyType, San, SubjectFields } from '../../shared/pki-types.js';
import { fixBundle, toPem } from '../pki/bundle.js';
import { defaultAnchors, verifyChain } from '../pki/chain.js';
import { parseCertificate } from '../pki/cert-model.js';
import { createCsr, subjectFieldsOf } from '../pki/csr.js';
import { inspectCertificate, inspectCsr } from '../pki/inspect.js';
import { spkiSha256 } from '../pki/keys.js';
import { readMaterial } from '../pki/read.js';
import type { ProviderClient, VersionDetail, VersionSummary } from '../providers/types.js';
import type { AccountRecord, CachedCertificate, VersionRecord, VersionSource } from '../store/schema.js';
import type { AppStore } from '../store/store.js';
import type { AccountService } from './account-service.js';
import type { AuditEventInput, AuditLog } from './audit-log.js';
import type { InventoryService } from './inventory-service.js';
import type { KeyService } from './key-service.js';

/** Makes a self-signed certificate (`createSelfSigned` from `main/pki/selfsign.ts`). */
export type SelfSigner = (input: {
  readonly key: KeyObject;
  readonly subject: SubjectFields;
  readonly sans: readonly San[];
  readonly days: number;
  readonly now: Date;
}) => { readonly der: Uint8Array; readonly pem: string };

/** What the version service needs. */
export interface VersionServiceDeps {
  readonly store: AppStore;
  readonly accounts: AccountService;
  readonly inventory: InventoryService;
  readonly keys: KeyService;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly selfSign: SelfSigner;
  /** Trust anchors for chain checks; default: the Mozilla roots bundled with Node.js. */
  readonly anchors?: readonly Uint8Array[];
  readonly onWarning?: (message: string) => void;
}

/** The private key of an upload: a vault key, or a key read from a file. */
export type KeySource = { readonly keyId: string } | { readonly key: KeyObject; readonly file: string };

/** Certificate files a user dropped, and optionally the key. */
export interface UploadMaterial {
  readonly kind: 'upload';
  /** Every certificate of the --cert file, then of the --chain files, each with its file name. */
  readonly certificates: readonly { readonly der: Uint8Array; readonly file: string }[];
  /** Omitted: the latest version's key is kept (a CA-signed certificate for the pending CSR). */
  readonly key?: KeySource;
}

/** A fresh key (generated in the vault) and a self-signed placeholder for it. */
export interface SelfSignedMaterial {
  readonly kind: 'self-signed';
  readonly commonName: string;
  readonly sans: readonly San[];
  readonly keyType: KeyType;
  /** Validity of the placeholder; default 90 days. */
  readonly days?: number;
}

/** What a version is made from. */
export type VersionMaterial = UploadMaterial | SelfSignedMaterial;

/** What creating a certificate or version produced. */
export interface VersionResult {
  readonly account: AccountRecord;
  readonly certificate: CachedCertificate;
  readonly version: VersionRecord;
  /** Things the user should know (root removed from the bundle, chain remarks…). */
  readonly warnings: readonly string[];
}

/** A version as `cert show --json` prints it. */
export interface VersionView {
  readonly version: number;
  readonly source: VersionSource;
  readonly createdAt: string;
  readonly subject: string;
  readonly sans: readonly San[];
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly fingerprint: string | null;
  readonly spkiSha256: string | null;
  readonly keyId: string | null;
  readonly comment: string;
  readonly deployedIn: string[];
}

/** A validated upload, ready to send. */
export interface ValidatedUpload {
  readonly leaf: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly leafFile: string;
  readonly leafPem: string;
  readonly chainPem: string;
  readonly info: ReturnType<typeof inspectCertificate>;
  readonly warnings: string[];
}

/** Version use cases. */
export interface VersionService {
  /** Creates a certificate with its first version. */
  createCertificate(accountRef: string, name: string, material: VersionMaterial, options?: { readonly comment?: string }): Promise<VersionResult>;
  /** Adds a version to a certificate (name or provider id). */
  addVersion(accountRef: string, certificateRef: string, material: VersionMaterial, options?: { readonly comment?: string }): Promise<VersionResult>;
  /** The CSR of the latest version (served by the provider, or built from the vault key). */
  csr(accountRef: string, certificateRef: string): Promise<{ readonly csrPem: string; readonly version: number | null; readonly certificate: CachedCertificate }>;
  /** The versions of a certificate, newest first, with where each is deployed. */
  list(account: AccountRecord, certificate: CachedCertificate, client?: ProviderClient): Promise<VersionView[]>;
  /** A stored version (local history or cache). */
  get(accountId: string, certificateId: string, version: number): VersionRecord | undefined;
  /** The subject, names and key type of the latest version: what a re-key asks the CA for again. */
  rekeyTemplate(accountRef: string, certificateRef: string): Promise<RekeyTemplate>;
}

const DEFAULT_SELF_SIGNED_DAYS = 90;

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function failure(err: unknown): string {
  return isCertdeskError(err) ? `${err.code}: ${err.message}` : `INTERNAL: ${err instanceof Error ? err.message : String(err)}`;
}

/** The name a person calls a certificate by: its CN, else its first SAN, else its subject. */
export function certificateLabel(info: { readonly subject: string; readonly sans: readonly San[] }): string {
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(info.subject)?.[1]?.trim();
  return cn ?? info.sans[0]?.value ?? (info.subject || 'the');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

function keyAlgorithmOf(info: ReturnType<typeof inspectCertificate>): string {
  const pk = info.publicKey;
  if (pk.algorithm === 'RSA' || pk.algorithm === 'RSA-PSS') return `${pk.algorithm} ${pk.bits}`;
  if (pk.algorithm === 'EC') return `EC ${pk.curve}`;
  if (pk.algorithm === 'unknown') return pk.oid;
  return pk.algorithm;
}

/** The key type Certdesk generates that is closest to a certificate's key: as strong where Certdesk offers one, else its strongest of the family. */
export function closestKeyType(der: Uint8Array | null): KeyType {
  if (der === null) return 'ec-p256';
  const key = parseCertificate(der).key;
  if (key.type === 'rsa') return key.bits <= 2048 ? 'rsa-2048' : key.bits <= 3072 ? 'rsa-3072' : 'rsa-4096';
  if (key.type === 'ec') return key.bits <= 256 ? 'ec-p256' : 'ec-p384';
  return 'ec-p256';
}

/** The SANs a new request can carry (as the wizard and `--san` take them), and those it cannot. */
export function requestableSans(sans: readonly San[]): { readonly sans: string[]; readonly omitted: string[] } {
  const out: string[] = [];
  const omitted: string[] = [];
  for (const san of sans) {
    if (san.type === 'dns') out.push(san.value);
    else if (san.type === 'ip' || san.type === 'email') out.push(`${san.type.toUpperCase()}:${san.value}`);
    else omitted.push(`${san.type.toUpperCase()}:${san.value}`);
  }
  return { sans: out, omitted };
}

/**
 * Validates an upload: the bundle is cleaned and must be complete, the leaf must be current,
 * and (when given) `keySpki` must be the leaf's key. Errors name the file at fault.
 */
export function validateUpload(input: {
  readonly certificates: readonly { readonly der: Uint8Array; readonly file: string }[];
  readonly key?: { readonly spkiSha256: string; readonly label: string };
  readonly now: Date;
  readonly anchors?: readonly Uint8Array[];
}): ValidatedUpload {
  if (input.certificates.length === 0) throw new CertdeskError('NOT_A_CERTIFICATE', 'No certificate was given');
  const anchors = input.anchors ?? defaultAnchors();
  const bundle = fixBundle({ certificates: input.certificates.map((c) => c.der), anchors });
  const leafFile = input.certificates.find((c) => sameBytes(c.der, bundle.leaf))?.file ?? input.certificates[0]?.file ?? 'the certificate';
  const info = inspectCertificate(bundle.leaf, leafFile);
  const label = certificateLabel(info);
  if (input.key !== undefined && input.key.spkiSha256 !== info.spkiSha256) {
    throw new CertdeskError('KEY_MISMATCH', `The private key in ${input.key.label} does not belong to ${label}'s certificate (${leafFile}).`, {
      file: input.key.label,
    });
  }
  const incomplete = bundle.findings.find((f) => f.code === 'CHAIN_INCOMPLETE');
  if (incomplete !== undefined) {
    const files = [...new Set(input.certificates.map((c) => c.file))].join(', ');
    throw new CertdeskError(
      'CHAIN_INCOMPLETE',
      `${leafFile}: the chain of ${label}'s certificate is incomplete (${incomplete.message}; files read: ${files}). Add the CA's intermediate certificates (the chain file your CA sent) with the certificate.`,
      { file: leafFile },
    );
  }
  const notAfter = Date.parse(info.notAfter);
  if (notAfter <= input.now.getTime()) {
    throw new CertdeskError('CERTIFICATE_INVALID', `${leafFile}: ${label}'s certificate expired on ${info.notAfter}; providers refuse expired certificates. Upload a current one.`, {
      file: leafFile,
    });
  }
  const warnings: string[] = [];
  if (Date.parse(info.notBefore) > input.now.getTime()) warnings.push(`${leafFile}: ${label}'s certificate is not valid before ${info.notBefore}`);
  for (const r of bundle.removed) warnings.push(`left out of the upload: ${r.reason}`);
  for (const f of bundle.findings) if (f.severity === 'warning' && f.code !== 'ROOT_INCLUDED' && f.code !== 'DUPLICATE_CERTIFICATE' && f.code !== 'EXTRA_CERTIFICATE') warnings.push(f.message);
  if (!info.selfSigned) {
    // The bundle links by signature; a full validation adds expiry, usage and name remarks.
    const roots = bundle.removed.map((r) => r.der).filter((der) => {
      try {
        const c = new X509Certificate(der);
        return c.checkIssued(c);
      } catch {
        return false;
      }
    });
    const result = verifyChain({ leaf: bundle.leaf, pool: bundle.chain, anchors: [...anchors, ...roots], at: input.now });
    for (const e of result.errors) warnings.push(`chain check: ${e.message}`);
  }
  return {
    leaf: bundle.leaf,
    chain: bundle.chain,
    leafFile,
    leafPem: toPem(bundle.leaf),
    chainPem: bundle.chain.map(toPem).join(''),
    info,
    warnings,
  };
}

/** The SPKI SHA-256 of the key in a CSR (PEM). */
function csrSpki(csrPem: string): string {
  const objects = readMaterial(Buffer.from(csrPem, 'utf8'), { fileName: 'the provider CSR' });
  const csr = objects.find((o) => o.kind === 'csr');
  if (csr === undefined) throw new CertdeskError('CSR_INVALID', 'The provider returned no CSR');
  return inspectCsr(csr.der, 'the provider CSR').spkiSha256;
}

function sanOf(value: string): San {
  return isIP(value) !== 0 ? { type: 'ip', value } : { type: 'dns', value };
}

/** The version service. */
export function createVersionService(deps: VersionServiceDeps): VersionService {
  const { store, accounts, inventory, keys, audit, now } = deps;

  const log = async (event: AuditEventInput): Promise<void> => {
    try {
      await audit.append(event);
    } catch (err) {
      const message = `Could not write the audit log ${audit.path}: ${(err as Error).message}`;
      if (deps.onWarning) deps.onWarning(message);
      else process.emitWarning(message, { code: 'CERTDESK_AUDIT' });
    }
  };

  const stored = (accountId: string, certificateId: string): VersionRecord[] =>
    store.get('versions').filter((v) => v.account === accountId && v.certificate === certificateId);

  const saveVersion = (record: VersionRecord): void => {
    store.update('versions', (all) => [
      ...all.filter((v) => !(v.account === record.account && v.certificate === record.certificate && v.version === record.version)),
      record,
    ]);
  };

  /** Saves a version made here; a CA-signed certificate ends the CSR requests waiting on its key. */
  const saveNewVersion = async (record: VersionRecord, certificateName: string): Promise<void> => {
    saveVersion(record);
    if (record.keyId !== null && record.source !== 'generated') {
      await keys.fulfilPendingRequests(record.keyId, `${certificateName} version ${record.version}`);
    }
  };

  /** The key of an upload: resolved to a vault record (a key file is imported) and its private key. */
  const resolveKey = async (source: KeySource): Promise<{ spkiSha256: string; label: string; load: () => Promise<{ id: string; key: KeyObject }> }> => {
    if ('keyId' in source) {
      const record = await keys.get(source.keyId);
      return {
        spkiSha256: record.spkiSha256,
        label: `vault key ${record.id}`,
        load: async () => ({ id: record.id, key: await keys.getPrivateKey(record.id) }),
      };
    }
    return {
      spkiSha256: spkiSha256(source.key),
      label: source.file,
      load: async () => {
        const record = await keys.import(source.key, source.file.replace(/^.*[\\/]/, ''));
        return { id: record.id, key: source.key };
      },
    };
  };

  /** Turns self-signed material into an upload with a freshly generated vault key. */
  const selfSigned = async (material: SelfSignedMaterial): Promise<{ upload: UploadMaterial; keyId: string }> => {
    const commonName = material.commonName.trim();
    if (commonName === '') throw new CertdeskError('USAGE', 'A self-signed placeholder needs a common name.');
    const days = material.days ?? DEFAULT_SELF_SIGNED_DAYS;
    const record = await keys.generate(material.keyType, `Self-signed ${commonName}`);
    const key = await keys.getPrivateKey(record.id);
    const cert = deps.selfSign({ key, subject: { commonName }, sans: material.sans, days, now: now() });
    return { upload: { kind: 'upload', certificates: [{ der: cert.der, file: `the self-signed certificate for ${commonName}` }], key: { keyId: record.id } }, keyId: record.id };
  };

  /** The SPKI of the latest version's key, from the local record or the provider's CSR. */
  const latestKeySpki = async (account: AccountRecord, client: ProviderClient, certificate: CachedCertificate): Promise<{ spki: string | null; keyId: string | null; version: number | null }> => {
    const latest = certificate.latestVersion;
    const local = latest !== null ? stored(account.id, certificate.id).find((v) => v.version === latest) : undefined;
    if (local?.spkiSha256 !== null && local?.spkiSha256 !== undefined) return { spki: local.spkiSha256, keyId: local.keyId, version: latest };
    if (client.capabilities.serverSideCsr) {
      const csr = await client.getCsr(certificate.id);
      return { spki: csrSpki(csr.csrPem), keyId: local?.keyId ?? null, version: csr.version ?? latest };
    }
    return { spki: null, keyId: local?.keyId ?? null, version: latest };
  };

  const recordOf = (
    account: AccountRecord,
    certificateId: string,
    version: number,
    source: VersionSource,
    upload: ValidatedUpload,
    keyId: string | null,
    comment: string | undefined,
  ): VersionRecord => ({
    account: account.id,
    certificate: certificateId,
    version,
    source,
    createdAt: isoSeconds(now()),
    leafPem: upload.leafPem,
    chainPem: upload.chainPem,
    keyId,
    fingerprint: upload.info.fingerprints.sha256,
    spkiSha256: upload.info.spkiSha256,
    subject: upload.info.subject,
    sans: upload.info.sans,
    notBefore: upload.info.notBefore,
    notAfter: upload.info.notAfter,
    keyAlgorithm: keyAlgorithmOf(upload.info),
    comment: comment ?? '',
  });

  /** Learns the account's customer id from a certificate it just created (it owns it). */
  const learnCustomer = async (account: AccountRecord, certificate: CachedCertificate): Promise<AccountRecord> => {
    if (account.customerId !== undefined || certificate.owner === null) return account;
    return accounts.update(account.id, { customerId: certificate.owner });
  };

  const create = async (accountRef: string, name: string, material: VersionMaterial, comment: string | undefined): Promise<VersionResult> => {
    let account = await accounts.get(accountRef);
    const client = await accounts.client(account);
    const certName = name.trim();
    if (certName === '') throw new CertdeskError('USAGE', 'A certificate needs a name.');
    const existing = (await inventory.refresh(account, client)).certificates.find((c) => c.name === certName);
    if (existing !== undefined) {
      throw new CertdeskError('CONFLICT', `Account "${account.name}" already has a certificate named "${certName}" (id ${existing.id}); add a version to it instead.`);
    }
    const source: VersionSource = material.kind === 'self-signed' ? 'generated' : 'uploaded';
    const { upload, generatedKeyId } = material.kind === 'self-signed' ? await selfSigned(material).then((s) => ({ upload: s.upload, generatedKeyId: s.keyId })) : { upload: material, generatedKeyId: undefined };
    if (upload.key === undefined && client.capabilities.keyUpload) {
      throw new CertdeskError('USAGE', 'A new certificate needs its private key: give the key file or a vault key with the certificate, or make a self-signed placeholder with a new key.');
    }
    const key = upload.key !== undefined ? await resolveKey(upload.key) : undefined;
    const validated = validateUpload({
      certificates: upload.certificates,
      ...(key !== undefined ? { key: { spkiSha256: key.spkiSha256, label: key.label } } : {}),
      now: now(),
      ...(deps.anchors !== undefined ? { anchors: deps.anchors } : {}),
    });
    const loaded = key !== undefined ? await key.load() : undefined;
    const keyId = generatedKeyId ?? loaded?.id ?? null;

    let certificateId: string;
    let certificate: CachedCertificate;
    if (client.capabilities.versions) {
      certificateId = await client.createCertificate({
        name: certName,
        ...(comment !== undefined ? { comment } : {}),
        material: {
          certificatePem: validated.leafPem,
          ...(validated.chainPem !== '' ? { chainPem: validated.chainPem } : {}),
          ...(loaded !== undefined && client.capabilities.keyUpload ? { privateKeyPem: loaded.key.export({ type: 'pkcs8', format: 'pem' }).toString() } : {}),
        },
      });
      await saveNewVersion(recordOf(account, certificateId, 1, source, validated, keyId, comment), certName);
      if (loaded !== undefined && client.capabilities.keyUpload) {
        await keys.recordUpload(loaded.id, { provider: account.provider, account: account.name, certificate: certName, version: 1 });
      }
      certificate = await inventory.refreshOne(account, client, certificateId);
      account = await learnCustomer(account, certificate);
    } else {
      // No provider versions: the history is local and the certificate reaches the provider when deployed.
      certificateId = certName;
      await saveNewVersion(recordOf(account, certificateId, 1, source, validated, keyId, comment), certName);
      certificate = {
        id: certificateId,
        name: certName,
        owner: null,
        latestVersion: 1,
        autoRenew: false,
        expiresAt: validated.info.notAfter,
        deployed: {},
        deployedExpiresAt: {},
      };
      inventory.remember(account, certificate);
    }
    const version = stored(account.id, certificateId).find((v) => v.version === 1) as VersionRecord;
    return { account, certificate, version, warnings: validated.warnings };
  };

  const add = async (accountRef: string, certificateRef: string, material: VersionMaterial, comment: string | undefined): Promise<VersionResult> => {
    const account = await accounts.get(accountRef);
    const client = await accounts.client(account);
    const certificate = await inventory.find(account, certificateRef, { refresh: true });
    const { upload, generatedKeyId, source } =
      material.kind === 'self-signed'
        ? await selfSigned(material).then((s) => ({ upload: s.upload, generatedKeyId: s.keyId as string | undefined, source: 'generated' as VersionSource }))
        : { upload: material, generatedKeyId: undefined, source: (material.key !== undefined ? 'uploaded' : 'renewed') as VersionSource };

    let keySpki: string | undefined;
    let keyLabel: string;
    let carriedKeyId: string | null = null;
    const key = upload.key !== undefined ? await resolveKey(upload.key) : undefined;
    if (key !== undefined) {
      keySpki = key.spkiSha256;
      keyLabel = key.label;
    } else {
      // A CA-signed certificate for the pending CSR: it must be for the latest version's key.
      const latest = await latestKeySpki(account, client, certificate);
      carriedKeyId = latest.keyId;
      keyLabel = `version ${latest.version ?? '?'} of "${certificate.name}" (the key of its pending CSR)`;
      if (latest.spki !== null) keySpki = latest.spki;
      else if (client.capabilities.keyUpload) {
        throw new CertdeskError('KEY_MISMATCH', `Certdesk cannot tell which key the latest version of "${certificate.name}" holds; give the private key with the certificate.`);
      }
    }
    const validated = validateUpload({
      certificates: upload.certificates,
      ...(keySpki !== undefined ? { key: { spkiSha256: keySpki, label: keyLabel } } : {}),
      now: now(),
      ...(deps.anchors !== undefined ? { anchors: deps.anchors } : {}),
    });
    const loaded = key !== undefined ? await key.load() : undefined;
    // Null when the key lives only on the provider (generated there); a vault key with the same SPKI is found below.
    const keyId = generatedKeyId ?? loaded?.id ?? carriedKeyId;

    let number: number;
    if (client.capabilities.versions) {
      number = await client.createVersion(certificate.id, {
        certificatePem: validated.leafPem,
        ...(validated.chainPem !== '' ? { chainPem: validated.chainPem } : {}),
        ...(loaded !== undefined && client.capabilities.keyUpload ? { privateKeyPem: loaded.key.export({ type: 'pkcs8', format: 'pem' }).toString() } : {}),
        ...(comment !== undefined ? { comment } : {}),
      });
      await saveNewVersion(recordOf(account, certificate.id, number, source, validated, keyId ?? (await keys.findBySpki(validated.info.spkiSha256))?.id ?? null, comment), certificate.name);
      if (loaded !== undefined && client.capabilities.keyUpload) {
        await keys.recordUpload(loaded.id, { provider: account.provider, account: account.name, certificate: certificate.name, version: number });
      }
    } else {
      number = Math.max(0, certificate.latestVersion ?? 0, ...stored(account.id, certificate.id).map((v) => v.version)) + 1;
      await saveNewVersion(recordOf(account, certificate.id, number, source, validated, keyId ?? (await keys.findBySpki(validated.info.spkiSha256))?.id ?? null, comment), certificate.name);
    }
    const refreshed = client.capabilities.versions
      ? await inventory.refreshOne(account, client, certificate.id)
      : { ...certificate, latestVersion: number, expiresAt: validated.info.notAfter };
    if (!client.capabilities.versions) inventory.remember(account, refreshed);
    const version = stored(account.id, certificate.id).find((v) => v.version === number) as VersionRecord;
    return { account, certificate: refreshed, version, warnings: validated.warnings };
  };

  /** A provider version as a stored record (cached: versions are immutable). */
  const fromProvider = (account: AccountRecord, certificateId: string, summary: VersionSummary, detail: VersionDetail | null): VersionRecord => ({
    account: account.id,
    certificate: certificateId,
    version: summary.version,
    source: summary.type === 'self-signed' ? 'generated' : 'uploaded',
    createdAt: summary.createdAt ?? isoSeconds(now()),
    leafPem: null,
    chainPem: null,
    keyId: null,
    fingerprint: summary.fingerprint,
    spkiSha256: null,
    subject: detail?.subject ?? '',
    sans: (detail?.sans ?? []).map(sanOf),
    notBefore: null,
    notAfter: summary.expiresAt ?? detail?.expiresAt ?? null,
    keyAlgorithm: detail?.keyAlgorithm !== null && detail?.keyAlgorithm !== undefined ? `${detail.keyAlgorithm}${detail.keyLength !== null ? ` ${detail.keyLength}` : ''}` : null,
    comment: summary.comment,
  });

  /** True when the stored record is the provider's version (numbers are reused after a delete). */
  const sameVersion = (record: VersionRecord, summary: VersionSummary): boolean => {
    if (summary.fingerprint === null || record.fingerprint === null) return true;
    if (summary.fingerprintAlgorithm === 'sha256') return summary.fingerprint === record.fingerprint;
    if (summary.fingerprintAlgorithm === 'sha1' && record.leafPem !== null) {
      try {
        return new X509Certificate(record.leafPem).fingerprint.replace(/:/g, '').toLowerCase() === summary.fingerprint;
      } catch {
        return true;
      }
    }
    return record.leafPem === null ? summary.fingerprint === record.fingerprint : true;
  };

  const audited = async <T>(action: string, target: string, detail: (result: T) => string, run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      await log({ action, target, outcome: 'success', detail: detail(result) });
      return result;
    } catch (err) {
      await log({ action, target, outcome: 'failure', detail: failure(err) });
      throw err;
    }
  };

  const describe = (r: VersionResult): string =>
    `version ${r.version.version} (${r.version.source}) ${r.version.subject} ${r.version.fingerprint ?? ''}${r.version.keyId !== null ? ` key ${r.version.keyId}` : ''}`.trim();

  const service: VersionService = {
    async createCertificate(accountRef, name, material, options = {}) {
      const account = await accounts.get(accountRef);
      return audited('certificate.create', `${account.name}/${name}`, describe, () => create(account.id, name, material, options.comment));
    },

    async addVersion(accountRef, certificateRef, material, options = {}) {
      const account = await accounts.get(accountRef);
      return audited('version.create', `${account.name}/${certificateRef}`, describe, () => add(account.id, certificateRef, material, options.comment));
    },

    async csr(accountRef, certificateRef) {
      const account = await accounts.get(accountRef);
      const client = await accounts.client(account);
      const certificate = await inventory.find(account, certificateRef);
      if (client.capabilities.serverSideCsr) {
        const csr = await client.getCsr(certificate.id);
        return { csrPem: csr.csrPem, version: csr.version ?? certificate.latestVersion, certificate };
      }
      const versions = stored(account.id, certificate.id).sort((a, b) => b.version - a.version);
      const latest = versions[0];
      if (latest === undefined) throw new CertdeskError('NOT_FOUND', `Certdesk holds no version of "${certificate.name}"; add one first.`);
      if (latest.keyId === null) {
        throw new CertdeskError(
          'KEY_NOT_FOUND',
          `Certdesk does not hold the key of version ${latest.version} of "${certificate.name}", so it cannot make its CSR; add a version with a new key and a self-signed placeholder first.`,
        );
      }
      const key = await keys.getPrivateKey(latest.keyId);
      const commonName = certificateLabel(latest);
      const csr = createCsr({ key, subject: { commonName }, sans: latest.sans });
      return { csrPem: csr.pem, version: latest.version, certificate };
    },

    async list(account, certificate, given) {
      const client = given ?? (await accounts.client(account));
      const deployedIn = (n: number): string[] => Object.entries(certificate.deployed).filter(([, v]) => v === n).map(([env]) => env).sort();
      let records: VersionRecord[];
      if (client.capabilities.versions) {
        const detail = await client.getCertificate(certificate.id);
        const local = stored(account.id, certificate.id);
        records = [];
        for (const summary of detail.versions) {
          const known = local.find((v) => v.version === summary.version);
          if (known !== undefined && sameVersion(known, summary)) {
            records.push(known);
            continue;
          }
          const fetched = await client.getVersion(certificate.id, summary.version).catch((err: unknown) => {
            if (isCertdeskError(err) && err.code === 'PROVIDER_NOT_FOUND') return null;
            throw err;
          });
          const record = fromProvider(account, certificate.id, summary, fetched);
          saveVersion(record);
          records.push(record);
        }
      } else {
        records = stored(account.id, certificate.id);
      }
      return records
        .sort((a, b) => b.version - a.version)
        .map((v) => ({
          version: v.version,
          source: v.source,
          createdAt: v.createdAt,
          subject: v.subject,
          sans: v.sans,
          notBefore: v.notBefore,
          notAfter: v.notAfter,
          fingerprint: v.fingerprint,
          spkiSha256: v.spkiSha256,
          keyId: v.keyId,
          comment: v.comment,
          deployedIn: deployedIn(v.version),
        }));
    },

    get(accountId, certificateId, version) {
      return stored(accountId, certificateId).find((v) => v.version === version);
    },

    async rekeyTemplate(accountRef, certificateRef) {
      const account = await accounts.get(accountRef);
      const client = await accounts.client(account);
      const certificate = await inventory.find(account, certificateRef);
      // Listing caches every version the provider has, with its PEM where it serves one.
      await service.list(account, certificate, client);
      const versions = stored(account.id, certificate.id).sort((a, b) => b.version - a.version);
      const latest = versions.find((v) => v.version === certificate.latestVersion) ?? versions[0];
      if (latest === undefined) {
        throw new CertdeskError('NOT_FOUND', `"${certificate.name}" has no version yet, so there are no names to re-key; make a CSR with the names you need instead.`);
      }
      const der = latest.leafPem !== null ? new Uint8Array(new X509Certificate(latest.leafPem).raw) : null;
      const subject = der !== null ? subjectFieldsOf(parseCertificate(der).subject.rdns) : { fields: { commonName: certificateLabel(latest) }, omitted: [] };
      const names = requestableSans(latest.sans);
      const keyType = closestKeyType(der);
      return {
        account: account.id,
        certificate: certificate.id,
        certificateName: certificate.name,
        version: latest.version,
        subject: subject.fields,
        sans: names.sans,
        keyType,
        currentKey: latest.keyAlgorithm,
        keyFamily: client.capabilities.sameKeyAlgorithm === true && der !== null ? (keyType.startsWith('rsa') ? 'rsa' : 'ec') : null,
        omitted: [...subject.omitted, ...names.omitted],
      };
    },
  };
  return service;
}
