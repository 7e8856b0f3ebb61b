/**
 * The screens' views of the inventory, built from what the store holds: one row per certificate
 * across accounts (per-environment expiry, attention states, names and fingerprints for search),
 * a version with its issuer, chain, chain validation and lint, the field-level diff shown before a
 * deployment, and the expiry overview.
 *
 * Pure: no I/O, `now`, the expiry window and the trust anchors are passed in, so 5,000
 * certificates cost one pass.
 */
import type {
  AccountSummary,
  CertificateRow,
  ChainCheck,
  ChainEntry,
  ChainPathEntry,
  DeploymentDiff,
  EnvironmentStatus,
  ExpiryAlert,
  ExpiryEntry,
  ExpiryOverview,
  HistoryEntry,
  TaskSummary,
  VersionInfo,
} from '../../shared/api.js';
import type { Finding, San } from '../../shared/pki-types.js';
import { defaultAnchors, verifyChain } from '../pki/chain.js';
import { lintCertificate } from '../pki/lint.js';
import { inspectCertificate } from '../pki/inspect.js';
import { readMaterial } from '../pki/read.js';
import { sha256Hex } from '../pki/keys.js';
import type { AccountRecord, CachedCertificate, TaskRecord, VersionRecord } from '../store/schema.js';
import { assessCertificate, daysLeft } from './expiry.js';
import { PROVIDER_LABELS } from './provider-factory.js';
import type { TaskView } from './deployment-service.js';

const DAY_MS = 86_400_000;

/** Environments in deployment order: staging before production, others by name. */
const ORDER = ['staging', 'production'];

function byDeploymentOrder(a: string, b: string): number {
  const ia = ORDER.indexOf(a);
  const ib = ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? ORDER.length : ia) - (ib < 0 ? ORDER.length : ib);
  return a.localeCompare(b);
}

/** Where an account's certificates can be deployed. */
export function environmentsOf(account: AccountRecord): string[] {
  switch (account.provider) {
    case 'cdnpro':
      return ['staging', 'production'];
    case 'apinizer':
      return [...(account.environments ?? [])].sort(byDeploymentOrder);
    case 'gcore':
      return ['production'];
  }
}

/** An account as the renderer sees it (never its secret). */
export function accountSummary(account: AccountRecord): AccountSummary {
  return {
    id: account.id,
    name: account.name,
    provider: account.provider,
    providerLabel: PROVIDER_LABELS[account.provider],
    endpoint: account.endpoint,
    user: account.user ?? null,
    project: account.project ?? null,
    customerId: account.customerId ?? null,
    environments: environmentsOf(account),
    mode: account.mode ?? null,
    isSandbox: account.isSandbox,
    createdAt: account.createdAt,
  };
}

/** A task as the renderer sees it. */
export function taskSummary(task: TaskRecord, accountName: string): TaskSummary {
  return {
    id: task.id,
    account: task.account,
    accountName,
    certificate: task.certificate,
    certificateName: task.certificateName,
    env: task.env,
    action: task.action,
    version: task.version,
    status: task.status,
    progress: task.progress,
    providerTaskId: task.providerTaskId,
    submittedAt: task.submittedAt,
    finishedAt: task.finishedAt,
    detail: task.detail,
    error:
      task.error === null
        ? null
        : {
            code: task.error.code,
            message: task.error.message,
            ...(task.error.httpStatus !== undefined ? { httpStatus: task.error.httpStatus } : {}),
            ...(task.error.providerCode !== undefined ? { providerCode: task.error.providerCode } : {}),
            ...(task.error.requestId !== undefined ? { requestId: task.error.requestId } : {}),
          },
    updatedAt: task.updatedAt,
  };
}

/** A history entry from the deployment service's task view. */
export function historyEntry(view: TaskView): HistoryEntry {
  return {
    id: view.id,
    version: view.version,
    env: view.env,
    action: view.action,
    status: view.status,
    submittedAt: view.submittedAt,
    finishedAt: view.finishedAt,
    detail: view.detail,
  };
}

const cnOf = (subject: string): string | null => /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1]?.trim() ?? null;

/** What one certificate row is built from. */
export interface RowInput {
  readonly account: AccountRecord;
  readonly certificate: CachedCertificate;
  /** The stored versions of this certificate (any order). */
  readonly versions: readonly VersionRecord[];
  readonly now: Date;
  readonly windowDays: number;
}

/** Why a certificate can only be looked at, or null. */
export function readOnlyReason(account: AccountRecord, certificate: CachedCertificate): string | null {
  const customer = account.customerId ?? null;
  if (certificate.owner === null || customer === null || certificate.owner === customer) return null;
  return `Another customer (${certificate.owner}) owns this certificate and shares it with "${account.name}" (customer ${customer}). Only its owner can add versions, deploy, undeploy or delete it.`;
}

function environmentStatus(env: string, certificate: CachedCertificate, notAfterOf: (v: number) => string | null, now: Date, windowDays: number): EnvironmentStatus {
  const version = certificate.deployed[env] ?? null;
  const known = certificate.deployedExpiresAt[env];
  const deployed = version !== null || known !== undefined;
  const notAfter = known ?? (version !== null ? notAfterOf(version) : null);
  const t = notAfter !== null ? Date.parse(notAfter) : Number.NaN;
  return {
    env,
    version,
    deployed,
    notAfter,
    daysLeft: notAfter !== null ? daysLeft(notAfter, now) : null,
    expired: !Number.isNaN(t) && t <= now.getTime(),
    expiring: !Number.isNaN(t) && t - now.getTime() <= windowDays * DAY_MS,
  };
}

/** One row of the certificate list. */
export function certificateRow(input: RowInput): CertificateRow {
  const { account, certificate, versions, now, windowDays } = input;
  const notAfterOf = (n: number): string | null => versions.find((v) => v.version === n)?.notAfter ?? null;
  const report = assessCertificate({
    deployed: certificate.deployed,
    deployedExpiresAt: certificate.deployedExpiresAt,
    latestVersion: certificate.latestVersion,
    latestExpiresAt: certificate.expiresAt,
    versionExpiresAt: notAfterOf,
    owner: certificate.owner,
    customerId: account.customerId ?? null,
    now,
    windowDays,
  });
  const envNames = [...new Set([...environmentsOf(account), ...Object.keys(certificate.deployed), ...Object.keys(certificate.deployedExpiresAt)])].sort(byDeploymentOrder);
  const names = new Set<string>();
  const fingerprints = new Set<string>();
  for (const v of versions) {
    const cn = cnOf(v.subject);
    if (cn !== null) names.add(cn.toLowerCase());
    for (const san of v.sans) names.add(san.value.toLowerCase());
    if (v.fingerprint !== null) fingerprints.add(v.fingerprint.toLowerCase());
  }
  return {
    key: `${account.id}/${certificate.id}`,
    id: certificate.id,
    name: certificate.name,
    accountId: account.id,
    account: account.name,
    provider: account.provider,
    providerLabel: PROVIDER_LABELS[account.provider],
    isSandbox: account.isSandbox,
    owner: certificate.owner,
    readOnly: readOnlyReason(account, certificate),
    latestVersion: certificate.latestVersion,
    latestNotAfter: certificate.expiresAt ?? (certificate.latestVersion !== null ? notAfterOf(certificate.latestVersion) : null),
    staging: certificate.deployed.staging ?? null,
    production: certificate.deployed.production ?? null,
    environments: envNames.map((env) => environmentStatus(env, certificate, notAfterOf, now, windowDays)),
    daysLeft: report.daysLeft,
    states: [...report.states],
    names: [...names],
    fingerprints: [...fingerprints],
  };
}

/** Groups version records by `<account>/<certificate>` for building many rows at once. */
export function groupVersions(versions: readonly VersionRecord[]): ReadonlyMap<string, VersionRecord[]> {
  const out = new Map<string, VersionRecord[]>();
  for (const v of versions) {
    const key = `${v.account}/${v.certificate}`;
    const list = out.get(key);
    if (list === undefined) out.set(key, [v]);
    else list.push(v);
  }
  return out;
}

function certificatesOfPem(pem: string, what: string): Buffer[] {
  return readMaterial(Buffer.from(pem, 'utf8'), { fileName: what }).flatMap((o) => (o.kind === 'certificate' ? [o.der] : []));
}

/** Codes that say the path stops short of a trusted root, rather than that a certificate on it is wrong. */
const UNANCHORED = new Set(['CHAIN_INCOMPLETE', 'UNTRUSTED_ROOT', 'CHAIN_TOO_LONG']);

// Fingerprint → DER of an anchor set, built once per set: the default store is one array for the process.
const anchorIndexes = new WeakMap<readonly Uint8Array[], ReadonlyMap<string, Uint8Array>>();

function anchorIndex(anchors: readonly Uint8Array[]): ReadonlyMap<string, Uint8Array> {
  let index = anchorIndexes.get(anchors);
  if (index === undefined) {
    index = new Map(anchors.map((der) => [sha256Hex(der), der]));
    anchorIndexes.set(anchors, index);
  }
  return index;
}

const nameOf = (subject: string): string => cnOf(subject) ?? (subject || 'an unnamed certificate');

function pathEntry(der: Uint8Array | undefined, sha256: string, index: number, last: boolean, trusted: boolean, now: Date): ChainPathEntry {
  const info = der === undefined ? null : inspectCertificate(der);
  const expired = info !== null && Date.parse(info.notAfter) <= now.getTime();
  const role = index === 0 ? 'leaf' : last && (trusted || info?.selfSigned === true) ? 'root' : 'intermediate';
  const source = index === 0 ? 'version' : trusted ? 'trust store' : 'chain';
  return { subject: info?.subject ?? `sha256:${sha256.slice(0, 16)}`, issuer: info?.issuer ?? '', notAfter: info?.notAfter ?? '', expired, sha256, role, source };
}

function chainSummary(valid: boolean, path: readonly ChainPathEntry[], errors: readonly Finding[]): Pick<ChainCheck, 'verdict' | 'summary'> {
  const tip = path[path.length - 1];
  if (valid) {
    return { verdict: 'valid', summary: path.length > 1 && tip !== undefined ? `Chain valid — trusted by ${nameOf(tip.subject)}` : 'Chain valid — the certificate itself is in the trust store' };
  }
  const wrong = errors.find((e) => !UNANCHORED.has(e.code));
  if (wrong !== undefined) return { verdict: 'invalid', summary: `Chain not valid: ${wrong.message}` };
  const unanchored = errors.find((e) => UNANCHORED.has(e.code));
  if (unanchored?.code === 'UNTRUSTED_ROOT' && tip !== undefined) {
    return {
      verdict: 'untrusted',
      summary: path.length === 1 ? 'Chain not trusted — the certificate is self-signed' : `Chain not trusted — root ${nameOf(tip.subject)} is not in the trust store`,
    };
  }
  if (unanchored?.code === 'CHAIN_INCOMPLETE' && tip !== undefined) {
    return {
      verdict: 'incomplete',
      summary:
        path.length === 1
          ? `Chain incomplete — intermediate ${nameOf(tip.issuer)} is missing`
          : `Chain incomplete — ${nameOf(tip.issuer)}, the issuer of ${nameOf(tip.subject)}, is missing or is not in the trust store`,
    };
  }
  return { verdict: 'invalid', summary: `Chain not valid: ${unanchored?.message ?? 'no trusted path was found'}` };
}

/**
 * A version's chain validated as `certdesk verify` does (path building and Web PKI validation in
 * main/pki/chain.ts), at `now`, against `anchors` (default: the Mozilla roots bundled with Node.js).
 *
 * Not cached: one check is a few milliseconds, and its verdict moves with `now`.
 */
export function chainCheck(leaf: Uint8Array, chain: readonly Uint8Array[], now: Date, anchors?: readonly Uint8Array[]): ChainCheck {
  let result: ReturnType<typeof verifyChain>;
  try {
    result = verifyChain({ leaf, pool: chain, at: now, ...(anchors !== undefined ? { anchors } : {}) });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { verdict: 'unknown', summary: 'Chain not checked: Certdesk could not read the certificate', path: [], problems: [{ code: 'CERTIFICATE_INVALID', message, severity: 'error' }] };
  }
  const trusted = anchorIndex(anchors ?? defaultAnchors());
  const pool = new Map(chain.map((der) => [sha256Hex(der), der]));
  const path = result.chain.map((sha, i) => {
    const anchor = i > 0 ? trusted.get(sha) : undefined;
    return pathEntry(i === 0 ? leaf : (anchor ?? pool.get(sha)), sha, i, i === result.chain.length - 1, anchor !== undefined, now);
  });
  return { ...chainSummary(result.valid, path, result.errors), path, problems: [...result.errors, ...result.warnings] };
}

/**
 * A stored version with its issuer, chain, chain validation and lint findings (read from its PEM
 * when Certdesk has it). `anchors` are the trust store (default: the Mozilla roots bundled with Node.js).
 */
export function versionInfo(record: VersionRecord, deployedIn: readonly string[], now: Date, windowDays: number, anchors?: readonly Uint8Array[]): VersionInfo {
  let issuer: string | null = null;
  let selfSigned: boolean | null = null;
  let findings: Finding[] = [];
  let chain: ChainEntry[] | null = null;
  let checked: ChainCheck | null = null;
  if (record.leafPem !== null) {
    try {
      const [leaf] = certificatesOfPem(record.leafPem, `version ${record.version}`);
      if (leaf !== undefined) {
        const info = inspectCertificate(leaf, `version ${record.version}`);
        issuer = info.issuer;
        selfSigned = info.selfSigned;
        findings = lintCertificate(leaf, { now, role: 'leaf', expiryWindowDays: windowDays });
      }
      // A version uploaded without intermediates stores an empty chain.
      const chainDers = record.chainPem === null ? null : record.chainPem.trim() === '' ? [] : certificatesOfPem(record.chainPem, `the chain of version ${record.version}`);
      chain = chainDers === null ? null : chainDers.map((der) => ({ subject: inspectCertificate(der).subject, sha256: sha256Hex(der) }));
      if (leaf !== undefined) checked = chainCheck(leaf, chainDers ?? [], now, anchors);
    } catch {
      // A stored PEM that no longer parses is described by its record alone.
    }
  }
  return {
    version: record.version,
    source: record.source,
    createdAt: record.createdAt,
    subject: record.subject,
    issuer,
    sans: record.sans,
    notBefore: record.notBefore,
    notAfter: record.notAfter,
    fingerprint: record.fingerprint,
    spkiSha256: record.spkiSha256,
    keyId: record.keyId,
    keyAlgorithm: record.keyAlgorithm,
    comment: record.comment,
    deployedIn: [...deployedIn].sort(byDeploymentOrder),
    chain,
    selfSigned,
    findings,
    chainCheck: checked,
  };
}

/** A SAN as people write it: `DNS:www.example.com`, `IP:192.0.2.1`. */
export function sanLabel(san: San): string {
  return `${san.type === 'dns' ? 'DNS' : san.type.toUpperCase()}:${san.type === 'dns' ? san.value.toLowerCase() : san.value}`;
}

const formatDay = (iso: string | null): string => (iso === null ? 'an unknown date' : iso.slice(0, 10));

/** What changes in `env` when `to` replaces `from` there. */
export function deploymentDiff(certificate: string, env: string, to: VersionInfo, from: VersionInfo | null, now: Date): DeploymentDiff {
  const toNames = to.sans.map(sanLabel);
  const fromNames = from === null ? [] : from.sans.map(sanLabel);
  const added = toNames.filter((n) => !fromNames.includes(n));
  const removed = fromNames.filter((n) => !toNames.includes(n));
  const unchanged = toNames.filter((n) => fromNames.includes(n));
  const direction = from === null ? 'first' : from.version === to.version ? 'same' : to.version > from.version ? 'newer' : 'older';
  const keyOf = (v: VersionInfo) => ({ algorithm: v.keyAlgorithm, spkiSha256: v.spkiSha256 });
  const validityOf = (v: VersionInfo) => ({ notBefore: v.notBefore, notAfter: v.notAfter });
  const toEnd = to.notAfter !== null ? Date.parse(to.notAfter) : Number.NaN;
  const fromEnd = from?.notAfter !== null && from?.notAfter !== undefined ? Date.parse(from.notAfter) : Number.NaN;
  const expiresSooner = !Number.isNaN(toEnd) && !Number.isNaN(fromEnd) && toEnd < fromEnd;
  const keyChanged = from !== null && (from.spkiSha256 !== to.spkiSha256 || from.keyAlgorithm !== to.keyAlgorithm);

  const warnings: string[] = [];
  if (removed.length > 0) {
    warnings.push(
      `${removed.length === 1 ? 'This name' : `These ${removed.length} names`} would no longer be served in ${env}: ${removed.join(', ')}. Clients using ${removed.length === 1 ? 'it' : 'them'} get certificate errors.`,
    );
  }
  if (!Number.isNaN(toEnd) && toEnd <= now.getTime()) warnings.push(`Version ${to.version} expired on ${formatDay(to.notAfter)}.`);
  else if (expiresSooner && from !== null) warnings.push(`Version ${to.version} expires on ${formatDay(to.notAfter)}, before version ${from.version} now in ${env} (${formatDay(from.notAfter)}).`);
  if (to.selfSigned === true) warnings.push(`Version ${to.version} is self-signed: browsers and API clients will not trust it. Deploy the CA-signed version instead.`);
  if (from !== null && from.issuer !== null && to.issuer !== null && from.issuer !== to.issuer && to.selfSigned !== true) {
    warnings.push(`The issuing CA changes (${from.issuer} → ${to.issuer}); clients that pin the CA need the new one.`);
  }
  if (direction === 'same') warnings.push(`Version ${to.version} is already in ${env}; deploying it again changes nothing.`);

  return {
    certificate,
    env,
    to,
    from,
    direction,
    sans: { added, removed, unchanged },
    subject: { from: from?.subject ?? null, to: to.subject, changed: from !== null && from.subject !== to.subject },
    issuer: { from: from?.issuer ?? null, to: to.issuer, changed: from !== null && from.issuer !== to.issuer },
    key: { from: from === null ? null : keyOf(from), to: keyOf(to), changed: keyChanged },
    validity: {
      from: from === null ? null : validityOf(from),
      to: validityOf(to),
      changed: from !== null && (from.notBefore !== to.notBefore || from.notAfter !== to.notAfter),
    },
    expiresSooner,
    warnings,
  };
}

const URGENCY = { 'not-owner': 3, 'staging-differs': 2, 'renewed-not-deployed': 1, expiring: 0 } as const;

/** The expiry timeline and attention list over certificate rows. */
export function expiryOverview(rows: readonly CertificateRow[], now: Date, thresholdDays: number): ExpiryOverview {
  const entries: ExpiryEntry[] = [];
  for (const row of rows) {
    const deployed = row.environments.filter((e) => e.deployed && e.notAfter !== null);
    const points =
      deployed.length > 0
        ? deployed.map((e) => ({ env: e.env, version: e.version, notAfter: e.notAfter as string }))
        : row.latestNotAfter !== null
          ? [{ env: 'latest', version: row.latestVersion, notAfter: row.latestNotAfter }]
          : [];
    for (const p of points) {
      const t = Date.parse(p.notAfter);
      if (Number.isNaN(t)) continue;
      entries.push({
        key: `${row.key}/${p.env}`,
        accountId: row.accountId,
        account: row.account,
        certificateId: row.id,
        certificate: row.name,
        env: p.env,
        version: p.version,
        notAfter: p.notAfter,
        daysLeft: daysLeft(p.notAfter, now) ?? 0,
        expired: t <= now.getTime(),
        expiring: t - now.getTime() <= thresholdDays * DAY_MS,
      });
    }
  }
  entries.sort((a, b) => Date.parse(a.notAfter) - Date.parse(b.notAfter) || a.certificate.localeCompare(b.certificate));
  const attention: ExpiryAlert[] = rows
    .filter((r) => r.states.length > 0)
    .map((r) => ({ account: r.account, accountId: r.accountId, certificate: r.id, certificateName: r.name, states: r.states, daysLeft: r.daysLeft }))
    .sort((a, b) => {
      const ea = a.states.includes('expiring') ? 0 : 1;
      const eb = b.states.includes('expiring') ? 0 : 1;
      if (ea !== eb) return ea - eb;
      if (ea === 0) return (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity);
      return Math.min(...a.states.map((s) => URGENCY[s])) - Math.min(...b.states.map((s) => URGENCY[s])) || a.certificateName.localeCompare(b.certificateName);
    });
  return { now: now.toISOString(), thresholdDays, entries, attention };
}
