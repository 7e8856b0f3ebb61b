/**
 * The certificate inventory: every certificate of every account, what is deployed in each
 * environment, owner and expiry, cached in the store and refreshed from the providers.
 *
 * Providers with versions (CDN Pro) say which version each environment holds. Providers without
 * (Apinizer, Gcore) say what certificate each environment's slot holds; it is matched to the
 * local version history by fingerprint. A certificate that exists only locally there (undeployed
 * everywhere, so gone from the provider) stays in the inventory while it has local versions.
 */
import { X509Certificate } from 'node:crypto';
import { CertdeskError, isCertdeskError } from '../../shared/errors.js';
import type { CertificateSummary, ProviderClient, SlotState } from '../providers/types.js';
import type { AccountRecord, CachedCertificate, InventoryEntry, VersionRecord } from '../store/schema.js';
import type { AppStore } from '../store/store.js';
import type { AccountService } from './account-service.js';
import { assessCertificate, type CertificateState } from './expiry.js';
import { providerCertificateId } from './provider-factory.js';

/** What the inventory service needs. */
export interface InventoryServiceDeps {
  readonly store: AppStore;
  readonly accounts: AccountService;
  readonly now: () => Date;
  /** Expiry warning window in days (default 30). */
  readonly windowDays?: number;
}

/** A certificate as `cert list --json` prints it. */
export interface CertificateView {
  readonly id: string;
  readonly name: string;
  /** The account's name. */
  readonly account: string;
  readonly provider: string;
  readonly owner: string | null;
  readonly latestVersion: number | null;
  readonly staging: number | null;
  readonly production: number | null;
  readonly notAfter: { readonly staging: string | null; readonly production: string | null };
  readonly states: CertificateState[];
}

/** One account's part of the inventory. */
export interface AccountInventory {
  readonly account: AccountRecord;
  readonly refreshedAt: string | null;
  readonly certificates: readonly CachedCertificate[];
  /** Why refreshing failed (the certificates are then the cached ones). */
  readonly error: CertdeskError | null;
}

/** Inventory use cases. */
export interface InventoryService {
  /** Reads every certificate of the account from its provider (all pages) into the cache. */
  refresh(account: AccountRecord, client?: ProviderClient): Promise<InventoryEntry>;
  /** The inventory of one account (`account`) or all; refreshed from the providers unless `refresh` is false. */
  list(options?: { readonly account?: string; readonly refresh?: boolean }): Promise<AccountInventory[]>;
  /** The certificate named `ref` (or with that provider id) in the account; NOT_FOUND otherwise. */
  find(account: AccountRecord, ref: string, options?: { readonly refresh?: boolean }): Promise<CachedCertificate>;
  /** Re-reads one certificate from the provider and updates the cache. */
  refreshOne(account: AccountRecord, client: ProviderClient, id: string): Promise<CachedCertificate>;
  /** Puts one certificate in the cache (after creating it). */
  remember(account: AccountRecord, certificate: CachedCertificate): void;
  /** Drops one certificate from the cache (after deleting it). */
  forget(account: AccountRecord, id: string): void;
  /** The `cert list` view of a cached certificate. */
  view(account: AccountRecord, certificate: CachedCertificate): CertificateView;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** SHA-256 and SHA-1 of a version's leaf (lowercase hex), or null without a leaf. */
function leafFingerprints(version: VersionRecord): { sha256: string; sha1: string } | null {
  if (version.leafPem === null) return null;
  try {
    const cert = new X509Certificate(version.leafPem);
    const hex = (colon: string): string => colon.replace(/:/g, '').toLowerCase();
    return { sha256: hex(cert.fingerprint256), sha1: hex(cert.fingerprint) };
  } catch {
    return null;
  }
}

const cnOf = (subject: string | null): string | null => (subject === null ? null : (/(?:^|[,/]\s*)CN=([^,/]+)/i.exec(subject)?.[1]?.trim().toLowerCase() ?? null));
const sameSecond = (a: string | null, b: string | null): boolean => a !== null && b !== null && Math.abs(Date.parse(a) - Date.parse(b)) < 1_000;

/** Without a fingerprint (Gcore CDN reports only dates and the CN): the newest version with the same validity and CN. */
function byValidity(slot: SlotState, versions: readonly VersionRecord[]): VersionRecord | undefined {
  if (slot.expiresAt === null) return undefined;
  const cn = cnOf(slot.subject);
  return [...versions]
    .sort((a, b) => b.version - a.version)
    .find(
      (v) =>
        sameSecond(slot.expiresAt, v.notAfter) &&
        (slot.notBefore === null || v.notBefore === null || sameSecond(slot.notBefore, v.notBefore)) &&
        (cn === null || cnOf(v.subject) === null || cn === cnOf(v.subject)),
    );
}

/** The local version a provider slot holds, if any (by fingerprint; failing that, by validity and CN). */
export function versionInSlot(slot: SlotState, versions: readonly VersionRecord[]): VersionRecord | undefined {
  let fingerprint = slot.fingerprint;
  let algorithm = slot.fingerprintAlgorithm;
  if (slot.certificatePem !== null) {
    try {
      fingerprint = new X509Certificate(slot.certificatePem).fingerprint256.replace(/:/g, '').toLowerCase();
      algorithm = 'sha256';
    } catch {
      // keep the provider's own fingerprint
    }
  }
  if (fingerprint === null) return byValidity(slot, versions);
  const wanted = fingerprint.toLowerCase();
  // Newest first: the same certificate uploaded twice is the later version.
  for (const v of [...versions].sort((a, b) => b.version - a.version)) {
    const fp = leafFingerprints(v);
    if (fp === null) continue;
    if ((algorithm === 'sha256' || algorithm === 'unknown') && fp.sha256 === wanted) return v;
    if ((algorithm === 'sha1' || algorithm === 'unknown') && fp.sha1 === wanted) return v;
  }
  return undefined;
}

/** The cache record of a provider's certificate; versionless providers' slots are matched to local versions. */
export function toCached(summary: CertificateSummary, localVersions: readonly VersionRecord[]): CachedCertificate {
  const deployed: Record<string, number> = { ...summary.deployed };
  if (summary.versionInStaging !== null && deployed.staging === undefined) deployed.staging = summary.versionInStaging;
  if (summary.versionInProduction !== null && deployed.production === undefined) deployed.production = summary.versionInProduction;
  const deployedExpiresAt: Record<string, string> = { ...summary.deployedExpiresAt };
  for (const [env, slot] of Object.entries(summary.slots ?? {})) {
    const match = versionInSlot(slot, localVersions);
    if (match !== undefined) deployed[env] = match.version;
    if (deployedExpiresAt[env] === undefined && slot.expiresAt !== null) deployedExpiresAt[env] = slot.expiresAt;
  }
  const localLatest = localVersions.reduce<VersionRecord | undefined>((a, v) => (a === undefined || v.version > a.version ? v : a), undefined);
  const latestVersion = summary.latestVersion ?? localLatest?.version ?? null;
  const expiresAt = summary.latestVersion !== null ? summary.expiresAt : (localLatest?.notAfter ?? summary.expiresAt);
  return {
    id: summary.id,
    name: summary.name,
    owner: summary.owner,
    latestVersion,
    autoRenew: summary.autoRenew,
    expiresAt: expiresAt ?? null,
    deployed,
    deployedExpiresAt,
  };
}

/** The inventory service. */
export function createInventoryService(deps: InventoryServiceDeps): InventoryService {
  const { store, accounts, now } = deps;

  const localVersions = (accountId: string, certificateId: string): VersionRecord[] =>
    store.get('versions').filter((v) => v.account === accountId && v.certificate === certificateId);

  const entryOf = (accountId: string): InventoryEntry | undefined => store.get('inventory').find((e) => e.account === accountId);

  const save = (entry: InventoryEntry): void => {
    store.update('inventory', (all) => [...all.filter((e) => e.account !== entry.account), entry]);
  };

  const upsert = (account: AccountRecord, certificate: CachedCertificate): void => {
    const current = entryOf(account.id);
    const certificates = [...(current?.certificates ?? []).filter((c) => c.id !== certificate.id), certificate];
    save({ account: account.id, refreshedAt: current?.refreshedAt ?? isoSeconds(now()), certificates });
  };

  /** Certificates known only locally (versionless providers, undeployed everywhere). */
  const localOnly = (account: AccountRecord, seen: ReadonlySet<string>, previous: readonly CachedCertificate[]): CachedCertificate[] => {
    const ids = new Set(store.get('versions').filter((v) => v.account === account.id).map((v) => v.certificate));
    const out: CachedCertificate[] = [];
    for (const id of ids) {
      if (seen.has(id)) continue;
      const versions = localVersions(account.id, id);
      const latest = versions.reduce((a, v) => (v.version > a.version ? v : a));
      const before = previous.find((c) => c.id === id);
      out.push({
        id,
        name: before?.name ?? id,
        owner: before?.owner ?? null,
        latestVersion: latest.version,
        autoRenew: false,
        expiresAt: latest.notAfter,
        deployed: {},
        deployedExpiresAt: {},
      });
    }
    return out;
  };

  const refresh = async (account: AccountRecord, given?: ProviderClient): Promise<InventoryEntry> => {
    const client = given ?? (await accounts.client(account));
    const summaries = await client.listCertificates();
    const previous = entryOf(account.id)?.certificates ?? [];
    const certificates = summaries.map((s) => toCached(s, localVersions(account.id, s.id)));
    if (!client.capabilities.versions) certificates.push(...localOnly(account, new Set(certificates.map((c) => c.id)), previous));
    const entry: InventoryEntry = { account: account.id, refreshedAt: isoSeconds(now()), certificates };
    save(entry);
    return entry;
  };

  const match = (certificates: readonly CachedCertificate[], ref: string): CachedCertificate | undefined =>
    certificates.find((c) => c.id === ref) ?? certificates.find((c) => c.name === ref) ?? certificates.find((c) => c.name.toLowerCase() === ref.toLowerCase());

  return {
    refresh,

    async list(options = {}) {
      const chosen = options.account !== undefined ? [await accounts.get(options.account)] : await accounts.list();
      const out: AccountInventory[] = [];
      for (const account of chosen) {
        if (options.refresh === false) {
          const cached = entryOf(account.id);
          out.push({ account, refreshedAt: cached?.refreshedAt ?? null, certificates: cached?.certificates ?? [], error: null });
          continue;
        }
        try {
          const entry = await refresh(account);
          out.push({ account, refreshedAt: entry.refreshedAt, certificates: entry.certificates, error: null });
        } catch (err) {
          // One unreachable account must not hide the others: report it with its cached certificates.
          if (!isCertdeskError(err)) throw err;
          if (err.code === 'KEYCHAIN_UNAVAILABLE' || err.code === 'VAULT_KEK_MISMATCH') throw err;
          const cached = entryOf(account.id);
          out.push({ account, refreshedAt: cached?.refreshedAt ?? null, certificates: cached?.certificates ?? [], error: err });
        }
      }
      return out;
    },

    async find(account, ref, options = {}) {
      if (options.refresh !== true) {
        const cached = match(entryOf(account.id)?.certificates ?? [], ref);
        if (cached !== undefined) return cached;
      }
      const entry = await refresh(account);
      const found = match(entry.certificates, ref);
      if (found !== undefined) return found;
      // The CLI adds how to list them (main/cli/hints.ts); the app shows the list itself.
      throw new CertdeskError('NOT_FOUND', `Account "${account.name}" has no certificate "${ref}" (by name or id).`, { account: account.name, certificate: ref });
    },

    async refreshOne(account, client, id) {
      let cached: CachedCertificate;
      try {
        // A certificate not on the provider yet has no provider id (Gcore CDN): it is local only.
        if (providerCertificateId(account, id) === '') throw new CertdeskError('PROVIDER_NOT_FOUND', `"${id}" is not on ${account.provider} yet`);
        cached = toCached(await client.getCertificate(id), localVersions(account.id, id));
      } catch (err) {
        // Versionless providers drop a certificate undeployed everywhere; it lives on locally.
        if (!(isCertdeskError(err) && err.code === 'PROVIDER_NOT_FOUND' && !client.capabilities.versions)) throw err;
        const previous = entryOf(account.id)?.certificates ?? [];
        const local = localOnly(account, new Set(), previous).find((c) => c.id === id);
        if (local === undefined) throw err;
        cached = local;
      }
      upsert(account, cached);
      return cached;
    },

    remember: upsert,

    forget(account, id) {
      const current = entryOf(account.id);
      if (current === undefined) return;
      save({ ...current, certificates: current.certificates.filter((c) => c.id !== id) });
    },

    view(account, certificate) {
      const versions = localVersions(account.id, certificate.id);
      const report = assessCertificate({
        deployed: certificate.deployed,
        deployedExpiresAt: certificate.deployedExpiresAt,
        latestVersion: certificate.latestVersion,
        latestExpiresAt: certificate.expiresAt,
        versionExpiresAt: (n) => versions.find((v) => v.version === n)?.notAfter ?? null,
        owner: certificate.owner,
        customerId: account.customerId ?? null,
        now: now(),
        ...(deps.windowDays !== undefined ? { windowDays: deps.windowDays } : {}),
      });
      const notAfterIn = (env: string): string | null =>
        certificate.deployedExpiresAt[env] ??
        (certificate.deployed[env] !== undefined ? (versions.find((v) => v.version === certificate.deployed[env])?.notAfter ?? null) : null);
      return {
        id: certificate.id,
        name: certificate.name,
        account: account.name,
        provider: account.provider,
        owner: certificate.owner,
        latestVersion: certificate.latestVersion,
        staging: certificate.deployed.staging ?? null,
        production: certificate.deployed.production ?? null,
        notAfter: { staging: notAfterIn('staging'), production: notAfterIn('production') },
        states: [...report.states],
      };
    },
  };
}
