/**
 * Tolerant readers for Gcore responses (providers.md §3).
 *
 * CDN: `SslDetail` objects, lists paged as `{count, next, previous, results}` or (older API,
 * no `limit`) a bare array, and Let's Encrypt issuance status (`SslRequestStatus`).
 * Web security: protected resources, returned bare or wrapped as `{resource: {…}}` (the docs'
 * example reads `response.body.resource`), lists as `{count, results}` or a bare array.
 * Unknown fields are ignored; ids may come as numbers or strings.
 */
import { CertdeskError } from '../../../shared/errors.js';
import type { CertificateDetail, CertificateSummary, ProviderTask, SlotState, TaskStatus } from '../types.js';
import { isoAt } from '../client-base.js';
import { int, isObject, isoTime, nonEmpty, str, type Json } from '../json-fields.js';
import { GCORE_ENVIRONMENT } from './common.js';
import { describeFirstCertificate } from './material.js';

/** ISO 8601 UTC without milliseconds, or null (the reader in ../json-fields.ts). */
export { isoTime };

function badResponse(what: string): CertdeskError {
  return new CertdeskError('PROVIDER_ERROR', `Gcore sent an unexpected response for ${what}`, { provider: 'gcore' });
}

function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/** A page of a list: `{count, results}` or a bare array (then `count` is null and there are no more pages). */
export function parsePage(json: unknown, what: string): { count: number | null; items: Json[]; paged: boolean } {
  if (Array.isArray(json)) return { count: null, items: json.filter(isObject), paged: false };
  if (!isObject(json) || !Array.isArray(json.results)) throw badResponse(what);
  return { count: int(json.count), items: json.results.filter(isObject), paged: true };
}

// ---- CDN certificates ---------------------------------------------------------------------

/** A CDN certificate (`SslDetail`). */
export interface GcoreSslDetail {
  readonly id: string;
  readonly name: string;
  readonly automated: boolean;
  readonly issuer: string | null;
  readonly subjectCn: string | null;
  readonly subjectAlt: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  /** Used by a CDN resource or alias; null when not reported. */
  readonly hasRelatedResources: boolean | null;
  /** The deprecated `sslCertificateChain`, when present. */
  readonly chainPem: string | null;
}

/** Reads one `SslDetail`; undefined when it has no id. */
export function parseSslDetail(json: unknown): GcoreSslDetail | undefined {
  if (!isObject(json)) return undefined;
  const id = nonEmpty(json.id);
  if (id === null) return undefined;
  return {
    id,
    name: str(json.name) ?? '',
    automated: bool(json.automated) ?? false,
    issuer: nonEmpty(json.cert_issuer),
    subjectCn: nonEmpty(json.cert_subject_cn),
    subjectAlt: nonEmpty(json.cert_subject_alt),
    notBefore: isoTime(json.validity_not_before),
    notAfter: isoTime(json.validity_not_after),
    hasRelatedResources: bool(json.hasRelatedResources ?? json.has_related_resources),
    chainPem: nonEmpty(json.sslCertificateChain),
  };
}

/** Reads one `SslDetail` that must be there. */
export function requireSslDetail(json: unknown, what: string): GcoreSslDetail {
  const detail = parseSslDetail(json);
  if (detail === undefined) throw badResponse(what);
  return detail;
}

/** The "production" slot of a CDN certificate (the certificate object itself). */
function sslSlot(detail: GcoreSslDetail): SlotState {
  const fromChain = detail.chainPem !== null ? describeFirstCertificate(detail.chainPem) : null;
  return {
    fingerprint: fromChain?.sha256 ?? null,
    fingerprintAlgorithm: fromChain !== null ? 'sha256' : 'unknown',
    notBefore: detail.notBefore ?? fromChain?.notBefore ?? null,
    expiresAt: detail.notAfter ?? fromChain?.notAfter ?? null,
    subject: detail.subjectCn !== null ? `CN=${detail.subjectCn}` : (fromChain?.subject ?? null),
    certificatePem: fromChain?.pem ?? null,
  };
}

/** A CDN certificate as a summary: one "production" slot, no versions. */
export function sslToSummary(detail: GcoreSslDetail): CertificateSummary {
  const slot = sslSlot(detail);
  // An automated certificate that has not been issued yet holds nothing.
  const live = !detail.automated || slot.expiresAt !== null;
  return {
    id: detail.id,
    name: detail.name,
    owner: null,
    latestVersion: null,
    autoRenew: detail.automated,
    forceRenew: false,
    caOnly: false,
    createdAt: null,
    updatedAt: null,
    expiresAt: slot.expiresAt,
    versionInStaging: null,
    versionInProduction: null,
    deployed: {},
    deployedExpiresAt: live && slot.expiresAt !== null ? { [GCORE_ENVIRONMENT]: slot.expiresAt } : {},
    slots: live ? { [GCORE_ENVIRONMENT]: slot } : {},
  };
}

/** A CDN certificate in detail (issuer and SANs go into the description). */
export function sslToDetail(detail: GcoreSslDetail): CertificateDetail {
  const facts = [
    detail.issuer !== null ? `Issuer: ${detail.issuer}` : null,
    detail.subjectAlt !== null ? `Names: ${detail.subjectAlt}` : null,
    detail.hasRelatedResources === true ? 'Used by a CDN resource' : detail.hasRelatedResources === false ? 'Not used by any CDN resource' : null,
  ].filter((f): f is string => f !== null);
  return { ...sslToSummary(detail), description: facts.join('; '), versions: [], usage: [] };
}

/** Maps a Let's Encrypt issuance status onto a task (`le-<id>`). */
export function parseIssuanceStatus(json: unknown, certificateId: string): ProviderTask {
  if (!isObject(json)) throw badResponse(`the issuance status of certificate ${certificateId}`);
  const latest = isObject(json.latest_status) ? json.latest_status : undefined;
  const active = bool(json.active);
  const latestStatus = nonEmpty(latest?.status)?.toLowerCase();
  let status: TaskStatus;
  if (active === true) status = 'inprogress';
  else if (latestStatus === 'done') status = 'succeeded';
  else if (latestStatus === 'failed' || latestStatus === 'cancelled' || latestStatus === 'canceled') status = 'failed';
  else if (active === false && latest === undefined) status = 'waiting';
  else status = 'inprogress'; // unknown states count as still running
  const parts: string[] = [];
  if (latest !== undefined) {
    parts.push(`Latest attempt: ${nonEmpty(latest.status) ?? 'unknown'}`);
    const error = nonEmpty(latest.error);
    const details = nonEmpty(latest.details);
    if (error !== null) parts.push(error);
    if (details !== null) parts.push(details);
    const retryAfter = isoTime(latest.retry_after);
    if (retryAfter !== null) parts.push(`Let's Encrypt limit: retry after ${retryAfter}`);
  } else if (status === 'waiting') {
    parts.push('No issuance attempt yet: attach the certificate to a CDN resource');
  }
  const attempts = int(json.attempts_count);
  if (attempts !== null) parts.push(`${attempts} attempt(s)`);
  const next = isoTime(json.next_attempt_time);
  if (next !== null && status !== 'succeeded') parts.push(`next attempt ${next}`);
  return {
    id: `le-${certificateId}`,
    status,
    detail: parts.length > 0 ? parts.join('; ') : null,
    submittedAt: isoTime(json.started),
    finishedAt: isoTime(json.finished),
    env: GCORE_ENVIRONMENT,
    name: 'lets-encrypt',
    actions: [{ action: 'deploy', certificateId, version: null }],
  };
}

// ---- web security (DDoS protection) resources --------------------------------------------

/** The resource object from a GET answer (bare, or wrapped as `{resource}`). */
export function unwrapResource(json: unknown, what: string): { resource: Json; wrapped: boolean } {
  if (!isObject(json)) throw badResponse(what);
  if (isObject(json.resource)) return { resource: json.resource, wrapped: true };
  return { resource: json, wrapped: false };
}

/** The custom-certificate facts of a resource (never its key). */
export interface ProtectionSsl {
  readonly id: string;
  readonly name: string;
  /** 'custom', 'le', or null (None). */
  readonly sslType: string | null;
  readonly expiresAt: string | null;
  readonly status: string | null;
  readonly certificatePem: string | null;
}

/** Reads the SSL fields of a resource; `service_ssl_key` is deliberately not read. */
export function parseProtectionSsl(resource: Json): ProtectionSsl | undefined {
  const id = nonEmpty(resource.id);
  if (id === null) return undefined;
  const expire = int(resource.service_ssl_expire);
  return {
    id,
    name: str(resource.name) ?? '',
    sslType: nonEmpty(resource.ssl_type)?.toLowerCase() ?? null,
    expiresAt: expire !== null && expire > 0 ? isoAt(expire * 1000) : null,
    status: nonEmpty(resource.service_ssl_status),
    certificatePem: nonEmpty(resource.service_ssl_crt),
  };
}

/** A protected resource as a summary: its certificate slot is "production". */
export function protectionToSummary(ssl: ProtectionSsl): CertificateSummary {
  const cert = ssl.certificatePem !== null ? describeFirstCertificate(ssl.certificatePem) : null;
  const hasCertificate = ssl.sslType !== null || cert !== null || ssl.expiresAt !== null;
  const expiresAt = ssl.expiresAt ?? cert?.notAfter ?? null;
  const slot: SlotState = {
    fingerprint: cert?.sha256 ?? null,
    fingerprintAlgorithm: cert !== null ? 'sha256' : 'unknown',
    notBefore: cert?.notBefore ?? null,
    expiresAt,
    subject: cert?.subject ?? null,
    certificatePem: cert?.pem ?? null,
  };
  return {
    id: ssl.id,
    name: ssl.name,
    owner: null,
    latestVersion: null,
    autoRenew: ssl.sslType === 'le',
    forceRenew: false,
    caOnly: false,
    createdAt: null,
    updatedAt: null,
    expiresAt: hasCertificate ? expiresAt : null,
    versionInStaging: null,
    versionInProduction: null,
    deployed: {},
    deployedExpiresAt: hasCertificate && expiresAt !== null ? { [GCORE_ENVIRONMENT]: expiresAt } : {},
    slots: hasCertificate ? { [GCORE_ENVIRONMENT]: slot } : {},
  };
}

/** A protected resource in detail. */
export function protectionToDetail(ssl: ProtectionSsl): CertificateDetail {
  const facts = [
    `SSL: ${ssl.sslType === 'custom' ? 'custom certificate' : ssl.sslType === 'le' ? "Let's Encrypt" : ssl.sslType ?? 'none'}`,
    ssl.status !== null ? `status ${ssl.status}` : null,
    ssl.sslType === 'custom' ? 'Gcore does not warn before a custom certificate expires' : null,
  ].filter((f): f is string => f !== null);
  return { ...protectionToSummary(ssl), description: facts.join('; '), versions: [], usage: [] };
}
