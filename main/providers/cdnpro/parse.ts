/**
 * Tolerant readers for CDN Pro responses (providers.md §1.4, §1.8, §7.5).
 *
 * Both spec generations are accepted: `inprogress` / `in progress`, `Off` / `off`,
 * `self-signed` / `selfsigned`, numbers sent as strings, SHA-256 or SHA-1 fingerprints with or
 * without colons. Unknown fields are ignored and unknown task states count as still running.
 * Only a body that is not an object at all is an error.
 */
import { CertdeskError } from '../../../shared/errors.js';
import { int, objects, str, type Json } from '../json-fields.js';
import type {
  CertificateDetail,
  CertificateSummary,
  CertificateUsage,
  DeploymentAction,
  ProviderCsr,
  ProviderTask,
  TaskStatus,
  VersionDetail,
  VersionSummary,
  VersionType,
} from '../types.js';

/** The two CDN Pro environments. */
export const CDNPRO_ENVIRONMENTS = ['staging', 'production'] as const;

function badResponse(what: string): CertdeskError {
  return new CertdeskError('PROVIDER_ERROR', `CDN Pro sent an unexpected response for ${what}`, { provider: 'cdnpro' });
}

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badResponse(what);
  return value as Json;
}

function bool(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(str).filter((v): v is string => v !== null) : [];
}

/** ISO 8601 UTC without milliseconds, or null when absent or unparseable. */
export function isoTime(value: unknown): string | null {
  const text = str(value);
  if (text === null || text.trim() === '') return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Maps a task status spelling to the normalised state; unknown values are still running. */
export function normaliseTaskStatus(value: unknown): TaskStatus {
  const text = (str(value) ?? '').trim().toLowerCase().replace(/[\s_-]+/g, '');
  switch (text) {
    case 'waiting':
    case 'pending':
    case 'queued':
      return 'waiting';
    case 'succeeded':
    case 'success':
    case 'successful':
    case 'done':
    case 'finished':
      return 'succeeded';
    case 'failed':
    case 'failure':
    case 'error':
      return 'failed';
    default:
      return 'inprogress';
  }
}

/** True when `autoRenew` names Let's Encrypt ("LE"); "Off"/"off"/absent are false. */
export function normaliseAutoRenew(value: unknown): boolean {
  return (str(value) ?? '').trim().toUpperCase() === 'LE';
}

/** Maps `uploaded` / `self-signed` / `selfsigned`. */
export function normaliseVersionType(value: unknown): VersionType {
  const text = (str(value) ?? '').trim().toLowerCase().replace(/[\s_-]+/g, '');
  if (text === 'uploaded') return 'uploaded';
  if (text === 'selfsigned') return 'self-signed';
  return 'unknown';
}

/** Lowercase hex without separators, and which hash its length says it is. */
export function normaliseFingerprint(value: unknown): Pick<VersionSummary, 'fingerprint' | 'fingerprintAlgorithm'> {
  const text = str(value);
  if (text === null) return { fingerprint: null, fingerprintAlgorithm: 'unknown' };
  const hex = text.replace(/^sha-?(1|256)[:=\s]*/i, '').replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) return { fingerprint: text, fingerprintAlgorithm: 'unknown' };
  const algorithm = hex.length === 64 ? 'sha256' : hex.length === 40 ? 'sha1' : 'unknown';
  return { fingerprint: hex, fingerprintAlgorithm: algorithm };
}

/** The last path segment of a `Location` header (absolute or relative URL). */
export function idFromLocation(location: string | null): string | null {
  if (location === null || location.trim() === '') return null;
  let path: string;
  try {
    path = new URL(location.trim(), 'https://placeholder.invalid').pathname;
  } catch {
    return null;
  }
  const segments = path.split('/').filter((s) => s !== '');
  const last = segments.at(-1);
  return last === undefined ? null : decodeURIComponent(last);
}

function deployedMaps(body: Json): Pick<CertificateSummary, 'versionInStaging' | 'versionInProduction' | 'deployed' | 'deployedExpiresAt'> {
  const staging = int(body.versionInStaging);
  const production = int(body.versionInProduction);
  const deployed: Record<string, number> = {};
  const deployedExpiresAt: Record<string, string> = {};
  if (staging !== null && staging > 0) deployed.staging = staging;
  if (production !== null && production > 0) deployed.production = production;
  const stagingExp = isoTime(body.stagingExpirationTime);
  const productionExp = isoTime(body.productionExpirationTime);
  if (stagingExp !== null) deployedExpiresAt.staging = stagingExp;
  if (productionExp !== null) deployedExpiresAt.production = productionExp;
  return {
    versionInStaging: deployed.staging ?? null,
    versionInProduction: deployed.production ?? null,
    deployed,
    deployedExpiresAt,
  };
}

/** One entry of `GET /cdn/certificates`. */
export function parseCertificateSummary(value: unknown): CertificateSummary {
  const body = asObject(value, 'a certificate in the list');
  const id = str(body.certificateId) ?? str(body.id);
  if (id === null) throw badResponse('a certificate in the list (no certificateId)');
  return {
    id,
    name: str(body.name) ?? '',
    owner: str(body.owner) ?? str(body.ownerCustomerId),
    latestVersion: int(body.latestVersion),
    autoRenew: normaliseAutoRenew(body.autoRenew),
    forceRenew: bool(body.forceRenew),
    caOnly: bool(body.caOnly),
    createdAt: isoTime(body.creationTime),
    updatedAt: isoTime(body.lastUpdateTime),
    expiresAt: isoTime(body.expirationTime),
    ...deployedMaps(body),
  };
}

/** A page of `GET /cdn/certificates`: `count` is the total over all pages. */
export function parseCertificateList(value: unknown): { count: number | null; certificates: CertificateSummary[] } {
  const body = asObject(value, 'the certificate list');
  // The old spec named the array key "" in its schema; its example (and CDN Pro) use "certificates".
  const list = Array.isArray(body.certificates) ? body.certificates : Array.isArray(body['']) ? body[''] : [];
  return { count: int(body.count), certificates: objects(list).map(parseCertificateSummary) };
}

function parseVersionSummary(body: Json): VersionSummary | null {
  const version = int(body.version);
  if (version === null) return null;
  return {
    version,
    type: normaliseVersionType(body.type),
    createdAt: isoTime(body.creationTime),
    expiresAt: isoTime(body.expirationTime),
    ...normaliseFingerprint(body.fingerprint),
    comment: str(body.comments) ?? str(body.comment) ?? '',
  };
}

function parseUsage(value: unknown, environment: string): CertificateUsage[] {
  return objects(value).map((u) => ({
    environment,
    customerId: str(u.customerId),
    propertyId: str(u.propertyId),
    hostnames: strings(u.hostnames),
  }));
}

/** `GET /cdn/certificates/{id}`. */
export function parseCertificateDetail(value: unknown, requestedId: string): CertificateDetail {
  const body = asObject(value, `certificate ${requestedId}`);
  const versions = objects(body.versions)
    .map(parseVersionSummary)
    .filter((v): v is VersionSummary => v !== null)
    .sort((a, b) => a.version - b.version);
  const latest = versions.at(-1);
  const listedLatest = int(body.latestVersion);
  const pointers = deployedMaps(body);
  // The detail has no per-environment expiry fields: take them from the deployed versions.
  const deployedExpiresAt: Record<string, string> = { ...pointers.deployedExpiresAt };
  for (const [env, n] of Object.entries(pointers.deployed)) {
    const expires = versions.find((v) => v.version === n)?.expiresAt;
    if (deployedExpiresAt[env] === undefined && expires !== undefined && expires !== null) deployedExpiresAt[env] = expires;
  }
  return {
    id: str(body.certificateId) ?? requestedId,
    name: str(body.name) ?? '',
    description: str(body.description) ?? '',
    owner: str(body.ownerCustomerId) ?? str(body.owner),
    latestVersion: listedLatest ?? latest?.version ?? null,
    autoRenew: normaliseAutoRenew(body.autoRenew),
    forceRenew: bool(body.forceRenew),
    caOnly: bool(body.caOnly),
    createdAt: isoTime(body.creationTime),
    updatedAt: isoTime(body.lastUpdateTime),
    expiresAt: isoTime(body.expirationTime) ?? latest?.expiresAt ?? null,
    ...pointers,
    deployedExpiresAt,
    versions,
    usage: [...parseUsage(body.usageInStaging, 'staging'), ...parseUsage(body.usageInProduction, 'production')],
  };
}

/** `GET /cdn/certificates/{id}/versions/{n}`. */
export function parseVersionDetail(value: unknown, requestedVersion: number): VersionDetail {
  const body = asObject(value, `version ${requestedVersion}`);
  const summary = parseVersionSummary(body) ?? parseVersionSummary({ ...body, version: requestedVersion });
  if (summary === null) throw badResponse(`version ${requestedVersion}`);
  const deployedIn: string[] = [];
  if (bool(body.inStaging)) deployedIn.push('staging');
  if (bool(body.inProduction)) deployedIn.push('production');
  return {
    ...summary,
    subject: str(body.subject),
    issuer: str(body.issuer),
    serialNumber: str(body.serialNumber),
    signatureAlgorithm: str(body.signatureAlgo) ?? str(body.signatureAlgorithm),
    keyAlgorithm: str(body.algorithm),
    keyLength: int(body.keyLength),
    sans: strings(body.subjectAlternativeNames),
    chain: objects(body.chainCertificates).map((c) => ({
      subject: str(c.subject),
      issuer: str(c.issuer),
      expiresAt: isoTime(c.expirationTime),
    })),
    deployedIn,
    deletable: bool(body.deletable),
  };
}

/** `GET /cdn/certificates/{id}/csr`. */
export function parseCsr(value: unknown, id: string): ProviderCsr {
  const body = asObject(value, `the CSR of certificate ${id}`);
  const csr = str(body.csr);
  if (csr === null || !csr.includes('CERTIFICATE REQUEST')) throw badResponse(`the CSR of certificate ${id} (no CSR in it)`);
  return { csrPem: csr.endsWith('\n') ? csr : `${csr}\n`, version: int(body.latestVersion) };
}

function parseActions(value: unknown): ProviderTask['actions'] {
  const out: { action: DeploymentAction; certificateId: string; version: number | null }[] = [];
  for (const a of objects(value)) {
    const kind = (str(a.action) ?? '').toLowerCase();
    const certificateId = str(a.certificateId);
    if (certificateId === null) continue;
    if (kind === 'deploy_cert') out.push({ action: 'deploy', certificateId, version: int(a.version) });
    else if (kind === 'remove_cert') out.push({ action: 'undeploy', certificateId, version: int(a.version) });
  }
  return out;
}

/** One task, from `GET /cdn/deploymentTasks/{id}` or a list entry. */
export function parseTask(value: unknown, requestedId?: string): ProviderTask {
  const body = asObject(value, `deployment task ${requestedId ?? ''}`.trim());
  const id = str(body.id) ?? str(body.taskId) ?? requestedId;
  if (id === undefined || id === null) throw badResponse('a deployment task (no id)');
  const status = normaliseTaskStatus(body.status);
  const finished = status === 'succeeded' || status === 'failed';
  const detail = str(body.statusDetails) ?? str(body.statusDetail) ?? str(body.message);
  return {
    id,
    status,
    detail: detail !== null && detail.trim() !== '' ? detail : null,
    submittedAt: isoTime(body.submissionTime),
    finishedAt: finished ? isoTime(body.finishTime) : null,
    env: str(body.target),
    name: str(body.name),
    actions: parseActions(body.actions),
  };
}

/** A page of `GET /cdn/deploymentTasks`. */
export function parseTaskList(value: unknown): { count: number | null; tasks: ProviderTask[] } {
  const body = asObject(value, 'the deployment task list');
  const list = Array.isArray(body.deploy) ? body.deploy : Array.isArray(body.tasks) ? body.tasks : [];
  return { count: int(body.count), tasks: objects(list).map((t) => parseTask(t)) };
}
